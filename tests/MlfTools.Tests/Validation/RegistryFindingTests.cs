using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Validation
{
    /// <summary>
    /// What the C runtime hides about a system-lib registry, found by Test-MlfArchive: a graph function the registry
    /// does not list, and a count of the width the archive's runtime (or MLF version 7) does not read.
    /// </summary>
    public class RegistryFindingTests : IDisposable
    {
        private const string Lib0 = "codegen/host/src/default_lib0.c";
        private const string RuntimeRegistry = "runtime/src/runtime/crt/common/func_registry.c";
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private IReadOnlyList<ArchiveFinding> Validate(MlfTree tree) => MlfArchiveValidator.Validate(tree.Pack(_temp, _temp.File(Guid.NewGuid().ToString("N") + ".tar")));

        private static ArchiveFinding Only(IReadOnlyList<ArchiveFinding> findings, string id)
        {
            Assert.True(findings.All(f => f.Id == id || f.Id == ArchiveFindingIds.UnprefixedSymbols), string.Join("\n", findings));
            return Assert.Single(findings, f => f.Id == id);
        }

        private static MlfTree Magicwand() => MlfTree.FromArchive(TestPaths.Sample("v7-graph-magicwand.tar"));

        [SampleFact]
        public void A_one_byte_count_in_a_version_7_archive_without_a_runtime_is_RegistryCountMismatch()
        {
            var tree = Magicwand().Edit(Lib0, c => ReplaceOnce(c, "\"\\n\\000tvmgen_default_", "\"\\ntvmgen_default_"));
            var finding = Only(Validate(tree), ArchiveFindingIds.RegistryCountMismatch);
            Assert.Equal((FindingSeverity.Error, "default", Lib0), (finding.Level, finding.Module, finding.Member));
            Assert.Contains("starts with a one-byte function count (as TVM 0.8 and older writes it), but the C runtime of every TVM that writes MLF version 7 (0.9 and later) reads two-byte", finding.Message);
            Assert.Contains("join the original archive again", finding.Message);
        }

        [SampleFact]
        public void The_runtime_the_archive_carries_decides_the_width()
        {
            const string Old = "uint8_t TVMFuncRegistry_GetNumFuncs(const TVMFuncRegistry* reg) {\n  uint8_t num_funcs;\n  memcpy(&num_funcs, reg->names, sizeof(num_funcs));\n  return num_funcs;\n}\n";
            // The real magicwand (two-byte count) with a TVM 0.8 runtime: mismatch; with a 0.9+ runtime: none.
            var finding = Only(Validate(Magicwand().Text(RuntimeRegistry, Old)), ArchiveFindingIds.RegistryCountMismatch);
            Assert.Contains($"two-byte function count (as TVM 0.9 and later writes it), but the C runtime in the archive ('{RuntimeRegistry}') reads one-byte", finding.Message);
            Assert.DoesNotContain(Validate(Magicwand().Text(RuntimeRegistry, Old.Replace("uint8_t num_funcs", "uint16_t num_funcs"))), f => f.Id == ArchiveFindingIds.RegistryCountMismatch);
        }

        [SampleFact]
        public void A_graph_function_the_registry_does_not_list_is_UnregisteredFunction()
        {
            // Ten functions become nine: the registry no longer lists the softmax the graph calls (the code still defines it).
            var tree = Magicwand().Edit(Lib0, c => ReplaceOnce(ReplaceOnce(c, "\"\\n\\000tvmgen_", "\"\\t\\000tvmgen_"), "\\000tvmgen_default_fused_nn_softmax\\000", "\\000"));
            var finding = Only(Validate(tree), ArchiveFindingIds.UnregisteredFunction);
            Assert.Equal((FindingSeverity.Error, "default", Lib0), (finding.Level, finding.Module, finding.Member));
            Assert.Contains("calls 1 function(s) that the function registry in 'codegen/host/src/default_lib0.c' does not list: tvmgen_default_fused_nn_softmax.", finding.Message);
        }

        [SampleFact]
        public void A_two_byte_count_that_disagrees_with_the_names_is_FunctionRegistryInvalid_and_the_join_refuses_it()
        {
            // Magicwand (TVM 0.13) lists ten functions; a count of eleven sends the runtime's index check past the array.
            var tree = Magicwand().Edit(Lib0, c => ReplaceOnce(c, "\"\\n\\000tvmgen_default_", "\"\\013\\000tvmgen_default_"));
            string archive = tree.Pack(_temp, _temp.File(Guid.NewGuid().ToString("N") + ".tar"));
            var finding = Only(MlfArchiveValidator.Validate(archive), ArchiveFindingIds.FunctionRegistryInvalid);
            Assert.Equal((FindingSeverity.Error, "default", Lib0), (finding.Level, finding.Module, finding.Member));
            Assert.Contains("read as TVM 0.9 and later read it (two bytes) the count is 11 and 10 name(s) follow", finding.Message);
            var error = Assert.Throws<MlfException>(() => MlfTools.JoinPlanner.Plan(MlfReader.ReadModules(archive), new MlfTools.MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.FunctionRegistryInvalid, error.ErrorId);
        }

        private static string ReplaceOnce(string text, string from, string to)
        {
            Assert.Single(text.Split(from).Skip(1));
            return text.Replace(from, to);
        }
    }
}
