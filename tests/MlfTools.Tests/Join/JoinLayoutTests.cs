using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>What a join writes: TVM's multi-module layout, upgraded metadata, renamed files, in TVM's member order.</summary>
    public class JoinLayoutTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [SampleFact]
        public void A_graph_and_an_aot_build_join_into_the_multi_module_layout()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), null,
                JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"), JoinedArchive.Sample("v5-aot-sine.tar", "sine"));

            var files = JoinedArchive.Headers(joined).Where(e => e.EntryType == TarEntryType.RegularFile).Select(e => e.Name).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[]
            {
                "./codegen/host/include/tvmgen_sine.h",
                "./codegen/host/src/sine_lib0.c",
                "./codegen/host/src/wand_lib0.c",
                "./codegen/host/src/wand_lib1.c",
                "./codegen/host/src/wand_lib2.c",
                "./executor-config/graph/wand.graph",
                "./metadata.json",
                "./parameters/sine.params",
                "./parameters/wand.params",
                "./src/sine.relay",
                "./src/wand.relay",
            }, files);

            var modules = MlfReader.ReadModules(joined);
            Assert.Equal(new[] { "sine", "wand" }, modules.Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal));
            var wand = modules.Single(m => m.Name == "wand");
            var sine = modules.Single(m => m.Name == "sine");
            Assert.Equal(new[] { "graph" }, wand.Executors);
            Assert.Equal(new[] { "aot" }, sine.Executors);
            Assert.Equal(JoinedArchive.Sample("v7-graph-magicwand.tar").Parameters.TotalBytes, wand.Parameters.TotalBytes);
            Assert.Equal(JoinedArchive.Sample("v5-aot-sine.tar").Parameters.TotalBytes, sine.Parameters.TotalBytes);
            Assert.Equal("executor-config/graph/wand.graph", wand.GraphConfig.Path);
            Assert.All(wand.GraphConfig.FunctionNames.Where(f => f != "__nop"), f => Assert.StartsWith("tvmgen_wand_", f));
            Assert.Equal(JoinedArchive.Sample("v7-graph-magicwand.tar").GraphConfig.FunctionNames.Select(f => f.Replace("tvmgen_default_", "tvmgen_wand_")), wand.GraphConfig.FunctionNames);
        }

        [SampleFact]
        public void Metadata_is_version_7_with_each_module_upgraded_and_renamed()
        {
            var originalSine = IndependentArchive.Read(TestPaths.Sample("v5-aot-sine.tar")).ModuleEntry();
            string joined = JoinedArchive.Write(_temp.File("out.tar"), null,
                JoinedArchive.Sample("v4-graph-yesno.tar", "yes_no"), JoinedArchive.Sample("v5-aot-sine.tar", "sine"));
            var metadata = JsonDocument.Parse(IndependentArchive.Read(joined).Files["metadata.json"]).RootElement;

            Assert.Equal(new[] { "modules", "version" }, metadata.EnumerateObject().Select(p => p.Name));
            Assert.Equal(7, metadata.GetProperty("version").GetInt32());
            var sine = metadata.GetProperty("modules").GetProperty("sine");
            var yesNo = metadata.GetProperty("modules").GetProperty("yes_no");
            Assert.Equal("sine", sine.GetProperty("model_name").GetString());
            Assert.Equal(JsonValueKind.Array, sine.GetProperty("target").ValueKind);
            Assert.Equal(originalSine.GetProperty("target").GetProperty("1").GetString(), sine.GetProperty("target")[0].GetString());
            Assert.Equal(originalSine.GetProperty("export_datetime").GetString(), sine.GetProperty("export_datetime").GetString());
            Assert.False(yesNo.TryGetProperty("runtimes", out _));
            Assert.Equal("graph", yesNo.GetProperty("executors")[0].GetString());
            Assert.False(sine.TryGetProperty("version", out _));
            // Every key of the original entry survives, and nothing but the names changed in the memory map.
            Assert.Equal(originalSine.EnumerateObject().Select(p => p.Name).Where(n => n != "version").OrderBy(n => n, StringComparer.Ordinal),
                sine.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(JsonSerializer.Serialize(originalSine.GetProperty("memory")).Replace("tvmgen_default_", "tvmgen_sine_"), JsonSerializer.Serialize(sine.GetProperty("memory")));
        }

        [SampleToolFact("python3")]
        public void Metadata_text_is_exactly_what_pythons_json_dump_writes()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), null,
                JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"), JoinedArchive.Sample("v5-aot-sine.tar", "sine"));
            string path = _temp.File("metadata.json");
            File.WriteAllBytes(path, IndependentArchive.Read(joined).Files["metadata.json"]);
            string python = ExternalTool.Python("import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1])), indent=2, sort_keys=True))", path);
            Assert.Equal(python, File.ReadAllText(path));
        }

        [SampleFact]
        public void Members_follow_TVMs_order_with_root_ownership_and_fixed_modes()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), new MlfJoinOptions { Timestamp = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero) },
                JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"), JoinedArchive.Sample("v5-aot-sine.tar", "sine"));
            var headers = JoinedArchive.Headers(joined);

            Assert.Equal("./", headers[0].Name);
            Assert.All(headers, h =>
            {
                Assert.Equal(TarEntryFormat.Ustar, h.Format);
                Assert.Equal(0, h.Uid);
                Assert.Equal(0, h.Gid);
                Assert.Equal("root", ((PosixTarEntry)h).UserName);
                Assert.Equal("root", ((PosixTarEntry)h).GroupName);
                Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), h.ModificationTime);
                Assert.Equal(h.EntryType == TarEntryType.Directory ? (UnixFileMode)0x1ED : (UnixFileMode)0x1A4, h.Mode);
                Assert.StartsWith("./", h.Name);
            });
            var names = headers.Select(h => h.Name).ToList();
            // Every directory member comes right before its first entry, and each folder's entries are sorted.
            foreach (var directory in names.Where(n => n.EndsWith("/") && n != "./"))
            {
                int at = names.IndexOf(directory);
                Assert.StartsWith(directory, names[at + 1]);
                string parent = directory.Substring(0, directory.TrimEnd('/').LastIndexOf('/') + 1);
                Assert.Contains(parent, names.Take(at));
            }
            // runtime/ then templates/ come after everything else, as TVM appends them.
            int runtime = names.IndexOf("./runtime/");
            int templates = names.IndexOf("./templates/");
            Assert.True(runtime > 0 && templates > runtime);
            Assert.All(names.Skip(runtime), n => Assert.True(n.StartsWith("./runtime/") || n.StartsWith("./templates/"), n));
            Assert.Contains("./samples/dummy_input.h", names.Take(runtime));
        }

        [SampleFact]
        public void Renamed_sources_no_longer_name_the_old_module_but_keep_everything_else()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), null, JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"));
            var files = IndependentArchive.Read(joined).Files;
            string header = Encoding.ASCII.GetString(files["codegen/host/include/tvmgen_mlp.h"]);
            Assert.Contains("#ifndef TVMGEN_MLP_H_", header);
            Assert.Contains("TVMGEN_MLP_SERVING_DEFAULT_INPUT_1_0_SIZE", header);
            Assert.Contains("struct tvmgen_mlp_inputs", header);
            string lib0 = Encoding.ASCII.GetString(files["codegen/host/src/mlp_lib0.c"]);
            Assert.Contains("#include <tvmgen_mlp.h>", lib0);
            Assert.DoesNotContain("tvmgen_default", lib0);
            Assert.Equal(files["parameters/mlp.params"], IndependentArchive.Read(TestPaths.Sample("v7-aot-crt-mlp.tar")).Files["parameters/default.params"]);
        }

        [SampleFact]
        public void An_old_archive_joined_alone_is_upgraded_to_version_7_paths()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), null, JoinedArchive.Sample("v4-graph-yesno.tar"));
            var files = IndependentArchive.Read(joined).Files;
            var original = IndependentArchive.Read(TestPaths.Sample("v4-graph-yesno.tar")).Files;
            Assert.Equal(original["runtime-config/graph/graph.json"], files["executor-config/graph/default.graph"]);
            Assert.Equal(original["src/relay.txt"], files["src/default.relay"]);
            Assert.Equal(original["codegen/host/src/default_lib1.c"], files["codegen/host/src/default_lib1.c"]);
            Assert.Equal(7, MlfReader.ReadModules(joined).Single().FormatVersion);
        }

        [SampleFact]
        public void The_per_module_layout_puts_each_module_in_its_own_folder_and_reads_back()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), new MlfJoinOptions { Layout = MlfLayout.PerModule },
                JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"), JoinedArchive.Sample("v5-aot-sine.tar", "sine"));
            var files = IndependentArchive.Read(joined).Files;
            Assert.Contains("mlp/codegen/host/src/mlp_lib1.c", files.Keys);
            Assert.Contains("mlp/parameters/mlp.params", files.Keys);
            Assert.Contains("mlp/metadata.json", files.Keys);
            Assert.Contains("mlp/samples/dummy_input.h", files.Keys);
            Assert.Contains("sine/src/sine.relay", files.Keys);
            Assert.Contains("runtime/include/tvm/runtime/c_runtime_api.h", files.Keys);
            Assert.Contains("templates/platform.c.template", files.Keys);
            Assert.DoesNotContain(files.Keys, k => k.StartsWith("mlp/runtime/") || k.StartsWith("mlp/templates/"));

            var modules = MlfReader.ReadModules(joined);
            var mlp = modules.Single(m => m.Name == "mlp");
            var sine = modules.Single(m => m.Name == "sine");
            Assert.Equal("mlp/parameters/mlp.params", mlp.Parameters.Path);
            Assert.True(mlp.HasRuntime);
            Assert.False(sine.HasRuntime);
            Assert.DoesNotContain(sine.Files, f => f.Path.StartsWith("mlp/"));
            Assert.Equal(JoinedArchive.Sample("v5-aot-sine.tar").Parameters.TotalBytes, sine.Parameters.TotalBytes);
        }

        [SampleFact]
        public void One_module_in_the_per_module_layout_reads_back_with_its_files_known()
        {
            // One module under its folder: read back, its sources, params, graph and Relay text are known
            // again, not "other" (the module's code and memory figures depend on them).
            string joined = JoinedArchive.Write(_temp.File("one.tar"), new MlfJoinOptions { Layout = MlfLayout.PerModule }, JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"));
            var wand = MlfReader.ReadModules(joined).Single();

            Assert.Equal(new[] { "graph", "metadata", "parameters", "relay", "source" },
                wand.Files.Where(f => f.Path.StartsWith("wand/", StringComparison.Ordinal)).Select(f => f.Kind).Distinct().OrderBy(k => k, StringComparer.Ordinal));
            Assert.DoesNotContain(wand.Files, f => f.Kind == MlfFileKind.Other);
            Assert.Equal("wand/parameters/wand.params", wand.Parameters.Path);
            Assert.NotNull(wand.GraphConfig);
            Assert.DoesNotContain(MlfArchiveValidator.Validate(joined), f => f.Level != FindingSeverity.Information);
        }

        [SampleFact]
        public void A_module_split_out_of_a_joined_archive_has_byte_identical_files()
        {
            string joined = JoinedArchive.Write(_temp.File("both.tar"), null,
                JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"), JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"));
            var both = IndependentArchive.Read(joined).Files;

            var wand = MlfModuleSelection.Apply(MlfReader.ReadModules(joined), new[] { "wand" }, null).Single();
            var alone = IndependentArchive.Read(JoinedArchive.Write(_temp.File("wand.tar"), null, wand)).Files;

            Assert.DoesNotContain(alone.Keys, k => k.StartsWith("runtime/") || k.StartsWith("templates/") || k.Contains("mlp"));
            foreach (var file in alone.Where(f => f.Key != "metadata.json"))
            {
                Assert.Equal(both[file.Key], file.Value);
            }
            var mlp = MlfModuleSelection.Apply(MlfReader.ReadModules(joined), new[] { "mlp" }, null).Single();
            var mlpAlone = IndependentArchive.Read(JoinedArchive.Write(_temp.File("mlp.tar"), null, mlp)).Files;
            Assert.Equal(86, mlpAlone.Keys.Count(k => k.StartsWith("runtime/")));
            Assert.Equal(2, mlpAlone.Keys.Count(k => k.StartsWith("templates/")));
        }

        [SampleFact]
        public void Extra_files_can_be_left_out_by_pattern()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), new MlfJoinOptions { ExcludePaths = new[] { "samples/*" } }, JoinedArchive.Sample("v7-aot-crt-mlp.tar"));
            Assert.DoesNotContain(IndependentArchive.Read(joined).Files.Keys, k => k.StartsWith("samples/"));
        }
    }
}
