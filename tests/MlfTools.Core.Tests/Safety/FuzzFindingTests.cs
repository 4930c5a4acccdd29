using System;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// What the fuzzer (<see cref="ArchiveFuzzTests"/>) found, each pinned by a small archive that does the same; the
    /// test names say which mutant (seed and iteration) found it.
    /// </summary>
    public class FuzzFindingTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private MlfException ReadFails(TestArchive archive) =>
            Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive.WriteTar(_temp.File("input.tar"))));

        private static string Graph(string storageIds, string shapes) =>
            "{\"nodes\": [{\"op\": \"null\", \"name\": \"x\"}], \"arg_nodes\": [0], \"node_row_ptr\": [0, 1], \"attrs\": {" +
            $"\"storage_id\": [\"list_int\", {storageIds}], \"shape\": [\"list_shape\", {shapes}], \"dltype\": [\"list_str\", [\"float32\"]]}}}}";

        /// <summary>
        /// Seed 20240611, iteration 165: a graph config whose shape holds 18446744073709551616 (2^64). Newtonsoft keeps such
        /// an integer as a BigInteger, and Value&lt;long&gt;() threw InvalidCastException instead of an overflow.
        /// </summary>
        [Theory]
        [InlineData("[0]", "[[18446744073709551616]]")]
        [InlineData("[0]", "[[-99999999999999999999999]]")]
        [InlineData("[99999999999999999999]", "[[1]]")]
        [InlineData("[2147483648]", "[[1]]")]
        public void Seed_20240611_iteration_165_graph_integers_beyond_64_bits_are_GraphConfigInvalid(string storageIds, string shapes)
        {
            var error = ReadFails(new TestArchive()
                .File("metadata.json", TestArchive.Metadata(7))
                .File("executor-config/graph/default.graph", Graph(storageIds, shapes)));
            Assert.Equal(MlfErrorIds.GraphConfigInvalid, error.ErrorId);
            Assert.Contains("out of range", error.Message);
        }

        /// <summary>
        /// Seed 1, iteration 1963: a version-5 metadata.json nested 127 levels deep (arrays in an operator function's name)
        /// was read, but the join moves the entry two levels down (modules, then the name), so the joined archive had
        /// metadata its own reader refuses. Such metadata is now refused when read; two levels less still joins and reads back.
        /// </summary>
        [Theory]
        [InlineData(125, true)]
        [InlineData(126, false)]
        [InlineData(127, false)]
        public void Seed_1_iteration_1963_flat_metadata_too_deep_to_join_is_refused_when_read(int arrays, bool readable)
        {
            string nested = new string('[', arrays) + new string(']', arrays);
            string input = new TestArchive().File("metadata.json", TestArchive.Metadata(5, extraKeys: ", \"extra\": " + nested)).WriteTar(_temp.File("input.tar"));
            if (!readable)
            {
                var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(input));
                Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
                Assert.Contains("nested more than", error.Message);
                return;
            }
            var module = Assert.Single(MlfReader.ReadModules(input)).WithName("renamed");
            string joined = JoinedArchive.Write(_temp.File("joined.tar"), null, module);
            Assert.Equal("renamed", Assert.Single(MlfReader.ReadModules(joined)).Name);
        }
    }
}
