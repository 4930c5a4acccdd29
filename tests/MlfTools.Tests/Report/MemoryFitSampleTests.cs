using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// RamBytes, FlashBytes, InputBytes, OutputBytes and WeightsIn of every real sample, against a hand calculation made
    /// here from the archive itself (metadata.json, the params file and the graph config read by test code) and the
    /// table of about_MlfTools_MemoryReport: where each sample's weights live was read from its C code by hand.
    /// </summary>
    public class MemoryFitSampleTests
    {
        /// <summary>Every sample, with where its weights live: AOT compiles them in; v4 is a link-params graph build (its
        /// code defines _lookup_linked_param); the other graph builds load the params file at run time.</summary>
        public static IEnumerable<object[]> Samples() => new[]
        {
            new object[] { "v2-graph-kws-onefile.tar", "params" },
            new object[] { "v4-graph-yesno.tar", "code" },
            new object[] { "v5-aot-sine.tar", "code" },
            new object[] { "v5-graph-llvm-conv1d.tar", "params" },
            new object[] { "v6-aot-kws.tar", "code" },
            new object[] { "v7-aot-crt-mlp.tar", "code" },
            new object[] { "v7-aot-muriscvnn-aww.tar", "code" },
            new object[] { "v7-graph-magicwand.tar", "params" },
        };

        /// <summary>The arena peaks GraphExecutorArenaTests measures on a Cortex-M4 (TVM 0.13 runtime, mlf_platform.c), in bytes.</summary>
        private static readonly Dictionary<string, long> MeasuredCortexMArena = new Dictionary<string, long>
        {
            ["v2-graph-kws-onefile.tar"] = 565552,
            ["v4-graph-yesno.tar"] = 43888,
            ["v7-graph-magicwand.tar"] = 94144,
        };

        private static MemoryReport ReportOf(string sample) => ModuleMemoryReports.ForModule(MlfReader.ReadModules(TestPaths.Sample(sample)).Single()).Single();

        [SampleFact]
        public void Every_sample_in_the_folder_is_covered()
        {
            var names = Directory.GetFiles(TestPaths.SamplesFolder, "*.tar").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(names, Samples().Select(s => (string)s[0]).OrderBy(n => n, StringComparer.Ordinal));
        }

        [SampleTheory]
        [MemberData(nameof(Samples))]
        public void Ram_flash_and_io_equal_the_hand_calculation(string sample, string weightsIn)
        {
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));
            var entry = oracle.ModuleEntry();
            var main = entry.GetProperty("memory").GetProperty("functions").GetProperty("main")[0];
            long workspace = main.GetProperty("workspace_size_bytes").GetInt64();
            long constants = main.GetProperty("constants_size_bytes").GetInt64();
            byte[] paramsFile = oracle.Files["parameters/default.params"];
            var weights = IndependentArchive.WalkParams(paramsFile).Tensors.Select(t => t.Name).ToHashSet();
            byte[]? graph = oracle.Files.Where(f => f.Key.EndsWith(".graph") || f.Key.EndsWith("graph.json")).Select(f => f.Value).FirstOrDefault();

            long? inputs = Sum(main, "inputs") ?? (graph == null ? null : GraphTensors(graph, weights, inputs: true));
            long? outputs = Sum(main, "outputs") ?? (graph == null ? null : GraphTensors(graph, weights, inputs: false));
            if (graph == null && inputs == null) (inputs, outputs) = AotTensorsFromText(oracle, main);
            // Weights compiled in: the larger of TVM's figure and the constant arrays the C sources declare.
            long declared = DeclaredConstants(oracle);
            long? ram;
            long flash;
            if (graph != null)
            {
                // Graph executor: the arena the firmware helpers give it, as a run of the C runtime with their allocator
                // measures it on a Cortex-M4 (GraphExecutorArenaTests); the aarch64 LLVM object cannot be run here, so its
                // arena is only checked to hold at least the storage (loaded weights included) and the workspace.
                ram = MeasuredCortexMArena.TryGetValue(sample, out long arena) ? arena : ReportOf(sample).ArenaBytes;
                Assert.True(ram >= workspace + Storage(graph, weightsIn == "code" ? weights : new HashSet<string>()));
                flash = weightsIn == "code" ? Math.Max(constants, declared) : paramsFile.Length;
            }
            else
            {
                // AOT: workspace + the input and output buffers the application passes; the weights are in the code.
                ram = inputs == null || outputs == null ? null : workspace + inputs + outputs;
                flash = Math.Max(constants, declared);
            }

            var report = ModuleMemoryReports.ForModule(MlfReader.ReadModules(TestPaths.Sample(sample)).Single()).Single();
            if (oracle.Files.Keys.Any(f => f.EndsWith(".o")))
            {
                // LLVM objects are measured (CodeSizeTests checks those figures against size -A): the code's data is
                // RAM too, and flash is the code and its read-only and initial data, plus the params file it loads.
                ram += report.DataBytes!.Value + report.ZeroInitBytes!.Value;
                flash = report.CodeBytes!.Value + report.ReadOnlyDataBytes!.Value + report.DataBytes!.Value + paramsFile.Length;
            }

            Assert.Equal(weightsIn, report.WeightsIn);
            Assert.Equal(inputs, report.InputBytes);
            Assert.Equal(outputs, report.OutputBytes);
            Assert.Equal(ram, report.RamBytes);
            Assert.Equal(flash, report.FlashBytes);
        }

        /// <summary>The rows of about_MlfTools_MemoryReport's table, word for word: the formulas the hand calculation above applies.</summary>
        [Fact]
        public void The_about_topic_table_states_the_formulas_the_hand_calculation_applies()
        {
            string topic = System.Text.RegularExpressions.Regex.Replace(
                File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "module", "en-US", "about_MlfTools_MemoryReport.help.txt")), @"\s+", " ");
            foreach (string row in new[]
            {
                "build RamBytes FlashBytes",
                "AOT WorkspaceBytes + InputBytes the larger of ConstantsBytes + OutputBytes and CodeConstantsBytes",
                "graph, weights in code ArenaBytes the larger of ConstantsBytes (no storage for linked weights) and CodeConstantsBytes",
                "graph, params at run time ArenaBytes the .params file's size (the weights loaded into it)",
                "with measured code the above + DataBytes CodeBytes + ReadOnlyDataBytes + ZeroInitBytes (a workspace the + DataBytes (+ the .params",
            })
            {
                Assert.Contains(row, topic);
            }
        }

        [SampleFact]
        public void Known_figures_of_three_samples_by_hand()
        {
            // v4-graph-yesno (link-params): RAM is the arena a Cortex-M4 run measures, 43888 bytes: the storage less the
            // linked weights, the executor's bookkeeping (its copy of the graph JSON among it) and the largest kernel's
            // workspace; flash = its 33524 bytes of constants; the 34198-byte params file is not needed and not counted.
            var yesno = Report("v4-graph-yesno.tar");
            Assert.Equal((43888L, 33524L), (yesno.RamBytes!.Value, yesno.FlashBytes!.Value));
            // v7-graph-magicwand (params loaded at run time): the measured arena, 94144 bytes (the weights are loaded into
            // it next to the storage they were planned in); flash = the 17760-byte params file.
            var wand = Report("v7-graph-magicwand.tar");
            Assert.Equal((94144L, 17760L), (wand.RamBytes!.Value, wand.FlashBytes!.Value));
            Assert.Equal(94144L, wand.ArenaBytes);
            Assert.Equal((1536L, 16L), (wand.InputBytes!.Value, wand.OutputBytes!.Value));
            // v7-aot-muriscvnn-aww (USMP): 16000 workspace + 490 input + 12 output; its io_size_bytes is 106226.
            var aww = Report("v7-aot-muriscvnn-aww.tar");
            Assert.Equal((16502L, 33584L), (aww.RamBytes!.Value, aww.FlashBytes!.Value));
            Assert.Equal(106226L, aww.IoBytes);
        }

        [SampleFact]
        public void Aot_builds_before_TVM_0_11_take_io_from_the_header_and_relay_text_and_flash_from_the_declared_constants()
        {
            // v5-aot-sine (TVM 0.8): the header's one input dense_4_input is Tensor[(1, 1), float32] in src/relay.txt, which
            // prints no return type; io_size_bytes 8 is input and output, so the output is 4 bytes (one float32: sin x).
            var sine = Report("v5-aot-sine.tar");
            Assert.Equal((4L, 4L, 1184L + 8, 1284L), (sine.InputBytes!.Value, sine.OutputBytes!.Value, sine.RamBytes!.Value, sine.FlashBytes!.Value));
            // v6-aot-kws (TVM 0.9.dev): serving_default_input:0 is Tensor[(1, 1960), int8], main returns Tensor[(1, 10),
            // int8]; io_size_bytes (87834) counts let-bound tensors too and is not used. Metadata says 0 constants, yet
            // lib1.c declares 21 .rodata.tvm arrays of 55544 bytes: those are the flash.
            var kws = Report("v6-aot-kws.tar");
            Assert.Equal((1960L, 10L, 46560L + 1970, 0L, 55544L, 55544L),
                (kws.InputBytes!.Value, kws.OutputBytes!.Value, kws.RamBytes!.Value, kws.ConstantsBytes!.Value, kws.CodeConstantsBytes!.Value, kws.FlashBytes!.Value));
            // v7-aot-crt-mlp (TVM 0.13.dev0, no USMP): metadata gives the io, but still 0 constants for 273416 declared bytes.
            var mlp = Report("v7-aot-crt-mlp.tar");
            Assert.Equal((0L, 273416L), (mlp.ConstantsBytes!.Value, mlp.FlashBytes!.Value));
            Assert.Null(mlp.CodeBytes);
        }

        [SampleFact]
        public void A_joined_aot_module_of_TVM_0_8_keeps_its_figures_though_the_join_writes_version_7()
        {
            using var temp = new TempFolder();
            string joined = JoinedArchive.Write(temp.File("j.tar"), null, JoinedArchive.Sample("v5-aot-sine.tar", "sine"), JoinedArchive.Sample("v6-aot-kws.tar", "kws"));
            var reports = MlfReader.ReadModules(joined).Select(m => ModuleMemoryReports.ForModule(m).Single()).ToDictionary(r => r.Module);

            // sine's output comes from io_size_bytes (TVM 0.8, exported in 2021), kws's from its Relay text.
            Assert.Equal((4L, 4L, 1192L, 1284L), (reports["sine"].InputBytes!.Value, reports["sine"].OutputBytes!.Value, reports["sine"].RamBytes!.Value, reports["sine"].FlashBytes!.Value));
            Assert.Equal((1960L, 10L, 48530L, 55544L), (reports["kws"].InputBytes!.Value, reports["kws"].OutputBytes!.Value, reports["kws"].RamBytes!.Value, reports["kws"].FlashBytes!.Value));
        }

        [SampleFact]
        public void Llvm_objects_are_measured_without_a_compiler_and_flash_adds_the_params_file()
        {
            var report = Report("v5-graph-llvm-conv1d.tar");
            var oracle = IndependentArchive.Read(TestPaths.Sample("v5-graph-llvm-conv1d.tar"));
            var sizes = SizeA.Sections("aarch64-linux-gnu-size", oracle.Files["codegen/host/lib/default_lib0.o"]);
            if (sizes == null) return; // binutils for aarch64 missing: the classification is checked in CodeSizeTests
            Assert.Equal(SizeA.Total(sizes, ".text"), report.CodeBytes);
            Assert.Equal(report.CodeBytes + report.ReadOnlyDataBytes + report.DataBytes + oracle.Files["parameters/default.params"].Length, report.FlashBytes);
        }

        /// <summary>
        /// An AOT module's inputs and output from its text files, read here with regular expressions: the header's
        /// inputs struct names the inputs, @main's parameters in the Relay text type them; the output is @main's return
        /// type, or (TVM 0.8, format 5) io_size_bytes less the inputs.
        /// </summary>
        private static (long? Inputs, long? Outputs) AotTensorsFromText(IndependentArchive oracle, JsonElement main)
        {
            string header = Encoding.UTF8.GetString(oracle.Files.Single(f => f.Key.StartsWith("codegen/host/include/tvmgen_")).Value);
            string relay = Encoding.UTF8.GetString(oracle.Files.Single(f => f.Key.EndsWith("relay.txt") || f.Key.EndsWith(".relay")).Value);
            var names = Regex.Matches(Regex.Match(header, @"struct tvmgen_\w+_inputs \{([^}]*)\}").Groups[1].Value, @"void\* (\w+);").Select(m => m.Groups[1].Value);
            var parameters = Regex.Matches(relay.Substring(0, relay.IndexOf('{')), @"%(\S+): Tensor\[\(([^)]*)\), (\w+)\]")
                .ToDictionary(m => Regex.Replace(m.Groups[1].Value, "[^A-Za-z0-9]", "_"), m => TensorBytes(m.Groups[2].Value, m.Groups[3].Value));
            long inputs = names.Sum(n => parameters[n]);
            var result = Regex.Match(relay, @"\) -> Tensor\[\(([^)]*)\), (\w+)\] \{");
            long outputs = result.Success ? TensorBytes(result.Groups[1].Value, result.Groups[2].Value) : main.GetProperty("io_size_bytes").GetInt64() - inputs;
            return (inputs, outputs);
        }

        private static long TensorBytes(string shape, string dtype) =>
            shape.Split(',').Aggregate(1L, (a, d) => a * long.Parse(d.Trim())) * ((int.Parse(Regex.Match(dtype, @"\d+").Value) + 7) / 8);

        /// <summary>The constant arrays the C sources declare (static const T name[N] = ...), and the fields of USMP's constant pool struct.</summary>
        private static long DeclaredConstants(IndependentArchive oracle)
        {
            var sizes = new Dictionary<string, long> { ["int8_t"] = 1, ["uint8_t"] = 1, ["int16_t"] = 2, ["int32_t"] = 4, ["int64_t"] = 8, ["float"] = 4 };
            long total = 0;
            foreach (var file in oracle.Files.Where(f => f.Key.StartsWith("codegen/host/src/")))
            {
                string text = Encoding.UTF8.GetString(file.Value);
                foreach (Match m in Regex.Matches(text, @"static const (\w+) (?:__attribute__\(\([^;{]*?\)\)\s*)?\w+\[(\d+)\]\s*="))
                {
                    total += sizes[m.Groups[1].Value] * long.Parse(m.Groups[2].Value);
                }
                var pool = Regex.Match(text, @"section\(""\.rodata\.tvm""\), \)\)\s*static struct \w+ \{([^}]*)\}");
                foreach (Match m in Regex.Matches(pool.Groups[1].Value, @"(\w+) \w+\[(\d+)\]"))
                {
                    total += sizes[m.Groups[1].Value] * long.Parse(m.Groups[2].Value);
                }
            }
            return total;
        }

        private static MemoryReport Report(string sample) =>
            ModuleMemoryReports.ForModule(MlfReader.ReadModules(TestPaths.Sample(sample)).Single()).Single();

        private static long? Sum(JsonElement main, string key) =>
            main.TryGetProperty(key, out var tensors) ? tensors.EnumerateObject().Sum(t => t.Value.GetProperty("size").GetInt64()) : null;

        private static (List<int> Ids, List<long> Bytes, JsonElement Root) Entries(byte[] graphJson)
        {
            var root = JsonDocument.Parse(graphJson).RootElement;
            var attrs = root.GetProperty("attrs");
            var ids = attrs.GetProperty("storage_id")[1].EnumerateArray().Select(e => e.GetInt32()).ToList();
            var shapes = attrs.GetProperty("shape")[1].EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt64()).ToList()).ToList();
            var types = attrs.GetProperty("dltype")[1].EnumerateArray().Select(e => e.GetString()!).ToList();
            var bytes = ids.Select((_, i) => shapes[i].Aggregate(1L, (a, b) => a * b) * ((int.Parse(new string(types[i].SkipWhile(c => !char.IsDigit(c)).ToArray())) + 7) / 8)).ToList();
            return (ids, bytes, root);
        }

        /// <summary>Each node's first entry id: the sum of the outputs of the nodes before it (node_row_ptr, computed).</summary>
        private static List<int> RowStarts(JsonElement root)
        {
            var starts = new List<int>();
            int next = 0;
            foreach (var node in root.GetProperty("nodes").EnumerateArray())
            {
                starts.Add(next);
                next += node.TryGetProperty("attrs", out var a) && a.TryGetProperty("num_outputs", out var n) ? int.Parse(n.ToString()) : 1;
            }
            return starts;
        }

        private static long Storage(byte[] graphJson, HashSet<string> linked)
        {
            var (ids, bytes, root) = Entries(graphJson);
            var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
            var starts = RowStarts(root);
            var linkedIds = new HashSet<int>();
            var otherIds = new HashSet<int>();
            for (int n = 0; n < nodes.Count; n++)
            {
                bool isLinked = nodes[n].GetProperty("op").GetString() == "null" && linked.Contains(nodes[n].GetProperty("name").GetString()!);
                (isLinked ? linkedIds : otherIds).Add(ids[starts[n]]);
            }
            var pools = new Dictionary<int, long>();
            for (int i = 0; i < ids.Count; i++)
            {
                if (linkedIds.Contains(ids[i]) && !otherIds.Contains(ids[i])) continue;
                pools[ids[i]] = Math.Max(pools.GetValueOrDefault(ids[i]), bytes[i]);
            }
            return pools.Values.Sum();
        }

        private static long GraphTensors(byte[] graphJson, HashSet<string> weights, bool inputs)
        {
            var (_, bytes, root) = Entries(graphJson);
            var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
            var starts = RowStarts(root);
            if (inputs)
            {
                return root.GetProperty("arg_nodes").EnumerateArray().Select(a => a.GetInt32())
                    .Where(n => !weights.Contains(nodes[n].GetProperty("name").GetString()!))
                    .Sum(n => bytes[starts[n]]);
            }
            return root.GetProperty("heads").EnumerateArray().Sum(h => bytes[starts[h[0].GetInt32()] + h[1].GetInt32()]);
        }
    }
}
