using System;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>Versions and styles the samples do not cover: early dev versions, v6, operator style.</summary>
    public class VersionAndStyleTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        [InlineData(6)]
        [InlineData(7)]
        public void Every_version_TVM_wrote_is_read(int version)
        {
            string tar = new TestArchive().File("./metadata.json", TestArchive.Metadata(version, executor: "AOT")).WriteTar(_temp.File("v.tar"));
            var module = Assert.Single(MlfReader.ReadModules(tar));
            Assert.Equal(version, module.FormatVersion);
            Assert.Equal(new[] { "aot" }, module.Executors);
            Assert.Equal(new[] { "c -keys=cpu" }, module.Targets);
            Assert.Equal(new DateTime(2022, 3, 4, 5, 6, 7, DateTimeKind.Unspecified), module.ExportDateTime);
            Assert.Equal("full-model", module.Style);
        }

        [Fact]
        public void Operator_style_stays_flat_in_version_7()
        {
            // tvm.build output: one-line metadata in insertion order, memory keyed by primfunc, TIR text, unprefixed lib0.c.
            const string metadata = "{\"version\": 7, \"model_name\": \"add\", \"export_datetime\": \"2023-01-02 03:04:05Z\", " +
                "\"memory\": {\"add\": [{\"size_bytes\": 8, \"shape\": [2], \"dtype\": \"float32\", \"input_binding\": \"A\"}]}, " +
                "\"target\": [\"c -keys=cpu\"], \"executors\": [], \"style\": \"operator\"}";
            string tar = new TestArchive()
                .File("metadata.json", metadata)
                .File("src/tir-1.txt", "primfn...")
                .File("codegen/host/src/lib0.c", "int add;")
                .WriteTar(_temp.File("op.tar"));

            var module = Assert.Single(MlfReader.ReadModules(tar));
            Assert.Equal("add", module.Name);
            Assert.Equal("operator", module.Style);
            Assert.Empty(module.Executors);
            Assert.Contains(module.Files, f => f.Path == "src/tir-1.txt" && f.Kind == MlfFileKind.Tir);
            Assert.Contains(module.Files, f => f.Path == "codegen/host/src/lib0.c" && f.Kind == MlfFileKind.Source);
            Assert.Null(module.Parameters);
            var ex = Assert.Throws<MlfException>(() => module.WithName("other"));
            Assert.Equal(MlfErrorIds.InvalidModuleName, ex.ErrorId);
        }

        [Fact]
        public void Unknown_keys_survive_in_the_metadata()
        {
            string json = TestArchive.Metadata(5, extraKeys: ", \"vendor_notes\": {\"z\": [1, 2.5, true, null, \"\\u00e9\"], \"a\": 12345678901234}");
            string tar = new TestArchive().File("metadata.json", json).WriteTar(_temp.File("extra.tar"));
            var metadata = MlfReader.ReadModules(tar).Single().Metadata;
            var notes = (System.Collections.IDictionary)metadata["vendor_notes"]!;
            Assert.Equal(new[] { "z", "a" }, notes.Keys.Cast<string>());
            Assert.Equal(new object?[] { 1L, 2.5, true, null, "é" }, (object[])notes["z"]!);
            Assert.Equal(12345678901234L, notes["a"]);
            Assert.False(metadata.Contains("version"));
            Assert.True(metadata.IsReadOnly);
        }

        [Fact]
        public void Later_duplicate_members_replace_earlier_ones_as_tar_extraction_would()
        {
            string tar = new TestArchive()
                .File("metadata.json", "{\"version\": 99}")
                .File("metadata.json", TestArchive.Metadata(5))
                .WriteTar(_temp.File("dup.tar"));
            var module = Assert.Single(MlfReader.ReadModules(tar));
            Assert.Single(module.Files, f => f.Path == "metadata.json");
        }
    }
}
