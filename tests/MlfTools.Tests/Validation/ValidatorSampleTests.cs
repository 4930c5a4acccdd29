using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Validation
{
    /// <summary>
    /// The real archives: TVM wrote them and they build, so the validator must find nothing wrong with them; what it
    /// reports is information that was checked by hand. Then each real archive is broken in one realistic way, and
    /// what Join-MlfArchive writes from them must validate as cleanly as its inputs.
    /// </summary>
    public class ValidatorSampleTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>
        /// Global symbols without the tvmgen_default_ prefix, checked by hand in each sample's sources: the system-lib
        /// registry's TVMSystemLibEntryPoint (yesno, magicwand: graph builds with system-lib), yesno's
        /// _lookup_linked_param (-link-params=1), and the Arm DSP helper __ror of the mlp kernels.
        /// </summary>
        public static IEnumerable<object[]> Expected() => new[]
        {
            // TVMSystemLibEntryPoint and _lookup_linked_param are no finding: the join renames them itself.
            new object[] { "v4-graph-yesno.tar", Array.Empty<string>() },
            new object[] { "v5-aot-sine.tar", Array.Empty<string>() },
            new object[] { "v5-graph-llvm-conv1d.tar", Array.Empty<string>() },
            new object[] { "v7-aot-crt-mlp.tar", new[] { "__ror" } },
            new object[] { "v7-graph-magicwand.tar", Array.Empty<string>() },
        };

        [Fact]
        public void The_expectations_cover_every_sample()
        {
            Assert.Equal(SampleArchives.Names, Expected().Select(e => (string)e[0]));
        }

        [SampleTheory]
        [MemberData(nameof(Expected))]
        public void A_real_archive_has_no_error_or_warning_only_its_unprefixed_symbols(string sample, string[] unprefixed)
        {
            var findings = MlfArchiveValidator.Validate(TestPaths.Sample(sample));
            Assert.All(findings, f => Assert.Equal(FindingSeverity.Information, f.Level));
            if (unprefixed.Length == 0)
            {
                Assert.Empty(findings);
                return;
            }
            var finding = Assert.Single(findings);
            Assert.Equal((ArchiveFindingIds.UnprefixedSymbols, "default", TestPaths.Sample(sample)), (finding.Id, finding.Module, finding.Path));
            Assert.Contains($"defines {unprefixed.Length} global symbol(s) without its prefix 'tvmgen_default_': {string.Join(", ", unprefixed)}.", finding.Message);

            // Each name is defined (not just declared) in the archive's own sources.
            var sources = IndependentArchive.Read(TestPaths.Sample(sample)).Files.Where(f => f.Key.StartsWith("codegen/host/src/", StringComparison.Ordinal))
                .Select(f => Encoding.UTF8.GetString(f.Value)).ToList();
            foreach (string name in unprefixed)
            {
                Assert.Contains(sources, s => Regex.IsMatch(s, $@"\b{Regex.Escape(name)}\s*\([^;{{]*\)\s*\{{"));
            }
        }

        // ------------------------------------------------------------------ real archives, broken the way they get broken

        private IReadOnlyList<ArchiveFinding> Validate(MlfTree tree) => MlfArchiveValidator.Validate(tree.Pack(_temp, _temp.File(Guid.NewGuid().ToString("N") + ".tar")));

        private static ArchiveFinding Only(IReadOnlyList<ArchiveFinding> findings, string id)
        {
            Assert.True(findings.All(f => f.Id == id || f.Id == ArchiveFindingIds.UnprefixedSymbols), string.Join("\n", findings));
            return Assert.Single(findings, f => f.Id == id);
        }

        [SampleToolFact("python3")]
        public void Magicwand_without_its_kernel_file_calls_undefined_kernels()
        {
            var tree = MlfTree.FromArchive(TestPaths.Sample("v7-graph-magicwand.tar")).Remove("codegen/host/src/default_lib2.c");
            var finding = Only(Validate(tree), ArchiveFindingIds.UndefinedFunction);
            Assert.Equal(("default", "executor-config/graph/default.graph"), (finding.Module, finding.Member));
            // Seven kernels; the graph calls one more function, __nop (its reshapes), which is the executor's own.
            Assert.Contains("calls 7 kernel(s)", finding.Message);
            Assert.Contains("tvmgen_default_fused_nn_conv2d_add_nn_relu, ", finding.Message);
            Assert.Contains("and 2 more", finding.Message);
        }

        [SampleToolFact("python3")]
        public void Magicwand_with_the_params_of_another_model_is_ParamsMismatch()
        {
            var yesno = IndependentArchive.Read(TestPaths.Sample("v4-graph-yesno.tar"));
            var tree = MlfTree.FromArchive(TestPaths.Sample("v7-graph-magicwand.tar")).Bytes("parameters/default.params", yesno.Files["parameters/default.params"]);
            var finding = Only(Validate(tree), ArchiveFindingIds.ParamsMismatch);
            Assert.Contains("'p8', which is no input of the graph", finding.Message);
            Assert.Contains("'p0' is int16[] in params but float32[4,3,1,8] in the graph", finding.Message);
        }

        [SampleToolFact("python3")]
        public void Yesno_with_a_hand_edited_storage_size_is_MetadataMismatch()
        {
            var tree = MlfTree.FromArchive(TestPaths.Sample("v4-graph-yesno.tar"))
                .EditJson("metadata.json", metadata => metadata["memory"]!["sids"]![2]!["size_bytes"] = 4000);
            var finding = Only(Validate(tree), ArchiveFindingIds.MetadataMismatch);
            Assert.Contains("storage id 2 has size_bytes 4000 where the graph gives 3920", finding.Message);
        }

        [SampleFact]
        public void Aww_of_TVM_0_11_has_header_size_macros_its_metadata_contradicts()
        {
            // TVM 0.11.1 wrote the header from the metadata's {dtype, size} objects where it wanted numbers: 1 x 49 x 10
            // int8 is 490 bytes (metadata and @main agree), and the output is 12.
            var findings = MlfArchiveValidator.Validate(TestPaths.Sample("v7-aot-muriscvnn-aww.tar"));
            var finding = Assert.Single(findings, f => f.Level != FindingSeverity.Information);
            Assert.Equal((ArchiveFindingIds.MetadataMismatch, FindingSeverity.Warning, "default", "codegen/host/include/tvmgen_default.h"),
                (finding.Id, finding.Level, finding.Module, finding.Member));
            Assert.Contains("TVMGEN_DEFAULT_INPUT_1_SIZE is 43221472 where input 'input_1' takes 490 bytes", finding.Message);
            Assert.Contains("TVMGEN_DEFAULT_IDENTITY_SIZE is 42738432 where output 'output' takes 12 bytes", finding.Message);
        }

        [SampleToolFact("python3")]
        public void Mlp_with_a_hand_edited_input_size_macro_is_MetadataMismatch()
        {
            // TVM 0.13 writes the macros right (the mlp passes the clean check above); one edited byte count is found.
            var tree = MlfTree.FromArchive(TestPaths.Sample("v7-aot-crt-mlp.tar"))
                .Edit("codegen/host/include/tvmgen_default.h", h => h.Replace("TVMGEN_DEFAULT_SERVING_DEFAULT_INPUT_1_0_SIZE 5", "TVMGEN_DEFAULT_SERVING_DEFAULT_INPUT_1_0_SIZE 50"));
            var finding = Only(Validate(tree), ArchiveFindingIds.MetadataMismatch);
            Assert.Equal("codegen/host/include/tvmgen_default.h", finding.Member);
            Assert.Contains("TVMGEN_DEFAULT_SERVING_DEFAULT_INPUT_1_0_SIZE is 50 where input 'serving_default_input_1:0' takes 5 bytes", finding.Message);
            Assert.DoesNotContain("STATEFULPARTITIONEDCALL", finding.Message);
        }

        [SampleToolFact("python3")]
        public void Mlp_without_its_C_runtime_is_MissingFile()
        {
            var tree = MlfTree.FromArchive(TestPaths.Sample("v7-aot-crt-mlp.tar")).RemoveFolder("runtime/");
            var finding = Only(Validate(tree), ArchiveFindingIds.MissingFile);
            Assert.Equal(("default", "runtime/"), (finding.Module, finding.Member));
        }

        [SampleToolFact("python3")]
        public void Conv1d_with_a_corrupt_object_file_is_InvalidArchive()
        {
            var tree = MlfTree.FromArchive(TestPaths.Sample("v5-graph-llvm-conv1d.tar"));
            var original = IndependentArchive.Read(TestPaths.Sample("v5-graph-llvm-conv1d.tar")).Files["codegen/host/lib/default_lib0.o"];
            tree.Bytes("codegen/host/lib/default_lib0.o", original.Take(200).ToArray());
            var finding = Only(Validate(tree), ArchiveFindingIds.InvalidArchive);
            Assert.Equal(("default", "codegen/host/lib/default_lib0.o"), (finding.Module, finding.Member));
        }

        [SampleToolFact("python3")]
        public void Sine_as_version_5_with_version_4_paths_is_UnexpectedFilePath()
        {
            var tree = MlfTree.FromArchive(TestPaths.Sample("v5-aot-sine.tar")).Rename("src/relay.txt", "relay.txt");
            var finding = Only(Validate(tree), ArchiveFindingIds.UnexpectedFilePath);
            Assert.Equal(("default", "relay.txt"), (finding.Module, finding.Member));
        }

        // ------------------------------------------------------------------ what the join writes

        [SampleTheory]
        [InlineData(MlfLayout.Flat)]
        [InlineData(MlfLayout.PerModule)]
        public void Four_real_models_joined_into_one_archive_validate_as_cleanly_as_they_did_alone(MlfLayout layout)
        {
            var modules = new[]
            {
                JoinedArchive.Sample("v7-graph-magicwand.tar", "kws"),
                JoinedArchive.Sample("v5-aot-sine.tar", "sine"),
                JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"),
                JoinedArchive.Sample("v5-graph-llvm-conv1d.tar"), // LLVM objects cannot be renamed
            };
            string joined = JoinedArchive.Write(_temp.File($"joined-{layout}.tar"), new MlfJoinOptions { Layout = layout }, modules);
            var findings = MlfArchiveValidator.Validate(joined);
            Assert.All(findings, f => Assert.Equal(ArchiveFindingIds.UnprefixedSymbols, f.Id));
            Assert.Equal(new[] { "mlp" }, findings.Select(f => f.Module));
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void A_real_archive_upgraded_to_version_7_by_the_join_gives_what_it_gave_before(string sample)
        {
            string upgraded = JoinedArchive.Write(_temp.File("upgraded-" + sample), null, JoinedArchive.Sample(sample));
            var before = MlfArchiveValidator.Validate(TestPaths.Sample(sample)).Select(f => (f.Id, f.Module, f.Member, f.Message));
            var after = MlfArchiveValidator.Validate(upgraded).Select(f => (f.Id, f.Module, f.Member, f.Message));
            Assert.Equal(before, after);
        }

        [SampleToolFact("python3")]
        public void The_joined_archive_of_two_system_lib_graph_builds_is_what_the_join_refuses()
        {
            // Put magicwand and yesno into one tree by hand (as a user might), each renamed: the validator reports the
            // collision the join would have refused with, in the same words.
            var tree = MlfTree.FromArchive(TestPaths.Sample("v7-graph-magicwand.tar"));
            var yesno = IndependentArchive.Read(TestPaths.Sample("v4-graph-yesno.tar"));
            tree.Text("codegen/host/src/yes_lib0.c", Encoding.UTF8.GetString(yesno.Files["codegen/host/src/default_lib0.c"]).Replace("tvmgen_default_", "tvmgen_yes_"))
                .Text("codegen/host/src/yes_lib1.c", Encoding.UTF8.GetString(yesno.Files["codegen/host/src/default_lib1.c"]).Replace("tvmgen_default_", "tvmgen_yes_"))
                .Text("executor-config/graph/yes.graph", Encoding.UTF8.GetString(yesno.Files["runtime-config/graph/graph.json"]).Replace("tvmgen_default_", "tvmgen_yes_"))
                .Bytes("parameters/yes.params", yesno.Files["parameters/default.params"])
                .Bytes("src/yes.relay", yesno.Files["src/relay.txt"])
                .EditJson("metadata.json", metadata =>
                {
                    var entry = JsonNode.Parse(Encoding.UTF8.GetString(yesno.Files["metadata.json"]).Replace("tvmgen_default_", "tvmgen_yes_"))!.AsObject();
                    entry.Remove("version");
                    entry["executors"] = entry["runtimes"]!.DeepClone();
                    entry.Remove("runtimes");
                    entry["target"] = new JsonArray(entry["target"]!["1"]!.GetValue<string>());
                    entry["model_name"] = "yes";
                    metadata["modules"]!["yes"] = entry;
                });
            var findings = Validate(tree);
            var collision = Assert.Single(findings, f => f.Id == ArchiveFindingIds.SymbolCollision);
            Assert.Equal(("yes", "codegen/host/src/yes_lib0.c"), (collision.Module, collision.Member));
            Assert.Contains("'TVMSystemLibEntryPoint' is defined by module 'default' (codegen/host/src/default_lib0.c) and by module 'yes'", collision.Message);
            // Copied by hand, yesno keeps the one-byte registry count of TVM 0.8 that a version 7 archive's runtime misreads.
            var count = Assert.Single(findings, f => f.Id == ArchiveFindingIds.RegistryCountMismatch);
            Assert.Equal(("yes", "codegen/host/src/yes_lib0.c"), (count.Module, count.Member));
            Assert.All(findings, f => Assert.Contains(f.Id, new[] { ArchiveFindingIds.SymbolCollision, ArchiveFindingIds.UnprefixedSymbols, ArchiveFindingIds.RegistryCountMismatch }));
        }
    }
}
