using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using MlfTools.Expand;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// Expand-MlfArchive's extraction, interrupted at every point a real expand of a sample passes through: every
    /// folder and file it creates, every write of a file, every progress report, and each folder rename (into place,
    /// and with -Force the old folder's move aside) fails (WriteFailed) or is where the expand is cancelled. The
    /// destination must then be absent, or the old folder intact byte for byte, with no hidden temporary folder beside it.
    /// </summary>
    public class ExpandFaultInjectionTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;

        public ExpandFaultInjectionTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _temp.Dispose();

        public static IEnumerable<object[]> Cases()
        {
            foreach (bool compressed in new[] { false, true })
            foreach (var existing in new[] { MlfExistingFolder.Refuse, MlfExistingFolder.Merge, MlfExistingFolder.Replace })
            {
                yield return new object[] { "v7-graph-magicwand.tar", compressed, existing };
            }
        }

        [SampleTheory]
        [MemberData(nameof(Cases))]
        public void An_expand_interrupted_anywhere_leaves_no_trace(string sample, bool compressed, MlfExistingFolder existing)
        {
            var write = ExpandCase(sample, compressed, existing);
            var (counts, elapsed, attempts) = AtomicWriteSweeps.Run(write, full: true);
            _output.WriteLine($"{write}: {counts}; {attempts} attempts in {elapsed.TotalSeconds:F1} s");
        }

        /// <summary>
        /// The 3 MB sample: 96 files in nested folders, and a 2 MB member written in more than one piece. Each attempt
        /// writes and deletes about 100 files, so only the sticky faults are swept here (every write, every file and
        /// folder created, each rename); one-shot faults and cancellation are swept over the smaller sample above.
        /// </summary>
        [SampleFact]
        public void A_large_expand_over_an_existing_folder_interrupted_anywhere_leaves_no_trace()
        {
            var write = ExpandCase("v7-aot-crt-mlp.tar", compressed: false, existing: MlfExistingFolder.Replace);
            var (counts, elapsed, attempts) = AtomicWriteSweeps.Run(write, full: false);
            _output.WriteLine($"{write}: {counts}; {attempts} attempts in {elapsed.TotalSeconds:F1} s");
        }

        /// <summary>Refuse: into a new folder; Merge and Replace: over an existing one (-Force, -ReplaceFolder).</summary>
        private AtomicWriteCase ExpandCase(string sample, bool compressed, MlfExistingFolder existing)
        {
            string inputs = _temp.File("inputs");
            Directory.CreateDirectory(inputs);
            string archive = Path.Combine(inputs, compressed ? Path.ChangeExtension(sample, ".tgz") : sample);
            if (compressed) Gzip(TestPaths.Sample(sample), archive);
            else File.Copy(TestPaths.Sample(sample), archive);

            // Planned once, as Expand-MlfArchive plans before it writes: the sweep is over the extraction.
            var plan = ArchiveExtractor.Plan(archive);
            Assert.True(plan.FileCount > 1 && plan.FolderCount > 1, $"{sample} has too few files and folders to sweep");

            string destination = _temp.File(Path.Combine("out", "model"));
            string name = $"expand of {Path.GetFileName(archive)}{(existing == MlfExistingFolder.Refuse ? " into a new folder" : $" over an existing folder ({existing})")}";
            return new AtomicWriteCase(name, destination, new[] { archive },
                (files, token, onProgress) => ArchiveExtractor.Extract(plan, destination, existing, _ => onProgress(), token, files))
            {
                PutExisting = existing == MlfExistingFolder.Refuse ? null : PutOldFolder,
            };
        }

        /// <summary>An old destination with a file the archive also has (other bytes), one it lacks, and a subfolder.</summary>
        private static void PutOldFolder(string folder)
        {
            Directory.CreateDirectory(Path.Combine(folder, "old"));
            File.WriteAllText(Path.Combine(folder, "metadata.json"), "{\"version\": 0}");
            File.WriteAllText(Path.Combine(folder, "old", "kept.txt"), "written earlier");
        }

        private static void Gzip(string source, string destination)
        {
            using var input = File.OpenRead(source);
            using var output = File.Create(destination);
            using var gzip = new GZipStream(output, CompressionLevel.Optimal);
            input.CopyTo(gzip);
        }
    }
}
