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
    /// The proof for system-lib graph models: the two graph samples (TVM 0.8-era yesno with linked params and a one-byte
    /// registry count, TVM 0.13-era magicwand with params from a file), joined renamed, compiled with the C runtime's
    /// graph executor into one program with one module handle per model from tvmgen_&lt;name&gt;_system_lib(), give
    /// outputs bit-identical to each original archive run alone. The C driver (Resources/GraphExecutor) checks every
    /// lookup and kernel return code, which the CRT graph executor ignores. A model without a system library (TVM 0.8-era
    /// kws, its kernels unprefixed) gets one generated here: a TVMModule whose TVMFuncRegistry lists the graph's kernels.
    /// </summary>
    public class GraphExecutorEndToEndTests
    {
        private const int Runs = 3;
        private const string Wand = "v7-graph-magicwand.tar";
        private const string YesNo = "v4-graph-yesno.tar";
        private const string Kws = "v2-graph-kws-onefile.tar";

        private static string Resources => Path.Combine(TestPaths.RepositoryRoot, "tests", "MlfTools.Tests", "Resources", "GraphExecutor");

        private static readonly string[] RuntimeSources =
        {
            "common/crt_runtime_api.c", "common/crt_backend_api.c", "common/func_registry.c", "common/ndarray.c",
            "common/packed_func.c", "graph_executor/graph_executor.c", "graph_executor/load_json.c",
        };

        [SampleToolFact("gcc", "tar")]
        public void Two_system_lib_graph_models_joined_renamed_run_in_one_program_bit_identical_to_each_alone()
        {
            using var temp = new TempFolder();
            var runtime = new RuntimeBuild(temp);

            string joined = temp.File("joined.tar");
            var plan = JoinPlanner.Plan(new[]
            {
                MlfReader.ReadModules(TestPaths.Sample(Wand)).Single().WithName("wand"),
                MlfReader.ReadModules(TestPaths.Sample(YesNo)).Single().WithName("yes_no"),
            }, new MlfJoinOptions());
            JoinWriter.Write(plan, joined, overwrite: false);
            string joinedTree = Extract(temp, "joined", joined);
            string joinedOutput = runtime.BuildAndRun(joinedTree, "joined", new[] { "tvmgen_wand_system_lib", "tvmgen_yes_no_system_lib" }, defineEntryPoint: true,
                ("executor-config/graph/wand.graph", "parameters/wand.params", "conv2d_input", 1),
                ("executor-config/graph/yes_no.graph", "-", "Reshape_1", 2));

            string wandTree = Extract(temp, "wand", TestPaths.Sample(Wand));
            string wandOutput = runtime.BuildAndRun(wandTree, "wand", new[] { "TVMSystemLibEntryPoint" }, defineEntryPoint: false,
                ("executor-config/graph/default.graph", "parameters/default.params", "conv2d_input", 1));

            // The original yesno, its registry count widened by hand to the two bytes this CRT (TVM 0.13) reads.
            string yesNoTree = Extract(temp, "yesno", TestPaths.Sample(YesNo));
            string lib0 = Path.Combine(yesNoTree, "codegen", "host", "src", "default_lib0.c");
            string original = File.ReadAllText(lib0, Encoding.Latin1);
            Assert.Single(original.Split("\"\\007tvmgen_default_").Skip(1));
            File.WriteAllText(lib0, original.Replace("\"\\007tvmgen_default_", "\"\\007\\000tvmgen_default_"), Encoding.Latin1);
            string yesNoOutput = runtime.BuildAndRun(yesNoTree, "yesno", new[] { "TVMSystemLibEntryPoint" }, defineEntryPoint: false,
                ("runtime-config/graph/graph.json", "-", "Reshape_1", 2));

            var joinedRuns = Outputs(joinedOutput);
            var wandRuns = Outputs(wandOutput);
            var yesNoRuns = Outputs(yesNoOutput);
            Assert.Contains("model 0 linked-params 0", joinedOutput);
            Assert.Contains("model 1 linked-params 1", joinedOutput); // the renamed tvmgen_yes_no__lookup_linked_param, found under its registry string
            Assert.Equal(Runs, wandRuns.Count);
            Assert.Equal(Runs, yesNoRuns.Count);
            Assert.Equal(wandRuns.Values, Enumerable.Range(0, Runs).Select(r => joinedRuns[(0, r)]));
            Assert.Equal(yesNoRuns.Values, Enumerable.Range(0, Runs).Select(r => joinedRuns[(1, r)]));
            // The outputs follow the inputs: every run of a model gives another output.
            Assert.Equal(Runs, wandRuns.Values.Distinct().Count());
            Assert.Equal(Runs, yesNoRuns.Values.Distinct().Count());
        }

        [SampleToolFact("gcc", "tar")]
        public void The_one_byte_registry_count_of_the_original_yesno_makes_this_runtime_miss_its_first_kernel()
        {
            using var temp = new TempFolder();
            var runtime = new RuntimeBuild(temp);
            string yesNoTree = Extract(temp, "yesno", TestPaths.Sample(YesNo));
            var error = Assert.Throws<InvalidOperationException>(() => runtime.BuildAndRun(yesNoTree, "yesno", new[] { "TVMSystemLibEntryPoint" }, defineEntryPoint: false,
                ("runtime-config/graph/graph.json", "-", "Reshape_1", 2)));
            Assert.Contains("FAILED: lookup of tvmgen_default_fused_nn_softmax", error.Message);
        }

        [SampleToolFact("gcc", "tar")]
        public void Two_copies_of_a_model_with_unprefixed_kernels_joined_as_a_and_b_run_in_one_program_bit_identical_to_the_original_alone()
        {
            using var temp = new TempFolder();
            var runtime = new RuntimeBuild(temp);

            string joined = temp.File("joined.tar");
            var plan = JoinPlanner.Plan(new[]
            {
                MlfReader.ReadModules(TestPaths.Sample(Kws)).Single().WithName("a"),
                MlfReader.ReadModules(TestPaths.Sample(Kws)).Single().WithName("b"),
            }, new MlfJoinOptions());
            JoinWriter.Write(plan, joined, overwrite: false);
            string joinedTree = Extract(temp, "joined", joined);
            // No system library in either copy: each gets a module whose registry lists its graph's (renamed) kernels.
            string registries = Path.Combine(joinedTree, "registries.c");
            File.WriteAllText(registries,
                RegistryModule("kws_a_module", GraphFunctions(Path.Combine(joinedTree, "executor-config", "graph", "a.graph"))) +
                RegistryModule("kws_b_module", GraphFunctions(Path.Combine(joinedTree, "executor-config", "graph", "b.graph"))));
            Assert.All(GraphFunctions(Path.Combine(joinedTree, "executor-config", "graph", "a.graph")), f => Assert.StartsWith("tvmgen_a_fused_", f));
            Assert.All(GraphFunctions(Path.Combine(joinedTree, "executor-config", "graph", "b.graph")), f => Assert.StartsWith("tvmgen_b_fused_", f));
            string joinedOutput = runtime.BuildAndRun(joinedTree, "joined", new[] { "kws_a_module", "kws_b_module" }, defineEntryPoint: true, new[] { registries },
                ("executor-config/graph/a.graph", "parameters/a.params", "input_1_int8", 1),
                ("executor-config/graph/b.graph", "parameters/b.params", "input_1_int8", 2));

            // The original, alone, once for each input sequence (two copies of it cannot share a program: that is the point).
            string kwsTree = Extract(temp, "kws", TestPaths.Sample(Kws));
            string original = Path.Combine(kwsTree, "registry.c");
            File.WriteAllText(original, RegistryModule("kws_module", GraphFunctions(Path.Combine(kwsTree, "runtime-config", "graph", "graph.json"))));
            var alone = new[] { 1, 2 }.Select(seed => Outputs(runtime.BuildAndRun(kwsTree, "kws" + seed, new[] { "kws_module" }, defineEntryPoint: true, new[] { original },
                ("runtime-config/graph/graph.json", "parameters/default.params", "input_1_int8", seed)))).ToList();

            var joinedRuns = Outputs(joinedOutput);
            Assert.Contains("model 0 linked-params 0", joinedOutput);
            Assert.Contains("model 1 linked-params 0", joinedOutput);
            for (int model = 0; model < 2; model++)
            {
                Assert.Equal(Runs, alone[model].Count);
                Assert.Equal(alone[model].Values, Enumerable.Range(0, Runs).Select(r => joinedRuns[(model, r)]));
                Assert.Equal(Runs, alone[model].Values.Distinct().Count()); // the outputs follow the inputs
            }
            Assert.NotEqual(alone[0].Values, alone[1].Values);
        }

        /// <summary>The distinct func_names of a graph config's kernel nodes (not __nop), in node order.</summary>
        private static List<string> GraphFunctions(string graph)
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(graph));
            return document.RootElement.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("op").GetString() == "tvm_op")
                .Select(n => n.GetProperty("attrs").GetProperty("func_name").GetString()!)
                .Where(f => f != "__nop").Distinct().ToList();
        }

        /// <summary>
        /// C for a TVMModule named by <paramref name="entry"/>() whose TVMFuncRegistry lists <paramref name="functions"/>: the
        /// names string as this CRT (TVM 0.13, func_registry.c) reads it, a two-byte little-endian count, every name with its
        /// NUL, and the literal's own NUL as the empty name that ends the list.
        /// </summary>
        private static string RegistryModule(string entry, IReadOnlyList<string> functions)
        {
            var c = new StringBuilder();
            c.Append("#include <stdint.h>\n#include <tvm/runtime/c_backend_api.h>\n#include <tvm/runtime/crt/func_registry.h>\n#include <tvm/runtime/crt/module.h>\n");
            foreach (string f in functions)
            {
                c.Append($"int32_t {f}(void* args, void* arg_type_ids, int32_t num_args, void* out_ret_value, void* out_ret_tcode, void* resource_handle);\n");
            }
            c.Append($"static const TVMBackendPackedCFunc {entry}_funcs[] = {{\n");
            foreach (string f in functions) c.Append($"    (TVMBackendPackedCFunc){f},\n");
            c.Append("};\n");
            c.Append($"static const TVMFuncRegistry {entry}_registry = {{\n    \"\\{Convert.ToString(functions.Count & 0xFF, 8).PadLeft(3, '0')}\\{Convert.ToString(functions.Count >> 8, 8).PadLeft(3, '0')}\"");
            foreach (string f in functions) c.Append($"\n    \"{f}\\000\"");
            c.Append($",\n    {entry}_funcs}};\n");
            c.Append($"static const TVMModule {entry}_module = {{&{entry}_registry}};\n");
            c.Append($"const TVMModule* {entry}(void) {{ return &{entry}_module; }}\n");
            return c.ToString();
        }

        private static string Extract(TempFolder temp, string name, string archive)
        {
            string tree = temp.File(name);
            Directory.CreateDirectory(tree);
            ExternalTool.Run("tar", tree, "-xf", archive);
            return tree;
        }

        /// <summary>"model M run R output O: hex..." lines, by (model, run); every model here has one output.</summary>
        private static Dictionary<(int Model, int Run), string> Outputs(string output)
        {
            var runs = new Dictionary<(int, int), string>();
            foreach (string line in output.Split('\n').Where(l => l.StartsWith("model ", StringComparison.Ordinal) && l.Contains(" output ")))
            {
                var words = line.Split(' ');
                runs.Add((int.Parse(words[1]), int.Parse(words[3])), line.Substring(line.IndexOf(':') + 1));
            }
            return runs;
        }

        /// <summary>The C runtime of v7-aot-crt-mlp.tar (TVM 0.13) compiled once with the test's crt_config.h and platform functions.</summary>
        private sealed class RuntimeBuild
        {
            private readonly string _include;
            private readonly List<string> _objects = new List<string>();

            public RuntimeBuild(TempFolder temp)
            {
                string crt = temp.File("crt");
                Directory.CreateDirectory(crt);
                ExternalTool.Run("tar", crt, "-xf", TestPaths.Sample("v7-aot-crt-mlp.tar"), "./runtime");
                _include = Path.Combine(crt, "runtime", "include");
                var sources = RuntimeSources.Select(s => Path.Combine(crt, "runtime", "src", "runtime", "crt", s)).Append(Path.Combine(Resources, "platform.c")).ToList();
                ExternalTool.Run("gcc", crt, new[] { "-std=gnu99", "-O1", "-c", "-I", Resources, "-I", _include }.Concat(sources).ToArray());
                _objects.AddRange(sources.Select(s => Path.Combine(crt, Path.GetFileNameWithoutExtension(s) + ".o")));
            }

            /// <summary>Compiles every codegen/host/src/*.c of an extracted archive with the driver and the runtime, runs it on the models.</summary>
            public string BuildAndRun(string tree, string name, string[] entries, bool defineEntryPoint, params (string Graph, string Params, string Input, int Seed)[] models) =>
                BuildAndRun(tree, name, entries, defineEntryPoint, Array.Empty<string>(), models);

            /// <summary>As above, with <paramref name="extraSources"/> compiled in too (a generated module and registry).</summary>
            public string BuildAndRun(string tree, string name, string[] entries, bool defineEntryPoint, string[] extraSources, params (string Graph, string Params, string Input, int Seed)[] models)
            {
                var sources = Directory.GetFiles(Path.Combine(tree, "codegen", "host", "src"), "*.c").OrderBy(s => s, StringComparer.Ordinal).Concat(extraSources);
                string program = Path.Combine(tree, name);
                var arguments = new List<string> { "-std=gnu99", "-O1", "-fno-common", "-I", Resources, "-I", _include, "-DMODEL_ENTRIES=" + string.Concat(entries.Select(e => $"X({e}) ")) };
                if (defineEntryPoint) arguments.Add("-DDEFINE_SYSTEM_LIB_ENTRY_POINT");
                arguments.AddRange(new[] { "-o", program, Path.Combine(Resources, "graph_driver.c") });
                arguments.AddRange(sources);
                arguments.AddRange(_objects);
                arguments.Add("-lm");
                ExternalTool.Run("gcc", tree, arguments.ToArray());
                var run = new List<string> { Runs.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                foreach (var (graph, parameters, input, seed) in models)
                {
                    run.AddRange(new[] { Path.Combine(tree, graph), parameters == "-" ? "-" : Path.Combine(tree, parameters), input, seed.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                }
                return ExternalTool.Run(program, tree, run.ToArray());
            }
        }
    }
}
