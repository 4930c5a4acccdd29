using System;
using System.Collections.Generic;

namespace MlfTools
{
    /// <summary>How Get-MlfMemoryReport measures code size: the C compiler to run on each module's sources, and its arguments.</summary>
    public sealed class CodeSizeOptions
    {
        /// <summary>
        /// The compiler, e.g. "arm-none-eabi-gcc" or "gcc"; null compiles nothing. A name is looked up on PATH only; a path
        /// (see <see cref="IsPath"/>) is taken against the process's current folder, so give it in full.
        /// </summary>
        public string Compiler { get; set; }

        /// <summary>True when <paramref name="compiler"/> is a path (it holds a folder separator, or is rooted), not a name to look up on PATH.</summary>
        public static bool IsPath(string compiler) => MlfTools.IO.ProgramSearch.IsPath(compiler);

        /// <summary>Arguments given to every compilation before the sources, e.g. "-mcpu=cortex-m7", "-mthumb", "-Os".</summary>
        public IList<string> Arguments { get; set; } = new List<string>();

        /// <summary>Extra include folders (full paths), searched before the archive's own codegen/host/include and runtime/include.</summary>
        public IList<string> IncludePaths { get; set; } = new List<string>();

        /// <summary>
        /// With Get-MlfMemoryReport -Link: what the firmware links with besides its objects, e.g. "-T", "board.ld",
        /// "startup.o", "--specs=nano.specs"; null links main() as the entry without start files (and newlib's
        /// nosys.specs where the compiler has it).
        /// </summary>
        public IList<string> LinkerArguments { get; set; }

        /// <summary>With Get-MlfMemoryReport -Link: the module whose C runtime the firmware links; null takes the only one, or the newest of several.</summary>
        public string RuntimeFrom { get; set; }

        /// <summary>The longest one compilation (one source file) may take before the compiler is stopped; 5 minutes unless set.</summary>
        public TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>Receives each compiler command line before it runs, on the calling thread (optional).</summary>
        public Action<string> Verbose { get; set; }

        internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

        /// <summary>Where the temporary compile folder is made; null for the system's temporary folder (tests set it).</summary>
        internal string TemporaryRoot { get; set; }
    }
}
