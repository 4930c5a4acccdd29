using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MlfTools.Report;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// The arena figure against real runs: the C runtime of v7-aot-crt-mlp.tar (TVM 0.13) compiled with the firmware
    /// helpers' allocator (the real mlf_platform.c template) and a crt_config.h of the settings the helpers write, a
    /// driver doing the helpers' sequence (Resources/GraphExecutorArena), on the host (gcc, 64-bit) and on a Cortex-M4
    /// (arm-none-eabi-gcc with newlib's semihosting, run by qemu-system-arm -M mps2-an386, 32-bit). The prediction is
    /// never below the measured peak and at most max(2%, 256 bytes) above it.
    /// </summary>
    public class GraphExecutorArenaTests
    {
        private readonly ITestOutputHelper _output;

        public GraphExecutorArenaTests(ITestOutputHelper output) => _output = output;

        private static string Resources => Path.Combine(TestPaths.RepositoryRoot, "tests", "MlfTools.Tests", "Resources", "GraphExecutorArena");
        private static string Templates => Path.Combine(TestPaths.RepositoryRoot, "src", "MlfTools.Core", "Firmware", "Templates");

        private static readonly string[] RuntimeSources =
        {
            "common/crt_runtime_api.c", "common/crt_backend_api.c", "common/func_registry.c", "common/ndarray.c",
            "common/packed_func.c", "graph_executor/graph_executor.c", "graph_executor/load_json.c",
        };

        /// <summary>A graph sample: where its graph and params are, its input, and how its module is made (null: a registry of our own).</summary>
        private sealed record GraphSample(string Archive, string Graph, string? Params, string Input, string? Entry);

        private static readonly GraphSample[] GraphSamples =
        {
            new GraphSample("v7-graph-magicwand.tar", "executor-config/graph/default.graph", "parameters/default.params", "conv2d_input", "TVMSystemLibEntryPoint"),
            new GraphSample("v4-graph-yesno.tar", "runtime-config/graph/graph.json", null, "Reshape_1", "TVMSystemLibEntryPoint"),
            new GraphSample("v2-graph-kws-onefile.tar", "runtime-config/graph/graph.json", "parameters/default.params", "input_1_int8", null),
        };

        private sealed class Toolchain
        {
            public string Compiler = "";
            public string[] Flags = Array.Empty<string>();
            public int PointerBytes;
            public bool CortexM;

            public static readonly Toolchain Host = new Toolchain { Compiler = "gcc", Flags = new[] { "-std=gnu99", "-O1", "-fno-common" }, PointerBytes = 8 };

            public static readonly Toolchain CortexM4 = new Toolchain
            {
                Compiler = "arm-none-eabi-gcc",
                Flags = new[] { "-std=gnu99", "-O1", "-fno-common", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=soft", "-DARENA_BYTES=(1536u*1024u)", "-DPRIu64=\"llu\"" }, // newlib's inttypes.h leaves PRIu64 out here; crt_backend_api.c needs it
                PointerBytes = 4,
                CortexM = true,
            };

            public string[] LinkFlags(string output) => CortexM
                ? new[] { "--specs=rdimon.specs", "-T", Path.Combine(Resources, "mps2_an386.ld"), "-o", output, Path.Combine(Resources, "cortex_m_vectors.c") }
                : new[] { "-o", output };

            public string Run(string program, string folder, params string[] arguments)
            {
                if (!CortexM) return ExternalTool.Run(program, folder, arguments);
                string config = "enable=on,target=native,arg=" + Path.GetFileName(program) + string.Concat(arguments.Select(a => ",arg=" + a));
                return ExternalTool.Run("qemu-system-arm", folder, "-M", "mps2-an386", "-nographic", "-semihosting-config", config, "-kernel", program);
            }
        }

        [SampleToolFact("gcc", "tar")]
        public void Graph_models_on_the_host_never_need_more_than_predicted_nor_much_less() => CheckGraphModels(Toolchain.Host);

        /// <summary>
        /// The older runtimes of the samples ask the same of the arena: TVM 0.11.1 exactly; TVM 0.9.dev's NDArray has no
        /// reference count, so its arrays and storage entries are 8 bytes smaller, and the figure made for the newest
        /// layout is a little above (exact when told, CrtSettings.NdArrayReferenceCount). magicwand's code needs TVM
        /// 0.10+ headers (struct TVMConstantInfo): not with 0.9.dev.
        /// </summary>
        [SampleToolTheory("gcc", "tar")]
        [InlineData("v7-aot-muriscvnn-aww.tar", true)]
        [InlineData("v6-aot-kws.tar", false)]
        public void Graph_models_with_the_older_runtimes_of_the_samples_never_need_more_than_predicted(string runtimeArchive, bool referenceCount)
        {
            CheckGraphModels(Toolchain.Host, runtimeArchive, exact: referenceCount);
            if (!referenceCount) CheckGraphModels(Toolchain.Host, runtimeArchive, exact: true, referenceCount: false);
        }

        [SampleToolFact("arm-none-eabi-gcc", "qemu-system-arm", "tar")]
        public void Graph_models_on_a_Cortex_M4_never_need_more_than_predicted_nor_much_less() => CheckGraphModels(Toolchain.CortexM4);

        [SampleToolFact("gcc", "tar")]
        public void Aot_models_on_the_host_never_need_more_than_predicted_nor_much_less() => CheckAotModels(Toolchain.Host);

        [SampleToolFact("arm-none-eabi-gcc", "qemu-system-arm", "tar")]
        public void Aot_models_on_a_Cortex_M4_never_need_more_than_predicted_nor_much_less() => CheckAotModels(Toolchain.CortexM4);

        [SampleToolFact("gcc", "tar")]
        public void The_64_bit_struct_sizes_are_what_gcc_makes_them() => CheckStructSizes(Toolchain.Host);

        [SampleToolFact("arm-none-eabi-gcc", "tar")]
        public void The_32_bit_struct_sizes_are_what_arm_none_eabi_gcc_makes_them() => CheckStructSizes(Toolchain.CortexM4);

        [Fact]
        public void A_graph_read_as_the_executor_reads_it_gives_the_runtime_blocks_in_order()
        {
            // One input node, one kernel: every request of Create and a run by hand (64-bit, default settings).
            const string json = "{\"nodes\": [{\"op\": \"null\", \"name\": \"x\", \"inputs\": []}, " +
                "{\"op\": \"tvm_op\", \"name\": \"k\", \"attrs\": {\"func_name\": \"k\", \"num_inputs\": \"1\", \"num_outputs\": \"1\", \"flatten_data\": \"0\"}, \"inputs\": [[0, 0, 0]]}], " +
                "\"arg_nodes\": [0], \"heads\": [[1, 0, 0]], \"attrs\": {\"dltype\": [\"list_str\", [\"float32\", \"float32\"]], \"storage_id\": [\"list_int\", [0, 1]], " +
                "\"shape\": [\"list_shape\", [[1, 10], [1, 10]]]}, \"node_row_ptr\": [0, 1, 2]}";
            var settings = new CrtSettings();
            var sizes = new GraphExecutorArena.CrtStructs(settings, 8);
            long B(long request) => GraphExecutorArena.Block(request);
            long kept = B(sizes.GraphExecutor) + B(sizes.Seq) + B(800) + B(Encoding.UTF8.GetByteCount(json) + 1)
                + B(sizes.Node * 2) + B(0) + B(sizes.NodeEntry) + B(4) + B(sizes.NodeEntry) // nodes, inputs of x (none) and k, arg_nodes, heads
                + B(20) + B(8) + B(8 * 6 * 2) + B(8) + B(12)                                 // dltype, storage_id, shape, ndim, node_row_ptr
                + B(8) + B(sizes.PoolEntry * 2)                                             // vtype, pool entries (holes later)
                + B(sizes.StorageEntry * 2) + 2 * (B(8) + B(40))                            // storage pool, two pools of 40 bytes
                + B(sizes.NdArray * 2) + 2 * B(16)                                          // data entries and their shapes (ndim 2)
                + B(sizes.PackedFunc * 2);
            long predicted = GraphExecutorArena.Peak(json, null, null, name => name == "k" ? B(100) : 0, settings, 8);
            Assert.Equal(kept + B(100), predicted);
        }

        [Fact]
        public void A_kernels_requests_are_replayed_in_the_order_of_its_code()
        {
            const string code = "int32_t k(void* args) {\n  void* a = TVMBackendAllocWorkspace(1, dev_id, (uint64_t)100, 2, 32);\n" +
                "  for (int i = 0; i < 4; ++i) {\n    void* b = TVMBackendAllocWorkspace(1, dev_id, (uint64_t)4, 0, 32);\n" +
                "    if (TVMBackendFreeWorkspace(1, dev_id, b) != 0) { return -1; }\n  }\n  void* c = TVMBackendAllocWorkspace(1, dev_id, (uint64_t)4, 0, 32);\n" +
                "  if (TVMBackendFreeWorkspace(1, dev_id, c) != 0) { return -1; }\n  if (TVMBackendFreeWorkspace(1, dev_id, a) != 0) { return -1; }\n  return 0;\n}\n" +
                "int32_t other(void) { void* x = TVMBackendAllocWorkspace(1, 0, n, 0, 8); return 0; }\n" +
                "int32_t wrapper(void* args) { return k(args); }\n";
            var requests = MlfTools.CSource.WorkspaceRequests.Scan(code);
            Assert.Equal(4, requests.AllocateCallSites);
            var k = requests.Functions["k"];
            Assert.True(k.SizesKnown);
            Assert.Equal(3, k.AllocateCallSites);
            Assert.Equal(16 + 112 + 16 + 16, GraphExecutorArena.KernelNeed(k.Events)); // a and one of b or c at a time
            Assert.False(requests.Functions["other"].SizesKnown);
            Assert.Contains("k", requests.Calls["wrapper"]); // a packed wrapper's need includes what the function it calls requests
        }

        [Theory]
        [InlineData("c -keys=arm_cpu,cpu -mcpu=cortex-m55", 4)]
        [InlineData("llvm -mtriple=thumbv7em-none-eabi", 4)]
        [InlineData("c -mtriple=riscv32-unknown-elf", 4)]
        [InlineData("llvm -keys=cpu -mtriple=x86_64-linux-gnu", 8)]
        [InlineData("llvm -mtriple=aarch64-linux-gnu", 8)]
        [InlineData("c -mtriple=riscv64-unknown-linux-gnu", 8)]
        [InlineData("c -keys=cpu -link-params=0", 4)]
        public void The_pointer_size_comes_from_the_target(string target, int bytes) => Assert.Equal(bytes, ModelArena.PointerBytes(new[] { target }));

        private void CheckGraphModels(Toolchain toolchain, string runtimeArchive = DefaultRuntime, bool exact = true, bool referenceCount = true)
        {
            using var temp = new TempFolder();
            var rows = new List<string>();
            foreach (var sample in GraphSamples)
            {
                if (runtimeArchive == "v6-aot-kws.tar" && sample.Archive == "v7-graph-magicwand.tar") continue;
                string tree = Extract(temp, Path.GetFileNameWithoutExtension(sample.Archive), TestPaths.Sample(sample.Archive));
                var module = MlfReader.ReadModules(TestPaths.Sample(sample.Archive)).Single();
                string json = File.ReadAllText(Path.Combine(tree, sample.Graph), new UTF8Encoding(false));
                var settings = CrtSettings.ForGraphs(new[] { json }, module.Parameters?.Tensors.Select(t => t.Name));
                settings.MaxRegisteredModules = 3;
                settings.NdArrayReferenceCount = referenceCount;
                long predicted = ModelArena.Of(module, toolchain.PointerBytes, settings, CancellationToken.None)
                    ?? throw new InvalidOperationException("no arena for " + sample.Archive);

                var sources = Directory.GetFiles(Path.Combine(tree, "codegen", "host", "src"), "*.c").OrderBy(s => s, StringComparer.Ordinal).ToList();
                if (sample.Archive == "v4-graph-yesno.tar") WidenRegistryCount(Path.Combine(tree, "codegen", "host", "src", "default_lib0.c"));
                string entry = sample.Entry ?? "mlf_test_module";
                if (sample.Entry == null) sources.Add(WriteRegistry(tree, module.GraphConfig!.FunctionNames.Where(f => f != "__nop").ToList(), entry));
                string program = Build(temp, tree, toolchain, settings, Path.Combine(Resources, "arena_driver.c"), sources, runtimeArchive, "-DMODEL_ENTRY=" + entry);
                string output = toolchain.Run(program, tree, Path.Combine(tree, sample.Graph), sample.Params == null ? "-" : Path.Combine(tree, sample.Params), sample.Input, "2");
                long measured = Peak(output);
                Assert.Equal(GraphExecutorArena.RuntimeArenaBytes(settings), Peak(output, "runtime-peak "));
                rows.Add($"{sample.Archive,-26} {toolchain.Compiler,-18} {runtimeArchive,-26} measured {measured,8} predicted {predicted,8} (+{predicted - measured})");
                Assert.True(predicted >= measured, $"{sample.Archive}: predicted {predicted} is below the measured peak {measured}");
                Assert.True(predicted <= measured + Math.Max(measured / 50, 256), $"{sample.Archive}: predicted {predicted} is more than max(2%, 256 B) above the measured peak {measured}");
                if (exact) Assert.Equal(measured, predicted);
            }
            foreach (string row in rows) _output.WriteLine(row);
        }

        private void CheckAotModels(Toolchain toolchain)
        {
            using var temp = new TempFolder();
            var rows = new List<string>();
            var samples = new List<(string, string, string, string)> { ("v5-aot-sine.tar", "dense_4_input", "output", "-DRUN_MODEL=tvmgen_default_run_model") };
            // mlp's kernels are Cortex-M code (arm_acle.h intrinsics): it runs on the Cortex-M4 only.
            if (toolchain.CortexM) samples.Add(("v7-aot-crt-mlp.tar", "serving_default_input_1_0", "StatefulPartitionedCall_0", "-DMLF_NO_RUN_MODEL"));
            foreach (var (archive, input, output, run) in samples)
            {
                string tree = Extract(temp, Path.GetFileNameWithoutExtension(archive), TestPaths.Sample(archive));
                var module = MlfReader.ReadModules(TestPaths.Sample(archive)).Single();
                long predicted = ModelArena.Of(module, toolchain.PointerBytes, null, CancellationToken.None) ?? throw new InvalidOperationException("no arena for " + archive);
                var sources = Directory.GetFiles(Path.Combine(tree, "codegen", "host", "src"), "*.c").OrderBy(s => s, StringComparer.Ordinal).ToList();
                string program = Build(temp, tree, toolchain, new CrtSettings(), Path.Combine(Resources, "aot_driver.c"), sources, DefaultRuntime,
                    "-I", Path.Combine(tree, "codegen", "host", "include"), "-DINPUT_FIELD=" + input, "-DOUTPUT_FIELD=" + output, run);
                long measured = Peak(toolchain.Run(program, tree));
                rows.Add($"{archive,-26} {toolchain.Compiler,-18} measured {measured,8} predicted {predicted,8} (+{predicted - measured})");
                Assert.True(predicted >= measured, $"{archive}: predicted {predicted} is below the measured peak {measured}");
                Assert.True(predicted <= measured + Math.Max(measured / 50, 256), $"{archive}: predicted {predicted} is more than max(2%, 256 B) above the measured peak {measured}");
            }
            foreach (string row in rows) _output.WriteLine(row);
        }

        private void CheckStructSizes(Toolchain toolchain)
        {
            using var temp = new TempFolder();
            string include = RuntimeInclude(temp);
            foreach (var settings in new[] { new CrtSettings(), new CrtSettings { MaxArgs = 17, MaxStrlenFunctionName = 203, MaxNdim = 7 } })
            {
                string config = temp.File("config" + settings.MaxArgs);
                Directory.CreateDirectory(config);
                File.WriteAllText(Path.Combine(config, "crt_config.h"), CrtConfig(settings));
                string assembly = ExternalTool.Run(toolchain.Compiler, temp.Path, toolchain.Flags.Concat(new[] { "-S", "-o", "-", "-I", config, "-I", include, Path.Combine(Resources, "sizes.c") }).ToArray());
                var measured = assembly.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(".size\tsize_of_", StringComparison.Ordinal) || l.StartsWith(".size size_of_", StringComparison.Ordinal))
                    .Select(l => l.Substring(l.IndexOf("size_of_", StringComparison.Ordinal) + "size_of_".Length).Split(','))
                    .ToDictionary(p => p[0].Trim(), p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture));
                var sizes = new GraphExecutorArena.CrtStructs(settings, toolchain.PointerBytes);
                _output.WriteLine($"{toolchain.Compiler} MAX_ARGS {settings.MaxArgs}: " + string.Join(", ", measured.Select(m => $"{m.Key} {m.Value}")));
                Assert.Equal(measured["TVMGraphExecutor"], sizes.GraphExecutor);
                Assert.Equal(measured["TVMGraphExecutorNode"], sizes.Node);
                Assert.Equal(measured["TVMGraphExecutorNodeEntry"], sizes.NodeEntry);
                Assert.Equal(measured["TVMGraphExecutorPoolEntry"], sizes.PoolEntry);
                Assert.Equal(measured["TVMGraphExecutorStorageEntry"], sizes.StorageEntry);
                Assert.Equal(measured["TVMNDArray"], sizes.NdArray);
                Assert.Equal(measured["TVMPackedFunc"], sizes.PackedFunc);
                Assert.Equal(measured["Seq"], sizes.Seq);
            }
        }

        /// <summary>Compiles the C runtime, the allocator, the driver and the model's sources with a crt_config.h of the settings.</summary>
        private static string Build(TempFolder temp, string tree, Toolchain toolchain, CrtSettings settings, string driver, IEnumerable<string> sources, string runtimeArchive, params string[] extra)
        {
            string include = RuntimeInclude(temp, runtimeArchive);
            string config = Path.Combine(tree, "mlf_config");
            Directory.CreateDirectory(config);
            File.WriteAllText(Path.Combine(config, "crt_config.h"), CrtConfig(settings));
            string runtime = Path.Combine(Path.GetDirectoryName(include)!, "src", "runtime", "crt");
            string program = Path.Combine(tree, Path.GetFileNameWithoutExtension(driver) + (toolchain.CortexM ? ".elf" : ""));
            var arguments = new List<string>(toolchain.Flags) { "-I", config, "-I", Templates, "-I", include };
            arguments.AddRange(extra);
            arguments.AddRange(toolchain.LinkFlags(program));
            arguments.Add(driver);
            arguments.Add(Path.Combine(Templates, "mlf_platform.c"));
            arguments.AddRange(RuntimeSources.Select(s => Path.Combine(runtime, s)));
            arguments.AddRange(sources);
            arguments.Add("-lm");
            ExternalTool.Run(toolchain.Compiler, tree, arguments.ToArray());
            return program;
        }

        private const string DefaultRuntime = "v7-aot-crt-mlp.tar";

        /// <summary>The C runtime of a sample (by default TVM 0.13's, of v7-aot-crt-mlp.tar), extracted once per test; returns its include folder.</summary>
        private static string RuntimeInclude(TempFolder temp, string runtimeArchive = DefaultRuntime)
        {
            string crt = temp.File("crt-" + Path.GetFileNameWithoutExtension(runtimeArchive));
            if (!Directory.Exists(crt))
            {
                Directory.CreateDirectory(crt);
                ExternalTool.Run("tar", crt, "-xf", TestPaths.Sample(runtimeArchive), "./runtime");
            }
            return Path.Combine(crt, "runtime", "include");
        }

        private static string CrtConfig(CrtSettings settings) => string.Join("\n", new[]
        {
            "#ifndef TVM_RUNTIME_CRT_CRT_CONFIG_H_",
            "#define TVM_RUNTIME_CRT_CRT_CONFIG_H_",
            "#define TVM_CRT_LOG_LEVEL TVM_CRT_LOG_LEVEL_WARN",
            "#define TVM_CRT_DEBUG 0",
            $"#define TVM_CRT_MAX_NDIM {settings.MaxNdim}",
            $"#define TVM_CRT_MAX_ARGS {settings.MaxArgs}",
            $"#define TVM_CRT_GLOBAL_FUNC_REGISTRY_SIZE_BYTES {settings.GlobalFuncRegistrySizeBytes}",
            $"#define TVM_CRT_MAX_REGISTERED_MODULES {settings.MaxRegisteredModules}",
            "#define TVM_CRT_MAX_PACKET_SIZE_BYTES 2048",
            $"#define TVM_CRT_MAX_STRLEN_DLTYPE {settings.MaxStrlenDltype}",
            $"#define TVM_CRT_MAX_STRLEN_FUNCTION_NAME {settings.MaxStrlenFunctionName}",
            $"#define TVM_CRT_MAX_STRLEN_PARAM_NAME {settings.MaxStrlenParamName}",
            "#endif",
            "",
        });

        /// <summary>A TVMModule of the kernels (a registry: 2-byte little-endian count, NUL-terminated names, an extra NUL), returned by <paramref name="entry"/>.</summary>
        private static string WriteRegistry(string tree, IReadOnlyList<string> functions, string entry)
        {
            var text = new StringBuilder("#include <stdint.h>\n#include <tvm/runtime/crt/module.h>\n");
            foreach (string function in functions) text.Append($"int32_t {function}(void*, void*, int32_t, void*, void*, void*);\n");
            text.Append("static TVMBackendPackedCFunc functions[] = {\n");
            foreach (string function in functions) text.Append($"  (TVMBackendPackedCFunc){function},\n");
            text.Append("};\n");
            text.Append($"static const TVMFuncRegistry registry = {{\"\\{Convert.ToString(functions.Count & 0xff, 8).PadLeft(3, '0')}\\{Convert.ToString(functions.Count >> 8, 8).PadLeft(3, '0')}\"");
            foreach (string function in functions) text.Append($"\n  \"{function}\\000\"");
            text.Append(", functions};\n");
            text.Append($"static const TVMModule module = {{&registry}};\nconst TVMModule* {entry}(void) {{ return &module; }}\n");
            string path = Path.Combine(tree, "mlf_test_registry.c");
            File.WriteAllText(path, text.ToString());
            return path;
        }

        /// <summary>The original yesno's registry count is one byte where this runtime reads two: widened by hand.</summary>
        private static void WidenRegistryCount(string lib0)
        {
            string original = File.ReadAllText(lib0, Encoding.Latin1);
            Assert.Single(original.Split("\"\\007tvmgen_default_").Skip(1));
            File.WriteAllText(lib0, original.Replace("\"\\007tvmgen_default_", "\"\\007\\000tvmgen_default_"), Encoding.Latin1);
        }

        private static long Peak(string output, string label = "arena-peak ")
        {
            string line = output.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal));
            return long.Parse(line.Substring(label.Length).Trim(), CultureInfo.InvariantCulture);
        }

        private static string Extract(TempFolder temp, string name, string archive)
        {
            string tree = temp.File(name);
            Directory.CreateDirectory(tree);
            ExternalTool.Run("tar", tree, "-xf", archive);
            return tree;
        }
    }
}
