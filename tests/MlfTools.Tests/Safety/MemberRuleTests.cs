using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// The safe-member rules, each proven on archives Python's tarfile writes: reading refuses the archive with
    /// UnsafeArchiveEntry naming the member and the reason, and a join given the archive by path refuses it before
    /// anything is written.
    /// </summary>
    public class MemberRuleTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>Member names Windows cannot hold, with a word the refusal must give as its reason.</summary>
        public static IEnumerable<object[]> NamesWindowsCannotHold() => new[]
        {
            new object[] { "src/back\\slash.txt", "'\\'" },
            new object[] { "src/a:b.txt", "':'" },
            new object[] { "src/stream.txt:hidden", "':'" },
            new object[] { "src/less<than.txt", "'<'" },
            new object[] { "src/greater>than.txt", "'>'" },
            new object[] { "src/quote\"d.txt", "'\"'" },
            new object[] { "src/pi|pe.txt", "'|'" },
            new object[] { "src/what?.txt", "'?'" },
            new object[] { "src/star*.txt", "'*'" },
            new object[] { "src/bell\u0007.txt", "control character U+0007" },
            new object[] { "src/tab\there.txt", "control character U+0009" },
            new object[] { "src/line\nbreak.txt", "control character U+000A" },
            new object[] { "src/CON", "device name" },
            new object[] { "src/con.h", "device name" },
            new object[] { "src/Nul.tar.gz", "device name" },
            new object[] { "aux/x.c", "device name" },
            new object[] { "src/PRN", "device name" },
            new object[] { "src/com1.c", "device name" },
            new object[] { "src/COM9", "device name" },
            new object[] { "src/lpt1.txt", "device name" },
            new object[] { "src/LPT9", "device name" },
            new object[] { "src/nul .txt", "device name" },
            new object[] { "src/COM\u00B9", "device name" },
            new object[] { "src/conin$", "device name" },
            new object[] { "src/notes.", "ends in a dot" },
            new object[] { "src/notes ", "ends in a space" },
            new object[] { "src./x.c", "ends in a dot" },
            new object[] { "src /x.c", "ends in a space" },
            new object[] { "src/..." , "ends in a dot" },
            new object[] { "src/" + new string('n', 256), "longer than 255 bytes" },
            new object[] { "src/" + string.Concat(Enumerable.Repeat("\u00E9", 128)), "longer than 255 bytes" },
            new object[] { string.Join("/", Enumerable.Repeat("deep", 210)) + "/x.c", "longer than 1024 bytes" },
        };

        /// <summary>Names that look like the refused ones but that Windows holds.</summary>
        public static IEnumerable<object[]> NamesWindowsHolds() => new[]
        {
            new object[] { "src/console.txt" },
            new object[] { "src/com10.c" },
            new object[] { "src/com0" },
            new object[] { "src/nul_model.c" },
            new object[] { "src/x.con" },
            new object[] { "src/.hidden" },
            new object[] { "src/a.b.c" },
            new object[] { "src/caf\u00E9 menu.txt" },
            new object[] { "src/" + new string('n', 255) },
        };

        [ToolTheory("python3")]
        [MemberData(nameof(NamesWindowsCannotHold))]
        public void A_name_Windows_cannot_hold_is_refused_on_read(string name, string reason)
        {
            string archive = PythonTar.WriteModule(_temp.File("input.tar"), new PythonTar.Member("./" + name));

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));

            AssertUnsafe(error, archive, reason);
            Assert.Contains(name.Length > 100 ? name.Substring(0, 100) : name, error.Message);
        }

        [ToolTheory("python3")]
        [MemberData(nameof(NamesWindowsCannotHold))]
        public void A_name_Windows_cannot_hold_is_refused_on_join_before_anything_is_written(string name, string reason)
        {
            string archive = PythonTar.WriteModule(_temp.File("input.tgz"), new PythonTar.Member("./" + name));

            var error = Assert.Throws<MlfException>(() => JoinByPath(_temp.File("joined.tar"), archive));

            AssertUnsafe(error, archive, reason);
            Assert.False(File.Exists(_temp.File("joined.tar")));
            Assert.Equal(new[] { "input.tgz" }, Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
        }

        [ToolTheory("python3")]
        [MemberData(nameof(NamesWindowsHolds))]
        public void A_name_that_only_looks_reserved_is_read(string name)
        {
            string archive = PythonTar.WriteModule(_temp.File("input.tar"), new PythonTar.Member("./" + name, "kept"));

            var module = Assert.Single(MlfReader.ReadModules(archive));

            Assert.Contains(module.Files, f => f.Path == name);
        }

        [ToolTheory("python3")]
        [InlineData("./samples/Input.h", "./samples/input.h")]
        [InlineData("./Samples/a.h", "./samples/b.h")]
        [InlineData("./samples/deep/A/x.h", "./samples/deep/a/y.h")]
        [InlineData("./Metadata.json", "./notes.txt")] // against the archive's own ./metadata.json
        public void Paths_that_differ_only_in_case_are_refused_on_read_and_on_join(string first, string second)
        {
            string archive = PythonTar.WriteModule(_temp.File("input.tar"), new PythonTar.Member(first), new PythonTar.Member(second));

            var read = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));
            var join = Assert.Throws<MlfException>(() => JoinByPath(_temp.File("joined.tar"), archive));

            foreach (var error in new[] { read, join })
            {
                AssertUnsafe(error, archive, "differ only in case");
            }
            Assert.False(File.Exists(_temp.File("joined.tar")));
        }

        [ToolFact("python3")]
        public void A_folder_entry_that_differs_in_case_from_a_file_path_is_refused()
        {
            string archive = PythonTar.WriteModule(_temp.File("input.tar"),
                new PythonTar.Member("./Samples", IsDirectory: true, Mode: 493), new PythonTar.Member("./samples/input.h"));

            AssertUnsafe(Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive)), archive, "differ only in case");
        }

        [ToolFact("python3")]
        public void A_file_that_another_member_needs_as_a_folder_is_refused()
        {
            string archive = PythonTar.WriteModule(_temp.File("input.tar"), new PythonTar.Member("./samples/x"), new PythonTar.Member("./samples/x/y.h"));

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));

            AssertUnsafe(error, archive, "also a file");
            Assert.Contains("samples/x/y.h", error.Message);
        }

        [ToolFact("python3")]
        public void Folder_entries_and_the_files_under_them_are_not_collisions()
        {
            string archive = PythonTar.WriteModule(_temp.File("input.tar"),
                new PythonTar.Member("./samples", IsDirectory: true, Mode: 493),
                new PythonTar.Member("./samples/deep", IsDirectory: true, Mode: 493),
                new PythonTar.Member("./samples/deep/a.h"),
                new PythonTar.Member("./samples/deep/b.h"),
                new PythonTar.Member("./samples/deeper.h"));

            var module = Assert.Single(MlfReader.ReadModules(archive));

            Assert.Equal(new[] { "samples/deep/a.h", "samples/deep/b.h", "samples/deeper.h" },
                module.Files.Where(f => f.Path.StartsWith("samples/", StringComparison.Ordinal)).Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal));
        }

        [ToolTheory("python3")]
        [InlineData("input.tar")]
        [InlineData("input.tgz")]
        public void The_same_path_twice_keeps_the_last_member_as_tar_does(string fileName)
        {
            string valid = TestArchive.Metadata(5);
            string archive = PythonTar.Write(_temp.File(fileName), new[]
            {
                new PythonTar.Member("./metadata.json", "{ this is not JSON"),
                new PythonTar.Member("./samples/a.h", "first"),
                new PythonTar.Member("metadata.json", valid),
                new PythonTar.Member("./samples/a.h", "second, longer"),
            });

            var module = Assert.Single(MlfReader.ReadModules(archive));

            Assert.Equal("second, longer".Length, module.Files.Single(f => f.Path == "samples/a.h").Size);
            Assert.Single(module.Files, f => f.Path == "metadata.json");

            string reversed = PythonTar.Write(_temp.File("reversed-" + fileName), new[]
            {
                new PythonTar.Member("./metadata.json", valid),
                new PythonTar.Member("./metadata.json", "{ this is not JSON"),
            });
            Assert.Equal(MlfErrorIds.MetadataInvalid, Assert.Throws<MlfException>(() => MlfReader.ReadModules(reversed)).ErrorId);
        }

        [UnixFact]
        public void A_folder_holding_a_name_Windows_cannot_hold_is_refused()
        {
            string folder = ModuleFolder();
            foreach (string name in new[] { "notes.", "a:b", "CON", "back\\slash" })
            {
                string file = Path.Combine(folder, "samples", name);
                File.WriteAllText(file, "x");
                var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(folder));
                AssertUnsafe(error, folder, name == "CON" ? "device name" : name == "notes." ? "ends in a dot" : name == "a:b" ? "':'" : "'\\'");
                Assert.Contains("samples/" + name, error.Message);
                File.Delete(file);
            }
            Assert.Single(MlfReader.ReadModules(folder));
        }

        [CaseSensitiveFact]
        public void A_folder_holding_two_names_that_differ_only_in_case_is_refused_on_read_and_on_join()
        {
            string folder = ModuleFolder();
            File.WriteAllText(Path.Combine(folder, "samples", "Input.h"), "1");
            File.WriteAllText(Path.Combine(folder, "samples", "input.h"), "2");

            AssertUnsafe(Assert.Throws<MlfException>(() => MlfReader.ReadModules(folder)), folder, "differ only in case");
            AssertUnsafe(Assert.Throws<MlfException>(() => JoinByPath(_temp.File("joined.tar"), folder)), folder, "differ only in case");
            Assert.False(File.Exists(_temp.File("joined.tar")));
        }

        [ToolFact("python3")]
        public void A_join_whose_inputs_hold_paths_that_differ_only_in_case_is_PathConflict()
        {
            string one = PythonTar.Write(_temp.File("one.tar"), new[]
            {
                new PythonTar.Member("./metadata.json", TestArchive.Metadata(7, "one")),
                new PythonTar.Member("./samples/Input.h", "1"),
            });
            string two = PythonTar.Write(_temp.File("two.tar"), new[]
            {
                new PythonTar.Member("./metadata.json", TestArchive.Metadata(7, "two")),
                new PythonTar.Member("./samples/input.h", "1"),
            });

            var error = Assert.Throws<MlfException>(() => JoinByPath(_temp.File("joined.tar"), one, two));

            Assert.Equal(MlfErrorIds.PathConflict, error.ErrorId);
            Assert.Contains("differ only in case", error.Message);
            Assert.False(File.Exists(_temp.File("joined.tar")));
            JoinByPath(_temp.File("joined.tar"), new MlfJoinOptions { ExcludePaths = new[] { "samples/*" } }, one, two);
            Assert.Equal(new[] { "one", "two" }, MlfReader.ReadModules(_temp.File("joined.tar")).Select(m => m.Name));
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Every_sample_passes_the_rules(string sample)
        {
            Assert.NotEmpty(MlfReader.ReadModules(TestPaths.Sample(sample)));
        }

        /// <summary>What Join-MlfArchive does with -Path: read every input, plan, write.</summary>
        private static void JoinByPath(string destination, params string[] inputs) => JoinByPath(destination, null, inputs);

        private static void JoinByPath(string destination, MlfJoinOptions? options, params string[] inputs)
        {
            var modules = inputs.SelectMany(path => MlfReader.ReadModules(path)).ToList();
            JoinWriter.Write(JoinPlanner.Plan(modules, options ?? new MlfJoinOptions()), destination, overwrite: false);
        }

        private string ModuleFolder()
        {
            string folder = _temp.File("model");
            Directory.CreateDirectory(Path.Combine(folder, "samples"));
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(5));
            return folder;
        }

        private static void AssertUnsafe(MlfException error, string archive, string reason)
        {
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, error.ErrorId);
            Assert.Equal(archive, error.Target);
            Assert.Contains(reason, error.Message);
        }
    }
}
