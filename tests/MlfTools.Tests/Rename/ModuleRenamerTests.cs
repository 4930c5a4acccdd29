using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlfTools.Format;
using MlfTools.Rename;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests
{
    /// <summary>
    /// ModuleRenamer against the real archives (checked by an independent regex reading of C, and by gcc and nm)
    /// and against hand-written corner cases.
    /// </summary>
    public class ModuleRenamerTests
    {
        private readonly ITestOutputHelper _output;

        public ModuleRenamerTests(ITestOutputHelper output)
        {
            _output = output;
        }


        private static string C(string text) => Encoding.Latin1.GetString(new ModuleRenamer("default", "kws").RenameCSource(Encoding.Latin1.GetBytes(text)));

        private static bool IsCText(string path) =>
            path.EndsWith(".c", StringComparison.Ordinal) || path.EndsWith(".h", StringComparison.Ordinal) ||
            path.EndsWith(".cc", StringComparison.Ordinal) || path.EndsWith(".cpp", StringComparison.Ordinal) ||
            path.EndsWith(".template", StringComparison.Ordinal);

        private static bool IsRenamedText(string path) =>
            path.EndsWith(".relay", StringComparison.Ordinal) || path == "src/relay.txt" || path == "relay.txt" ||
            path.EndsWith(".graph", StringComparison.Ordinal) || path.EndsWith("/graph/graph.json", StringComparison.Ordinal);

        // ---------------------------------------------------------------- unprefixed kernels (TVM 0.8 and older)

        private static readonly string[] OldKernels = { "fused_add", "fused_add_1" };

        [Fact]
        public void Unprefixed_kernels_take_the_new_prefix_in_code_and_registry_strings_and_nothing_else_changes()
        {
            const string source =
                "// fused_add in a comment stays\n" +
                "void* __tvm_module_ctx = NULL;\n" +
                "TVM_DLL int32_t fused_add(void* args, void* arg_type_ids, int32_t num_args, void* out_ret_value, void* out_ret_tcode, void* resource_handle) {\n" +
                "  void* w = TVMBackendAllocWorkspace(1, 0, (uint64_t)4, 0, 8);\n" +
                "  int32_t fused_add_2 = 0; int32_t my_fused_add = memcpy_s(fused_add_1);\n" +
                "  return fused_add_1(args, arg_type_ids, num_args, out_ret_value, out_ret_tcode, resource_handle) + TVMBackendFreeWorkspace(1, 0, w);\n" +
                "}\n" +
                "static TVMBackendPackedCFunc _tvm_func_array[] = { (TVMBackendPackedCFunc)fused_add, (TVMBackendPackedCFunc)fused_add_1, };\n" +
                "static const TVMFuncRegistry _tvm_func_registry = {\n    \"\\002\\000fused_add\\000fused_add_1\\000\",\n    _tvm_func_array,\n};\n" +
                "const char* message = \"Assert fail: fused_add.p0 is null\";\n";
            const string expected =
                "// fused_add in a comment stays\n" +
                "void* tvmgen_kws___tvm_module_ctx = NULL;\n" +
                "TVM_DLL int32_t tvmgen_kws_fused_add(void* args, void* arg_type_ids, int32_t num_args, void* out_ret_value, void* out_ret_tcode, void* resource_handle) {\n" +
                "  void* w = TVMBackendAllocWorkspace(1, 0, (uint64_t)4, 0, 8);\n" +
                "  int32_t fused_add_2 = 0; int32_t my_fused_add = memcpy_s(tvmgen_kws_fused_add_1);\n" +
                "  return tvmgen_kws_fused_add_1(args, arg_type_ids, num_args, out_ret_value, out_ret_tcode, resource_handle) + TVMBackendFreeWorkspace(1, 0, w);\n" +
                "}\n" +
                "static TVMBackendPackedCFunc _tvm_func_array[] = { (TVMBackendPackedCFunc)tvmgen_kws_fused_add, (TVMBackendPackedCFunc)tvmgen_kws_fused_add_1, };\n" +
                "static const TVMFuncRegistry _tvm_func_registry = {\n    \"\\002\\000tvmgen_kws_fused_add\\000tvmgen_kws_fused_add_1\\000\",\n    _tvm_func_array,\n};\n" +
                "const char* message = \"Assert fail: tvmgen_kws_fused_add.p0 is null\";\n";
            var renamer = new ModuleRenamer("default", "kws", false, false, OldKernels);
            Assert.Equal(expected, Encoding.Latin1.GetString(renamer.RenameCSource(Encoding.Latin1.GetBytes(source))));
            Assert.Equal("tvmgen_kws_fused_add", renamer.RenameSymbol("fused_add"));
            Assert.Equal("tvmgen_kws___tvm_module_ctx", renamer.RenameSymbol("__tvm_module_ctx"));
            Assert.Equal("fused_add_2", renamer.RenameSymbol("fused_add_2"));
            Assert.Equal("TVMBackendAllocWorkspace", renamer.RenameSymbol("TVMBackendAllocWorkspace"));
            Assert.Equal("tvmgen_kws_fused_add_1", renamer.RenameString("fused_add_1"));

            // The registry the join wrote is one the C runtime reads: its count still matches its names.
            string literal = "\u0002\0tvmgen_kws_fused_add\0tvmgen_kws_fused_add_1\0";
            Assert.Equal(2, FuncRegistryNames.NamesOffset(literal));
            Assert.Equal(new[] { "tvmgen_kws_fused_add", "tvmgen_kws_fused_add_1" }, FuncRegistryNames.Names(literal, 2));
        }

        [Fact]
        public void Unprefixed_kernels_are_renamed_in_a_graph_as_whole_string_values_and_never_in_Relay_text()
        {
            const string graph = "{\"nodes\": [{\"op\": \"null\", \"name\": \"x\"}, {\"op\": \"tvm_op\", \"name\": \"fused_add\", \"attrs\": {\"func_name\": \"fused_add\", \"note\": \"fused_add_1 x\"}}," +
                " {\"op\": \"tvm_op\", \"name\": \"fused_add_1\", \"attrs\": {\"func_name\": \"fused_add_1\", \"fused_add\": \"1\"}}]}";
            const string expected = "{\"nodes\": [{\"op\": \"null\", \"name\": \"x\"}, {\"op\": \"tvm_op\", \"name\": \"tvmgen_kws_fused_add\", \"attrs\": {\"func_name\": \"tvmgen_kws_fused_add\", \"note\": \"fused_add_1 x\"}}," +
                " {\"op\": \"tvm_op\", \"name\": \"tvmgen_kws_fused_add_1\", \"attrs\": {\"func_name\": \"tvmgen_kws_fused_add_1\", \"fused_add\": \"1\"}}]}";
            var renamer = new ModuleRenamer("default", "kws", false, false, OldKernels);
            Assert.Equal(expected, Encoding.Latin1.GetString(renamer.RenameGraph(Encoding.Latin1.GetBytes(graph))));
            const string relay = "def @main(%fused_add: Tensor[(1), int8]) { %fused_add }";
            Assert.Equal(relay, Encoding.Latin1.GetString(renamer.RenameText(Encoding.Latin1.GetBytes(relay))));
        }

        [Fact]
        public void Unprefixed_kernels_keep_their_names_when_the_module_keeps_its_own()
        {
            var renamer = new ModuleRenamer("default", "default", false, true, OldKernels);
            Assert.Empty(renamer.Kernels);
            const string source = "void* __tvm_module_ctx = NULL;\nint32_t fused_add(void) { return fused_add_1(); }\n";
            Assert.Equal(source, Encoding.Latin1.GetString(renamer.RenameCSource(Encoding.Latin1.GetBytes(source))));
        }

        // ---------------------------------------------------------------- the real archives

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Every_C_file_renames_exactly_the_identity_and_renaming_back_restores_it(string sample)
        {
            var archive = IndependentArchive.Read(TestPaths.Sample(sample));
            var forward = new ModuleRenamer("default", "kws");
            var back = new ModuleRenamer("kws", "default");
            var files = archive.Files.Where(f => IsCText(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
            if (sample != "v5-graph-llvm-conv1d.tar") Assert.NotEmpty(files);
            int total = 0;
            int commentsRenamed = 0;

            foreach (var (path, tvmOriginal) in files)
            {
                // A rename also gives the C function _lookup_linked_param (yesno) the module prefix; with the prefix
                // already in place, the rest of the rename is the identity rule alone, and renaming back keeps it.
                byte[] original = LinkedParamLookupPrefixed(tvmOriginal);
                Assert.Equal(forward.RenameCSource(tvmOriginal), forward.RenameCSource(original));
                byte[] renamed = forward.RenameCSource(original, out int count);
                var before = IndependentC.Read(original, "default");
                var after = IndependentC.Read(renamed, "kws");

                Assert.True(IndependentC.Read(renamed, "default").Occurrences == 0, $"{path}: tvmgen_default / TVMGEN_DEFAULT_ left outside comments");
                Assert.True(IndependentC.Read(original, "kws").Occurrences == 0, $"{path} already spoke of kws");
                Assert.True(before.Occurrences == count, $"{path}: renamed {count}, independent count {before.Occurrences}");
                Assert.Equal(before.Occurrences, after.Occurrences);

                // Nothing but the identity changed: comments and character literals byte for byte, code and the decoded
                // strings once the identity is blanked out, and every literal without the identity in its original spelling.
                // Comments too, but for the two forms TVM writes with the module's name (interface_c.cc).
                Assert.Equal(before.Comments.Select(TvmCommentRenamed), after.Comments);
                commentsRenamed += before.Comments.Count(c => TvmCommentRenamed(c) != c);
                Assert.Equal(before.CharLiterals, after.CharLiterals);
                Assert.Equal(before.NormalisedCode, after.NormalisedCode);
                Assert.Equal(before.NormalisedStrings, after.NormalisedStrings);
                Assert.Equal(before.LiteralsWithoutIdentity, after.LiteralsWithoutIdentity);
                Assert.Equal(DefaultLabelLines(original), DefaultLabelLines(renamed));

                Assert.True(original.AsSpan().SequenceEqual(back.RenameCSource(renamed)), $"{path}: kws -> default did not restore the original bytes");
                if (count > 0) _output.WriteLine($"{sample} {path}: {count} renamed ({before.CodeOccurrences} in code, {before.Occurrences - before.CodeOccurrences} in strings), {before.Comments.Count} comments kept");
                total += count;
            }
            _output.WriteLine($"{sample}: {files.Count} C files, {total} identifiers renamed, {commentsRenamed} comments naming the module");
            // Every C interface header TVM writes names the module in comments: at least three \brief ones and its #endif.
            int headers = files.Count(f => f.Key.StartsWith("codegen/host/include/tvmgen_", StringComparison.Ordinal));
            Assert.True(commentsRenamed >= 4 * headers, $"{commentsRenamed} comments renamed in {headers} headers");
        }

        /// <summary>What TVM would have written for module kws instead of default, comment by comment (independent of the renamer).</summary>
        private static string TvmCommentRenamed(string comment) =>
            comment == "// TVMGEN_DEFAULT_H_" ? "// TVMGEN_KWS_H_" : comment.Replace("for TVM module \"default\"", "for TVM module \"kws\"", StringComparison.Ordinal);

        /// <summary>Every _lookup_linked_param in code (a whole name, outside the registry string, where "\000" glues it to a digit) with the prefix tvmgen_default_.</summary>
        private static byte[] LinkedParamLookupPrefixed(byte[] source) =>
            Encoding.Latin1.GetBytes(Regex.Replace(Encoding.Latin1.GetString(source), "(?<![A-Za-z0-9_\"])_lookup_linked_param(?![A-Za-z0-9_])", "tvmgen_default__lookup_linked_param"));

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Relay_text_and_graph_config_rename_exactly_the_identity_and_round_trip(string sample)
        {
            var archive = IndependentArchive.Read(TestPaths.Sample(sample));
            var forward = new ModuleRenamer("default", "kws");
            var back = new ModuleRenamer("kws", "default");
            var files = archive.Files.Where(f => IsRenamedText(f.Key)).ToList();
            Assert.NotEmpty(files);

            foreach (var (path, original) in files)
            {
                byte[] renamed = forward.RenameText(original, out int count);
                string before = Encoding.Latin1.GetString(original);
                string after = Encoding.Latin1.GetString(renamed);

                Assert.Equal(IndependentC.Identity("default").Matches(before).Count, count);
                Assert.Empty(IndependentC.Identity("default").Matches(after));
                Assert.Equal(IndependentC.Normalise(before, "default"), IndependentC.Normalise(after, "kws"));
                Assert.True(original.AsSpan().SequenceEqual(back.RenameText(renamed)), $"{path}: round trip");

                if (!path.EndsWith(".graph", StringComparison.Ordinal) && !path.EndsWith(".json", StringComparison.Ordinal))
                {
                    _output.WriteLine($"{sample} {path}: {count} renamed");
                    continue;
                }
                // Still JSON, and every kernel's name and func_name now carry the new prefix.
                var nodesBefore = JsonDocument.Parse(original).RootElement.GetProperty("nodes").EnumerateArray().ToList();
                var nodesAfter = JsonDocument.Parse(renamed).RootElement.GetProperty("nodes").EnumerateArray().ToList();
                Assert.Equal(nodesBefore.Count, nodesAfter.Count);
                int kernels = 0, nops = 0;
                for (int i = 0; i < nodesBefore.Count; i++)
                {
                    string nameBefore = nodesBefore[i].GetProperty("name").GetString()!;
                    string nameAfter = nodesAfter[i].GetProperty("name").GetString()!;
                    string? funcBefore = nodesBefore[i].TryGetProperty("attrs", out var a) && a.TryGetProperty("func_name", out var f) ? f.GetString() : null;
                    string? funcAfter = nodesAfter[i].TryGetProperty("attrs", out a) && a.TryGetProperty("func_name", out f) ? f.GetString() : null;
                    if (funcBefore == null || !funcBefore.StartsWith("tvmgen_default_", StringComparison.Ordinal))
                    {
                        // Inputs, parameters and kernels without a function ("__nop" reshapes) keep their names.
                        Assert.Equal(nameBefore, nameAfter);
                        Assert.Equal(funcBefore, funcAfter);
                        if (funcBefore != null) nops++;
                        continue;
                    }
                    kernels++;
                    Assert.Equal("tvmgen_kws_" + funcBefore.Substring("tvmgen_default_".Length), funcAfter);
                    Assert.StartsWith("tvmgen_default_", nameBefore);
                    Assert.Equal("tvmgen_kws_" + nameBefore.Substring("tvmgen_default_".Length), nameAfter);
                }
                Assert.True(kernels > 0);
                Assert.Equal(2 * kernels, count);
                _output.WriteLine($"{sample} {path}: {count} renamed ({kernels} kernels: name and func_name; {nops} other tvm_op nodes unchanged)");
            }
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Operator_function_names_in_metadata_get_the_new_prefix(string sample)
        {
            var entry = IndependentArchive.Read(TestPaths.Sample(sample)).ModuleEntry();
            var renamer = new ModuleRenamer("default", "kws");
            var functions = entry.GetProperty("memory").GetProperty("functions");
            if (!functions.TryGetProperty("operator_functions", out var operators)) return;
            foreach (var function in operators.EnumerateArray())
            {
                string name = function.GetProperty("function_name").GetString()!;
                Assert.StartsWith("tvmgen_default_", name);
                Assert.Equal("tvmgen_kws_" + name.Substring("tvmgen_default_".Length), renamer.RenameString(name));
            }
        }

        [SampleToolFact("gcc", "nm")]
        public void Renamed_sine_model_compiles_with_its_renamed_header_and_differs_only_in_its_symbol_names()
        {
            var archive = IndependentArchive.Read(TestPaths.Sample("v5-aot-sine.tar"));
            var renamer = new ModuleRenamer("default", "sine_a");
            using var temp = new TempFolder();
            string crtInclude = ExtractCrtInclude(temp);

            string originalDir = WriteModule(temp, "original", archive, null);
            string renamedDir = WriteModule(temp, "renamed", archive, renamer);
            Assert.True(File.Exists(Path.Combine(renamedDir, "include", "tvmgen_sine_a.h")));
            Assert.True(File.Exists(Path.Combine(renamedDir, "src", "sine_a_lib0.c")));

            var originalSymbols = new List<string>();
            var renamedSymbols = new List<string>();
            foreach (string source in Directory.GetFiles(Path.Combine(originalDir, "src"), "*.c"))
            {
                originalSymbols.AddRange(CompileAndListSymbols(temp, source, Path.Combine(originalDir, "include"), crtInclude));
            }
            foreach (string source in Directory.GetFiles(Path.Combine(renamedDir, "src"), "*.c"))
            {
                renamedSymbols.AddRange(CompileAndListSymbols(temp, source, Path.Combine(renamedDir, "include"), crtInclude));
            }
            var expected = originalSymbols.Select(s => Regex.Replace(s, "^tvmgen_default_", "tvmgen_sine_a_")).OrderBy(s => s, StringComparer.Ordinal);
            Assert.Equal(expected, renamedSymbols.OrderBy(s => s, StringComparer.Ordinal));
            int globals = originalSymbols.Count(s => s.StartsWith("tvmgen_default_", StringComparison.Ordinal) && s.Split(' ')[1] == "T");
            Assert.Equal(6, globals);
            Assert.DoesNotContain(renamedSymbols, s => s.Contains("default", StringComparison.Ordinal));

            // The renamed header compiles (twice: its guard works) and declares the renamed API and macro.
            File.WriteAllText(temp.File("header_check.c"),
                "#include <tvmgen_sine_a.h>\n#include <tvmgen_sine_a.h>\n" +
                "_Static_assert(TVMGEN_SINE_A_WORKSPACE_SIZE == 1184, \"workspace macro\");\n" +
                "#ifndef TVMGEN_SINE_A_H_\n#error guard not renamed\n#endif\n" +
                "int32_t (*entry)(struct tvmgen_sine_a_inputs*, struct tvmgen_sine_a_outputs*) = tvmgen_sine_a_run;\n");
            ExternalTool.Run("gcc", temp.Path, "-c", "-Wall", "-Werror", "-I", Path.Combine(renamedDir, "include"), "header_check.c", "-o", "header_check.o");

            // And the renamed model computes exactly what the original computes.
            string originalRun = RunSine(temp, "original", Path.Combine(originalDir, "src", "default_lib0.c"), "tvmgen_default_run_model", crtInclude);
            string renamedRun = RunSine(temp, "renamed", Path.Combine(renamedDir, "src", "sine_a_lib0.c"), "tvmgen_sine_a_run_model", crtInclude);
            Assert.Equal(originalRun, renamedRun);
            Assert.Equal(21, renamedRun.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct().Count());
        }

        public static IEnumerable<object[]> CompilableSources() => new[]
        {
            new object[] { "v4-graph-yesno.tar", "default_lib0.c" },
            new object[] { "v4-graph-yesno.tar", "default_lib1.c" },
            new object[] { "v5-aot-sine.tar", "default_lib0.c" },
            new object[] { "v7-aot-crt-mlp.tar", "default_lib0.c" },
            new object[] { "v7-aot-crt-mlp.tar", "default_lib1.c" },
            new object[] { "v7-graph-magicwand.tar", "default_lib0.c" },
            new object[] { "v7-graph-magicwand.tar", "default_lib1.c" },
            new object[] { "v7-graph-magicwand.tar", "default_lib2.c" },
        };

        [SampleToolTheory("gcc", "nm")]
        [MemberData(nameof(CompilableSources))]
        public void Every_renamed_source_compiles_to_the_same_object_but_for_its_symbol_names(string sample, string source)
        {
            var archive = IndependentArchive.Read(TestPaths.Sample(sample));
            var renamer = new ModuleRenamer("default", "kws");
            using var temp = new TempFolder();
            string crtInclude = ExtractCrtInclude(temp);
            // default_lib1.c of the Arm sample includes <arm_acle.h>; on a PC an empty stand-in lets it compile.
            Directory.CreateDirectory(temp.File("stub"));
            File.WriteAllText(temp.File(Path.Combine("stub", "arm_acle.h")), string.Empty);

            string originalDir = WriteModule(temp, "original", archive, null);
            string renamedDir = WriteModule(temp, "renamed", archive, renamer);
            var before = CompileAndListSymbols(temp, Path.Combine(originalDir, "src", source), Path.Combine(originalDir, "include"), crtInclude, temp.File("stub"));
            var after = CompileAndListSymbols(temp, Path.Combine(renamedDir, "src", RenamedFileName(source, renamer)), Path.Combine(renamedDir, "include"), crtInclude, temp.File("stub"));

            var expected = before.Select(s => Regex.Replace(Regex.Replace(s, "^tvmgen_default_", "tvmgen_kws_"), "^_lookup_linked_param ", "tvmgen_kws__lookup_linked_param ")).OrderBy(s => s, StringComparer.Ordinal);
            Assert.Equal(expected, after.OrderBy(s => s, StringComparer.Ordinal));
            Assert.DoesNotContain(after, s => s.StartsWith("tvmgen_default", StringComparison.Ordinal));
            _output.WriteLine($"{sample} {source}: {before.Count} symbols, {before.Count(s => s.StartsWith("tvmgen_default_", StringComparison.Ordinal))} renamed; unprefixed globals: " +
                string.Join(", ", after.Where(s => !s.StartsWith("tvmgen_kws_", StringComparison.Ordinal) && s.Split(' ')[1] is "T" or "D" or "R" or "B").Select(s => s.Split(' ')[0])));
        }

        [SampleToolTheory("gcc")]
        [InlineData("v4-graph-yesno.tar", "\\007", 7)]
        [InlineData("v7-graph-magicwand.tar", "\\n\\000", 10)]
        public void Function_registry_literal_is_renamed_and_the_compiler_reads_the_expected_bytes(string sample, string countSpelling, int functions)
        {
            byte[] original = IndependentArchive.Read(TestPaths.Sample(sample)).Files["codegen/host/src/default_lib0.c"];
            byte[] renamed = new ModuleRenamer("default", "kws").RenameCSource(original);
            var registry = new Regex("_tvm_func_registry = \\{\\s*(\"(?:\\\\.|[^\"\\\\])*\")");
            string originalLiteral = registry.Match(Encoding.Latin1.GetString(original)).Groups[1].Value;
            string renamedLiteral = registry.Match(Encoding.Latin1.GetString(renamed)).Groups[1].Value;
            Assert.StartsWith("\"" + countSpelling + "tvmgen_kws_", renamedLiteral);

            using var temp = new TempFolder();
            byte[] before = BytesAsGccReadsThem(temp, "before", originalLiteral);
            byte[] after = BytesAsGccReadsThem(temp, "after", renamedLiteral);
            int countBytes = countSpelling.Count(c => c == '\\');
            var namesBefore = Encoding.Latin1.GetString(before, countBytes, before.Length - countBytes).TrimEnd('\0').Split('\0');
            Assert.Equal(functions, namesBefore.Length);
            Assert.Equal(functions, before[0]);

            string expected = Encoding.Latin1.GetString(before, 0, countBytes) +
                string.Concat(namesBefore.Select(n => Regex.Replace(n, "^tvmgen_default_", "tvmgen_kws_") + "\0"));
            Assert.Equal(expected, Encoding.Latin1.GetString(after));
            // Our own decoder agrees with gcc.
            Assert.Equal(expected, CStringLiteral.Decode(renamedLiteral.Substring(1, renamedLiteral.Length - 2)).Value);
        }

        // ---------------------------------------------------------------- string literals

        [Theory]
        [InlineData("s = \"\\007tvmgen_default_a\\000tvmgen_default_b\";", "s = \"\\007tvmgen_kws_a\\000tvmgen_kws_b\";")]
        [InlineData("s = \"\\x41\";", "s = \"\\x41\";")]
        [InlineData("s = \"\\x41tvmgen_default_a\";", "s = \"\\x41tvmgen_default_a\";")] // decodes to "Atvmgen_...": one longer identifier
        [InlineData("s = \"\\x2etvmgen_default_a\";", "s = \"\\x2etvmgen_kws_a\";")]
        [InlineData("s = \"\\x74vmgen_default_a\";", "s = \"tvmgen_kws_a\";")] // \x74 is 't': the name is spelt with an escape
        [InlineData("s = \"\\ntvmgen_default_a\\ttvmgen_default\";", "s = \"\\ntvmgen_kws_a\\ttvmgen_kws\";")]
        [InlineData("s = \"\\0tvmgen_default_a\\12\";", "s = \"\\0tvmgen_kws_a\\12\";")]
        [InlineData("s = \"say \\\"tvmgen_default_x\\\" \\\\\" tvmgen_default_y;", "s = \"say \\\"tvmgen_kws_x\\\" \\\\\" tvmgen_kws_y;")]
        [InlineData("s = \"http://tvmgen_default_x/*\"; tvmgen_default_y(); // tvmgen_default_z", "s = \"http://tvmgen_kws_x/*\"; tvmgen_kws_y(); // tvmgen_default_z")]
        [InlineData("#include \"tvmgen_default.h\"\n#include <tvmgen_default.h>\n", "#include \"tvmgen_kws.h\"\n#include <tvmgen_kws.h>\n")]
        [InlineData("L\"tvmgen_default_a\", u8\"tvmgen_default_b\", U\"\\u00e9tvmgen_default_c\"", "L\"tvmgen_kws_a\", u8\"tvmgen_kws_b\", U\"\\u00e9tvmgen_kws_c\"")]
        [InlineData("R\"x(tvmgen_default_a )\" // tvmgen_default_b)x\" tvmgen_default_c", "R\"x(tvmgen_kws_a )\" // tvmgen_kws_b)x\" tvmgen_kws_c")]
        [InlineData("\"tvmgen_default\" /* mod_name*/", "\"tvmgen_kws\" /* mod_name*/")]
        [InlineData("\"tvmgen_defaultx tvmgen_DEFAULT_a my_tvmgen_default_a default\"", "\"tvmgen_defaultx tvmgen_DEFAULT_a my_tvmgen_default_a default\"")]
        public void String_literals_are_decoded_and_only_the_names_respelt(string source, string expected) =>
            Assert.Equal(expected, C(source));

        [Theory]
        [InlineData("a = \"tvmgen_default_a\\0\" \"tvmgen_default_b\";", "a = \"tvmgen_kws_a\\0\" \"tvmgen_kws_b\";")]
        [InlineData("a = \"tvmgen_default_a\" \"tvmgen_default_b\";", "a = \"tvmgen_kws_a\" \"tvmgen_default_b\";")] // one run: tvmgen_default_atvmgen_default_b
        [InlineData("f(\"tvmgen_default_a\", \"tvmgen_default_b\");", "f(\"tvmgen_kws_a\", \"tvmgen_kws_b\");")]
        [InlineData("a = \"tvmgen_\" \"default_a\";", "a = \"tvmgen_kws_\" \"a\";")] // the compiler joins them into one name
        [InlineData("a = \"tvmgen_\" /* x */\n  \"default\";", "a = \"tvmgen_kws\" /* x */\n  \"\";")]
        [InlineData("a = \"x\" \"tvmgen_default_a\";", "a = \"x\" \"tvmgen_default_a\";")] // joined: "xtvmgen_default_a"
        [InlineData("a = \"\\x4\" \"1tvmgen_default_a\";", "a = \"\\x4\" \"1tvmgen_default_a\";")] // "\x04" "1t...": 1tvmgen... is one run
        [InlineData("a = \"\\x4\" \".tvmgen_default_a\";", "a = \"\\x4\" \".tvmgen_kws_a\";")]
        [InlineData("#define A \"tvmgen_\"\n\"default_a\";", "#define A \"tvmgen_\"\n\"default_a\";")] // a directive ends at its line
        [InlineData("#define A \"tvmgen_\" \\\n \"default_a\"\n", "#define A \"tvmgen_kws_\" \\\n \"a\"\n")] // ...unless spliced
        public void Adjacent_literals_are_read_as_the_compiler_joins_them(string source, string expected) =>
            Assert.Equal(expected, C(source));

        [Fact]
        public void A_name_split_over_joined_literals_counts_once()
        {
            new ModuleRenamer("default", "kws").RenameCSource(Encoding.ASCII.GetBytes("a = \"tvmgen_\" \"default_a\";"), out int count);
            Assert.Equal(1, count);
        }

        [Fact]
        public void A_registry_count_that_is_a_printable_letter_or_digit_does_not_hide_the_first_name()
        {
            // 48 functions: TVM's one-byte count is '0', written as a plain character right before the first name.
            string names = string.Concat(Enumerable.Range(0, 48).Select(i => $"tvmgen_default_f{i}\\000"));
            string renamed = C("static const TVMFuncRegistry r = {\n    \"0" + names + "\",    a,\n};\n");
            Assert.Equal("static const TVMFuncRegistry r = {\n    \"0" + names.Replace("tvmgen_default_", "tvmgen_kws_") + "\",    a,\n};\n", renamed);
            // Two-byte count 'A' (65): "A\000" then the names.
            string names65 = string.Concat(Enumerable.Range(0, 65).Select(i => $"tvmgen_default_f{i}\\000"));
            Assert.Equal("\"A\\000" + names65.Replace("tvmgen_default_", "tvmgen_kws_") + "\"", C("\"A\\000" + names65 + "\""));
            // Not registry-shaped: the glued letter stays part of one identifier.
            Assert.Equal("\"0tvmgen_default_f0\\000tvmgen_kws_f1\\000\"", C("\"0tvmgen_default_f0\\000tvmgen_default_f1\\000\""));
        }

        [Fact]
        public void Encoding_a_value_and_decoding_it_gives_the_value_back_and_escapes_never_swallow_a_digit()
        {
            string all = new string(Enumerable.Range(0, 256).Select(i => (char)i).ToArray()) + "0123??=\u0101";
            Assert.Equal(all, CStringLiteral.Decode(CStringLiteral.Encode(all)).Value);
            Assert.Equal("\\0001\\0127", CStringLiteral.Encode("\u00001\n7"));
            Assert.Equal("?\\?=", CStringLiteral.Encode("??="));
            Assert.Equal("\u0007\0A\u00ff\u0001\u001b\\\"\t", CStringLiteral.Decode("\\a\\0\\x41\\377\\1\\e\\\\\\\"\\t").Value);
            Assert.Equal("ab", CStringLiteral.Decode("a\\\nb").Value); // line splice
        }

        // ---------------------------------------------------------------- comments, characters, identifiers

        [Theory]
        [InlineData("/* tvmgen_default_a TVMGEN_DEFAULT_H_ \"tvmgen_default_b\" */ x;")]
        [InlineData("#endif // TVMGEN_DEFAULT_H_ guard\n")]
        [InlineData("#endif /* TVMGEN_DEFAULT_H_ */\n")]
        [InlineData("// we're *setting* tvmgen_default_a\n")]
        [InlineData("// continued \\\n tvmgen_default_a\n")]
        [InlineData("/*!\n * \\brief Input tensor pointers for TVM module \"default_x\"\n */\n")]
        [InlineData("// for TVM module default, for tvm module \"default\", for TVM module \"Default\"\n")]
        [InlineData("x = \"for TVM module \\\"default\\\"\";")]
        [InlineData("c = 'a'; d = '\\''; e = '\"'; f = L'x';")]
        [InlineData("my_tvmgen_default_x tvmgen_defaultx xtvmgen_default_x Tvmgen_default_x $tvmgen_default_x tvmgen_default$x")]
        [InlineData("xTVMGEN_DEFAULT_Y TVMGEN_DEFAULT TVMGEN_DEFAULTS tvmgen_DEFAULT_x TVMGEN_default_x kTvmgenMetadata")]
        [InlineData("x = 1tvmgen_default_a + 0x1.705acp-8 + 1'000;")]
        [InlineData("switch (x) {\n    default:\n        return 0;\n    case 10: default_x = serving_default_input; break;\n}\n")]
        public void Comments_character_literals_and_other_identifiers_are_left_alone(string source) =>
            Assert.Equal(source, C(source));

        [Theory]
        [InlineData("#endif // TVMGEN_DEFAULT_H_\n", "#endif // TVMGEN_KWS_H_\n")]
        [InlineData("#endif //TVMGEN_DEFAULT_H_\r\n", "#endif //TVMGEN_KWS_H_\r\n")]
        [InlineData("/*!\n * \\brief Input tensor pointers for TVM module \"default\" \n */\n", "/*!\n * \\brief Input tensor pointers for TVM module \"kws\" \n */\n")]
        [InlineData("/*!\n * \\brief entrypoint function for TVM module \"default\"\n * \\param inputs Input tensors for the module \n */",
                    "/*!\n * \\brief entrypoint function for TVM module \"kws\"\n * \\param inputs Input tensors for the module \n */")]
        [InlineData("/* Maps I/O inside the workspace pools for TVM module \"default\", again for TVM module \"default\" */",
                    "/* Maps I/O inside the workspace pools for TVM module \"kws\", again for TVM module \"kws\" */")]
        public void The_comments_TVM_writes_with_the_module_name_take_the_new_name(string source, string expected)
        {
            Assert.Equal(expected, C(source));
            // Renaming back restores the original, and the renamed count stays that of code and literals.
            Assert.Equal(source, Encoding.Latin1.GetString(new ModuleRenamer("kws", "default").RenameCSource(Encoding.Latin1.GetBytes(expected))));
            new ModuleRenamer("default", "kws").RenameCSource(Encoding.Latin1.GetBytes(source), out int renamed);
            Assert.Equal(0, renamed);
        }

        [Theory]
        [InlineData("int32_t tvmgen_default_run(struct tvmgen_default_inputs* i);", "int32_t tvmgen_kws_run(struct tvmgen_kws_inputs* i);")]
        [InlineData("(void)tvmgen_default___tvm_main__(a);", "(void)tvmgen_kws___tvm_main__(a);")]
        [InlineData("c = '\"'; tvmgen_default_a(); d = \"'\"; tvmgen_default_b();", "c = '\"'; tvmgen_kws_a(); d = \"'\"; tvmgen_kws_b();")]
        [InlineData("#error don't do this\ntvmgen_default_a();", "#error don't do this\ntvmgen_kws_a();")] // unterminated ' ends at the line
        [InlineData("a /* tvmgen_default_a */ tvmgen_default_b // tvmgen_default_c\ntvmgen_default_d", "a /* tvmgen_default_a */ tvmgen_kws_b // tvmgen_default_c\ntvmgen_kws_d")]
        [InlineData("x=tvmgen_default;y=tvmgen_default_;", "x=tvmgen_kws;y=tvmgen_kws_;")]
        public void Identifiers_in_code_are_renamed(string source, string expected) =>
            Assert.Equal(expected, C(source));

        [Theory]
        [InlineData("#ifndef TVMGEN_DEFAULT_H_\n#define TVMGEN_DEFAULT_H_\n", "#ifndef TVMGEN_KWS_H_\n#define TVMGEN_KWS_H_\n")]
        [InlineData("#define TVMGEN_DEFAULT_SERVING_DEFAULT_INPUT_1_0_SIZE 5", "#define TVMGEN_KWS_SERVING_DEFAULT_INPUT_1_0_SIZE 5")]
        [InlineData("#define TVMGEN_DEFAULT_WORKSPACE_SIZE 3088", "#define TVMGEN_KWS_WORKSPACE_SIZE 3088")]
        public void Macros_take_the_uppercase_prefix(string source, string expected) =>
            Assert.Equal(expected, C(source));

        [Fact]
        public void A_mixed_case_old_name_matches_as_TVM_spells_it_lowercase_in_identifiers_and_uppercase_in_macros()
        {
            var renamer = new ModuleRenamer("MyNet", "kws");
            string Rename(string s) => Encoding.Latin1.GetString(renamer.RenameCSource(Encoding.Latin1.GetBytes(s)));
            Assert.Equal("tvmgen_kws_run TVMGEN_KWS_H_ tvmgen_MyNet_run #include <tvmgen_kws.h>", Rename("tvmgen_mynet_run TVMGEN_MYNET_H_ tvmgen_MyNet_run #include <tvmgen_mynet.h>"));
        }

        [Fact]
        public void The_prefix_rule_also_takes_a_longer_module_names_symbols_so_only_a_modules_own_files_are_renamed()
        {
            // Module "default" and a module "default_x" share the spelling tvmgen_default_x_...: the rule cannot tell
            // default's kernel x_fused from default_x's kernel fused. Callers pass only default's own files.
            Assert.Equal("tvmgen_kws_x_fused();", C("tvmgen_default_x_fused();"));
            var other = new ModuleRenamer("default_x", "kws");
            Assert.Equal("tvmgen_default_fused(); tvmgen_kws_fused(); TVMGEN_KWS_H_ TVMGEN_DEFAULT_H_",
                Encoding.Latin1.GetString(other.RenameCSource(Encoding.Latin1.GetBytes("tvmgen_default_fused(); tvmgen_default_x_fused(); TVMGEN_DEFAULT_X_H_ TVMGEN_DEFAULT_H_"))));
        }

        [Fact]
        public void Bytes_that_are_not_renamed_survive_exactly_line_endings_and_non_ASCII_included()
        {
            byte[] source = new byte[] { 0xEF, 0xBB, 0xBF }
                .Concat(Encoding.Latin1.GetBytes("/* caf\u00e9 \u00ff */\r\nint tvmgen_default_a;\r\n"))
                .Concat(new byte[] { (byte)'"', 0xC3, 0xA9, 0xFF })
                .Concat(Encoding.ASCII.GetBytes(" tvmgen_default_b\\r\"; \r\n\n\r\0x\t\f"))
                .ToArray();
            byte[] expected = new byte[] { 0xEF, 0xBB, 0xBF }
                .Concat(Encoding.Latin1.GetBytes("/* caf\u00e9 \u00ff */\r\nint tvmgen_kws_a;\r\n"))
                .Concat(new byte[] { (byte)'"', 0xC3, 0xA9, 0xFF })
                .Concat(Encoding.ASCII.GetBytes(" tvmgen_kws_b\\r\"; \r\n\n\r\0x\t\f"))
                .ToArray();
            var renamer = new ModuleRenamer("default", "kws");
            Assert.Equal(expected, renamer.RenameCSource(source, out int count));
            Assert.Equal(2, count);
            Assert.Equal(source, new ModuleRenamer("kws", "default").RenameCSource(expected));
            Assert.Equal(expected, renamer.RenameText(source));
        }

        // ---------------------------------------------------------------- text, strings, file names

        [Fact]
        public void Text_is_renamed_at_identifier_boundaries_without_reading_C()
        {
            var renamer = new ModuleRenamer("default", "kws");
            string graph = "{\"op\": \"tvm_op\", \"name\": \"tvmgen_default_fused_add\", \"attrs\": {\"func_name\": \"tvmgen_default_fused_add\", \"hash\": \"tvmgen_defaultx\"}}";
            Assert.Equal(graph.Replace("tvmgen_default_fused", "tvmgen_kws_fused"), Encoding.UTF8.GetString(renamer.RenameText(Encoding.UTF8.GetBytes(graph))));
            string relay = "%0 = @tvmgen_default_main_0(%serving_default_input) /* tvmgen_default_x */;";
            Assert.Equal("%0 = @tvmgen_kws_main_0(%serving_default_input) /* tvmgen_kws_x */;", Encoding.UTF8.GetString(renamer.RenameText(Encoding.UTF8.GetBytes(relay))));
            Assert.Equal("tvmgen_kws_fused_add", renamer.RenameString("tvmgen_default_fused_add"));
            Assert.Equal("default", renamer.RenameString("default"));
            Assert.Equal("my_tvmgen_default_x", renamer.RenameString("my_tvmgen_default_x"));
            Assert.True(renamer.Renames("TVMGEN_DEFAULT_H_"));
            Assert.False(renamer.Renames("tvmgen_defaults"));
        }


        [Theory]
        [InlineData("Kws")]
        [InlineData("kws_")]
        [InlineData("1kws")]
        [InlineData("k-ws")]
        [InlineData("")]
        public void An_invalid_new_name_is_refused(string newName)
        {
            var error = Assert.Throws<MlfException>(() => new ModuleRenamer("default", newName));
            Assert.Equal(MlfErrorIds.InvalidModuleName, error.ErrorId);
        }

        [Fact]
        public void An_old_name_that_no_identifier_can_hold_is_refused() =>
            Assert.Throws<ArgumentException>(() => new ModuleRenamer("my-model", "kws"));

        [Fact]
        public void An_old_name_with_a_trailing_newline_is_refused() =>
            Assert.Throws<ArgumentException>(() => new ModuleRenamer("default\n", "kws"));

        // ---------------------------------------------------------------- helpers

        private static List<string> DefaultLabelLines(byte[] source) =>
            Encoding.Latin1.GetString(source).Split('\n').Where(l => Regex.IsMatch(l, @"\bdefault\s*:")).ToList();

        /// <summary>runtime/include of the CRT sample, extracted with System.Formats.Tar.</summary>
        private static string ExtractCrtInclude(TempFolder temp)
        {
            string root = temp.File("crt");
            foreach (var (path, data) in IndependentArchive.Read(TestPaths.Sample("v7-aot-crt-mlp.tar")).Files)
            {
                if (!path.StartsWith("runtime/include/", StringComparison.Ordinal)) continue;
                string target = Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, data);
            }
            return Path.Combine(root, "runtime", "include");
        }

        /// <summary>The sample's codegen/host sources and headers in folder/src and folder/include, renamed (names and contents) when a renamer is given.</summary>
        private static string WriteModule(TempFolder temp, string folder, IndependentArchive archive, ModuleRenamer? renamer)
        {
            string root = temp.File(folder);
            Directory.CreateDirectory(Path.Combine(root, "src"));
            Directory.CreateDirectory(Path.Combine(root, "include"));
            foreach (var (path, data) in archive.Files)
            {
                string? sub = path.StartsWith("codegen/host/src/", StringComparison.Ordinal) ? "src"
                    : path.StartsWith("codegen/host/include/", StringComparison.Ordinal) ? "include" : null;
                if (sub == null) continue;
                string name = path.Substring(path.LastIndexOf('/') + 1);
                File.WriteAllBytes(Path.Combine(root, sub, renamer == null ? name : RenamedFileName(name, renamer)), renamer?.RenameCSource(data) ?? data);
            }
            return root;
        }

        /// <summary>"name type value size" for every symbol of the compiled source (nm -P), static ones included.</summary>
        private static List<string> CompileAndListSymbols(TempFolder temp, string source, params string[] includes)
        {
            string objectFile = temp.File(Guid.NewGuid().ToString("N") + ".o");
            var arguments = new List<string> { "-c", "-w", "-O1" };
            foreach (string include in includes) arguments.AddRange(new[] { "-I", include });
            arguments.AddRange(new[] { source, "-o", objectFile });
            ExternalTool.Run("gcc", temp.Path, arguments.ToArray());
            return ExternalTool.Run("nm", temp.Path, "-P", objectFile)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => string.Join(" ", line.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
                .ToList();
        }

        private static string RunSine(TempFolder temp, string name, string source, string entry, string crtInclude)
        {
            string driver = temp.File(name + "_driver.c");
            File.WriteAllText(driver,
                "#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n" +
                "int32_t ENTRY(void* input, void* output);\n" +
                "void* TVMBackendAllocWorkspace(int t, int d, uint64_t n, int c, int b) { (void)t; (void)d; (void)c; (void)b; return malloc(n); }\n" +
                "int TVMBackendFreeWorkspace(int t, int d, void* p) { (void)t; (void)d; free(p); return 0; }\n" +
                "int main(void) {\n  for (int i = 0; i <= 20; i++) {\n    float x = i * 0.3f, y = 0;\n" +
                "    if (ENTRY(&x, &y) != 0) return 1;\n    printf(\"%a %a\\n\", x, y);\n  }\n  return 0;\n}\n");
            string program = temp.File(name + "_sine");
            ExternalTool.Run("gcc", temp.Path, "-w", "-DENTRY=" + entry, "-I", crtInclude, driver, source, "-o", program, "-lm");
            return ExternalTool.Run(program, temp.Path);
        }

        /// <summary>The bytes gcc puts in a char array initialised with <paramref name="literal"/>, terminator excluded.</summary>
        private static byte[] BytesAsGccReadsThem(TempFolder temp, string name, string literal)
        {
            string source = temp.File(name + ".c");
            File.WriteAllText(source,
                "#include <stdio.h>\nstatic const char s[] = " + literal + ";\n" +
                "int main(void) { for (size_t i = 0; i + 1 < sizeof s; i++) printf(\"%02x\", (unsigned char)s[i]); return 0; }\n",
                Encoding.Latin1);
            string program = temp.File(name);
            ExternalTool.Run("gcc", temp.Path, "-Wall", "-Werror", source, "-o", program);
            return Convert.FromHexString(ExternalTool.Run(program, temp.Path).Trim());
        }

        /// <summary>
        /// The oracle: reads C with regular expressions (comments, string and character literals), decodes literal
        /// escapes itself, and counts the identity with a lookbehind regex. Written without ModuleRenamer's code.
        /// </summary>
        private sealed class IndependentC
        {
            private static readonly Regex Parts = new Regex(
                @"(?<comment>//(?:\\\r?\n|[^\n])*|/\*[\s\S]*?\*/)|(?<string>""(?:\\[\s\S]|[^""\\\n])*"")|(?<char>'(?:\\[\s\S]|[^'\\\n])*')",
                RegexOptions.CultureInvariant);

            private static readonly Regex Escape = new Regex(@"\\(?:(?<o>[0-7]{1,3})|x(?<x>[0-9A-Fa-f]+)|(?<nl>\r?\n)|(?<c>[\s\S]))", RegexOptions.CultureInvariant);

            public int Occurrences { get; private set; }
            public int CodeOccurrences { get; private set; }
            public List<string> Comments { get; } = new List<string>();
            public List<string> CharLiterals { get; } = new List<string>();
            public string NormalisedCode { get; private set; } = string.Empty;
            public List<string> NormalisedStrings { get; } = new List<string>();
            public List<string> LiteralsWithoutIdentity { get; } = new List<string>();

            /// <summary>tvmgen_o as a whole identifier or followed by '_', and TVMGEN_O_, not preceded by an identifier char.</summary>
            public static Regex Identity(string name) => new Regex(
                $"(?<![A-Za-z0-9_$])(?:(?<t>tvmgen_{name.ToLowerInvariant()})(?![A-Za-z0-9$])|(?<m>TVMGEN_{name.ToUpperInvariant()}_))",
                RegexOptions.CultureInvariant);

            public static string Normalise(string text, string name) =>
                Identity(name).Replace(text, m => m.Groups["t"].Success ? "\u0004" : "\u0005");

            public static IndependentC Read(byte[] bytes, string name)
            {
                var result = new IndependentC();
                var identity = Identity(name);
                string text = Encoding.Latin1.GetString(bytes);
                var code = new StringBuilder();
                int at = 0;
                int literalIndex = 0;
                foreach (Match part in Parts.Matches(text))
                {
                    code.Append(text, at, part.Index - at);
                    at = part.Index + part.Length;
                    if (part.Groups["comment"].Success)
                    {
                        result.Comments.Add(part.Value);
                        code.Append('\u0001');
                    }
                    else if (part.Groups["char"].Success)
                    {
                        result.CharLiterals.Add(part.Value);
                        code.Append('\u0003');
                    }
                    else
                    {
                        string decoded = Decode(part.Value.Substring(1, part.Value.Length - 2));
                        int found = identity.Matches(decoded).Count;
                        result.Occurrences += found;
                        result.NormalisedStrings.Add(Normalise(decoded, name));
                        if (found == 0) result.LiteralsWithoutIdentity.Add(literalIndex + ": " + part.Value);
                        literalIndex++;
                        code.Append('\u0002');
                    }
                }
                code.Append(text, at, text.Length - at);
                string skeleton = code.ToString();
                result.CodeOccurrences = identity.Matches(skeleton).Count;
                result.Occurrences += result.CodeOccurrences;
                result.NormalisedCode = Normalise(skeleton, name);
                return result;
            }

            private static string Decode(string body) => Escape.Replace(body, m =>
            {
                if (m.Groups["o"].Success) return ((char)Convert.ToInt32(m.Groups["o"].Value, 8)).ToString();
                if (m.Groups["x"].Success) return ((char)Math.Min(0xFFFF, long.Parse(m.Groups["x"].Value.Length > 8 ? "FFFFFFFF" : m.Groups["x"].Value, NumberStyles.HexNumber))).ToString();
                if (m.Groups["nl"].Success) return string.Empty;
                char c = m.Groups["c"].Value[0];
                int index = "abtnvfre".IndexOf(c);
                return index >= 0 ? ((char)new[] { 7, 8, 9, 10, 11, 12, 13, 27 }[index]).ToString() : c.ToString();
            });
        }

        /// <summary>The name the join gives a module's C source or interface header (<see cref="TvmNames"/>'s rules).</summary>
        private static string RenamedFileName(string fileName, ModuleRenamer renamer)
        {
            if (TvmNames.TryParseCodegenFile(fileName, out string? module, out string? index, out string? extension) && module == renamer.OldName)
            {
                return TvmNames.CodegenFileName(renamer.NewName, index!, extension!);
            }
            return fileName == TvmNames.InterfaceHeaderFileName(renamer.OldName) ? TvmNames.InterfaceHeaderFileName(renamer.NewName) : fileName;
        }
    }
}
