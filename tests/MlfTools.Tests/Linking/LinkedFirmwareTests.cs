using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.Firmware;
using MlfTools.Linking;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Linking
{
    /// <summary>
    /// The proof of Get-MlfMemoryReport -Link: the report of real models, measured before any firmware exists, against a
    /// Cortex-M4 firmware built from the same sources (the joined archive's models, helpers and C runtime, the
    /// measurement's main()) with its own startup and linker script, run under qemu-system-arm -M mps2-an386 with the
    /// stack painted. The image's figures come from readelf, the stack's from the paint, each part's from the
    /// firmware's own map.
    /// </summary>
    public class LinkedFirmwareTests
    {
        private static readonly (string Name, string Sample)[] AotModels = { ("kws", "v6-aot-kws.tar"), ("mlp", "v7-aot-crt-mlp.tar"), ("sine", "v5-aot-sine.tar") };
        private static readonly (string Name, string Sample)[] GraphModels = { ("yesno", "v4-graph-yesno.tar"), ("wand", "v7-graph-magicwand.tar"), ("kwsone", "v2-graph-kws-onefile.tar"), ("mlp", "v7-aot-crt-mlp.tar") };

        private readonly ITestOutputHelper _output;

        public LinkedFirmwareTests(ITestOutputHelper output) => _output = output;

        [SampleToolFact(CortexM4Firmware.Compiler, CortexM4Firmware.Archiver, CortexM4Firmware.Qemu)]
        public void An_aot_firmware_is_reported_as_it_links_and_runs() =>
            Compare(AotModels, runtimeFrom: "mlp", totalFlash: 0.01, totalRam: 0.02, stackShortBy: 64);

        [SampleToolFact(CortexM4Firmware.Compiler, CortexM4Firmware.Archiver, CortexM4Firmware.Qemu)]
        public void A_graph_executor_firmware_is_reported_as_it_links_and_runs() =>
            Compare(GraphModels, runtimeFrom: "mlp", totalFlash: 0.05, totalRam: 0.05, stackShortBy: 512);

        private void Compare((string Name, string Sample)[] models, string runtimeFrom, double totalFlash, double totalRam, long stackShortBy)
        {
            using var temp = new TempFolder();
            var modules = models.Select(m => MlfReader.ReadModules(TestPaths.Sample(m.Sample)).Single().WithName(m.Name)).ToList();

            var firmware = BuildFirmware(temp, modules, runtimeFrom, out var parts);
            var run = CortexM4Firmware.Run(firmware.Elf);
            Assert.True(run.ExitCode == 0, $"the firmware failed ({run.ExitCode}): {run.StandardOutput} {run.StandardError}");
            long measuredHeap = Figure(run, "heap"), measuredStack = Figure(run, "stack");
            var image = ReadElfSections(firmware.Elf);
            LinkedImage linked;
            using (var elf = File.OpenRead(firmware.Elf)) linked = LinkedImage.Read(elf);
            var attribution = LinkAttribution.Compute(LinkMap.Parse(File.ReadAllText(firmware.Map)), linked, input => parts.Of(input.Library ?? input.File, input.Member, input.InputSection));
            long firmwareFlash = image.Flash, firmwareRam = image.Ram + measuredHeap + measuredStack;

            // As a user with the board's startup and linker script measures (-LinkerArgument), and as one without them.
            var board = Measure(temp, modules, runtimeFrom, new[] { "-nostartfiles", "--specs=rdimon.specs", "-T", Path.Combine(CortexM4Firmware.ResourceFolder, "cortex-m4.ld"),
                "-std=gnu99", "-DMLF_NO_STDIO", "-DMLF_PAINT_STACK", Path.Combine(CortexM4Firmware.ResourceFolder, "startup.c") });
            var bare = Measure(temp, modules, runtimeFrom, null);

            _output.WriteLine("| part | predicted flash | linked flash | predicted RAM | linked RAM |");
            _output.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var reports in new[] { board, bare })
            {
                foreach (var (name, _) in models)
                {
                    var row = reports.Single(r => r.Module == name && !r.IsTotal);
                    var part = attribution.Find(name)!.Size;
                    long partFlash = part.CodeBytes + part.ReadOnlyDataBytes + part.DataBytes, partRam = part.DataBytes + part.ZeroInitBytes;
                    long predictedRam = row.DataBytes!.Value + row.ZeroInitBytes!.Value;
                    if (reports == board) _output.WriteLine($"| {name} | {row.FlashBytes:N0} | {partFlash:N0} | {predictedRam:N0} | {partRam:N0} |");
                    Within(row.FlashBytes!.Value, partFlash, 0.005, 0, name + " flash");
                    Within(predictedRam, partRam, 0.005, 0, name + " RAM");
                }
                var runtime = reports.Single(r => r.IsRuntime);
                var linkedRuntime = attribution.Find(FirmwareParts.Runtime)!.Size;
                long runtimeFlash = linkedRuntime.CodeBytes + linkedRuntime.ReadOnlyDataBytes + linkedRuntime.DataBytes;
                if (reports == board) _output.WriteLine($"| (runtime) | {runtime.FlashBytes:N0} | {runtimeFlash:N0} | {runtime.RamBytes:N0} | {linkedRuntime.DataBytes + linkedRuntime.ZeroInitBytes:N0} |");
                Within(runtime.FlashBytes!.Value, runtimeFlash, 0.10, 512, "runtime flash");
            }
            var total = board.Single(r => r.IsTotal);
            var bareTotal = bare.Single(r => r.IsTotal);
            _output.WriteLine($"| (total; stack {total.StackBytes:N0} predicted, {measuredStack:N0} used; heap {measuredHeap:N0} used) | {total.FlashBytes:N0} | {firmwareFlash:N0} | {total.RamBytes:N0} | {firmwareRam:N0} |");
            _output.WriteLine($"| (total without the board's startup and script) | {bareTotal.FlashBytes:N0} | {firmwareFlash:N0} | {bareTotal.RamBytes:N0} | {firmwareRam:N0} |");
            Within(total.FlashBytes!.Value, firmwareFlash, totalFlash, 0, "total flash");
            Within(total.RamBytes!.Value, firmwareRam, totalRam, 0, "total RAM with the heap and the stack");
            Within(bareTotal.FlashBytes!.Value, firmwareFlash, 2 * totalFlash, 0, "total flash without the board's files");
            Assert.True(total.StackBytes >= measuredStack - stackShortBy, $"the stack estimate {total.StackBytes} is short of the {measuredStack} bytes the firmware used by more than {stackShortBy}");
        }

        /// <summary>Get-MlfMemoryReport -Link's reports of the modules, linked with <paramref name="linkerArguments"/> (null: the defaults).</summary>
        private List<MemoryReport> Measure(TempFolder temp, IReadOnlyList<MlfModule> modules, string runtimeFrom, IList<string>? linkerArguments)
        {
            var reports = new List<MemoryReport>();
            var options = new MemoryReportOptions
            {
                Link = true,
                Total = true,
                CodeSize = new CodeSizeOptions
                {
                    Compiler = CortexM4Firmware.Compiler, Arguments = CortexM4Firmware.CompileFlags.ToList(), RuntimeFrom = runtimeFrom,
                    LinkerArguments = linkerArguments, TemporaryRoot = temp.Path,
                },
            };
            var session = new MemoryReportSession(options, o => reports.Add((MemoryReport)o), ex => throw ex, w => _output.WriteLine("warning: " + w), default);
            foreach (var module in modules) session.AddModule(module);
            session.Complete();
            return reports;
        }

        /// <summary>A figure the painted firmware wrote: "heap 1234", "stack 567".</summary>
        private static long Figure(FirmwareRun run, string name)
        {
            var line = Regex.Match(run.StandardOutput + run.StandardError, name + @" (\d+)");
            Assert.True(line.Success, $"the firmware did not say its {name}: {run.StandardOutput} {run.StandardError}");
            return long.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        private static void Within(long predicted, long actual, double fraction, long bytes, string what) =>
            Assert.True(Math.Abs(predicted - actual) <= Math.Max(bytes, fraction * actual),
                $"{what}: predicted {predicted:N0}, linked {actual:N0} (off by {predicted - actual:N0}, allowed {Math.Max(bytes, fraction * actual):N0})");

        /// <summary>
        /// The firmware: the modules joined with -IncludeHelpers and extracted, the measurement's main(), the helpers'
        /// firmware sources, the models' C code and the runtime's, built with the test's startup (no stdio, stack
        /// paint) and linker script, with a map. <paramref name="parts"/> says which object is which part.
        /// </summary>
        private static (string Elf, string Map) BuildFirmware(TempFolder temp, IReadOnlyList<MlfModule> modules, string runtimeFrom, out FirmwareParts parts)
        {
            string joined = temp.File("firmware.tar");
            JoinWriter.Write(JoinPlanner.Plan(modules, new MlfJoinOptions { IncludeHelpers = true, RuntimeFrom = runtimeFrom }), joined, overwrite: false);
            string tree = temp.File("firmware");
            Directory.CreateDirectory(tree);
            ExternalTool.Run("tar", tree, "-xf", joined);
            string helpers = Path.Combine(tree, "helpers");
            File.WriteAllText(Path.Combine(helpers, FirmwareEntry.FileName), FirmwareEntry.Source);

            var sources = new List<(string Source, string Part)> { (Path.Combine(helpers, FirmwareEntry.FileName), FirmwareParts.Helpers) };
            foreach (string file in new[] { HelperSources.ModelsSource, HelperSources.PlatformSource, HelperSources.GraphSource }.Select(f => Path.Combine(helpers, f)).Where(File.Exists))
            {
                sources.Add((file, FirmwareParts.Helpers));
            }
            foreach (var module in modules)
            {
                string data = Path.Combine(helpers, HelperNames.DataFile(module.Name));
                if (File.Exists(data)) sources.Add((data, module.Name));
                foreach (string code in Directory.GetFiles(Path.Combine(tree, "codegen", "host", "src"), module.Name + "_lib*.c")) sources.Add((code, module.Name));
            }
            bool graph = modules.Any(m => m.Executors.Contains("graph"));
            sources.AddRange(HelperSources.RuntimeSources(graph).Select(s => (Path.Combine(tree, s), FirmwareParts.Runtime)));

            string map = temp.File("firmware.map");
            string elf = CortexM4Firmware.Build(temp, "linked", sources.Select(s => s.Source),
                new[] { helpers, Path.Combine(tree, "runtime", "include"), Path.Combine(tree, "codegen", "host", "include") },
                new[] { "MLF_NO_STDIO", "MLF_PAINT_STACK" }, extraCompileFlags: HelperSources.CompilerFlags, extraLinkFlags: new[] { "-Wl,-Map=" + map });

            // CBuild names objects by position, after startup.c: obj/001-<source>.o is sources[0].
            parts = new FirmwareParts(modules.Select(m => (m.Name, HelperNames.Symbol(m.Name))));
            string objects = Path.Combine(Path.GetDirectoryName(elf)!, "obj");
            for (int i = 0; i < sources.Count; i++)
            {
                string obj = Path.Combine(objects, $"{i + 1:D3}-{Path.GetFileNameWithoutExtension(sources[i].Source)}.o").Replace('\\', '/');
                if (Path.GetFileName(sources[i].Source) == HelperSources.ModelsSource) parts.AddSplitByName(obj);
                else parts.Add(obj, sources[i].Part);
            }
            return (elf, map);
        }

        /// <summary>The image's flash (allocated sections with contents) and RAM (.data and .bss), from readelf -S.</summary>
        private static (long Flash, long Ram) ReadElfSections(string elf)
        {
            string text = ExternalTool.Run("arm-none-eabi-readelf", Path.GetDirectoryName(elf)!, "-S", "-W", elf);
            long flash = 0, ram = 0;
            var line = new Regex(@"^\s*\[\s*\d+\]\s+(?<name>\S+)\s+(?<type>\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+(?<size>[0-9a-f]+)\s+[0-9a-f]+\s+(?<flags>[A-Za-z]*)\s", RegexOptions.Multiline);
            foreach (Match m in line.Matches(text))
            {
                if (!m.Groups["flags"].Value.Contains('A')) continue;
                long size = long.Parse(m.Groups["size"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                bool nobits = m.Groups["type"].Value == "NOBITS";
                bool write = m.Groups["flags"].Value.Contains('W');
                if (!nobits) flash += size;
                if (write) ram += size;
            }
            return (flash, ram);
        }
    }
}
