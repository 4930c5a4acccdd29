using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Join;
using MlfTools.Tests.Support;
using MlfTools.Validation;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// Every member of a joined archive has one source, or the same bytes from several: two modules' code never meets
    /// at one path, whatever the code files are called, and both models' code is still there and links.
    /// </summary>
    public class CodeFileOwnershipTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private string Archive(string file, string executorTarget, params (string Path, byte[] Data)[] members)
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "graph").Replace("\"c -keys=cpu\"", $"\"{executorTarget} -keys=cpu\""));
            foreach (var (path, data) in members) archive.File(path, data);
            return archive.WriteTar(_temp.File(file));
        }

        private byte[] Compile(string source)
        {
            string c = _temp.File($"code{Guid.NewGuid():N}.c");
            File.WriteAllText(c, source);
            ExternalTool.Run("gcc", _temp.Path, "-c", "-o", c + ".o", c);
            return File.ReadAllBytes(c + ".o");
        }

        private byte[] Library(string source)
        {
            string folder = _temp.File($"lib{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "kernel.c"), source);
            ExternalTool.Run("gcc", folder, "-c", "-o", "kernel.o", "kernel.c");
            ExternalTool.Run("ar", folder, "rcs", "lib.a", "kernel.o");
            return File.ReadAllBytes(Path.Combine(folder, "lib.a"));
        }

        private static string Model(int answer) => $"int tvmgen_default_answer(void) {{ return {answer}; }}\n";

        /// <summary>Extracts the joined archive, links every code file of it into one program calling each model, and runs it.</summary>
        private string LinkAndRun(string joined, params string[] models)
        {
            string folder = _temp.File($"run{Guid.NewGuid():N}");
            Directory.CreateDirectory(folder);
            ExternalTool.Run("tar", folder, "-xf", joined);
            var code = new[] { "lib", "src" }.Select(sub => Path.Combine(folder, "codegen", "host", sub)).Where(Directory.Exists)
                .SelectMany(Directory.GetFiles).OrderBy(p => p, StringComparer.Ordinal).ToList();
            var main = new StringBuilder("#include <stdio.h>\n");
            foreach (string model in models) main.Append($"int tvmgen_{model}_answer(void);\n");
            main.Append("int main(void) {\n");
            foreach (string model in models) main.Append($"  printf(\"{model}=%d\\n\", tvmgen_{model}_answer());\n");
            main.Append("  return 0;\n}\n");
            File.WriteAllText(Path.Combine(folder, "main.c"), main.ToString());
            ExternalTool.Run("gcc", folder, new[] { "-o", "program", "main.c" }.Concat(code).ToArray());
            return ExternalTool.Run(Path.Combine(folder, "program"), folder).Replace("\r", string.Empty);
        }

        private static MlfModule Read(string path, string name) => MlfReader.ReadModules(path).Single().WithName(name);

        [ToolTheory("gcc", "ar", "tar")]
        [InlineData("codegen/host/lib/default_lib.a")]
        [InlineData("codegen/host/lib/model.a")]
        public void Two_modules_whose_library_is_not_named_as_TVM_names_it_keep_their_code_and_both_run(string library)
        {
            var a = Read(Archive("a.tar", "llvm", (library, Library(Model(1)))), "a");
            var b = Read(Archive("b.tar", "llvm", (library, Library(Model(2)))), "b");
            var plan = JoinPlanner.Plan(new[] { a, b }, new MlfJoinOptions());
            Assert.Contains("codegen/host/lib/a_lib0.a", plan.MemberOrder);
            Assert.Contains("codegen/host/lib/b_lib0.a", plan.MemberOrder);
            Assert.DoesNotContain(library, plan.MemberOrder);
            Assert.Contains(plan.Warnings, w => w.Contains($"'{library}' of module 'b'") && w.Contains("'codegen/host/lib/b_lib0.a'"));

            string joined = JoinedArchive.Write(_temp.File("joined.tar"), null, a, b);
            var modules = MlfReader.ReadModules(joined).ToDictionary(m => m.Name);
            Assert.Equal(new[] { "codegen/host/lib/a_lib0.a" }, modules["a"].Files.Where(f => f.Kind == MlfFileKind.Object).Select(f => f.Path));
            Assert.Equal(new[] { "codegen/host/lib/b_lib0.a" }, modules["b"].Files.Where(f => f.Kind == MlfFileKind.Object).Select(f => f.Path));
            Assert.Equal("a=1\nb=2\n", LinkAndRun(joined, "a", "b"));
            Assert.All(modules.Values, m => Assert.True(ModuleMemoryReports.ForModule(m).Single().CodeBytes > 0, $"module '{m.Name}' has its code"));
            Assert.DoesNotContain(MlfArchiveValidator.Validate(joined), f => f.Id == ArchiveFindingIds.UndefinedFunction || f.Id == ArchiveFindingIds.SymbolCollision);
        }

        [ToolFact("gcc", "tar")]
        public void Two_modules_whose_object_is_model_o_keep_their_code_numbered_after_their_own_objects()
        {
            var a = Read(Archive("a.tar", "llvm", ("codegen/host/lib/default_lib0.o", Compile("int tvmgen_default_helper(void) { return 40; }\n")),
                ("codegen/host/lib/model.o", Compile("int tvmgen_default_helper(void);\n" + "int tvmgen_default_answer(void) { return tvmgen_default_helper() + 1; }\n"))), "a");
            var b = Read(Archive("b.tar", "llvm", ("codegen/host/lib/model.o", Compile(Model(2)))), "b");
            string joined = JoinedArchive.Write(_temp.File("joined.tar"), null, a, b);
            var paths = MlfReader.ReadModules(joined).ToDictionary(m => m.Name, m => m.Files.Where(f => f.Kind == MlfFileKind.Object).Select(f => f.Path).ToList());
            Assert.Equal(new[] { "codegen/host/lib/a_lib0.o", "codegen/host/lib/a_lib1.o" }, paths["a"]);
            Assert.Equal(new[] { "codegen/host/lib/b_lib0.o" }, paths["b"]);
            Assert.Equal("a=41\nb=2\n", LinkAndRun(joined, "a", "b"));
            var findings = MlfArchiveValidator.Validate(joined);
            Assert.DoesNotContain(findings, f => f.Id == ArchiveFindingIds.UndefinedFunction || f.Id == ArchiveFindingIds.SymbolCollision || f.Id == ArchiveFindingIds.InvalidArchive);
        }

        [ToolFact("gcc", "tar")]
        public void Two_modules_whose_C_source_is_not_named_as_TVM_names_it_keep_their_code()
        {
            var a = Read(Archive("a.tar", "c", ("codegen/host/src/model.c", Encoding.ASCII.GetBytes(Model(1)))), "a");
            var b = Read(Archive("b.tar", "c", ("codegen/host/src/model.c", Encoding.ASCII.GetBytes(Model(2)))), "b");
            string joined = JoinedArchive.Write(_temp.File("joined.tar"), null, a, b);
            var sources = MlfReader.ReadModules(joined).ToDictionary(m => m.Name, m => m.Files.Where(f => f.Kind == MlfFileKind.Source).Select(f => f.Path).Single());
            Assert.Equal("codegen/host/src/a_lib0.c", sources["a"]);
            Assert.Equal("codegen/host/src/b_lib0.c", sources["b"]);
            Assert.Equal("a=1\nb=2\n", LinkAndRun(JoinedArchive.Write(_temp.File("joined2.tar"), null, a, b), "a", "b"));
        }

        [Fact]
        public void A_shared_file_that_two_renames_would_write_differently_is_refused_naming_both_inputs_before_anything_is_written()
        {
            // One archive of two modules that share a C source naming x's symbols; x and y renamed: x's copy changes, y's does not.
            string metadata = "{\n  \"modules\": {\n" +
                string.Join(",\n", new[] { "x", "y" }.Select(n => $"    \"{n}\": {{\n      \"executors\": [\"graph\"],\n      \"export_datetime\": \"2024-01-01 00:00:00Z\",\n      \"memory\": {{}},\n      \"model_name\": \"{n}\",\n      \"style\": \"full-model\",\n      \"target\": [\"c -keys=cpu\"]\n    }}")) +
                "\n  },\n  \"version\": 7\n}";
            string both = new TestArchive().File("metadata.json", metadata)
                .File("codegen/host/src/x_lib0.c", "int tvmgen_x_run(void) { return 1; }\n")
                .File("codegen/host/src/y_lib0.c", "int tvmgen_y_run(void) { return 2; }\n")
                .File("codegen/host/src/common.c", "int tvmgen_x_common(void) { return 3; }\n")
                .WriteTar(_temp.File("both.tar"));
            var modules = MlfReader.ReadModules(both).ToDictionary(m => m.Name);
            Assert.Contains(modules["x"].Files, f => f.Path == "codegen/host/src/common.c");
            Assert.Contains(modules["y"].Files, f => f.Path == "codegen/host/src/common.c");

            string destination = _temp.File("joined.tar");
            var error = Assert.Throws<MlfException>(() => JoinedArchive.Write(destination, null, modules["x"].WithName("p"), modules["y"].WithName("q")));
            Assert.Equal(MlfErrorIds.PathConflict, error.ErrorId);
            Assert.Contains("'codegen/host/src/common.c'", error.Message);
            Assert.Contains("module 'p'", error.Message);
            Assert.Contains("module 'q'", error.Message);
            Assert.False(File.Exists(destination));
            Assert.Empty(Directory.GetFiles(_temp.Path, "joined*"));

            // Kept under their names, both copies are the same bytes: one file, shared.
            string kept = JoinedArchive.Write(_temp.File("kept.tar"), null, modules["x"], modules["y"]);
            Assert.Single(JoinedArchive.Headers(kept), h => h.Name == "./codegen/host/src/common.c");
        }

        [Fact]
        public void A_shared_file_renamed_alike_leaves_the_checks_of_the_other_shared_paths_as_they_were()
        {
            // x and y share a header that names neither (renamed alike) and a note that z carries with other bytes.
            string metadata = "{\n  \"modules\": {\n" +
                string.Join(",\n", new[] { "x", "y" }.Select(n => $"    \"{n}\": {{\n      \"executors\": [\"graph\"],\n      \"export_datetime\": \"2024-01-01 00:00:00Z\",\n      \"memory\": {{}},\n      \"model_name\": \"{n}\",\n      \"style\": \"full-model\",\n      \"target\": [\"c -keys=cpu\"]\n    }}")) +
                "\n  },\n  \"version\": 7\n}";
            string both = new TestArchive().File("metadata.json", metadata)
                .File("codegen/host/src/x_lib0.c", "int tvmgen_x_run(void) { return 1; }\n")
                .File("codegen/host/src/y_lib0.c", "int tvmgen_y_run(void) { return 2; }\n")
                .File("codegen/host/include/common.h", "#define COMMON 1\n")
                .File("notes/readme.txt", "one")
                .WriteTar(_temp.File("both.tar"));
            var modules = MlfReader.ReadModules(both).ToDictionary(m => m.Name);
            var z = Read(Archive("z.tar", "c", ("codegen/host/src/default_lib0.c", Encoding.ASCII.GetBytes(Model(3))), ("notes/readme.txt", Encoding.ASCII.GetBytes("two"))), "z");

            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { modules["x"].WithName("p"), modules["y"].WithName("q"), z }, new MlfJoinOptions()));

            Assert.Equal(MlfErrorIds.PathConflict, error.ErrorId);
            Assert.Contains("'notes/readme.txt'", error.Message);
        }

        [Fact]
        public void A_single_module_keeps_its_TVM_named_code_files_and_the_default_join_of_a_TVM_archive_renames_nothing()
        {
            string path = Archive("one.tar", "c", ("codegen/host/src/default_lib0.c", Encoding.ASCII.GetBytes(Model(1))), ("codegen/host/src/default_lib1.c", Encoding.ASCII.GetBytes("int tvmgen_default_x;\n")));
            var plan = JoinPlanner.Plan(new[] { MlfReader.ReadModules(path).Single() }, new MlfJoinOptions());
            Assert.Contains("codegen/host/src/default_lib0.c", plan.MemberOrder);
            Assert.Contains("codegen/host/src/default_lib1.c", plan.MemberOrder);
            Assert.Empty(plan.Warnings);
        }

        [Fact]
        public void A_module_keeping_a_mixed_case_name_keeps_the_lowercase_header_name_its_code_includes()
        {
            string metadata = TestArchive.Metadata(7, "MyNet", "aot");
            string path = new TestArchive().File("metadata.json", metadata)
                .File("codegen/host/src/MyNet_lib0.c", "#include \"tvmgen_mynet.h\"\nint tvmgen_mynet_run(void) { return 0; }\n")
                .File("codegen/host/include/tvmgen_mynet.h", "int tvmgen_mynet_run(void);\n")
                .WriteTar(_temp.File("mynet.tar"));
            var plan = JoinPlanner.Plan(new[] { MlfReader.ReadModules(path).Single() }, new MlfJoinOptions());
            Assert.Contains("codegen/host/include/tvmgen_mynet.h", plan.MemberOrder);
            Assert.Contains("codegen/host/src/MyNet_lib0.c", plan.MemberOrder);
            Assert.DoesNotContain("codegen/host/include/tvmgen_MyNet.h", plan.MemberOrder);
        }
    }
}
