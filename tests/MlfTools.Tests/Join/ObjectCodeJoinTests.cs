using System;
using System.IO;
using System.Linq;
using MlfTools.Join;
using MlfTools.Tests.Support;
using MlfTools.Validation;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>Modules that ship compiled code: renamed with it, refused only where it cannot be renamed, and checked like C.</summary>
    public class ObjectCodeJoinTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private static MlfException Refused(params MlfModule[] modules) =>
            Assert.Throws<MlfException>(() => JoinPlanner.Plan(modules, new MlfJoinOptions()));

        private string Archive(string file, string name, params (string Path, byte[] Data)[] members)
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, name, "graph").Replace("\"c -keys=cpu\"", "\"llvm -keys=cpu\""));
            foreach (var (path, data) in members) archive.File(path, data);
            return archive.WriteTar(_temp.File(file));
        }

        private byte[] Compile(string source, string compiler = "gcc")
        {
            string c = _temp.File($"code{Guid.NewGuid():N}.c");
            File.WriteAllText(c, source);
            ExternalTool.Run(compiler, _temp.Path, "-c", "-o", c + ".o", c);
            return File.ReadAllBytes(c + ".o");
        }

        private byte[] Library(params string[] sources)
        {
            string folder = _temp.File($"lib{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            var names = new System.Collections.Generic.List<string>();
            for (int i = 0; i < sources.Length; i++)
            {
                File.WriteAllText(Path.Combine(folder, $"member{i}.c"), sources[i]);
                ExternalTool.Run("gcc", folder, "-c", "-o", $"member{i}.o", $"member{i}.c");
                names.Add($"member{i}.o");
            }
            ExternalTool.Run("ar", folder, new[] { "rcs", "lib.a" }.Concat(names).ToArray());
            return File.ReadAllBytes(Path.Combine(folder, "lib.a"));
        }

        [SampleFact]
        public void The_llvm_sample_given_a_new_name_is_planned_with_its_object_renamed()
        {
            var plan = JoinPlanner.Plan(new[] { JoinedArchive.Sample("v5-graph-llvm-conv1d.tar", "conv") }, new MlfJoinOptions());
            Assert.Contains("codegen/host/lib/conv_lib0.o", plan.MemberOrder);
            Assert.DoesNotContain("codegen/host/lib/default_lib0.o", plan.MemberOrder);
            Assert.Empty(plan.Warnings);
        }

        [Fact]
        public void An_object_outside_codegen_host_lib_of_a_renamed_module_is_CannotRenameObjectCode_naming_it()
        {
            string path = Archive("stray.tar", "default",
                ("codegen/host/src/default_lib0.c", System.Text.Encoding.ASCII.GetBytes("int tvmgen_default_run(void) { return 0; }\n")),
                ("codegen/host/src/default_lib0.o", new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }));
            var module = MlfReader.ReadModules(path).Single().WithName("kws");
            var error = Refused(module);
            Assert.Equal(MlfErrorIds.CannotRenameObjectCode, error.ErrorId);
            Assert.Contains("'codegen/host/src/default_lib0.o'", error.Message);
            Assert.Contains("-ExcludePath", error.Message);
            Assert.Equal(path, error.Target);

            // Left out with -ExcludePath, the module joins; kept under its own name, it is copied.
            var plan = JoinPlanner.Plan(new[] { module }, new MlfJoinOptions { ExcludePaths = new[] { "codegen/host/src/*.o" } });
            Assert.DoesNotContain(plan.MemberOrder, p => p.EndsWith(".o", StringComparison.Ordinal));
            Assert.Contains("codegen/host/src/default_lib0.o", JoinPlanner.Plan(new[] { MlfReader.ReadModules(path).Single() }, new MlfJoinOptions()).MemberOrder);
        }

        [ToolFact("gcc")]
        public void An_extra_object_of_one_input_is_read_back_as_that_modules_alone()
        {
            string one = Archive("one.tar", "one",
                ("codegen/host/src/one_lib0.c", System.Text.Encoding.ASCII.GetBytes("int tvmgen_one_run(void) { return 0; }\n")),
                ("codegen/host/src/one_lib0.o", Compile("int tvmgen_one_run(void) { return 0; }\n")));
            string two = Archive("two.tar", "two", ("codegen/host/src/two_lib0.c", System.Text.Encoding.ASCII.GetBytes("int tvmgen_two_run(void) { return 0; }\n")));
            string joined = JoinedArchive.Write(_temp.File("joined.tar"), null, MlfReader.ReadModules(one).Single(), MlfReader.ReadModules(two).Single());
            var modules = MlfReader.ReadModules(joined).ToDictionary(m => m.Name);
            Assert.Contains(modules["one"].Files, f => f.Path == "codegen/host/src/one_lib0.o");
            Assert.DoesNotContain(modules["two"].Files, f => f.Path == "codegen/host/src/one_lib0.o");
        }

        [Fact]
        public void A_Mach_O_object_of_a_renamed_module_is_CannotRenameObjectCode_saying_it_is_not_ELF()
        {
            var machO = new byte[256];
            BitConverter.GetBytes(0xFEEDFACFu).CopyTo(machO, 0);
            var module = MlfReader.ReadModules(Archive("macho.tar", "default", ("codegen/host/lib/default_lib0.o", machO))).Single().WithName("kws");
            var error = Refused(module);
            Assert.Equal(MlfErrorIds.CannotRenameObjectCode, error.ErrorId);
            Assert.Contains("Mach-O", error.Message);
            Assert.Contains("codegen/host/lib/default_lib0.o", error.Message);
        }

        [ToolFact("gcc")]
        public void An_object_whose_symbols_TVM_did_not_name_is_CannotRenameObjectCode()
        {
            var module = MlfReader.ReadModules(Archive("foreign.tar", "default", ("codegen/host/lib/default_lib0.o", Compile("int helper(int x) { return x; }\n")))).Single().WithName("kws");
            var error = Refused(module);
            Assert.Equal(MlfErrorIds.CannotRenameObjectCode, error.ErrorId);
            Assert.Contains("tvmgen_default_", error.Message);
        }

        [ToolFact("gcc")]
        public void A_corrupt_object_of_a_renamed_module_is_CannotRenameObjectCode_saying_it_is_corrupt()
        {
            byte[] data = Compile("int tvmgen_default_run(void) { return 0; }\n");
            var module = MlfReader.ReadModules(Archive("corrupt.tar", "default", ("codegen/host/lib/default_lib0.o", data.AsSpan(0, data.Length / 2).ToArray()))).Single().WithName("kws");
            var error = Refused(module);
            Assert.Equal(MlfErrorIds.CannotRenameObjectCode, error.ErrorId);
            Assert.Contains("corrupt", error.Message);
        }

        [ToolFact("gcc", "ar")]
        public void Static_library_members_count_in_the_symbol_collision_check()
        {
            // Two libraries whose second members both define an unprefixed global: renaming cannot part them.
            byte[] a = Library("int tvmgen_default_run(void) { return 0; }\n", "int shared_helper(void) { return 1; }\n");
            var one = MlfReader.ReadModules(Archive("a.tar", "default", ("codegen/host/lib/default_lib0.a", a))).Single().WithName("one");
            var two = MlfReader.ReadModules(Archive("b.tar", "default", ("codegen/host/lib/default_lib0.a", a))).Single().WithName("two");
            var error = Refused(one, two);
            Assert.Equal(MlfErrorIds.SymbolCollision, error.ErrorId);
            Assert.Contains("shared_helper", error.Message);

            var findings = MlfArchiveValidator.Validate(JoinedArchive.Write(_temp.File("ok.tar"), null,
                MlfReader.ReadModules(Archive("c.tar", "default", ("codegen/host/lib/default_lib0.a", Library("int tvmgen_default_run(void) { return 0; }\n", "int tvmgen_default_more(void) { return 1; }\n")))).Single().WithName("one"),
                MlfReader.ReadModules(Archive("d.tar", "default", ("codegen/host/lib/default_lib0.a", Library("int tvmgen_default_run(void) { return 0; }\n")))).Single().WithName("two")));
            Assert.DoesNotContain(findings, f => f.Id == ArchiveFindingIds.SymbolCollision || f.Id == ArchiveFindingIds.InvalidArchive || f.Id == ArchiveFindingIds.UnprefixedSymbols);
        }

        [ToolFact("gcc", "ar")]
        public void A_static_library_without_an_index_is_a_LibraryIndexMissing_finding()
        {
            File.WriteAllText(_temp.File("m.c"), "int tvmgen_default_run(void) { return 0; }\n");
            ExternalTool.Run("gcc", _temp.Path, "-c", "-o", "m.o", "m.c");
            ExternalTool.Run("ar", _temp.Path, "rcS", "noindex.a", "m.o");
            string path = Archive("noindex.tar", "default", ("codegen/host/lib/default_lib0.a", File.ReadAllBytes(_temp.File("noindex.a"))));
            var finding = Assert.Single(MlfArchiveValidator.Validate(path), f => f.Id == ArchiveFindingIds.LibraryIndexMissing);
            Assert.Equal(FindingSeverity.Error, finding.Level);
            Assert.Equal("codegen/host/lib/default_lib0.a", finding.Member);
            Assert.Contains("ranlib", finding.Message);
        }
    }
}
