using System;
using System.IO;
using System.Linq;
using Xunit;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// Whether gcc here builds and runs programs with AddressSanitizer (gcc -fsanitize=address), which stops a program
    /// that reads past a string literal; null when it does, else why not.
    /// </summary>
    internal static class AddressSanitizer
    {
        private static readonly Lazy<string?> Problem = new Lazy<string?>(Probe);

        /// <summary>Why a test over the samples that builds with gcc, tar and AddressSanitizer cannot run here, or null.</summary>
        public static string? WhyNot()
        {
            if (!TestPaths.SamplesPresent) return $"MLF samples not found at {TestPaths.SamplesFolder}";
            string? missing = new[] { "gcc", "tar" }.FirstOrDefault(t => !ExternalTool.IsOnPath(t));
            return missing != null ? $"'{missing}' is not on PATH" : Problem.Value;
        }

        private static string? Probe()
        {
            using var folder = new TempFolder();
            File.WriteAllText(folder.File("probe.c"), "int main(void) { return 0; }\n");
            try
            {
                ExternalTool.Run("gcc", folder.Path, "-fsanitize=address", "-o", "probe", "probe.c");
                ExternalTool.Run(folder.File("probe"), folder.Path);
                return null;
            }
            catch (InvalidOperationException e)
            {
                return "gcc -fsanitize=address does not work here: " + e.Message;
            }
        }
    }

    /// <summary>Needs the samples, gcc, tar and AddressSanitizer; skipped with the reason otherwise.</summary>
    public sealed class SampleAsanFactAttribute : FactAttribute
    {
        public SampleAsanFactAttribute()
        {
            if (AddressSanitizer.WhyNot() is string why) Skip = why;
        }
    }

    /// <summary>Needs the samples, gcc, tar and AddressSanitizer; skipped with the reason otherwise.</summary>
    public sealed class SampleAsanTheoryAttribute : TheoryAttribute
    {
        public SampleAsanTheoryAttribute()
        {
            if (AddressSanitizer.WhyNot() is string why) Skip = why;
        }
    }
}
