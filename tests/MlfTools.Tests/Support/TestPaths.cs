using System;
using System.IO;

namespace MlfTools.Tests.Support
{
    /// <summary>Where the repository, the built module and the shared real-archive samples are.</summary>
    internal static class TestPaths
    {
        public static string RepositoryRoot { get; } = FindRepositoryRoot();

        /// <summary>../shared/mlf-samples beside the repository, or MLFTOOLS_SAMPLES when set.</summary>
        public static string SamplesFolder { get; } =
            Environment.GetEnvironmentVariable("MLFTOOLS_SAMPLES") is string overridden && overridden.Length > 0
                ? overridden
                : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "mlf-samples"));

        public static bool SamplesPresent => Directory.Exists(SamplesFolder) && Directory.GetFiles(SamplesFolder, "*.tar").Length > 0;

        public static string ModuleFolder => Path.Combine(RepositoryRoot, "out", "MlfTools");

        public static string Sample(string fileName) => Path.Combine(SamplesFolder, fileName);

        private static string FindRepositoryRoot()
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder != null && !File.Exists(Path.Combine(folder.FullName, "MlfTools.psd1")))
            {
                folder = folder.Parent;
            }
            return folder?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (no MlfTools.psd1 above the test binaries).");
        }
    }
}
