using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// The LLVM conv1d sample (an aarch64 object) joined twice under new names, linked into one static aarch64
    /// program with a C driver and run under qemu: both copies compute what the original object computes, bit for bit.
    /// The same with the model shipped as a static library.
    /// </summary>
    public class LlvmObjectEndToEndTests
    {
        private const string Sample = "v5-graph-llvm-conv1d.tar";
        private readonly ITestOutputHelper _output;

        public LlvmObjectEndToEndTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [SampleToolFact("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-nm", "qemu-aarch64", "tar")]
        public void Two_renamed_copies_of_the_llvm_object_link_into_one_aarch64_program_and_compute_what_the_original_does()
        {
            using var temp = new TempFolder();
            AssertCopiesComputeAsOriginal(temp, TestPaths.Sample(Sample), ".o");
        }

        [SampleToolFact("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "aarch64-linux-gnu-nm", "qemu-aarch64", "tar")]
        public void The_model_shipped_as_a_static_library_does_the_same()
        {
            using var temp = new TempFolder();
            // The sample with its object replaced by a static library holding it and a second member of the module's.
            string tree = temp.File("library-tree");
            Directory.CreateDirectory(tree);
            ExternalTool.Run("tar", tree, "-xf", TestPaths.Sample(Sample));
            string lib = Path.Combine(tree, "codegen", "host", "lib");
            File.WriteAllText(Path.Combine(lib, "extra.c"), "int tvmgen_default_extra_marker(void) { return 42; }\n");
            ExternalTool.Run("aarch64-linux-gnu-gcc", lib, "-c", "-o", "default_extra_helpers.o", "extra.c");
            ExternalTool.Run("aarch64-linux-gnu-ar", lib, "rcs", "default_lib0.a", "default_lib0.o", "default_extra_helpers.o");
            foreach (string name in new[] { "default_lib0.o", "default_extra_helpers.o", "extra.c" }) File.Delete(Path.Combine(lib, name));
            string archive = temp.File("conv1d-library.tar");
            ExternalTool.Run("tar", tree, "-cf", archive, ".");
            AssertCopiesComputeAsOriginal(temp, archive, ".a");
        }

        private void AssertCopiesComputeAsOriginal(TempFolder temp, string input, string extension)
        {
            var a = MlfReader.ReadModules(input).Single().WithName("a");
            var b = MlfReader.ReadModules(input).Single().WithName("b");
            string joined = temp.File("joined.tar");
            JoinWriter.Write(JoinPlanner.Plan(new[] { a, b }, new MlfJoinOptions()), joined, overwrite: false);
            string joinedTree = temp.File("joined-tree");
            Directory.CreateDirectory(joinedTree);
            ExternalTool.Run("tar", joinedTree, "-xf", joined);
            string originalTree = temp.File("original-tree");
            Directory.CreateDirectory(originalTree);
            ExternalTool.Run("tar", originalTree, "-xf", input);

            // The graph config and metadata are renamed too: the kernels the driver calls are the ones they name.
            string graphA = File.ReadAllText(Path.Combine(joinedTree, "executor-config", "graph", "a.graph"));
            Assert.Contains("\"func_name\": \"tvmgen_a_fused_nn_conv1d\"", graphA);
            Assert.DoesNotContain("tvmgen_default", graphA);
            Assert.Contains("\"tvmgen_b_fused_nn_bias_add\"", File.ReadAllText(Path.Combine(joinedTree, "metadata.json")));

            var (p0, p1) = ReadParams(Path.Combine(joinedTree, "parameters", "a.params"));
            var (originalP0, originalP1) = ReadParams(Path.Combine(originalTree, "parameters", "default.params"));
            Assert.Equal(originalP0, p0);
            Assert.Equal(originalP1, p1);

            string[] objects = { Path.Combine(joinedTree, "codegen", "host", "lib", "a_lib0" + extension), Path.Combine(joinedTree, "codegen", "host", "lib", "b_lib0" + extension) };
            string joinedOutput = BuildAndRun(temp, "joined", new[] { "a", "b" }, objects, p0, p1);
            string originalOutput = BuildAndRun(temp, "original", new[] { "default" }, new[] { Path.Combine(originalTree, "codegen", "host", "lib", "default_lib0" + extension) }, p0, p1);

            // nm: no symbol of module default is left, and no global symbol is defined twice.
            string nm = ExternalTool.Run("aarch64-linux-gnu-nm", temp.Path, "joined");
            Assert.DoesNotContain("tvmgen_default", nm);
            var globals = ExternalTool.Run("aarch64-linux-gnu-nm", temp.Path, new[] { "-g", "--defined-only" }.Concat(objects).ToArray())
                .Split('\n').Select(l => l.Trim().Split(' ')).Where(f => f.Length == 3 && char.IsUpper(f[1][0]) && f[1] != "V" && f[1] != "W").Select(f => f[2]).ToList();
            Assert.NotEmpty(globals);
            Assert.Equal(globals.Count, globals.Distinct().Count());

            var original = originalOutput.Trim().Split(' ');
            var lines = joinedOutput.Trim().Split('\n');
            Assert.Equal(2, lines.Length);
            foreach (var (line, name) in lines.Zip(new[] { "a", "b" }))
            {
                var values = line.Trim().Split(' ');
                Assert.Equal(name, values[0]);
                Assert.Equal(original.Skip(1), values.Skip(1)); // bit-identical to the original object
            }
            // And the original computes conv1d (stride 2, no padding) plus bias, as the Relay text says.
            var expected = Reference(p0, p1);
            var got = original.Skip(1).Select(h => BitConverter.Int32BitsToSingle(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray();
            Assert.Equal(expected.Length, got.Length);
            for (int i = 0; i < got.Length; i++) Assert.True(Math.Abs(got[i] - expected[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"output {i}: {got[i]} vs {expected[i]}");
            _output.WriteLine(joinedOutput);
        }

        private static float Input(int i) => ((i * 37) % 101) / 50.0f - 1.0f;

        private static float[] Reference(float[] weight, float[] bias)
        {
            var output = new float[33 * 3];
            for (int o = 0; o < 33; o++)
            {
                for (int w = 0; w < 3; w++)
                {
                    double sum = 0;
                    for (int c = 0; c < 16; c++)
                    {
                        for (int k = 0; k < 3; k++) sum += (double)Input(c * 8 + 2 * w + k) * weight[(o * 16 + c) * 3 + k];
                    }
                    output[o * 3 + w] = (float)(sum + bias[o]);
                }
            }
            return output;
        }

        private const string Driver = @"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { int32_t device_type; int32_t device_id; } Device;
typedef struct { uint8_t code; uint8_t bits; uint16_t lanes; } DataType;
typedef struct { void* data; Device device; int32_t ndim; DataType dtype; int64_t* shape; int64_t* strides; uint64_t byte_offset; } Tensor;
typedef union { int64_t v_int64; double v_float64; void* v_handle; } Value;
typedef int32_t (*Kernel)(Value* args, int32_t* codes, int32_t count, Value* ret, int32_t* ret_code, void* resource);

/* The runtime's function slots, weak symbols every TVM LLVM object defines and a runtime fills: error reporting,
   and parallel launch, run here as one task on this thread. */
extern void* __TVMAPISetLastError;
extern void* __TVMBackendParallelLaunch;
typedef struct { void* sync_handle; int32_t num_task; } ParallelGroup;
typedef int (*ParallelLambda)(int task_id, ParallelGroup* group, void* closure);
static void report(const char* message) { fprintf(stderr, ""kernel error: %s\n"", message); }
static int launch(ParallelLambda lambda, void* closure, int num_task) {
  (void)num_task;
  ParallelGroup group = {NULL, 1};
  return lambda(0, &group, closure);
}

PARAMETERS
DECLARATIONS

static float input[128], weight[1584], bias[33], middle[99], output[99];

static int run(const char* name, Kernel conv1d, Kernel bias_add) {
  int64_t input_shape[3] = {1, 16, 8}, weight_shape[3] = {33, 16, 3}, middle_shape[3] = {1, 33, 3}, bias_shape[1] = {33};
  Tensor t_input = {input, {1, 0}, 3, {2, 32, 1}, input_shape, NULL, 0};
  Tensor t_weight = {weight, {1, 0}, 3, {2, 32, 1}, weight_shape, NULL, 0};
  Tensor t_middle = {middle, {1, 0}, 3, {2, 32, 1}, middle_shape, NULL, 0};
  Tensor t_bias = {bias, {1, 0}, 1, {2, 32, 1}, bias_shape, NULL, 0};
  Tensor t_output = {output, {1, 0}, 3, {2, 32, 1}, middle_shape, NULL, 0};
  Value args[3], ret;
  int32_t codes[3] = {7, 7, 7}, ret_code = 0;
  memset(middle, 0xff, sizeof middle);
  memset(output, 0xff, sizeof output);
  args[0].v_handle = &t_input; args[1].v_handle = &t_weight; args[2].v_handle = &t_middle;
  if (conv1d(args, codes, 3, &ret, &ret_code, NULL) != 0) return 1;
  args[0].v_handle = &t_middle; args[1].v_handle = &t_bias; args[2].v_handle = &t_output;
  if (bias_add(args, codes, 3, &ret, &ret_code, NULL) != 0) return 1;
  printf(""%s"", name);
  for (int i = 0; i < 99; i++) { uint32_t bits; memcpy(&bits, &output[i], 4); printf("" %08x"", bits); }
  printf(""\n"");
  return 0;
}

int main(void) {
  __TVMAPISetLastError = (void*)report;
  __TVMBackendParallelLaunch = (void*)launch;
  for (int i = 0; i < 128; i++) input[i] = (float)((i * 37) % 101) / 50.0f - 1.0f;
  memcpy(weight, weight_bits, sizeof weight);
  memcpy(bias, bias_bits, sizeof bias);
CALLS
  return 0;
}
";

        private static string BuildAndRun(TempFolder temp, string program, string[] modules, string[] objects, float[] weight, float[] bias)
        {
            string Bits(float[] values) => string.Join(", ", values.Select(v => "0x" + BitConverter.SingleToInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture) + "u"));
            string parameters = $"static const uint32_t weight_bits[{weight.Length}] = {{ {Bits(weight)} }};\nstatic const uint32_t bias_bits[{bias.Length}] = {{ {Bits(bias)} }};";
            var declarations = new StringBuilder();
            var calls = new StringBuilder();
            foreach (string m in modules)
            {
                declarations.AppendLine($"int32_t tvmgen_{m}_fused_nn_conv1d(Value*, int32_t*, int32_t, Value*, int32_t*, void*);");
                declarations.AppendLine($"int32_t tvmgen_{m}_fused_nn_bias_add(Value*, int32_t*, int32_t, Value*, int32_t*, void*);");
                calls.AppendLine($"  if (run(\"{m}\", tvmgen_{m}_fused_nn_conv1d, tvmgen_{m}_fused_nn_bias_add) != 0) return 1;");
            }
            string source = Driver.Replace("PARAMETERS", parameters).Replace("DECLARATIONS", declarations.ToString()).Replace("CALLS", calls.ToString());
            File.WriteAllText(temp.File(program + ".c"), source);
            ExternalTool.Run("aarch64-linux-gnu-gcc", temp.Path, new[] { "-static", "-O1", "-o", program, program + ".c" }.Concat(objects).ToArray());
            return ExternalTool.Run("qemu-aarch64", temp.Path, "./" + program);
        }

        /// <summary>The sample's two parameter tensors (p0: the weight, p1: the bias), read from the .params format.</summary>
        private static (float[] P0, float[] P1) ReadParams(string path)
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            reader.ReadUInt64();
            reader.ReadUInt64();
            var names = new List<string>();
            ulong count = reader.ReadUInt64();
            for (ulong i = 0; i < count; i++) names.Add(Encoding.UTF8.GetString(reader.ReadBytes((int)reader.ReadUInt64())));
            reader.ReadUInt64();
            var arrays = new Dictionary<string, float[]>();
            foreach (string name in names)
            {
                reader.ReadUInt64();
                reader.ReadUInt64();
                reader.ReadInt32();
                reader.ReadInt32();
                int ndim = reader.ReadInt32();
                reader.ReadUInt32();
                for (int d = 0; d < ndim; d++) reader.ReadInt64();
                byte[] data = reader.ReadBytes((int)reader.ReadInt64());
                arrays[name] = Enumerable.Range(0, data.Length / 4).Select(i => BitConverter.ToSingle(data, 4 * i)).ToArray();
            }
            return (arrays["p0"], arrays["p1"]);
        }
    }
}
