using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MlfTools.Tests.Support
{
    /// <summary>What a firmware printed through semihosting (standard output and error apart) and its exit code.</summary>
    public sealed record FirmwareRun(int ExitCode, string StandardOutput, string StandardError, string Elf);

    /// <summary>
    /// Builds a Cortex-M4 firmware from C sources with arm-none-eabi-gcc (hard float, newlib-nano, semihosting through
    /// librdimon) on the startup and linker script in Resources/CortexM4, and runs it on
    /// <c>qemu-system-arm -M mps2-an386</c> (a Cortex-M4 with FPU; 4 MB for code at 0x00000000 and 4 MB of RAM at
    /// 0x20000000) with a timeout. The firmware's main returns its exit code, which QEMU exits with (semihosting
    /// SYS_EXIT_EXTENDED; exit() too); printf goes to standard output, stderr to standard error.
    /// </summary>
    internal static class CortexM4Firmware
    {
        public const string Compiler = "arm-none-eabi-gcc";
        public const string Archiver = "arm-none-eabi-ar";
        public const string Qemu = "qemu-system-arm";

        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

        /// <summary>The startup (startup.c) and linker script (cortex-m4.ld).</summary>
        public static string ResourceFolder => Path.Combine(TestPaths.RepositoryRoot, "tests", "MlfTools.Tests", "Resources", "CortexM4");

        /// <summary>Code generation flags for every source of a firmware (and for libraries linked into one).</summary>
        public static IReadOnlyList<string> CompileFlags { get; } = new[]
        {
            "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-O2", "-ffp-contract=off",
            "-ffunction-sections", "-fdata-sections", "--specs=nano.specs",
        };

        /// <summary>Why a firmware cannot be built and run here (a tool not on PATH), or null.</summary>
        public static string? WhyNot()
        {
            string? missing = new[] { Compiler, Archiver, Qemu }.FirstOrDefault(t => !ExternalTool.IsOnPath(t));
            return missing != null ? $"'{missing}' is not on PATH" : null;
        }

        /// <summary>
        /// Compiles the sources (each with <see cref="CompileFlags"/>, the include folders, the defines as NAME or
        /// NAME=VALUE and any extra flags) and links them with startup.c, the extra link inputs (objects, libraries)
        /// and the C library into <c>&lt;name&gt;.elf</c> in a new folder of temp; returns the ELF path.
        /// </summary>
        public static string Build(TempFolder temp, string name, IEnumerable<string> sources, IEnumerable<string> includeDirs, IEnumerable<string> defines,
            IEnumerable<string>? linkInputs = null, IEnumerable<string>? extraCompileFlags = null, IEnumerable<string>? extraLinkFlags = null)
        {
            string folder = temp.File("fw-" + name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(folder);
            var flags = CompileFlags.Concat(new[] { "-std=gnu99", "-w" })
                .Concat(includeDirs.SelectMany(i => new[] { "-I", i }))
                .Concat(defines.Select(d => "-D" + d))
                .Concat(extraCompileFlags ?? Enumerable.Empty<string>())
                .ToList();
            var objects = CBuild.Compile(Compiler, Path.Combine(folder, "obj"), flags, sources.Prepend(Path.Combine(ResourceFolder, "startup.c")));
            string elf = Path.Combine(folder, name + ".elf");
            var link = CompileFlags
                .Concat(new[] { "-nostartfiles", "--specs=rdimon.specs", "-T", Path.Combine(ResourceFolder, "cortex-m4.ld"), "-Wl,--gc-sections", "-o", elf })
                .Concat(extraLinkFlags ?? Enumerable.Empty<string>())
                .Concat(objects)
                .Concat(linkInputs ?? Enumerable.Empty<string>())
                .Concat(new[] { "-lm" });
            try
            {
                ExternalTool.Run(Compiler, folder, link.ToArray());
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"linking the Cortex-M4 firmware '{name}' failed (does it fit 4 MB of code and 4 MB of RAM?): {e.Message}", e);
            }
            return elf;
        }

        /// <summary>Runs a firmware on qemu-system-arm -M mps2-an386 with semihosting; throws when it does not stop within the timeout.</summary>
        public static FirmwareRun Run(string elf, TimeSpan? timeout = null)
        {
            var (exitCode, stdout, stderr) = ExternalTool.RunWithTimeout(Qemu, Path.GetDirectoryName(elf)!, timeout ?? DefaultTimeout,
                "-M", "mps2-an386", "-nographic", "-monitor", "none", "-serial", "none",
                "-semihosting-config", "enable=on,target=native", "-kernel", elf);
            return new FirmwareRun(exitCode, stdout, stderr, elf);
        }

        /// <summary><see cref="Build"/> then <see cref="Run"/>.</summary>
        public static FirmwareRun BuildAndRun(TempFolder temp, IEnumerable<string> sources, IEnumerable<string> includeDirs, IEnumerable<string> defines,
            IEnumerable<string>? linkInputs = null, IEnumerable<string>? extraCompileFlags = null, TimeSpan? timeout = null, string name = "fw") =>
            Run(Build(temp, name, sources, includeDirs, defines, linkInputs, extraCompileFlags), timeout);
    }
}
