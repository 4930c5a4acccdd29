using System;
using System.Globalization;
using System.IO;
using System.Linq;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// The proof that matters to users: two builds of the same model, renamed and joined, compile and link into
    /// one program in which both models compute what the original computes, bit for bit.
    /// </summary>
    public class EndToEndCompileTests
    {
        private const string Driver = @"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include ""tvm/runtime/c_runtime_api.h""
#include ""tvm/runtime/c_backend_api.h""

void* TVMBackendAllocWorkspace(int device_type, int device_id, uint64_t nbytes, int dtype_code_hint, int dtype_bits_hint) {
  (void)device_type; (void)device_id; (void)dtype_code_hint; (void)dtype_bits_hint;
  return malloc(nbytes);
}
int TVMBackendFreeWorkspace(int device_type, int device_id, void* ptr) {
  (void)device_type; (void)device_id;
  free(ptr);
  return 0;
}
void TVMAPISetLastError(const char* msg) { (void)msg; }

MODEL_DECLARATIONS

int main(void) {
  for (int i = 0; i <= 12; i++) {
    float x = i * 0.5f;
    MODEL_CALLS
  }
  return 0;
}
";

        [SampleToolFact("gcc", "tar")]
        public void Two_renamed_copies_of_the_sine_model_link_into_one_program_and_compute_what_the_original_does()
        {
            using var temp = new TempFolder();
            string runtimeInclude = ExtractRuntimeHeaders(temp);

            var a = MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single().WithName("sine_a");
            var b = MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single().WithName("sine_b");
            string joined = temp.File("joined.tar");
            JoinWriter.Write(JoinPlanner.Plan(new[] { a, b }, new MlfJoinOptions()), joined, overwrite: false);

            string joinedOutput = BuildAndRun(temp, "joined", joined, runtimeInclude, new[] { "sine_a", "sine_b" });
            string originalOutput = BuildAndRun(temp, "original", TestPaths.Sample("v5-aot-sine.tar"), runtimeInclude, new[] { "default" });

            var joinedLines = joinedOutput.Trim().Split('\n');
            var originalLines = originalOutput.Trim().Split('\n');
            Assert.Equal(13, joinedLines.Length);
            for (int i = 0; i < joinedLines.Length; i++)
            {
                var joinedValues = joinedLines[i].Split(' ');
                var originalValues = originalLines[i].Split(' ');
                float x = float.Parse(joinedValues[0], CultureInfo.InvariantCulture);
                // Both copies give bit-identical results to the model built alone (hex float bits compared as text).
                Assert.Equal(originalValues[1], joinedValues[1]);
                Assert.Equal(originalValues[1], joinedValues[2]);
                float y = BitConverter.Int32BitsToSingle(int.Parse(joinedValues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                Assert.True(Math.Abs(y - Math.Sin(x)) < 0.1, $"sine model gave {y} for x = {x}, sin(x) = {Math.Sin(x)}");
            }
        }

        [SampleFact]
        public void The_same_join_without_renaming_is_refused()
        {
            var a = MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single();
            var b = MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single();
            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { a, b }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.DuplicateModuleName, error.ErrorId);
        }

        private static string ExtractRuntimeHeaders(TempFolder temp)
        {
            string crt = temp.File("crt");
            Directory.CreateDirectory(crt);
            ExternalTool.Run("tar", crt, "-xf", TestPaths.Sample("v7-aot-crt-mlp.tar"), "./runtime/include");
            return Path.Combine(crt, "runtime", "include");
        }

        /// <summary>Extracts an archive with tar, compiles every codegen/host/src/*.c with a driver that calls each model, runs it.</summary>
        private static string BuildAndRun(TempFolder temp, string name, string archive, string runtimeInclude, string[] models)
        {
            string tree = temp.File(name);
            Directory.CreateDirectory(tree);
            ExternalTool.Run("tar", tree, "-xf", archive);
            string declarations = string.Join("\n", models.Select(m => $"int32_t tvmgen_{m}_run_model(void* input, void* output);"));
            string calls = string.Join("\n", models.Select((m, i) =>
                $"float out{i} = 0; if (tvmgen_{m}_run_model(&x, &out{i}) != 0) return 1; uint32_t bits{i}; memcpy(&bits{i}, &out{i}, 4);")) +
                "\n    printf(\"%.1f" + string.Concat(models.Select(_ => " %08x")) + "\\n\", x" + string.Concat(models.Select((_, i) => $", bits{i}")) + ");";
            string driver = Path.Combine(tree, "driver.c");
            File.WriteAllText(driver, Driver.Replace("MODEL_DECLARATIONS", declarations).Replace("MODEL_CALLS", calls));
            var sources = Directory.GetFiles(Path.Combine(tree, "codegen", "host", "src"), "*.c").OrderBy(s => s, StringComparer.Ordinal).ToList();
            Assert.Equal(models.Length, sources.Count);
            string program = Path.Combine(tree, "program");
            var arguments = new[] { "-std=gnu99", "-O1", "-fno-common", "-I", runtimeInclude, "-I", Path.Combine(tree, "codegen", "host", "include"), "-o", program, driver }
                .Concat(sources).Concat(new[] { "-lm" }).ToArray();
            ExternalTool.Run("gcc", tree, arguments);
            return ExternalTool.Run(program, tree);
        }
    }
}
