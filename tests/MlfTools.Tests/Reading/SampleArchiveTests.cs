using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>Every real archive in ../shared/mlf-samples, checked against its own metadata.json and files.</summary>
    public class SampleArchiveTests
    {

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Identity_and_metadata_facts_match_the_archives_own_metadata(string sample)
        {
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));
            var module = Assert.Single(MlfReader.ReadModules(TestPaths.Sample(sample)));
            var entry = oracle.ModuleEntry();

            Assert.Equal("default", module.Name);
            Assert.Equal("default", module.OriginalName);
            Assert.False(module.IsRenamed);
            Assert.Equal(TestPaths.Sample(sample), module.SourcePath);
            Assert.Equal(oracle.Metadata.GetProperty("version").GetInt32(), module.FormatVersion);
            Assert.Equal(entry.GetProperty("style").GetString(), module.Style);

            var executors = entry.TryGetProperty("executors", out var e) ? e : entry.GetProperty("runtimes");
            Assert.Equal(executors.EnumerateArray().Select(x => x.GetString()), module.Executors);

            var target = entry.GetProperty("target");
            var expectedTargets = target.ValueKind == JsonValueKind.Object
                ? target.EnumerateObject().Select(p => p.Value.GetString())
                : target.EnumerateArray().Select(x => x.GetString());
            Assert.Equal(expectedTargets, module.Targets);

            string stamp = entry.GetProperty("export_datetime").GetString()!;
            Assert.Equal(stamp, module.ExportDateTime.ToString("yyyy-MM-dd HH:mm:ss") + "Z");
            Assert.Equal(DateTimeKind.Unspecified, module.ExportDateTime.Kind);
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Files_are_every_regular_member_with_its_size(string sample)
        {
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));
            var module = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();

            Assert.Equal(oracle.Files.Keys.OrderBy(k => k, StringComparer.Ordinal), module.Files.Select(f => f.Path).OrderBy(k => k, StringComparer.Ordinal));
            foreach (var file in module.Files)
            {
                Assert.Equal(oracle.Files[file.Path].LongLength, file.Size);
                Assert.False(file.Path.StartsWith("./", StringComparison.Ordinal));
            }
            Assert.Equal(oracle.Files.Keys.Any(k => k.StartsWith("runtime/", StringComparison.Ordinal)), module.HasRuntime);
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Parameters_match_an_independent_walk_of_the_params_file(string sample)
        {
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));
            var module = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();
            var expected = IndependentArchive.WalkParams(oracle.Files["parameters/default.params"]);

            Assert.NotNull(module.Parameters);
            Assert.Equal("parameters/default.params", module.Parameters.Path);
            Assert.Equal(expected.Count, module.Parameters.Count);
            Assert.Equal(expected.TotalBytes, module.Parameters.TotalBytes);
            Assert.Equal(expected.Tensors.Select(t => t.Name), module.Parameters.Tensors.Select(t => t.Name));
            Assert.Equal(expected.Tensors.Select(t => t.Bytes), module.Parameters.Tensors.Select(t => t.ByteSize));
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Metadata_is_kept_losslessly_including_keys_MlfTools_does_not_use(string sample)
        {
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));
            var module = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();
            var expected = oracle.ModuleEntry();
            AssertSameJson(expected, module.Metadata, skipKey: oracle.Metadata.TryGetProperty("modules", out _) ? null : "version");
        }

        [SampleFact]
        public void V4_runtimes_key_gives_the_executors_and_the_old_graph_location()
        {
            var module = MlfReader.ReadModules(TestPaths.Sample("v4-graph-yesno.tar")).Single();
            Assert.Equal(new[] { "graph" }, module.Executors);
            Assert.Equal("runtime-config/graph/graph.json", module.GraphConfig.Path);
            Assert.Contains(module.Files, f => f.Path == "src/relay.txt" && f.Kind == MlfFileKind.Relay);
            Assert.Equal(2, module.Files.Count(f => f.Kind == MlfFileKind.Source));
        }

        [SampleFact]
        public void V5_llvm_build_ships_an_object_file_and_a_graph_config()
        {
            var module = MlfReader.ReadModules(TestPaths.Sample("v5-graph-llvm-conv1d.tar")).Single();
            var obj = Assert.Single(module.Files, f => f.Kind == MlfFileKind.Object);
            Assert.Equal("codegen/host/lib/default_lib0.o", obj.Path);
            Assert.Equal("executor-config/graph/graph.json", module.GraphConfig.Path);
            Assert.DoesNotContain(module.Files, f => f.Kind == MlfFileKind.Source);
        }

        [SampleFact]
        public void V7_aot_crt_build_has_the_runtime_templates_and_extra_files()
        {
            var module = MlfReader.ReadModules(TestPaths.Sample("v7-aot-crt-mlp.tar")).Single();
            Assert.True(module.HasRuntime);
            Assert.Equal("0.13.dev0", module.RuntimeVersion);
            Assert.Equal(86, module.Files.Count(f => f.Kind == MlfFileKind.Runtime));
            Assert.Equal(new[] { "templates/crt_config.h.template", "templates/platform.c.template" },
                module.Files.Where(f => f.Kind == MlfFileKind.Template).Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal));
            Assert.Contains(module.Files, f => f.Path == "samples/dummy_input.h" && f.Kind == MlfFileKind.Other);
            Assert.Contains(module.Files, f => f.Path == "codegen/host/include/tvmgen_default.h" && f.Kind == MlfFileKind.Header);
            Assert.Contains(module.Files, f => f.Path == "src/default.relay" && f.Kind == MlfFileKind.Relay);
            Assert.Null(module.GraphConfig);
            Assert.Equal(0, module.Parameters.Count);
            Assert.Equal(32, module.Parameters.FileSize);
        }

        [SampleFact]
        public void V5_aot_sine_has_a_header_and_no_runtime()
        {
            var module = MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single();
            Assert.False(module.HasRuntime);
            Assert.Null(module.RuntimeVersion);
            Assert.Equal(new[] { "aot" }, module.Executors);
            Assert.Contains(module.Files, f => f.Path == "codegen/host/include/tvmgen_default.h" && f.Kind == MlfFileKind.Header);
        }

        [SampleTheory]
        [InlineData("v7-graph-magicwand.tar", "executor-config/graph/default.graph")]
        [InlineData("v4-graph-yesno.tar", "runtime-config/graph/graph.json")]
        [InlineData("v5-graph-llvm-conv1d.tar", "executor-config/graph/graph.json")]
        public void Graph_config_storage_matches_an_independent_computation(string sample, string graphPath)
        {
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));
            var module = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();
            var graphJson = oracle.Files[graphPath];
            var graph = JsonDocument.Parse(graphJson).RootElement;

            Assert.Equal(graphPath, module.GraphConfig.Path);
            Assert.Equal(graph.GetProperty("nodes").GetArrayLength(), module.GraphConfig.Nodes.Count);
            Assert.Equal(graph.GetProperty("attrs").GetProperty("storage_id")[1].GetArrayLength(), module.GraphConfig.EntryCount);
            var storage = module.GraphConfig.StorageBytesByDevice();
            Assert.Equal(new[] { 1 }, storage.Keys);
            Assert.Equal(IndependentArchive.GraphStorageBytes(graphJson), storage[1]);
            var functionNames = graph.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("op").GetString() == "tvm_op")
                .Select(n => n.GetProperty("attrs").GetProperty("func_name").GetString()).Distinct();
            Assert.Equal(functionNames, module.GraphConfig.FunctionNames);
        }

        internal static void AssertSameJson(JsonElement expected, object? actual, string? skipKey = null)
        {
            switch (expected.ValueKind)
            {
                case JsonValueKind.Object:
                    var dictionary = Assert.IsAssignableFrom<IDictionary>(actual);
                    var keys = expected.EnumerateObject().Select(p => p.Name).Where(k => k != skipKey).ToList();
                    Assert.Equal(keys, dictionary.Keys.Cast<string>().ToList());
                    foreach (var property in expected.EnumerateObject().Where(p => p.Name != skipKey))
                    {
                        AssertSameJson(property.Value, dictionary[property.Name]);
                    }
                    break;
                case JsonValueKind.Array:
                    var array = Assert.IsAssignableFrom<object[]>(actual);
                    Assert.Equal(expected.GetArrayLength(), array.Length);
                    int i = 0;
                    foreach (var item in expected.EnumerateArray()) AssertSameJson(item, array[i++]);
                    break;
                case JsonValueKind.String:
                    Assert.Equal(expected.GetString(), actual);
                    break;
                case JsonValueKind.Number:
                    if (expected.TryGetInt64(out long integer)) Assert.Equal(integer, actual);
                    else Assert.Equal(expected.GetDouble(), actual);
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    Assert.Equal(expected.GetBoolean(), actual);
                    break;
                default:
                    Assert.Null(actual);
                    break;
            }
        }
    }
}
