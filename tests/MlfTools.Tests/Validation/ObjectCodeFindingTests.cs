using System;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Validation
{
    /// <summary>
    /// One rule for what a module's compiled code must be (a relocatable ELF object, or a static library of them), and
    /// the same verdict from Test-MlfArchive (InvalidObjectCode), the memory report and the join (both InvalidArchive).
    /// </summary>
    public sealed class ObjectCodeFindingTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private byte[] Compile(params string[] extra)
        {
            File.WriteAllText(_temp.File("k.c"), "int tvmgen_default_run(int x) { return x + 1; }\nint main(void) { return tvmgen_default_run(0) - 1; }\n");
            ExternalTool.Run("gcc", _temp.Path, extra.Concat(new[] { "-o", "k.out", "k.c" }).ToArray());
            return File.ReadAllBytes(_temp.File("k.out"));
        }

        private byte[] Content(string what)
        {
            switch (what)
            {
                case "text": return Encoding.ASCII.GetBytes("int tvmgen_default_run(void) { return 0; }\n");
                case "random bytes": return Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) >> 3)).ToArray();
                case "empty": return Array.Empty<byte>();
                case "wrong byte order":
                {
                    byte[] elf = Compile("-c");
                    elf[5] = 2; // says big endian; the object is little endian
                    return elf;
                }
                case "executable": return Compile();
                case "core dump":
                {
                    byte[] elf = Compile("-c");
                    elf[16] = 4; // ET_CORE
                    return elf;
                }
                case "library of text":
                    File.WriteAllText(_temp.File("notes.txt"), "not an object\n");
                    File.WriteAllBytes(_temp.File("k.o"), Compile("-c"));
                    ExternalTool.Run("ar", _temp.Path, "rcs", "lib.a", "k.o", "notes.txt");
                    return File.ReadAllBytes(_temp.File("lib.a"));
                default: throw new ArgumentException(what);
            }
        }

        private string Archive(string path, string member, byte[] data) =>
            new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "aot").Replace("\"c -keys=cpu\"", "\"llvm -keys=cpu\""))
                .File(member, data).WriteTar(_temp.File(path));

        [ToolTheory("gcc", "ar")]
        [InlineData("text", "default_lib0.o")]
        [InlineData("random bytes", "default_lib0.o")]
        [InlineData("empty", "default_lib0.o")]
        [InlineData("wrong byte order", "default_lib0.o")]
        [InlineData("executable", "default_lib0.o")]
        [InlineData("core dump", "default_lib0.o")]
        [InlineData("library of text", "default_lib0.a")]
        public void Code_that_is_not_a_relocatable_ELF_object_is_refused_alike_by_the_check_the_report_and_the_join(string what, string file)
        {
            string member = "codegen/host/lib/" + file;
            string tar = Archive(what.Replace(' ', '-') + ".tar", member, Content(what));

            var finding = Assert.Single(MlfArchiveValidator.Validate(tar), f => f.Id == ArchiveFindingIds.InvalidObjectCode);
            Assert.Equal("Error", finding.Severity);
            Assert.Equal(member, finding.Member);
            Assert.Contains("relocatable ELF", finding.Message);

            var module = MlfReader.ReadModules(tar).Single();
            var report = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(module));
            Assert.Equal(MlfErrorIds.InvalidArchive, report.ErrorId);
            Assert.Contains(member, report.Message);
            var join = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { module }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.InvalidArchive, join.ErrorId);
            Assert.Contains(member, join.Message);
        }

        [ToolFact("gcc", "ar")]
        public void Relocatable_objects_and_libraries_of_them_give_no_such_finding()
        {
            byte[] elf = Compile("-c");
            File.WriteAllBytes(_temp.File("k.o"), elf);
            ExternalTool.Run("ar", _temp.Path, "rcs", "lib.a", "k.o");
            foreach (var (name, data) in new[] { ("default_lib0.o", elf), ("default_lib0.a", File.ReadAllBytes(_temp.File("lib.a"))) })
            {
                string tar = Archive(name + ".tar", "codegen/host/lib/" + name, data);
                Assert.DoesNotContain(MlfArchiveValidator.Validate(tar), f => f.Id == ArchiveFindingIds.InvalidObjectCode || f.Id == ArchiveFindingIds.InvalidArchive);
                var module = MlfReader.ReadModules(tar).Single();
                Assert.True(ModuleMemoryReports.ForModule(module).Single().CodeBytes > 0);
                JoinPlanner.Plan(new[] { module }, new MlfJoinOptions());
            }
        }
    }
}
