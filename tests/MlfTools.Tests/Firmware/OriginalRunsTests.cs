using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Firmware
{
    /// <summary>One temp folder per test class: the C runtime is compiled once per toolchain there, and the host runs once.</summary>
    public sealed class OriginalRunsFixture : IDisposable
    {
        private readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<ModelRun>>> _host;

        public OriginalRunsFixture()
        {
            Temp = new TempFolder();
            _host = new Lazy<IReadOnlyDictionary<string, IReadOnlyList<ModelRun>>>(() =>
            {
                var watch = Stopwatch.StartNew();
                var runs = OriginalModelRuns.CSamples.ToDictionary(s => s, s => OriginalModelRuns.Run(Temp, s, Toolchain.Host));
                HostSeconds = watch.Elapsed.TotalSeconds;
                return runs;
            });
        }

        internal TempFolder Temp { get; }

        /// <summary>How long the host runs took (the C runtime's build included).</summary>
        public double HostSeconds { get; private set; }

        /// <summary>The host run of every C sample, built on first use.</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<ModelRun>> Host => _host.Value;

        public void Dispose() => Temp.Dispose();
    }

    /// <summary>
    /// The independent oracle for the firmware helper sources: every ORIGINAL sample archive, built with drivers of
    /// its own (Resources/OriginalRuns) and run once on the fixed input pattern, prints "default rc=0 hash=..." —
    /// the same hash on the host, on aarch64 under qemu-aarch64 and as a Cortex-M4 firmware on qemu-system-arm.
    /// v7-aot-muriscvnn-aww.tar cannot be built (its CMSIS-NN kernel library is not in the archive); the aarch64 LLVM
    /// object of v5-graph-llvm-conv1d.tar runs only on aarch64.
    /// </summary>
    public class OriginalRunsTests : IClassFixture<OriginalRunsFixture>
    {
        private const string Aww = "v7-aot-muriscvnn-aww.tar";
        private const string Conv1d = "v5-graph-llvm-conv1d.tar";
        private readonly OriginalRunsFixture _fixture;
        private readonly ITestOutputHelper _output;

        public OriginalRunsTests(OriginalRunsFixture fixture, ITestOutputHelper output)
        {
            _fixture = fixture;
            _output = output;
        }

        [SampleToolFact("gcc", "ar", "tar")]
        public void Every_C_sample_runs_on_the_host_with_rc_0_and_one_line_per_model()
        {
            var host = _fixture.Host;
            _output.WriteLine($"host build (runtime included) and run of {host.Count} samples: {_fixture.HostSeconds:0.0} s");
            // Six of the eight samples: all but the CMSIS-NN one (no kernel library) and the aarch64 LLVM object.
            Assert.Equal(6, host.Count);
            foreach (var (sample, runs) in host.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var run = Assert.Single(runs);
                _output.WriteLine($"{sample}: {run.Line}");
                Assert.Equal("default", run.Name);
                Assert.Equal(0, run.Rc);
                Assert.Equal($"default rc=0 hash={run.Hash}", run.Line);
            }
            Assert.Equal(host.Count, host.Values.Select(r => r[0].Hash).Distinct().Count());
        }

        [SampleToolFact("gcc", "ar", "tar")]
        public void Two_host_builds_of_every_C_sample_agree()
        {
            var host = _fixture.Host;
            var watch = Stopwatch.StartNew();
            foreach (string sample in OriginalModelRuns.CSamples)
            {
                var again = OriginalModelRuns.Run(_fixture.Temp, sample, Toolchain.Host);
                Assert.Equal(host[sample], again);
            }
            _output.WriteLine($"second host build and run: {watch.Elapsed.TotalSeconds:0.0} s");
        }

        [SampleToolFact("gcc", "ar", "tar")]
        public void The_hash_follows_the_input_pattern()
        {
            // A driver that ignored its inputs would print the same hash for another pattern.
            var host = _fixture.Host;
            var watch = Stopwatch.StartNew();
            foreach (string sample in OriginalModelRuns.CSamples)
            {
                var shifted = Assert.Single(OriginalModelRuns.Run(_fixture.Temp, sample, Toolchain.Host, patternShift: 1));
                _output.WriteLine($"{sample} shifted: {shifted.Line}");
                Assert.Equal(0, shifted.Rc);
                Assert.NotEqual(host[sample][0].Hash, shifted.Hash);
            }
            _output.WriteLine($"shifted host runs: {watch.Elapsed.TotalSeconds:0.0} s");
        }

        /// <remarks>
        /// The same hashes, although newlib's expf (arm-none-eabi, Cortex-M4 without a double-precision FPU: the fdlibm
        /// __ieee754_expf of ef_exp.c) is not glibc's (the optimized-routines expf): on the floats of [-20, 20] in
        /// steps of 2^-12 they differ by one ulp on 16029 of 163841 inputs. Five samples call expf (softmax,
        /// sigmoid); the four quantized ones requantize its result to int8, and magicwand's float softmax gives the
        /// same bits on this input pattern, which another input need not.
        /// </remarks>
        [SampleToolFact("gcc", "ar", "tar", "arm-none-eabi-gcc", "arm-none-eabi-ar", "qemu-system-arm")]
        public void Every_C_sample_as_a_Cortex_M4_firmware_gives_the_host_hash()
        {
            var host = _fixture.Host;
            var watch = Stopwatch.StartNew();
            foreach (string sample in OriginalModelRuns.CSamples)
            {
                var runs = OriginalModelRuns.Run(_fixture.Temp, sample, Toolchain.CortexM4);
                _output.WriteLine($"{sample} Cortex-M4: {string.Join(" | ", runs.Select(r => r.Line))}");
                Assert.Equal(host[sample], runs);
            }
            _output.WriteLine($"Cortex-M4 builds and runs: {watch.Elapsed.TotalSeconds:0.0} s");
        }

        [SampleToolFact("gcc", "ar", "tar", "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "qemu-aarch64")]
        public void Every_sample_on_aarch64_gives_the_host_hash_and_the_llvm_object_runs()
        {
            var host = _fixture.Host;
            var watch = Stopwatch.StartNew();
            foreach (string sample in OriginalModelRuns.Samples.Where(s => s != Aww))
            {
                var runs = OriginalModelRuns.Run(_fixture.Temp, sample, Toolchain.Aarch64);
                _output.WriteLine($"{sample} aarch64: {string.Join(" | ", runs.Select(r => r.Line))}");
                if (sample == Conv1d)
                {
                    var run = Assert.Single(runs);
                    Assert.Equal("default", run.Name);
                    Assert.Equal(0, run.Rc);
                    // Its hash follows the inputs too.
                    var shifted = Assert.Single(OriginalModelRuns.Run(_fixture.Temp, sample, Toolchain.Aarch64, patternShift: 1));
                    Assert.Equal(0, shifted.Rc);
                    Assert.NotEqual(run.Hash, shifted.Hash);
                }
                else
                {
                    Assert.Equal(host[sample], runs);
                }
            }
            _output.WriteLine($"aarch64 builds and runs: {watch.Elapsed.TotalSeconds:0.0} s");
        }

        [SampleToolFact("gcc", "tar")]
        public void The_muriscvnn_sample_is_left_out_because_its_kernel_library_is_not_in_the_archive()
        {
            string reason = OriginalModelRuns.WhyNot(Aww, Toolchain.Host)!;
            Assert.Contains("CMSIS-NN", reason);
            Assert.Null(OriginalModelRuns.WhyNot(Conv1d, Toolchain.Aarch64));
            Assert.NotNull(OriginalModelRuns.WhyNot(Conv1d, Toolchain.Host));
            Assert.DoesNotContain(Aww, OriginalModelRuns.CSamples);

            // The reason holds: the archive has no CMSIS-NN header, and its default_lib2.c does not compile without one.
            using var temp = new TempFolder();
            ExternalTool.Run("tar", temp.Path, "-xf", TestPaths.Sample(Aww));
            Assert.Empty(Directory.GetFiles(temp.Path, "arm_nn*.h", SearchOption.AllDirectories));
            Assert.Empty(Directory.GetFiles(temp.Path, "arm_*_s8.c", SearchOption.AllDirectories));
            var (exitCode, error) = ExternalTool.RunAllowingFailure("gcc", temp.Path, "-std=gnu99", "-fsyntax-only",
                "-I", Path.Combine(temp.Path, "runtime", "include"), "-I", Path.Combine(temp.Path, "codegen", "host", "include"),
                Path.Combine(temp.Path, "codegen", "host", "src", "default_lib2.c"));
            Assert.NotEqual(0, exitCode);
            Assert.Contains("arm_nnfunctions.h", error);
        }
    }
}
