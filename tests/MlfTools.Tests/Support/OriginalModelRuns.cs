using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;

namespace MlfTools.Tests.Support
{
    /// <summary>The compilers an original-archive run is built with.</summary>
    public enum Toolchain
    {
        /// <summary>gcc for this machine, run directly.</summary>
        Host,

        /// <summary>aarch64-linux-gnu-gcc -static, run under qemu-aarch64 (the only one for the LLVM conv1d object).</summary>
        Aarch64,

        /// <summary>arm-none-eabi-gcc for a Cortex-M4 with FPU, run on qemu-system-arm -M mps2-an386 (<see cref="CortexM4Firmware"/>).</summary>
        CortexM4,
    }

    /// <summary>One line an original-archive run printed: "&lt;model&gt; rc=&lt;rc&gt; hash=&lt;16 hex digits&gt;".</summary>
    public sealed record ModelRun(string Name, int Rc, string Hash, string Line);

    /// <summary>
    /// The independent oracle for the firmware helper sources: each ORIGINAL sample archive (not joined, no helper
    /// code) built with drivers of its own (Resources/OriginalRuns: the AOT interface of the model's header, or the
    /// TVM 0.13 CRT graph executor of v7-aot-crt-mlp.tar's runtime/ for every graph model) and run once on the fixed
    /// input pattern; every model prints "&lt;model&gt; rc=&lt;rc&gt; hash=&lt;FNV-1a 64 of its output bytes&gt;".
    /// Nothing here uses the project's generator code. The inputs and outputs of each sample are written down here
    /// (from its header, graph and Relay text), as an oracle may. The C runtime is compiled once per toolchain and
    /// temp folder (a test class's fixture folder shares it between the runs).
    /// </summary>
    internal static class OriginalModelRuns
    {
        public const string RuntimeSample = "v7-aot-crt-mlp.tar";

        /// <summary>Every sample; <see cref="WhyNot"/> says which cannot run where.</summary>
        public static IReadOnlyList<string> Samples { get; } = new[]
        {
            "v2-graph-kws-onefile.tar", "v4-graph-yesno.tar", "v5-aot-sine.tar", "v5-graph-llvm-conv1d.tar",
            "v6-aot-kws.tar", "v7-aot-crt-mlp.tar", "v7-aot-muriscvnn-aww.tar", "v7-graph-magicwand.tar",
        };

        /// <summary>The samples of C code (all but the aarch64 LLVM object), runnable with every toolchain.</summary>
        public static IReadOnlyList<string> CSamples => Samples.Where(s => WhyNot(s, Toolchain.Host) == null).ToList();

        public static string Resources => Path.Combine(TestPaths.RepositoryRoot, "tests", "MlfTools.Tests", "Resources", "OriginalRuns");

        /// <summary>The test programs' crt_config.h and platform functions, shared with the graph-executor tests.</summary>
        private static string Crt => Path.Combine(TestPaths.RepositoryRoot, "tests", "MlfTools.Tests", "Resources", "GraphExecutor");

        /// <summary>Element kinds as run_pattern.h numbers them, with their sizes.</summary>
        private enum Kind { F32, I8 }

        private sealed record Tensor(string Member, Kind Kind, int Count)
        {
            public string Macro => Kind switch { Kind.F32 => "KIND_F32", _ => "KIND_I8" };
            public int Size => Kind == Kind.F32 ? 4 : 1;
        }

        private sealed record Spec(string Sample)
        {
            /// <summary>AOT: the members of struct tvmgen_default_inputs / _outputs, in order, with what they hold.</summary>
            public Tensor[]? AotInputs { get; init; }
            public Tensor[]? AotOutputs { get; init; }
            /// <summary>AOT: the code defines tvmgen_default_run_model(void*, void*), not the tvmgen_default_run its header declares.</summary>
            public bool RunModel { get; init; }
            /// <summary>AOT: the kernels use the Arm DSP intrinsics (Resources/OriginalRuns/acle off Cortex-M).</summary>
            public bool DspIntrinsics { get; init; }
            /// <summary>Graph: the graph JSON's member path, and the graph's non-parameter inputs in arg_nodes order.</summary>
            public string? Graph { get; init; }
            public string[]? GraphInputs { get; init; }
            /// <summary>Graph without a system library: the test writes the registry, for C sources or the LLVM object.</summary>
            public bool OwnRegistry { get; init; }
            public bool LlvmObject { get; init; }
            /// <summary>Graph: the one-byte registry count of TVM before 0.9 is widened to the two bytes the 0.13 CRT reads.</summary>
            public bool WidenRegistryCount { get; init; }
            /// <summary>Why the sample cannot run at all, or null.</summary>
            public string? NotRunnable { get; init; }
        }

        private static readonly Dictionary<string, Spec> Specs = new Spec[]
        {
            new("v5-aot-sine.tar")
            {
                AotInputs = new[] { new Tensor("dense_4_input", Kind.F32, 1) }, AotOutputs = new[] { new Tensor("output", Kind.F32, 1) }, RunModel = true,
            },
            new("v6-aot-kws.tar")
            {
                AotInputs = new[] { new Tensor("serving_default_input_0", Kind.I8, 1960) }, AotOutputs = new[] { new Tensor("StatefulPartitionedCall_0", Kind.I8, 10) },
            },
            new("v7-aot-crt-mlp.tar")
            {
                AotInputs = new[] { new Tensor("serving_default_input_1_0", Kind.I8, 5) }, AotOutputs = new[] { new Tensor("StatefulPartitionedCall_0", Kind.I8, 1) },
                DspIntrinsics = true,
            },
            new("v7-aot-muriscvnn-aww.tar")
            {
                NotRunnable = "its default_lib2.c (TVM target cmsis-nn) includes <arm_nnfunctions.h>, <arm_nn_types.h> and <arm_nn_math_types.h> and calls "
                    + "arm_convolve_wrapper_s8, arm_depthwise_conv_wrapper_s8, arm_fully_connected_s8, arm_avgpool_s8 and arm_softmax_s8 of the CMSIS-NN "
                    + "(here muRISCV-NN) kernel library, whose headers and sources are neither in the archive nor installed here; the library has portable C "
                    + "paths, so a host build would be possible with a vendored copy, but its output would then depend on the library version chosen, not on the archive",
            },
            new("v2-graph-kws-onefile.tar") { Graph = "runtime-config/graph/graph.json", GraphInputs = new[] { "input_1_int8" }, OwnRegistry = true },
            new("v4-graph-yesno.tar") { Graph = "runtime-config/graph/graph.json", GraphInputs = new[] { "Reshape_1" }, WidenRegistryCount = true },
            new("v5-graph-llvm-conv1d.tar") { Graph = "executor-config/graph/graph.json", GraphInputs = new[] { "input" }, OwnRegistry = true, LlvmObject = true },
            new("v7-graph-magicwand.tar") { Graph = "executor-config/graph/default.graph", GraphInputs = new[] { "conv2d_input" } },
        }.ToDictionary(s => s.Sample);

        private static readonly string[] RuntimeSources =
        {
            "common/crt_runtime_api.c", "common/crt_backend_api.c", "common/func_registry.c", "common/ndarray.c",
            "common/packed_func.c", "graph_executor/graph_executor.c", "graph_executor/load_json.c",
        };

        private static readonly Regex LinePattern = new Regex(@"^(\S+) rc=(-?\d+) hash=([0-9a-f]{16})$", RegexOptions.CultureInvariant);
        private static readonly object RuntimeLock = new object();
        private static int _runCounter;

        /// <summary>Why a sample cannot run with a toolchain, or null.</summary>
        public static string? WhyNot(string sampleFileName, Toolchain toolchain)
        {
            var spec = Specs[sampleFileName];
            if (spec.NotRunnable != null) return spec.NotRunnable;
            if (spec.LlvmObject && toolchain != Toolchain.Aarch64) return "its kernels are an aarch64 ELF object (LLVM), linkable only into an aarch64 program";
            return null;
        }

        /// <summary>The programs a toolchain needs that are not on PATH, or null.</summary>
        public static string? MissingTools(Toolchain toolchain)
        {
            var tools = toolchain switch
            {
                Toolchain.Host => new[] { "gcc", "ar", "tar" },
                Toolchain.Aarch64 => new[] { "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "qemu-aarch64", "tar" },
                _ => new[] { CortexM4Firmware.Compiler, CortexM4Firmware.Archiver, CortexM4Firmware.Qemu, "tar" },
            };
            string? missing = tools.FirstOrDefault(t => !ExternalTool.IsOnPath(t));
            return missing == null ? null : $"'{missing}' is not on PATH";
        }

        /// <summary>
        /// Builds the original sample with the toolchain, runs it once, and returns its lines (one per model). The
        /// pattern shift is added to every element index of the input pattern (0: the pattern as specified), to show
        /// that the hashes follow the inputs. Throws when the build fails, the program exits non-zero or prints no line.
        /// </summary>
        public static IReadOnlyList<ModelRun> Run(TempFolder temp, string sampleFileName, Toolchain toolchain, int patternShift = 0)
        {
            if (WhyNot(sampleFileName, toolchain) is string why) throw new InvalidOperationException($"{sampleFileName} cannot run with {toolchain}: {why}");
            var spec = Specs[sampleFileName];
            var runtime = Runtime(temp, toolchain);
            string folder = temp.File($"run{Interlocked.Increment(ref _runCounter):D3}-{Path.GetFileNameWithoutExtension(sampleFileName)}-{toolchain}");
            string tree = Path.Combine(folder, "tree");
            string generated = Path.Combine(folder, "generated");
            Directory.CreateDirectory(tree);
            Directory.CreateDirectory(generated);
            ExternalTool.Run("tar", tree, "-xf", TestPaths.Sample(sampleFileName));

            var sources = new List<string>();
            var includes = new List<string> { generated, Resources, Crt, runtime.Include };
            var linkInputs = new List<string>();
            string srcFolder = Path.Combine(tree, "codegen", "host", "src");
            if (Directory.Exists(srcFolder)) sources.AddRange(Directory.GetFiles(srcFolder, "*.c").OrderBy(s => s, StringComparer.Ordinal));
            if (spec.AotInputs != null)
            {
                string header = Path.Combine(tree, "codegen", "host", "include");
                CheckAotHeader(Path.Combine(header, "tvmgen_default.h"), spec);
                includes.Add(header);
                if (spec.DspIntrinsics && toolchain != Toolchain.CortexM4) includes.Insert(0, Path.Combine(Resources, "acle"));
                File.WriteAllText(Path.Combine(generated, "model_io.h"), AotIo(spec));
                sources.Add(Path.Combine(Resources, "aot_driver.c"));
            }
            else
            {
                if (spec.WidenRegistryCount) WidenRegistryCount(Path.Combine(srcFolder, "default_lib0.c"));
                WriteGraphData(tree, generated, spec);
                sources.Add(Path.Combine(generated, "model_data.c"));
                if (spec.OwnRegistry)
                {
                    File.WriteAllText(Path.Combine(generated, "model_registry.c"), Registry(Path.Combine(tree, spec.Graph!), spec.LlvmObject));
                    sources.Add(Path.Combine(generated, "model_registry.c"));
                }
                if (spec.LlvmObject) linkInputs.AddRange(Directory.GetFiles(Path.Combine(tree, "codegen", "host", "lib"), "*.o").OrderBy(s => s, StringComparer.Ordinal));
                sources.Add(Path.Combine(Resources, "graph_driver.c"));
                linkInputs.Add(runtime.Library);
            }
            var defines = new List<string>();
            if (patternShift != 0) defines.Add("PATTERN_SHIFT=" + patternShift.ToString(CultureInfo.InvariantCulture));

            (int ExitCode, string Output, string Error) result;
            if (toolchain == Toolchain.CortexM4)
            {
                var run = CortexM4Firmware.BuildAndRun(temp, sources, includes, defines, linkInputs, name: Path.GetFileNameWithoutExtension(sampleFileName));
                result = (run.ExitCode, run.StandardOutput, run.StandardError);
            }
            else
            {
                string compiler = toolchain == Toolchain.Host ? "gcc" : "aarch64-linux-gnu-gcc";
                var flags = HostFlags.Concat(includes.SelectMany(i => new[] { "-I", i })).Concat(defines.Select(d => "-D" + d)).ToList();
                var objects = CBuild.Compile(compiler, Path.Combine(folder, "obj"), flags, sources);
                string program = Path.Combine(folder, "program");
                var link = new List<string>();
                if (toolchain == Toolchain.Aarch64) link.Add("-static");
                link.AddRange(new[] { "-o", program });
                link.AddRange(objects);
                link.AddRange(linkInputs);
                link.Add("-lm");
                ExternalTool.Run(compiler, folder, link.ToArray());
                var ran = toolchain == Toolchain.Host
                    ? ExternalTool.RunWithTimeout(program, folder, TimeSpan.FromSeconds(60))
                    : ExternalTool.RunWithTimeout("qemu-aarch64", folder, TimeSpan.FromSeconds(60), program);
                result = (ran.ExitCode, ran.StandardOutput, ran.StandardError);
            }
            if (result.ExitCode != 0) throw new InvalidOperationException($"{sampleFileName} ({toolchain}) exited with {result.ExitCode}: {result.Output}{result.Error}");
            var runs = Parse(result.Output);
            if (runs.Count == 0) throw new InvalidOperationException($"{sampleFileName} ({toolchain}) printed no result line: {result.Output}{result.Error}");
            return runs;
        }

        /// <summary>The result lines of a program's output (other lines are left out).</summary>
        public static IReadOnlyList<ModelRun> Parse(string output) =>
            output.Split('\n').Select(l => l.TrimEnd('\r')).Select(l => (Line: l, Match: LinePattern.Match(l))).Where(x => x.Match.Success)
                .Select(x => new ModelRun(x.Match.Groups[1].Value, int.Parse(x.Match.Groups[2].Value, CultureInfo.InvariantCulture), x.Match.Groups[3].Value, x.Line))
                .ToList();

        private static readonly string[] HostFlags = { "-std=gnu99", "-O2", "-ffp-contract=off", "-fno-common", "-w" };

        private sealed record RuntimeBuild(string Include, string Library);

        /// <summary>The CRT of v7-aot-crt-mlp.tar with this folder's crt_config.h and platform.c, as a static library; built once per temp folder and toolchain.</summary>
        private static RuntimeBuild Runtime(TempFolder temp, Toolchain toolchain)
        {
            lock (RuntimeLock)
            {
                string crt = temp.File("crt-source");
                string include = Path.Combine(crt, "runtime", "include");
                if (!Directory.Exists(include))
                {
                    Directory.CreateDirectory(crt);
                    ExternalTool.Run("tar", crt, "-xf", TestPaths.Sample(RuntimeSample), "./runtime");
                }
                string folder = temp.File("crt-" + toolchain);
                string library = Path.Combine(folder, "libtvmcrt.a");
                if (File.Exists(library)) return new RuntimeBuild(include, library);
                var sources = RuntimeSources.Select(s => Path.Combine(crt, "runtime", "src", "runtime", "crt", s)).Append(Path.Combine(Crt, "platform.c")).ToList();
                var includes = new[] { "-I", Crt, "-I", include };
                IReadOnlyList<string> objects;
                string archiver;
                switch (toolchain)
                {
                    case Toolchain.Host:
                        objects = CBuild.Compile("gcc", folder, HostFlags.Concat(includes), sources);
                        archiver = "ar";
                        break;
                    case Toolchain.Aarch64:
                        objects = CBuild.Compile("aarch64-linux-gnu-gcc", folder, HostFlags.Concat(includes), sources);
                        archiver = "aarch64-linux-gnu-ar";
                        break;
                    default:
                        var flags = CortexM4Firmware.CompileFlags.Concat(new[] { "-std=gnu99", "-w", "-include", Path.Combine(Resources, "newlib_inttypes.h") }).Concat(includes);
                        objects = CBuild.Compile(CortexM4Firmware.Compiler, folder, flags, sources);
                        archiver = CortexM4Firmware.Archiver;
                        break;
                }
                ExternalTool.Run(archiver, folder, new[] { "rcs", library }.Concat(objects).ToArray());
                return new RuntimeBuild(include, library);
            }
        }

        /// <summary>The written-down inputs and outputs must be the header's struct members, in order.</summary>
        private static void CheckAotHeader(string header, Spec spec)
        {
            string text = File.ReadAllText(header);
            string[] Members(string structName)
            {
                var match = Regex.Match(text, @"struct\s+" + structName + @"\s*\{([^}]*)\}");
                if (!match.Success) throw new InvalidOperationException($"{spec.Sample}: no struct {structName} in {header}");
                return Regex.Matches(match.Groups[1].Value, @"void\*\s*(\w+)\s*;").Select(m => m.Groups[1].Value).ToArray();
            }
            var inputs = Members("tvmgen_default_inputs");
            var outputs = Members("tvmgen_default_outputs");
            if (!inputs.SequenceEqual(spec.AotInputs!.Select(t => t.Member)) || !outputs.SequenceEqual(spec.AotOutputs!.Select(t => t.Member)))
            {
                throw new InvalidOperationException($"{spec.Sample}: the header's inputs ({string.Join(", ", inputs)}) and outputs ({string.Join(", ", outputs)}) are not the ones written down here");
            }
        }

        private static string AotIo(Spec spec)
        {
            string List(Tensor[] tensors) => string.Concat(tensors.Select(t => $" X({t.Member}, {t.Macro}, {t.Size}, {t.Count})"));
            var text = new StringBuilder();
            text.Append("#define MODEL_NAME \"default\"\n");
            text.Append("#define AOT_INPUTS(X)").Append(List(spec.AotInputs!)).Append('\n');
            text.Append("#define AOT_OUTPUTS(X)").Append(List(spec.AotOutputs!)).Append('\n');
            if (spec.RunModel) text.Append("#define AOT_RUN_MODEL\n");
            return text.ToString();
        }

        /// <summary>The graph JSON and the params file as C arrays (the firmware has no files), and model_io.h.</summary>
        private static void WriteGraphData(string tree, string generated, Spec spec)
        {
            byte[] graph = File.ReadAllBytes(Path.Combine(tree, spec.Graph!));
            string paramsPath = Path.Combine(tree, "parameters", "default.params");
            byte[] parameters = File.Exists(paramsPath) ? File.ReadAllBytes(paramsPath) : Array.Empty<byte>();
            var text = new StringBuilder();
            text.Append("/* ").Append(spec.Sample).Append(": ").Append(spec.Graph).Append(" and parameters/default.params. */\n");
            text.Append("const char model_graph_json[] = {");
            AppendBytes(text, graph.Append((byte)0));
            text.Append("};\nconst unsigned char model_params[] __attribute__((aligned(8))) = {");
            AppendBytes(text, parameters.Length == 0 ? new byte[] { 0 } : parameters);
            text.Append("};\nconst unsigned int model_params_size = ").Append(parameters.Length.ToString(CultureInfo.InvariantCulture)).Append("u;\n");
            File.WriteAllText(Path.Combine(generated, "model_data.c"), text.ToString());
            File.WriteAllText(Path.Combine(generated, "model_io.h"),
                "#define MODEL_NAME \"default\"\n#define GRAPH_INPUTS " + string.Join(", ", spec.GraphInputs!.Select(i => "\"" + i + "\"")) + "\n");
        }

        private static void AppendBytes(StringBuilder text, IEnumerable<byte> bytes)
        {
            int i = 0;
            foreach (byte b in bytes)
            {
                if (i++ % 32 == 0) text.Append('\n');
                text.Append(b.ToString(CultureInfo.InvariantCulture)).Append(',');
            }
            text.Append('\n');
        }

        /// <summary>
        /// A TVMModule for a graph model without a system library: a TVMFuncRegistry of every kernel its graph calls
        /// (names blob: 2-byte little-endian count, the NUL-terminated names, an extra NUL; TVM 0.13 common/func_registry.c),
        /// returned by TVMSystemLibEntryPoint. For the LLVM object, the entry also fills the runtime's function slots
        /// the object defines (__TVMAPISetLastError, __TVMBackendParallelLaunch) with the CRT's functions.
        /// </summary>
        private static string Registry(string graphPath, bool llvm)
        {
            using var graph = JsonDocument.Parse(File.ReadAllBytes(graphPath));
            var names = graph.RootElement.GetProperty("nodes").EnumerateArray()
                .Where(n => n.GetProperty("op").GetString() == "tvm_op")
                .Select(n => n.GetProperty("attrs").GetProperty("func_name").GetString()!)
                .Where(n => n != "__nop")
                .Distinct()
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToList();
            var text = new StringBuilder();
            text.Append("#include <tvm/runtime/c_backend_api.h>\n#include <tvm/runtime/c_runtime_api.h>\n#include <tvm/runtime/crt/module.h>\n\n");
            foreach (string name in names) text.Append("int32_t ").Append(name).Append("(void*, void*, int32_t, void*, void*, void*);\n");
            text.Append("\nstatic TVMBackendPackedCFunc functions[] = {\n");
            foreach (string name in names) text.Append("    (TVMBackendPackedCFunc)").Append(name).Append(",\n");
            text.Append("};\n\nstatic const TVMFuncRegistry registry = {\n    \"\\")
                .Append(Convert.ToString(names.Count & 0xff, 8).PadLeft(3, '0')).Append("\\").Append(Convert.ToString(names.Count >> 8, 8).PadLeft(3, '0')).Append("\"\n");
            foreach (string name in names) text.Append("    \"").Append(name).Append("\\0\"\n");
            text.Append("    ,\n    functions,\n};\n\nstatic const TVMModule module = {&registry};\n\n");
            if (llvm) text.Append("extern void* __TVMAPISetLastError;\nextern void* __TVMBackendParallelLaunch;\n\n");
            text.Append("const TVMModule* TVMSystemLibEntryPoint(void) {\n");
            if (llvm) text.Append("  __TVMAPISetLastError = (void*)TVMAPISetLastError;\n  __TVMBackendParallelLaunch = (void*)TVMBackendParallelLaunch;\n");
            text.Append("  return &module;\n}\n");
            return text.ToString();
        }

        /// <summary>v4-graph-yesno's registry count is one byte ("\007"); TVM 0.13's CRT reads two, so it is widened by hand.</summary>
        private static void WidenRegistryCount(string lib0)
        {
            string original = File.ReadAllText(lib0, Encoding.Latin1);
            const string oneByte = "\"\\007tvmgen_default_";
            if (original.Split(oneByte).Length != 2) throw new InvalidOperationException($"expected one one-byte registry count in {lib0}");
            File.WriteAllText(lib0, original.Replace(oneByte, "\"\\007\\000tvmgen_default_"), Encoding.Latin1);
        }
    }
}
