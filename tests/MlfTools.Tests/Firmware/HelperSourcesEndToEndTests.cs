using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Firmware
{
    /// <summary>All eight samples joined with -IncludeHelpers (the C runtime of the newest, TVM 0.13), extracted once.</summary>
    public sealed class HelperJoinFixture : IDisposable
    {
        /// <summary>Joined name and sample of every model, in join order.</summary>
        public static readonly (string Name, string Sample)[] Models =
        {
            ("kwsone", "v2-graph-kws-onefile.tar"), ("yesno", "v4-graph-yesno.tar"), ("sine", "v5-aot-sine.tar"),
            ("conv", "v5-graph-llvm-conv1d.tar"), ("kws", "v6-aot-kws.tar"), ("mlp", "v7-aot-crt-mlp.tar"),
            ("aww", "v7-aot-muriscvnn-aww.tar"), ("wand", "v7-graph-magicwand.tar"),
        };

        private readonly Lazy<string> _tree;
        private readonly Lazy<IReadOnlyDictionary<string, string>> _originals;

        public HelperJoinFixture()
        {
            Temp = new TempFolder();
            _tree = new Lazy<string>(() =>
            {
                var modules = Models.Select(m => MlfReader.ReadModules(TestPaths.Sample(m.Sample)).Single().WithName(m.Name)).ToList();
                string joined = Temp.File("joined.tar");
                JoinWriter.Write(JoinPlanner.Plan(modules, new MlfJoinOptions { RuntimeFrom = "mlp", IncludeHelpers = true }), joined, overwrite: false);
                string tree = Temp.File("joined");
                Directory.CreateDirectory(tree);
                ExternalTool.Run("tar", tree, "-xf", joined);
                return tree;
            });
            // The oracle: each ORIGINAL archive run by drivers that do not use the helpers (the LLVM object on aarch64).
            _originals = new Lazy<IReadOnlyDictionary<string, string>>(() => Models
                .Where(m => OriginalModelRuns.WhyNot(m.Sample, Toolchain.Host) == null || OriginalModelRuns.WhyNot(m.Sample, Toolchain.Aarch64) == null)
                .ToDictionary(m => m.Name, m =>
                {
                    var toolchain = OriginalModelRuns.WhyNot(m.Sample, Toolchain.Host) == null ? Toolchain.Host : Toolchain.Aarch64;
                    return OriginalModelRuns.Run(Temp, m.Sample, toolchain).Single().Hash;
                }));
        }

        internal TempFolder Temp { get; }

        public string Tree => _tree.Value;

        public string Helpers => Path.Combine(Tree, "helpers");

        /// <summary>Each model's hash from its original archive, by joined name.</summary>
        public IReadOnlyDictionary<string, string> OriginalHashes => _originals.Value;

        public void Dispose() => Temp.Dispose();
    }

    /// <summary>
    /// The proof of -IncludeHelpers: the example the helpers bring, built with their Makefile from every model's code,
    /// the helpers and the archive's C runtime into ONE program, prints for every model the hash its original archive
    /// gives when run by an independent driver: on the host with gcc, on aarch64 under qemu-aarch64 (the LLVM object
    /// too), and as one bare-metal Cortex-M4 firmware under qemu-system-arm. aww is described but not built: its
    /// CMSIS-NN kernel library is not in its archive. mlp's Arm DSP intrinsics come from a C stand-in off Arm.
    /// </summary>
    public class HelperSourcesEndToEndTests : IClassFixture<HelperJoinFixture>
    {
        private static readonly Regex Line = new Regex(@"^(?<model>\w+) rc=(?<rc>-?\d+) hash=(?<hash>[0-9a-f]{16})$", RegexOptions.Multiline);
        private static string Acle => Path.Combine(OriginalModelRuns.Resources, "acle");
        private readonly HelperJoinFixture _fixture;
        private readonly ITestOutputHelper _output;

        public HelperSourcesEndToEndTests(HelperJoinFixture fixture, ITestOutputHelper output)
        {
            _fixture = fixture;
            _output = output;
        }

        [SampleToolFact("gcc", "make", "tar", "aarch64-linux-gnu-gcc", "qemu-aarch64")]
        public void The_example_built_for_this_machine_runs_every_C_model_as_its_original_does()
        {
            var models = new[] { "kwsone", "yesno", "sine", "kws", "mlp", "wand" };
            string output = Make("host", models, "CC=gcc", $"CPPFLAGS=-I{Acle}");
            AssertHashes(models, output);
        }

        [SampleToolFact("aarch64-linux-gnu-gcc", "qemu-aarch64", "make", "tar")]
        public void The_example_built_for_aarch64_runs_the_llvm_object_and_every_C_model_as_their_originals_do()
        {
            var models = new[] { "kwsone", "yesno", "sine", "conv", "kws", "mlp", "wand" };
            string build = Path.Combine(_fixture.Helpers, "build-aarch64");
            ExternalTool.Run("make", _fixture.Helpers, "-s", "-j2", "CC=aarch64-linux-gnu-gcc", "LDFLAGS=-static", $"CPPFLAGS=-I{Acle}", "BUILD=build-aarch64", "MODELS=" + string.Join(" ", models));
            AssertHashes(models, ExternalTool.Run("qemu-aarch64", _fixture.Helpers, Path.Combine(build, "example")));
        }

        [SampleToolFact("arm-none-eabi-gcc", "qemu-system-arm", "make", "tar")]
        public void The_same_models_in_one_cortex_m4_firmware_give_the_same_hashes()
        {
            var models = new[] { "kwsone", "yesno", "sine", "kws", "mlp", "wand" };
            string resources = CortexM4Firmware.ResourceFolder;
            string flags = string.Join(" ", CortexM4Firmware.CompileFlags);
            ExternalTool.Run("make", _fixture.Helpers, "-s", "-j2", "CC=arm-none-eabi-gcc", "BUILD=build-m4", "MODELS=" + string.Join(" ", models),
                $"CFLAGS={flags}",
                $"LDFLAGS=-nostartfiles --specs=rdimon.specs -T {Path.Combine(resources, "cortex-m4.ld")} -Wl,--gc-sections",
                $"EXTRA_SOURCES={Path.Combine(resources, "startup.c")}");
            var run = CortexM4Firmware.Run(Path.Combine(_fixture.Helpers, "build-m4", "example"));
            _output.WriteLine(run.StandardOutput);
            Assert.True(run.ExitCode == 0, $"the firmware exited with {run.ExitCode}: {run.StandardOutput} {run.StandardError}");
            AssertHashes(models, run.StandardOutput);
        }

        [SampleToolFact("gcc", "make", "tar")]
        public void Aot_models_built_as_object_code_run_through_the_helpers_as_their_originals_do()
        {
            // kws (USMP: its workspace is static in its code) and mlp (it requests its workspace), their C compiled to
            // objects as an LLVM build ships them: the helpers find the entry point and the requests in the objects.
            using var temp = new TempFolder();
            string runtimeInclude = Path.Combine(_fixture.Tree, "runtime", "include");
            var modules = new[] { ("kwso", "v6-aot-kws.tar"), ("mlpo", "v7-aot-crt-mlp.tar") }
                .Select(m => MlfReader.ReadModules(ObjectCodeArchive(temp, m.Item2, runtimeInclude)).Single().WithName(m.Item1))
                .Append(MlfReader.ReadModules(TestPaths.Sample("v7-aot-crt-mlp.tar")).Single().WithName("mlp"))
                .ToList();
            string joined = temp.File("objects.tar");
            JoinWriter.Write(JoinPlanner.Plan(modules, new MlfJoinOptions { RuntimeFrom = "mlp", IncludeHelpers = true }), joined, overwrite: false);
            string tree = temp.File("objects");
            Directory.CreateDirectory(tree);
            ExternalTool.Run("tar", tree, "-xf", joined);
            string helpers = Path.Combine(tree, "helpers");
            string header = File.ReadAllText(Path.Combine(helpers, "mlf_models.h"));
            Assert.Contains("/* kwso: AOT, C interface (tvmgen_kwso_run) */", header);
            Assert.Contains("#define MLF_KWSO_ARENA_BYTES 0\n", header);
            Assert.Contains("#define MLF_MLPO_ARENA_BYTES 6176\n", header); // 3088 B of workspace, and a header per 16 bytes of it at most
            ExternalTool.Run("make", helpers, "-s", "-j2", "CC=gcc", $"CPPFLAGS=-I{Acle}", "MODELS=kwso mlpo");
            string output = ExternalTool.Run(Path.Combine(helpers, "build", "example"), helpers);
            _output.WriteLine(output);
            var lines = Line.Matches(output).Cast<Match>().ToList();
            Assert.Equal(new[] { "kwso", "mlpo" }, lines.Select(l => l.Groups["model"].Value));
            Assert.All(lines, l => Assert.Equal("0", l.Groups["rc"].Value));
            Assert.Equal(_fixture.OriginalHashes["kws"], lines[0].Groups["hash"].Value);
            Assert.Equal(_fixture.OriginalHashes["mlp"], lines[1].Groups["hash"].Value);
        }

        /// <summary>A sample with its C sources compiled by gcc into codegen/host/lib/default_lib&lt;N&gt;.o and removed.</summary>
        private static string ObjectCodeArchive(TempFolder temp, string sample, string runtimeInclude)
        {
            string tree = temp.File(Path.GetFileNameWithoutExtension(sample));
            Directory.CreateDirectory(tree);
            ExternalTool.Run("tar", tree, "-xf", TestPaths.Sample(sample));
            string sources = Path.Combine(tree, "codegen", "host", "src");
            string lib = Path.Combine(tree, "codegen", "host", "lib");
            Directory.CreateDirectory(lib);
            foreach (string source in Directory.GetFiles(sources, "*.c"))
            {
                ExternalTool.Run("gcc", tree, "-std=gnu99", "-O2", "-ffp-contract=off", "-w", "-c", "-I", Acle, "-I", runtimeInclude,
                    "-I", Path.Combine(tree, "codegen", "host", "include"), "-o", Path.Combine(lib, Path.GetFileNameWithoutExtension(source) + ".o"), source);
            }
            Directory.Delete(sources, recursive: true);
            string archive = temp.File(Path.GetFileNameWithoutExtension(sample) + "-objects.tar");
            ExternalTool.Run("tar", tree, "-cf", archive, ".");
            return archive;
        }

        [SampleFact]
        public void The_header_describes_every_model_with_one_call_each()
        {
            string header = File.ReadAllText(Path.Combine(_fixture.Helpers, "mlf_models.h"));
            foreach (var (name, _) in HelperJoinFixture.Models)
            {
                Assert.Contains($"int32_t mlf_{name}_run(void* const* inputs, void* const* outputs);", header);
                Assert.Contains($"#define MLF_{name.ToUpperInvariant()}_ARENA_BYTES ", header);
            }
            // Sizes and types come from the archive, TVM 0.8 AOT included: sine takes one float32[1, 1].
            Assert.Contains("#define MLF_SINE_INPUT0_BYTES 4 /* dense_4_input: float32[1, 1] */", header);
            Assert.Contains("#define MLF_KWS_INPUT0_BYTES 1960 /* serving_default_input:0: int8[1, 1960] */", header);
            Assert.Contains("#define MLF_WAND_INPUT0_BYTES 1536 /* conv2d_input: float32[1, 128, 3, 1] */", header);
        }

        [SampleFact]
        public void Each_arena_the_helpers_allocate_is_the_arena_the_memory_report_prints_for_that_model()
        {
            string header = File.ReadAllText(Path.Combine(_fixture.Helpers, "mlf_models.h"));
            var joined = MlfReader.ReadModules(Path.Combine(_fixture.Temp.Path, "joined.tar"));
            foreach (var module in joined)
            {
                var report = ModuleMemoryReports.ForModule(module).Single(r => r.DeviceType == 1);
                string macro = $"MLF_{module.Name.ToUpperInvariant()}_ARENA_BYTES";
                var both = Regex.Match(header, $@"#if UINTPTR_MAX > 0xffffffffu
#define {macro} (?<b64>\d+)
#else
#define {macro} (?<b32>\d+)
#endif");
                var one = Regex.Match(header, $@"#define {macro} (?<b>\d+)
");
                long bits32 = long.Parse(both.Success ? both.Groups["b32"].Value : one.Groups["b"].Value);
                long bits64 = long.Parse(both.Success ? both.Groups["b64"].Value : one.Groups["b"].Value);
                bool wide = MlfTools.Report.ModelArena.PointerBytes(module.Targets) == 8;
                _output.WriteLine($"{module.Name}: report {report.ArenaBytes}, helpers {bits32} (32-bit) {bits64} (64-bit)");
                Assert.Equal(report.ArenaBytes, wide ? bits64 : bits32);
            }
        }

        private string Make(string build, string[] models, params string[] settings)
        {
            var arguments = new List<string> { "-s", "-j2", "BUILD=build-" + build, "MODELS=" + string.Join(" ", models) };
            arguments.AddRange(settings);
            ExternalTool.Run("make", _fixture.Helpers, arguments.ToArray());
            return ExternalTool.Run(Path.Combine(_fixture.Helpers, "build-" + build, "example"), _fixture.Helpers);
        }

        private void AssertHashes(string[] models, string output)
        {
            _output.WriteLine(output);
            var lines = Line.Matches(output).Cast<Match>().ToList();
            Assert.Equal(models, lines.Select(l => l.Groups["model"].Value));
            foreach (var line in lines)
            {
                string model = line.Groups["model"].Value;
                Assert.Equal("0", line.Groups["rc"].Value);
                Assert.True(_fixture.OriginalHashes[model] == line.Groups["hash"].Value,
                    $"{model}: the helpers' example gives {line.Groups["hash"].Value}, its original archive {_fixture.OriginalHashes[model]}");
            }
        }
    }
}
