using System.Collections.Generic;

namespace MlfTools
{
    /// <summary>How Get-MlfMemoryReport measures code size: the C compiler to run on each module's sources, and its arguments.</summary>
    public sealed class CodeSizeOptions
    {
        /// <summary>The compiler (a path, or a name looked up on PATH), e.g. "arm-none-eabi-gcc" or "gcc"; null compiles nothing.</summary>
        public string Compiler { get; set; }

        /// <summary>Arguments given to every compilation before the sources, e.g. "-mcpu=cortex-m7", "-mthumb", "-Os".</summary>
        public IList<string> Arguments { get; set; } = new List<string>();

        /// <summary>Extra include folders (full paths), searched before the archive's own codegen/host/include and runtime/include.</summary>
        public IList<string> IncludePaths { get; set; } = new List<string>();

        /// <summary>Where the temporary compile folder is made; null for the system's temporary folder (tests set it).</summary>
        internal string TemporaryRoot { get; set; }
    }
}
