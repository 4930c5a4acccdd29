using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Rename;
using MlfTools.CSource;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// The renamer and the symbol scan read C with one lexer: whatever the scan takes for a global definition, the
    /// renamer renames in the file exactly as the join's collision check predicts, backslash-newlines, trigraphs,
    /// digit separators and raw strings included. Proven by scanning the renamed file, and by gcc, nm and the linker.
    /// </summary>
    public class OneLexerTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>Sources whose definitions a reader that splits C differently from the compiler would miss or misname.</summary>
        public static IEnumerable<object[]> Sources() => new[]
        {
            new object[] { "splice", "void tvmgen_def\\\nault_x(void) {}\n" },
            new object[] { "splice-crlf", "void tvmgen_def\\\r\nault_x(void) {}\r\n" },
            new object[] { "splice-blanks", "void tvmgen_def\\  \t\nault_x(void) {}\n" },
            new object[] { "splices-twice", "int tvmgen_\\\n\\\ndefault_y = 1;\nvoid tvmgen_default_\\\nz(void) {}\n" },
            new object[] { "splice-in-prefix-and-call", "int tvmgen_default_a(void) { return 1; }\nint tvmgen_def\\\nault_b(void) { return tvmgen_def\\\nault_a(); }\n" },
            new object[] { "trigraph-splice", "void tvmgen_def??/\nault_t(void) {}\n" },
            new object[] { "digit-separator", "int tvmgen_default_n[] = { 1'000 }; void tvmgen_default_w(void) {}\n" },
            new object[] { "raw-string", "const char* tvmgen_default_s = R\"x(\" )x\"; void tvmgen_default_r(void) {}\n" },
            new object[] { "spliced-comment", "// a comment \\\nvoid tvmgen_default_hidden(void) {}\nvoid tvmgen_default_seen(void) {}\n" },
        };

        private static readonly ModuleRenamer Renamer = new ModuleRenamer("default", "kws");

        private static List<string> Globals(string source) =>
            CSymbolScanner.FindGlobalDefinitions(source).Select(s => s.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();

        private static string Renamed(string source, ModuleRenamer renamer) =>
            Encoding.Latin1.GetString(renamer.RenameCSource(Encoding.Latin1.GetBytes(source)));

        [Theory]
        [MemberData(nameof(Sources))]
        public void The_renamed_file_defines_what_the_collision_check_predicts(string name, string source)
        {
            var before = Globals(source);
            Assert.NotEmpty(before);
            string renamed = Renamed(source, Renamer);
            var predicted = before.Select(Renamer.RenameString).OrderBy(n => n, StringComparer.Ordinal).ToList();
            Assert.Equal(predicted, Globals(renamed));
            Assert.DoesNotContain(Globals(renamed), n => n.Contains("default", StringComparison.Ordinal));
            // Every line keeps its number: a renamed split name is written whole, followed by the line breaks it spanned.
            Assert.Equal(source.Count(c => c == '\n'), renamed.Count(c => c == '\n'));
            Assert.True(name.Length > 0);
        }

        [Fact]
        public void A_split_name_is_written_whole_and_renaming_back_gives_the_name_the_compiler_read()
        {
            Assert.Equal("void tvmgen_kws_x\\\n(void) {}\n", Renamed("void tvmgen_def\\\nault_x(void) {}\n", Renamer));
            Assert.Equal("void tvmgen_kws_x\\\r\n(void) {}\r\n", Renamed("void tvmgen_def\\\r\nault_x(void) {}\r\n", Renamer));
            Assert.Equal("void tvmgen_kws_t\\\n(void) {}\n", Renamed("void tvmgen_def??/\nault_t(void) {}\n", Renamer));
            Assert.Equal("void tvmgen_default_x\\\n(void) {}\n", Renamed("void tvmgen_kws_x\\\n(void) {}\n", new ModuleRenamer("kws", "default")));
            // A split name that does not carry the identity is left exactly as it was.
            Assert.Equal("void tvmgen_oth\\\ner_x(void) {}\n", Renamed("void tvmgen_oth\\\ner_x(void) {}\n", Renamer));
        }

        [Fact]
        public void Tokens_carry_their_place_in_the_original_text()
        {
            const string source = "a ??= tvmgen_\\\r\ndefault_x \"s\\\n t\" ??/\n b";
            var tokens = CLexer.Tokenize(source);
            Assert.Equal(new[] { "a", "#", "tvmgen_default_x", "\"s t\"", "b" }, tokens.Select(t => t.Text));
            Assert.Equal(new[] { "a", "??=", "tvmgen_\\\r\ndefault_x", "\"s\\\n t\"", "b" }, tokens.Select(t => source.Substring(t.Start, t.End - t.Start)));
            Assert.Equal(new[] { 1, 1, 1, 2, 4 }, tokens.Select(t => t.Line));
            Assert.Equal(new[] { true, false, false, false, true }, tokens.Select(t => t.IsVerbatim));
            Assert.Equal(new[] { true, false, false, false, false }, tokens.Select(t => t.StartsLine)); // no newline is left between them
        }

        [ToolTheory("gcc", "nm")]
        [MemberData(nameof(Sources))]
        public void Gcc_and_nm_show_the_renamed_names_and_two_renamed_copies_link(string name, string source)
        {
            var objects = new List<string>();
            foreach (string module in new[] { "one", "two" })
            {
                var renamer = new ModuleRenamer("default", module);
                string file = _temp.File($"{name}_{module}.c");
                File.WriteAllText(file, Renamed(source, renamer), Encoding.Latin1);
                string objectFile = Path.ChangeExtension(file, ".o");
                // -trigraphs: read ??/ as ISO C does (the lexer's reading); gnu2x: digit separators and raw strings.
                ExternalTool.Run("gcc", _temp.Path, "-c", "-w", "-std=gnu2x", "-trigraphs", file, "-o", objectFile);
                var defined = ExternalTool.Run("nm", _temp.Path, "-P", "--defined-only", "-g", objectFile)
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).OrderBy(n => n, StringComparer.Ordinal);
                Assert.Equal(Globals(source).Select(renamer.RenameString).OrderBy(n => n, StringComparer.Ordinal), defined);
                objects.Add(objectFile);
            }
            string main = _temp.File($"{name}_main.c");
            File.WriteAllText(main, "int main(void) { return 0; }\n");
            ExternalTool.Run("gcc", _temp.Path, main, objects[0], objects[1], "-o", _temp.File($"{name}_program"));
        }

        [Fact]
        public void A_join_renames_split_names_so_two_copies_of_a_model_define_different_symbols()
        {
            const string code = "#include <stdint.h>\nint32_t tvmgen_def\\\nault_run(void) { return 0; }\nvoid tvmgen_default_??/\nfused(void) {}\n";
            var modules = new[] { "a", "b" }.Select(n =>
            {
                var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "aot"))
                    .File("codegen/host/src/default_lib0.c", code);
                return MlfReader.ReadModules(archive.WriteTar(_temp.File(n + ".tar"))).Single().WithName(n);
            }).ToArray();
            string joined = JoinedArchive.Write(_temp.File("joined.tar"), null, modules);
            var files = IndependentArchive.Read(joined).Files;
            foreach (string module in new[] { "a", "b" })
            {
                string source = Encoding.Latin1.GetString(files.Single(f => f.Key.EndsWith("/" + module + "_lib0.c", StringComparison.Ordinal)).Value);
                Assert.Equal(new[] { $"tvmgen_{module}_fused", $"tvmgen_{module}_run" }, Globals(source));
            }
        }
    }
}
