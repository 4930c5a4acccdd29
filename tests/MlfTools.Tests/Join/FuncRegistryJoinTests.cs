using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// The function registry of a system-lib build (yesno, TVM 0.8, one-byte count) spelt in every way the C compiler
    /// reads as the same names string, or as a different one, joined with magicwand into version 7. A registry the join
    /// understands is widened and renamed, and the C runtime of TVM 0.13 (its own func_registry.c, under
    /// AddressSanitizer) finds every function of the joined source at its index; any other registry is refused before
    /// anything is written, and Test-MlfArchive reports it.
    /// </summary>
    public class FuncRegistryJoinTests : IDisposable
    {
        private const string Lib0 = "codegen/host/src/default_lib0.c";
        private const string Count = "\"\\007tvmgen_default_";
        private const string Last = "_lookup_linked_param\\000\",";
        private const string Definition = "static const TVMFuncRegistry _tvm_func_registry = {\n    ";
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private static string Resources => Path.Combine(TestPaths.RepositoryRoot, "tests", "MlfTools.Tests", "Resources", "FuncRegistry");

        /// <summary>yesno's registry with one edit, as the C compiler reads it the same string (apart from renaming).</summary>
        public static TheoryData<string, string, string> SameRegistry => new TheoryData<string, string, string>
        {
            { "as TVM wrote it", Count, Count },
            { "an extra NUL after the list's end", Last, "_lookup_linked_param\\000\\000\"," },
            { "the count spliced by a backslash-newline inside its escape", Count, "\"\\0\\\n07tvmgen_default_" },
            { "the count spliced with blanks before the newline", Count, "\"\\00\\  \n7tvmgen_default_" },
            { "the count as a hex escape", Count, "\"\\x7tvmgen_default_" },
            { "the count in a literal of its own", Count, "\"\\007\" \"tvmgen_default_" },
            { "adjacent literals with a comment and newline between", "\\000tvmgen_default_fused_reshape_cast_subtract_1", "\\000\" /* split */\n    \"tvmgen_default_fused_reshape_cast_subtract_1" },
            { "a name spliced", "fused_nn_softmax\\000", "fused_nn_soft\\\nmax\\000" },
            { "a name spelt with escapes", "_lookup_linked_param\\000\",", "_lookup_\\154inked_param\\0\"," },
        };

        /// <summary>yesno's registry with one edit that the C runtime reads differently from what its count says.</summary>
        public static TheoryData<string, string, string, string> OtherRegistry => new TheoryData<string, string, string, string>
        {
            { "count + 1", Count, "\"\\010tvmgen_default_", "count" },
            { "count - 1", Count, "\"\\006tvmgen_default_", "count" },
            { "count 0", Count, "\"\\000tvmgen_default_", "count" },
            { "count 255", Count, "\"\\377tvmgen_default_", "count" },
            { "two-byte count 65535", Count, "\"\\377\\377tvmgen_default_", "count" },
            { "no empty name ends the list", Last, "_lookup_linked_param\",", "reads past" },
            { "a name after the list's end", Last, "_lookup_linked_param\\000\\000hidden\\000\",", "after the empty name" },
            { "an escape that adjacent literals do not continue", Count, "\"\\00\" \"7tvmgen_default_", "count" },
            { "the names string behind a #define", Definition, "#define", "not initialised with a string literal" },
            { "a wide literal", Count, "L\"\\007tvmgen_default_", "prefixed" },
            { "a universal character name", "fused_nn_softmax\\000", "fused_nn_softm\\u00e4x\\000", "universal character name" },
            { "a trigraph", "fused_nn_softmax\\000", "fused_nn_softmax??!\\000", "trigraph" },
        };

        private static MlfTree YesNo(string from, string to)
        {
            var tree = MlfTree.FromArchive(TestPaths.Sample("v4-graph-yesno.tar"));
            return from == to ? tree : tree.Edit(Lib0, c => EditRegistry(c, from, to));
        }

        /// <summary>One edit of yesno's lib0.c; "#define" moves the names string into a macro that the registry names.</summary>
        private static string EditRegistry(string source, string from, string to)
        {
            Assert.Single(source.Split(from).Skip(1));
            if (to != "#define") return source.Replace(from, to);
            int start = source.IndexOf(from, StringComparison.Ordinal) + from.Length;
            int end = source.IndexOf(",    _tvm_func_array,", start, StringComparison.Ordinal);
            return source.Substring(0, start - from.Length) + "#define YES_NAMES " + source.Substring(start, end - start) + "\n" + from + "YES_NAMES" + source.Substring(end);
        }

        private MlfModule Module(MlfTree tree, string name) =>
            MlfReader.ReadModules(tree.Pack(_temp, _temp.File(Guid.NewGuid().ToString("N") + ".tar"))).Single().WithName(name);

        [SampleTheory]
        [MemberData(nameof(OtherRegistry))]
        public void A_registry_the_runtime_reads_otherwise_than_its_count_says_is_refused_before_anything_is_written(string what, string from, string to, string why)
        {
            var tree = YesNo(from, to);
            string destination = _temp.File("joined.tar");
            var error = Assert.Throws<MlfException>(() =>
                JoinedArchive.Write(destination, null, Module(tree, "yes"), JoinedArchive.Sample("v7-graph-magicwand.tar", "magic")));
            Assert.Equal(MlfErrorIds.FunctionRegistryInvalid, error.ErrorId);
            Assert.Contains($"The function registry in '{Lib0}' of module 'default'", error.Message);
            Assert.Contains(why, error.Message);
            Assert.False(File.Exists(destination), what);
            Assert.Empty(Directory.GetFiles(_temp.Path, "*joined*"));

            var finding = Assert.Single(MlfArchiveValidator.Validate(tree.Pack(_temp, _temp.File(Guid.NewGuid().ToString("N") + ".tar"))), f => f.Id == ArchiveFindingIds.FunctionRegistryInvalid);
            Assert.Equal((FindingSeverity.Error, "default", Lib0), (finding.Level, finding.Module, finding.Member));
            Assert.Contains(why, finding.Message);
        }

        [SampleAsanTheory]
        [MemberData(nameof(SameRegistry))]
#pragma warning disable IDE0060 // what names the case in the test runner's output
        public void A_registry_spelt_any_way_the_compiler_reads_alike_is_widened_and_renamed_and_the_runtime_finds_every_function(string what, string from, string to)
#pragma warning restore IDE0060
        {
            var tree = YesNo(from, to);
            Assert.DoesNotContain(MlfArchiveValidator.Validate(tree.Pack(_temp, _temp.File(Guid.NewGuid().ToString("N") + ".tar"))), f => f.Id == ArchiveFindingIds.FunctionRegistryInvalid);
            string joined = JoinedArchive.Write(_temp.File("joined.tar"), null, Module(tree, "yes"), JoinedArchive.Sample("v7-graph-magicwand.tar", "magic"));
            var entry = JoinedArchive.Headers(joined).Single(e => e.Name == "./codegen/host/src/yes_lib0.c");
            using var data = new MemoryStream();
            entry.DataStream!.CopyTo(data);
            string source = _temp.File("yes_lib0.c");
            File.WriteAllBytes(source, data.ToArray());

            string[] names =
            {
                "tvmgen_yes_fused_nn_softmax",
                "tvmgen_yes_fused_nn_contrib_dense_pack_add_fixed_point_multiply_add_clip_cast_cast_subtract_14669711146056581479_",
                "tvmgen_yes_fused_reshape_cast_subtract_1",
                "tvmgen_yes_fused_nn_conv2d_add_cast_multiply_add_right_shift_cast_add_clip_cast_clip",
                "tvmgen_yes_fused_divide_add_round_cast_clip_cast",
                "tvmgen_yes_fused_reshape_cast_subtract",
                "_lookup_linked_param",
            };
            string output = RunRegistryDriver(source, "tvmgen_yes_system_lib", names.Append("tvmgen_default_fused_nn_softmax").Append("not_listed").ToArray());
            var expected = new List<string> { "count 7" };
            expected.AddRange(names.Select((n, i) => $"{n} {i}"));
            expected.Add("tvmgen_default_fused_nn_softmax missing");
            expected.Add("not_listed missing");
            Assert.Equal(expected, output.TrimEnd('\n').Split('\n'));
        }

        [SampleAsanFact]
        public void Without_the_empty_name_that_ends_the_list_the_runtime_reads_past_the_names_string()
        {
            // The proof behind refusing it: with the count already two bytes, the runtime finds a listed name, and a
            // lookup of any other name runs past the end of the string.
            string original = YesNo(Count, "\"\\007\\000tvmgen_default_").ReadText(Lib0);
            string source = _temp.File("lib0.c");
            File.WriteAllText(source, original.Replace(Last, "_lookup_linked_param\","), Encoding.Latin1);
            Assert.Equal("count 7\n_lookup_linked_param 6\n", RunRegistryDriver(source, "TVMSystemLibEntryPoint", "_lookup_linked_param"));
            var error = Assert.Throws<InvalidOperationException>(() => RunRegistryDriver(source, "TVMSystemLibEntryPoint", "not_listed"));
            Assert.Contains("global-buffer-overflow", error.Message);
        }

        /// <summary>
        /// Compiles <paramref name="lib0"/> with TVM 0.13's func_registry.c (from v7-aot-crt-mlp.tar) and the driver,
        /// under AddressSanitizer, and runs it with <paramref name="names"/>. The kernels stay unresolved: only the registry is read.
        /// </summary>
        private string RunRegistryDriver(string lib0, string systemLib, params string[] names)
        {
            string crt = _temp.File("crt");
            if (!Directory.Exists(crt))
            {
                Directory.CreateDirectory(crt);
                ExternalTool.Run("tar", crt, "-xf", TestPaths.Sample("v7-aot-crt-mlp.tar"), "./runtime");
            }
            string program = _temp.File("driver-" + Guid.NewGuid().ToString("N"));
            ExternalTool.Run("gcc", _temp.Path, "-std=gnu99", "-g", "-fsanitize=address", "-fno-common", "-I", Path.Combine(crt, "runtime", "include"), "-DSYSTEM_LIB=" + systemLib,
                "-o", program, Path.Combine(Resources, "registry_driver.c"), lib0, Path.Combine(crt, "runtime", "src", "runtime", "crt", "common", "func_registry.c"),
                "-Wl,--unresolved-symbols=ignore-all");
            return ExternalTool.Run(program, _temp.Path, names);
        }
    }
}
