using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// TVM 0.8 and older named a graph model's kernels without the module prefix (v2-graph-kws-onefile: fused_cast_subtract
    /// in lib0.c and in the graph's func_name). A renamed module's kernels take the prefix of its new name, as TVM 0.9 and
    /// later write them (tvmgen_a_fused_cast_subtract), in its C code, its graph config and its metadata, so two copies of
    /// such a model join. GraphExecutorEndToEndTests runs them.
    /// </summary>
    public class UnprefixedKernelJoinTests : IDisposable
    {
        private const string Kws = "v2-graph-kws-onefile.tar";
        private const string OriginalSource = "codegen/host/src/lib0.c";
        private const string OriginalGraph = "runtime-config/graph/graph.json";
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

        private static bool HasIdentifier(string text, string name) => Regex.IsMatch(text, $@"(?<![A-Za-z0-9_$]){Regex.Escape(name)}(?![A-Za-z0-9_$])");

        /// <summary>The tvm_op nodes of a graph config: (node name, func_name), in node order.</summary>
        private static List<(string Name, string Function)> Kernels(byte[] graph) =>
            JsonDocument.Parse(graph).RootElement.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("op").GetString() == "tvm_op")
                .Select(n => (n.GetProperty("name").GetString()!, n.GetProperty("attrs").GetProperty("func_name").GetString()!))
                .ToList();

        private static List<string> Inputs(byte[] graph) =>
            JsonDocument.Parse(graph).RootElement.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("op").GetString() == "null").Select(n => n.GetProperty("name").GetString()!).ToList();

        [SampleFact]
        public void The_sample_s_kernels_carry_no_prefix_and_it_has_no_function_registry()
        {
            var original = IndependentArchive.Read(TestPaths.Sample(Kws));
            string source = Text(original.Files[OriginalSource]);
            var kernels = Kernels(original.Files[OriginalGraph]);
            Assert.Equal(16, kernels.Select(k => k.Function).Distinct().Count());
            Assert.All(kernels, k => Assert.StartsWith("fused_", k.Function));
            Assert.All(kernels, k => Assert.Matches($@"TVM_DLL int32_t {Regex.Escape(k.Function)}\(", source));
            Assert.DoesNotContain("_tvm_func_registry", source);
            Assert.DoesNotContain("TVMSystemLibEntryPoint", source);
        }

        [SampleFact]
        public void Two_copies_joined_as_a_and_b_no_longer_collide_and_every_kernel_takes_its_module_s_prefix()
        {
            var original = IndependentArchive.Read(TestPaths.Sample(Kws));
            string originalSource = Text(original.Files[OriginalSource]);
            var originalKernels = Kernels(original.Files[OriginalGraph]);
            var kernelNames = originalKernels.Select(k => k.Function).Distinct().ToList();

            // Both copies define the same kernels and __tvm_module_ctx: renamed apart, they no longer collide.
            var plan = JoinPlanner.Plan(new[] { JoinedArchive.Sample(Kws, "a"), JoinedArchive.Sample(Kws, "b") }, new MlfJoinOptions());
            string joined = _temp.File("ab.tar");
            JoinWriter.Write(plan, joined, overwrite: false);
            var output = IndependentArchive.Read(joined);

            foreach (string m in new[] { "a", "b" })
            {
                string prefix = $"tvmgen_{m}_";
                byte[] graph = output.Files[$"executor-config/graph/{m}.graph"];
                var kernels = Kernels(graph);
                // func_name and the kernel node's name, every one, as TVM 0.9 and later name them; inputs and params keep theirs.
                Assert.Equal(originalKernels.Select(k => (prefix + k.Name, prefix + k.Function)), kernels);
                Assert.Equal(Inputs(original.Files[OriginalGraph]), Inputs(graph));
                // Nothing else in the graph changed: naming the kernels back gives the original bytes.
                string restored = Text(graph);
                foreach (string name in kernelNames) restored = restored.Replace($"\"{prefix}{name}\"", $"\"{name}\"");
                Assert.Equal(Text(original.Files[OriginalGraph]), restored);

                string source = Text(output.Files[$"codegen/host/src/{m}_lib0.c"]);
                foreach (string name in kernelNames)
                {
                    Assert.False(HasIdentifier(source, name), $"{m}: {name} is still in the C source");
                    Assert.Matches($@"TVM_DLL int32_t {Regex.Escape(prefix + name)}\(", source);
                }
                Assert.True(HasIdentifier(source, prefix + "__tvm_module_ctx"));
                Assert.False(HasIdentifier(source, "__tvm_module_ctx"));
                // The runtime API keeps its names, every use of it.
                foreach (string api in new[] { "TVMBackendAllocWorkspace", "TVMBackendFreeWorkspace", "TVMValue" })
                {
                    Assert.Equal(Regex.Matches(originalSource, $@"\b{api}\b").Count, Regex.Matches(source, $@"\b{api}\b").Count);
                }
                // Only names changed: renaming them back gives the original source.
                string back = source.Replace(prefix + "__tvm_module_ctx", "__tvm_module_ctx");
                foreach (string name in kernelNames) back = Regex.Replace(back, $@"\b{Regex.Escape(prefix + name)}\b", name);
                Assert.Equal(originalSource, back);

                // The metadata names the renamed kernels.
                var functions = output.ModuleEntry(m).GetProperty("memory").GetProperty("functions").GetProperty("operator_functions")
                    .EnumerateArray().Select(f => f.GetProperty("function_name").GetString()!).ToList();
                Assert.Equal(kernelNames.OrderBy(n => n, StringComparer.Ordinal).Select(n => prefix + n), functions.OrderBy(n => n, StringComparer.Ordinal));
            }

            // Our validator finds no error in the join, and no symbol a later join could not rename.
            var findings = MlfArchiveValidator.Validate(joined);
            Assert.True(findings.All(f => f.Level != FindingSeverity.Error), string.Join("\n", findings));
            Assert.DoesNotContain(findings, f => f.Id == ArchiveFindingIds.UnprefixedSymbols);
        }

        [SampleFact]
        public void A_copy_kept_under_its_own_name_keeps_its_kernels_as_they_are_and_joins_with_a_renamed_copy()
        {
            var plan = JoinPlanner.Plan(new[] { JoinedArchive.Sample(Kws), JoinedArchive.Sample(Kws, "b") }, new MlfJoinOptions());
            string joined = _temp.File("default-b.tar");
            JoinWriter.Write(plan, joined, overwrite: false);
            var original = IndependentArchive.Read(TestPaths.Sample(Kws));
            var output = IndependentArchive.Read(joined);
            Assert.Equal(original.Files[OriginalSource], output.Files["codegen/host/src/default_lib0.c"]);
            Assert.Equal(original.Files[OriginalGraph], output.Files["executor-config/graph/default.graph"]);
            Assert.All(Kernels(output.Files["executor-config/graph/b.graph"]), k => Assert.StartsWith("tvmgen_b_fused_", k.Function));
        }

        [SampleFact]
        public void A_renamed_kernel_too_long_for_the_C_runtime_s_default_buffer_is_warned_about_under_its_new_name()
        {
            // The longest kernel has 103 characters: tvmgen_a_ keeps it within the 118 the CRT template reads, a longer name does not.
            Assert.DoesNotContain(JoinPlanner.Plan(new[] { JoinedArchive.Sample(Kws, "a") }, new MlfJoinOptions()).Warnings, w => w.Contains("TVM_CRT_MAX_STRLEN_FUNCTION_NAME"));
            var warnings = JoinPlanner.Plan(new[] { JoinedArchive.Sample(Kws, "keyword_spotting") }, new MlfJoinOptions()).Warnings
                .Where(w => w.Contains("TVM_CRT_MAX_STRLEN_FUNCTION_NAME")).ToList();
            Assert.NotEmpty(warnings);
            Assert.All(warnings, w => Assert.Contains("calls the function 'tvmgen_keyword_spotting_fused_", w));
        }

        [SampleFact]
        public void The_validator_lists_no_kernel_of_the_sample_as_unprefixed_only_what_a_join_cannot_rename()
        {
            Assert.DoesNotContain(MlfArchiveValidator.Validate(TestPaths.Sample(Kws)), f => f.Id == ArchiveFindingIds.UnprefixedSymbols);

            // A global the graph does not call is no kernel: a join leaves it as it is, so the validator lists it (and only it).
            string tar = MlfTree.FromArchive(TestPaths.Sample(Kws))
                .Edit(OriginalSource, c => c + "int32_t fused_helper(int32_t a) { return a; }\nint lookup_table[4];\n")
                .WriteTar(_temp.File("extra.tar"));
            var finding = Assert.Single(MlfArchiveValidator.Validate(tar), f => f.Id == ArchiveFindingIds.UnprefixedSymbols);
            Assert.Contains("defines 2 global symbol(s) without its prefix 'tvmgen_default_': fused_helper, lookup_table.", finding.Message);

            // And a join indeed leaves them: two renamed copies collide on the first of them.
            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { MlfReader.ReadModules(tar).Single().WithName("a"), MlfReader.ReadModules(tar).Single().WithName("b") }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.SymbolCollision, error.ErrorId);
            Assert.Contains("'fused_helper'", error.Message);
        }
    }
}
