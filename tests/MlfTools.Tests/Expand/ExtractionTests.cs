using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Runtime.Versioning;
using System.Threading;
using MlfTools.Expand;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Expand
{
    /// <summary>Extraction against GNU tar and Python's 'data' filter, and what a refused or cancelled extraction leaves: nothing.</summary>
    public class ExtractionTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>What Expand-MlfArchive does: check the destination, plan, extract.</summary>
        private static void Expand(string archive, string destination, MlfExistingFolder existing = MlfExistingFolder.Refuse, MlfArchiveLimits? limits = null,
            Action<MlfExpandProgress>? progress = null, CancellationToken cancellationToken = default)
        {
            ArchiveExtractor.CheckDestination(destination, archive, existing);
            var plan = ArchiveExtractor.Plan(archive, limits, cancellationToken);
            ArchiveExtractor.Extract(plan, destination, existing, progress, cancellationToken);
        }

        [SampleToolTheory("tar")]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void A_sample_extracts_to_the_same_files_bytes_folders_and_times_as_GNU_tar(string sample)
        {
            string gnu = _temp.File("gnu");
            Directory.CreateDirectory(gnu);
            ExternalTool.Run("tar", gnu, "-xf", TestPaths.Sample(sample));
            string gzipped = Gzip(TestPaths.Sample(sample), _temp.File(sample + ".gz"));

            foreach (string archive in new[] { TestPaths.Sample(sample), gzipped })
            {
                string ours = _temp.File("ours-" + Path.GetFileName(archive));
                Expand(archive, ours);

                Assert.Equal(FolderSnapshot.Take(gnu), FolderSnapshot.Take(ours));
                // Files, and folders the archive lists, carry their member's time; folders a path only implies are new.
                var listedFolders = ListedFolders(TestPaths.Sample(sample));
                foreach (string entry in Directory.EnumerateFileSystemEntries(gnu, "*", SearchOption.AllDirectories))
                {
                    string relative = Path.GetRelativePath(gnu, entry).Replace(Path.DirectorySeparatorChar, '/');
                    if (Directory.Exists(entry) && !listedFolders.Contains(relative)) continue;
                    Assert.Equal(File.GetLastWriteTimeUtc(entry), File.GetLastWriteTimeUtc(Path.Combine(ours, relative)));
                }
            }
            Assert.Equal(new[] { "gnu", "ours-" + sample, "ours-" + sample + ".gz", sample + ".gz" }.OrderBy(n => n, StringComparer.Ordinal),
                Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [SampleFact]
        public void The_extracted_folder_reads_as_the_same_module_as_the_archive()
        {
            string archive = TestPaths.Sample("v7-aot-crt-mlp.tar");
            string folder = _temp.File("mlp");
            Expand(archive, folder);

            var fromArchive = Assert.Single(MlfReader.ReadModules(archive));
            var fromFolder = Assert.Single(MlfReader.ReadModules(folder));

            Assert.Equal(fromArchive.Files.Select(f => (f.Path, f.Kind, f.Size)).OrderBy(f => f.Path, StringComparer.Ordinal),
                fromFolder.Files.Select(f => (f.Path, f.Kind, f.Size)).OrderBy(f => f.Path, StringComparer.Ordinal));
            Assert.Equal(fromArchive.Parameters!.TotalBytes, fromFolder.Parameters!.TotalBytes);
        }

        [UnixPythonTarFilterFact]
        [UnsupportedOSPlatform("windows")]
        public void File_modes_follow_Pythons_data_filter_and_lose_setuid_setgid_and_sticky()
        {
            Assert.True(ExtractedFileMode.CanApply, "File.SetUnixFileMode is there on .NET 7 and later");
            var modes = new Dictionary<string, int>
            {
                ["setuid"] = Convert.ToInt32("4755", 8),
                ["setgid"] = Convert.ToInt32("2755", 8),
                ["sticky"] = Convert.ToInt32("1777", 8),
                ["world-writable"] = Convert.ToInt32("666", 8),
                ["group-writable-executable"] = Convert.ToInt32("775", 8),
                ["no-bits"] = 0,
                ["owner-only"] = Convert.ToInt32("700", 8),
                ["others-execute"] = Convert.ToInt32("611", 8),
                ["plain"] = Convert.ToInt32("644", 8),
            };
            string archive = PythonTar.WriteModule(_temp.File("modes.tar"), modes.Select(m => new PythonTar.Member("./bin/" + m.Key, m.Key, Mode: m.Value)).ToArray());
            string python = _temp.File("python");
            ExternalTool.Python("import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2], filter='data')", archive, python);

            string ours = _temp.File("ours");
            Expand(archive, ours);

            foreach (string name in modes.Keys)
            {
                var expected = File.GetUnixFileMode(Path.Combine(python, "bin", name));
                var actual = File.GetUnixFileMode(Path.Combine(ours, "bin", name));
                Assert.True(expected == actual, $"{name}: Python's data filter gives {expected}, ours {actual}");
                Assert.Equal(0, (int)actual & Convert.ToInt32("7000", 8));
            }
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Path.Combine(ours, "bin", "setuid")));
        }

        [Theory]
        [InlineData("0", "600")]
        [InlineData("4755", "755")]
        [InlineData("2711", "711")]
        [InlineData("1777", "755")]
        [InlineData("666", "644")]
        [InlineData("11", "600")]     // executable by group and others only: by nobody
        [InlineData("7777", "755")]
        [InlineData("400", "600")]
        public void The_mode_rule_keeps_owner_rwx_and_drops_special_bits_and_group_or_other_write(string member, string expected)
        {
            Assert.Equal(Convert.ToInt32(expected, 8), ExtractedFileMode.Sanitize(Convert.ToInt32(member, 8)));
        }

        [ToolFact("python3", "tar")]
        public void The_same_path_twice_extracts_the_last_one_as_GNU_tar_does()
        {
            string archive = PythonTar.WriteModule(_temp.File("twice.tar"),
                new PythonTar.Member("./samples/a.h", "first version, longer than the second"),
                new PythonTar.Member("./samples/b.h", "b"),
                new PythonTar.Member("./samples/a.h", "second"));
            string gnu = _temp.File("gnu");
            Directory.CreateDirectory(gnu);
            ExternalTool.Run("tar", gnu, "-xf", archive);

            Expand(archive, _temp.File("ours"));

            Assert.Equal(FolderSnapshot.Take(gnu), FolderSnapshot.Take(_temp.File("ours")));
            Assert.Equal("second", File.ReadAllText(_temp.File("ours/samples/a.h")));
        }

        public static IEnumerable<object[]> HostileArchives() => new[]
        {
            new object[] { "traversal", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "absolute", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "symlink", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "hardlink", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "fifo", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "device name", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "colon", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "case collision", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "traversal after many good files", MlfErrorIds.UnsafeArchiveEntry },
            new object[] { "gzip bomb", MlfErrorIds.ArchiveTooLarge },
            new object[] { "lying params", MlfErrorIds.ParamsInvalid },
            new object[] { "no metadata", MlfErrorIds.MetadataMissing },
            new object[] { "truncated", MlfErrorIds.InvalidArchive },
        };

        [Theory]
        [MemberData(nameof(HostileArchives))]
        public void A_hostile_archive_is_refused_before_anything_is_written(string kind, string errorId)
        {
            string inputs = _temp.File("inputs");
            Directory.CreateDirectory(inputs);
            string archive = Hostile(kind, inputs);
            var before = FolderSnapshot.Take(_temp.Path);
            string destination = _temp.File("out/nested/model");

            var error = Assert.Throws<MlfException>(() => Expand(archive, destination, limits: new MlfArchiveLimits { MaximumExpandedSize = 1 << 20 }));

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(archive, error.Target);
            Assert.Equal(before, FolderSnapshot.Take(_temp.Path));
            Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "evil.txt")));
        }

        [Fact]
        public void A_file_that_changes_after_it_was_checked_stops_the_extraction_and_leaves_nothing()
        {
            var archive = new TestArchive(TarEntryFormat.Ustar).File("metadata.json", TestArchive.Metadata(5));
            for (int i = 0; i < 5; i++) archive.File($"samples/{i}.bin", new byte[100000]);
            string path = archive.WriteTar(_temp.File("changing.tar"));
            var plan = ArchiveExtractor.Plan(path);
            using (var file = File.OpenWrite(path)) file.SetLength(file.Length / 2);
            var before = FolderSnapshot.Take(_temp.Path);

            var error = Assert.Throws<MlfException>(() => ArchiveExtractor.Extract(plan, _temp.File("out/model"), MlfExistingFolder.Refuse));

            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
            Assert.Equal(before, FolderSnapshot.Take(_temp.Path));
        }

        [SampleTheory]
        [InlineData("v7-aot-crt-mlp.tar", false)]
        [InlineData("v7-aot-crt-mlp.tar", true)]
        public void Cancelling_at_any_file_leaves_no_destination_and_no_temporary_folder(string sample, bool gzip)
        {
            string archive = gzip ? Gzip(TestPaths.Sample(sample), _temp.File(sample + ".gz")) : TestPaths.Sample(sample);
            var plan = ArchiveExtractor.Plan(archive);
            var before = FolderSnapshot.Take(_temp.Path);
            for (int stopAt = 0; stopAt <= plan.FileCount; stopAt++)
            {
                using var cancel = new CancellationTokenSource();
                int started = 0;
                Action<MlfExpandProgress> progress = p =>
                {
                    if (p.CurrentPath != null && started++ == stopAt) cancel.Cancel();
                    if (p.CurrentPath == null && stopAt == plan.FileCount) cancel.Cancel();
                };

                Assert.ThrowsAny<OperationCanceledException>(() => ArchiveExtractor.Extract(plan, _temp.File("out/model"), MlfExistingFolder.Refuse, progress, cancel.Token));

                Assert.Equal(before, FolderSnapshot.Take(_temp.Path));
            }
        }

        [Fact]
        public void An_existing_destination_is_refused_without_overwrite_and_left_as_it_was()
        {
            string archive = SmallModule(_temp.File("model.tar"), "new");
            string destination = Existing(_temp.File("out"));
            var before = FolderSnapshot.Take(_temp.Path);

            var error = Assert.Throws<MlfException>(() => Expand(archive, destination));
            var late = Assert.Throws<MlfException>(() => ArchiveExtractor.Extract(ArchiveExtractor.Plan(archive), destination, MlfExistingFolder.Refuse));

            Assert.Equal(MlfErrorIds.DestinationExists, error.ErrorId);
            Assert.Equal(MlfErrorIds.DestinationExists, late.ErrorId);
            Assert.Equal(destination, error.Target);
            Assert.Equal(before, FolderSnapshot.Take(_temp.Path));
        }

        [Fact]
        public void Overwrite_replaces_an_existing_folder_as_a_whole_and_leaves_nothing_beside_it()
        {
            string archive = SmallModule(_temp.File("model.tar"), "new");
            string destination = Existing(_temp.File("out"));

            Expand(archive, destination, MlfExistingFolder.Replace);

            Assert.Equal(new[] { "metadata.json", "samples/note.txt" }, FolderSnapshot.Files(destination).Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("new", File.ReadAllText(Path.Combine(destination, "samples", "note.txt")));
            Assert.Equal(new[] { "model.tar", "out" }, Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void A_failed_replacement_leaves_the_existing_folder_as_it_was()
        {
            string archive = new TestArchive().File("metadata.json", TestArchive.Metadata(5)).File("parameters/default.params", new byte[] { 1, 2, 3 }).WriteTar(_temp.File("bad.tar"));
            string destination = Existing(_temp.File("out"));
            var before = FolderSnapshot.Take(_temp.Path);

            Assert.Equal(MlfErrorIds.ParamsInvalid, Assert.Throws<MlfException>(() => Expand(archive, destination, MlfExistingFolder.Replace)).ErrorId);

            string good = SmallModule(_temp.File("good.tar"), "new");
            var plan = ArchiveExtractor.Plan(good);
            before = FolderSnapshot.Take(_temp.Path);
            using var cancel = new CancellationTokenSource();
            Assert.ThrowsAny<OperationCanceledException>(() => ArchiveExtractor.Extract(plan, destination, MlfExistingFolder.Replace, p => cancel.Cancel(), cancel.Token));
            Assert.Equal(before, FolderSnapshot.Take(_temp.Path));
        }

        [Fact]
        public void A_file_at_the_destination_is_refused_even_with_overwrite()
        {
            string archive = SmallModule(_temp.File("model.tar"), "new");
            File.WriteAllText(_temp.File("out"), "a file");

            var error = Assert.Throws<MlfException>(() => Expand(archive, _temp.File("out"), MlfExistingFolder.Replace));

            Assert.Equal(MlfErrorIds.DestinationExists, error.ErrorId);
            Assert.Equal("a file", File.ReadAllText(_temp.File("out")));
        }

        [Fact]
        public void A_destination_that_holds_the_archive_is_refused_even_with_overwrite()
        {
            Directory.CreateDirectory(_temp.File("work"));
            string archive = SmallModule(_temp.File("work/model.tar"), "new");
            var before = FolderSnapshot.Take(_temp.Path);

            foreach (string destination in new[] { _temp.File("work"), _temp.Path, _temp.File("work") + Path.DirectorySeparatorChar })
            {
                var error = Assert.Throws<MlfException>(() => Expand(archive, destination, MlfExistingFolder.Replace));
                Assert.Equal(MlfErrorIds.DestinationIsInput, error.ErrorId);
            }
            Assert.Equal(before, FolderSnapshot.Take(_temp.Path));
        }

        [Fact]
        public void A_folder_is_not_an_archive_to_expand()
        {
            string folder = _temp.File("model");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(5));

            var error = Assert.Throws<MlfException>(() => ArchiveExtractor.Plan(folder));

            Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
            Assert.Equal(folder, error.Target);
        }

        [Fact]
        public void Missing_folders_on_the_way_are_created_and_a_trailing_separator_is_the_same_destination()
        {
            string archive = SmallModule(_temp.File("model.tar"), "new");
            string destination = _temp.File("a/b/c") + Path.DirectorySeparatorChar;

            Expand(archive, destination);

            Assert.Equal("new", File.ReadAllText(_temp.File("a/b/c/samples/note.txt")));
            Assert.Equal(new[] { "c" }, Directory.GetFileSystemEntries(_temp.File("a/b")).Select(Path.GetFileName));
        }

        [Fact]
        public void Progress_counts_every_file_and_byte_and_ends_complete()
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(5));
            for (int i = 0; i < 3; i++) archive.File($"samples/{i}.bin", new byte[5 << 20]);
            string path = archive.WriteTarGz(_temp.File("big.tgz"));
            var reports = new List<MlfExpandProgress>();

            Expand(path, _temp.File("out"), progress: reports.Add);

            var plan = ArchiveExtractor.Plan(path);
            Assert.Equal(4, plan.FileCount);
            Assert.Equal(1, plan.FolderCount);
            Assert.Equal((15L << 20) + TestArchive.Metadata(5).Length, plan.TotalBytes);
            Assert.Equal(new[] { "metadata.json", "samples/0.bin", "samples/1.bin", "samples/2.bin" },
                reports.Where(r => r.CurrentPath != null).Select(r => r.CurrentPath).Distinct());
            Assert.True(reports.Count > 4 + 1, "large files report progress while they are written");
            Assert.Equal(reports.Select(r => r.BytesDone).OrderBy(b => b), reports.Select(r => r.BytesDone));
            var last = reports[^1];
            Assert.Null(last.CurrentPath);
            Assert.Equal(plan.TotalBytes, last.BytesDone);
            Assert.Equal(4, last.FilesDone);
            Assert.Equal(100, last.PercentComplete);
        }

        [Fact]
        public void The_expansion_limit_applies_to_extraction()
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(5)).File("samples/zeros.bin", new byte[3 << 20]);
            string path = archive.WriteTarGz(_temp.File("zeros.tgz"));

            var error = Assert.Throws<MlfException>(() => Expand(path, _temp.File("out"), limits: new MlfArchiveLimits { MaximumExpandedSize = 2 << 20 }));

            Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
            Assert.False(Directory.Exists(_temp.File("out")));
            Expand(path, _temp.File("out"), limits: new MlfArchiveLimits { MaximumExpandedSize = 4 << 20 });
            Assert.Equal(3 << 20, new FileInfo(_temp.File("out/samples/zeros.bin")).Length);
        }

        private string Hostile(string kind, string folder)
        {
            string metadata = TestArchive.Metadata(5);
            var archive = new TestArchive().File("./metadata.json", metadata);
            switch (kind)
            {
                case "traversal": archive.File("../../evil.txt", "x"); break;
                case "absolute": archive.File(Path.Combine(Path.GetTempPath(), "evil.txt").Replace('\\', '/'), "x"); break;
                case "symlink": archive.Link("samples/link", "/etc/passwd"); break;
                case "hardlink": archive.Link("samples/copy.json", "metadata.json", hard: true); break;
                case "fifo": archive.Special("samples/pipe", TarEntryType.Fifo); break;
                case "device name": archive.File("samples/nul.h", "x"); break;
                case "colon": archive.File("samples/a:b", "x"); break;
                case "case collision": archive.File("samples/A.h", "x").File("samples/a.h", "y"); break;
                case "traversal after many good files":
                    for (int i = 0; i < 50; i++) archive.File($"samples/{i}.h", new byte[10000]);
                    archive.File("samples/../../evil.txt", "x");
                    break;
                case "gzip bomb":
                    return new TestArchive().File("./metadata.json", metadata).File("samples/zeros.bin", new byte[2 << 20]).WriteTarGz(Path.Combine(folder, "bomb.tgz"));
                case "lying params":
                    archive.File("parameters/default.params", ParamsWriter.Write(new[] { new ParamsWriter.Tensor("p", 2, 32, new long[] { 4 }, DeclaredBytes: 1L << 40) }));
                    break;
                case "no metadata":
                    return new TestArchive().File("samples/a.h", "x").WriteTar(Path.Combine(folder, "plain.tar"));
                case "truncated":
                    for (int i = 0; i < 5; i++) archive.File($"samples/{i}.bin", new byte[10000]);
                    byte[] bytes = archive.ToTarBytes();
                    File.WriteAllBytes(Path.Combine(folder, "cut.tar"), bytes.Take(bytes.Length / 2).ToArray());
                    return Path.Combine(folder, "cut.tar");
            }
            return archive.WriteTar(Path.Combine(folder, kind.Replace(' ', '-') + ".tar"));
        }

        /// <summary>The folders a tar lists as members, read with .NET's own tar reader, without "./" and the trailing '/'.</summary>
        private static HashSet<string> ListedFolders(string tarPath)
        {
            var folders = new HashSet<string>(StringComparer.Ordinal);
            using var stream = File.OpenRead(tarPath);
            using var reader = new TarReader(stream);
            TarEntry? entry;
            while ((entry = reader.GetNextEntry()) != null)
            {
                if (entry.EntryType != TarEntryType.Directory) continue;
                string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name.Substring(2) : entry.Name;
                if (name.Length > 0) folders.Add(name.TrimEnd('/'));
            }
            return folders;
        }

        private static string SmallModule(string path, string note) =>
            new TestArchive().File("./metadata.json", TestArchive.Metadata(5)).File("./samples/note.txt", note).WriteTar(path);

        private static string Existing(string folder)
        {
            Directory.CreateDirectory(Path.Combine(folder, "old"));
            File.WriteAllText(Path.Combine(folder, "old", "kept.txt"), "written earlier");
            File.WriteAllText(Path.Combine(folder, "samples.txt"), "also earlier");
            return folder;
        }

        private static string Gzip(string source, string destination)
        {
            using var input = File.OpenRead(source);
            using var output = File.Create(destination);
            using var gzip = new GZipStream(output, CompressionLevel.Fastest);
            input.CopyTo(gzip);
            return destination;
        }
    }
}
