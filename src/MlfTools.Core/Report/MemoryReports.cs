using MlfTools.Archive;
using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MlfTools.Format;
using MlfTools.Report;
using MlfTools.Symbols;

namespace MlfTools
{
    /// <summary>
    /// Memory reports of MLF modules: the figures TVM wrote into metadata.json (per device: workspace, constants, I/O,
    /// inputs and outputs, each operator function's workspace; the sids sum) next to figures computed from the files
    /// (parameter bytes and count from the .params header, graph executor storage from the graph config), and the RAM and
    /// flash they add up to (see about_MlfTools for which figure counts what). Graph executor modules have their code
    /// read for _lookup_linked_param (are the weights linked?); LLVM objects are read for their section sizes, and C
    /// sources compiled when a compiler is given.
    /// </summary>
    public static class MemoryReports
    {
        /// <summary>DLPack's CPU device type: the host, where module-wide figures (sids, stray parameters) are reported.</summary>
        public const int CpuDeviceType = 1;

        private static readonly Dictionary<int, string> DeviceNames = new Dictionary<int, string>
        {
            [1] = "CPU",
            [2] = "CUDA",
            [3] = "CUDAHost",
            [4] = "OpenCL",
            [7] = "Vulkan",
            [8] = "Metal",
            [9] = "VPI",
            [10] = "ROCm",
            [11] = "ROCmHost",
            [12] = "ExtDev",
            [13] = "CUDAManaged",
            [14] = "OneAPI",
            [15] = "WebGPU",
            [16] = "Hexagon",
            [32] = "AOCL",
            [33] = "SDAccel",
            [34] = "OpenGL",
            [35] = "MicroDev",
        };

        /// <summary>The name of a DLPack device type (TVM's additions 32-35 included), or the number as text when unknown.</summary>
        public static string DeviceName(int deviceType) =>
            DeviceNames.TryGetValue(deviceType, out string name) ? name : deviceType.ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// One report per device of the module. Full-model modules: one per device in memory.functions.main (in that order),
        /// then any other device an operator function or the graph config uses (ascending); a module that names no device
        /// at all gets one report for the CPU. Operator-style modules (tvm.build) get one report, for the device of their
        /// single src/tir-&lt;device&gt;.txt (else the CPU), whose IoBytes is the sum of every primfunc buffer.
        /// Throws <see cref="MlfException"/> (MetadataInvalid) when the memory section is malformed.
        /// </summary>
        public static IReadOnlyList<MemoryReport> ForModule(MlfModule module) => ForModule(module, null, CancellationToken.None);

        /// <summary>
        /// As <see cref="ForModule(MlfModule)"/>, with the code measured: LLVM objects are always read, C sources compiled
        /// with <paramref name="codeSize"/>'s compiler when it names one (CompilerNotFound / CompilerFailed otherwise).
        /// </summary>
        public static IReadOnlyList<MemoryReport> ForModule(MlfModule module, CodeSizeOptions codeSize, CancellationToken cancellationToken)
        {
            if (module == null) throw new ArgumentNullException(nameof(module));
            bool operatorStyle = module.Style == MetadataReader.OperatorStyle;
            var memory = MemorySection.Parse(module.MetadataEntry["memory"], operatorStyle, module.OriginalName, module.SourcePath);
            string executor = module.Executors.Count == 0 ? null : string.Join(",", module.Executors);

            if (operatorStyle)
            {
                int device = OperatorStyleDevice(module);
                var parameters = ParametersOn(module, device, device, new[] { device });
                return new[]
                {
                    new MemoryReport
                    {
                        Module = module.Name,
                        Archive = module.SourcePath,
                        Executor = executor,
                        DeviceType = device,
                        Device = DeviceName(device),
                        IoBytes = memory.OperatorBufferBytes,
                        Functions = Array.AsReadOnly(new FunctionMemoryReport[0]),
                        ParametersBytes = parameters.Bytes,
                        ParameterCount = parameters.Count,
                    },
                };
            }

            string weightsIn = WeightPlacement.Of(module, cancellationToken);
            var linkedNodes = weightsIn == WeightPlacement.Code && module.Parameters != null
                ? new HashSet<string>(module.Parameters.Tensors.Select(t => t.Name), StringComparer.Ordinal)
                : null;
            var storage = module.GraphConfig?.StorageBytesByDevice();
            var activations = module.GraphConfig?.StorageBytesByDevice(linkedNodes);
            var devices = memory.Main.Select(m => m.Device).ToList();
            var others = memory.OperatorWorkspaces.Select(w => w.Device)
                .Concat(storage?.Keys ?? Enumerable.Empty<int>())
                .Where(d => !devices.Contains(d)).Distinct().OrderBy(d => d).ToList();
            devices.AddRange(others);
            if (devices.Count == 0) devices.Add(CpuDeviceType);
            int host = devices.Contains(CpuDeviceType) ? CpuDeviceType : devices[0];
            var measured = CodeSizeMeasurer.Measure(module, codeSize, cancellationToken);

            var reports = new List<MemoryReport>(devices.Count);
            foreach (int device in devices)
            {
                var main = memory.Main.FirstOrDefault(m => m.Device == device);
                var parameters = ParametersOn(module, device, host, devices);
                var functions = SortFunctions(memory.OperatorWorkspaces.Where(w => w.Device == device)
                    .Select(w => new FunctionMemoryReport(module.Name, w.Function, w.Device, w.WorkspaceBytes)));
                var report = new MemoryReport
                {
                    Module = module.Name,
                    Archive = module.SourcePath,
                    Executor = executor,
                    DeviceType = device,
                    Device = DeviceName(device),
                    WorkspaceBytes = main?.WorkspaceBytes,
                    ConstantsBytes = main?.ConstantsBytes,
                    IoBytes = main?.IoBytes,
                    SidsBytes = device == host ? memory.SidsBytes : null,
                    Inputs = main?.Inputs?.AsReadOnly(),
                    Outputs = main?.Outputs?.AsReadOnly(),
                    Functions = functions,
                    ParametersBytes = parameters.Bytes,
                    ParameterCount = parameters.Count,
                    GraphStorageBytes = storage == null ? (long?)null : storage.TryGetValue(device, out long bytes) ? bytes : 0,
                    WeightsIn = weightsIn,
                };
                report.InputBytes = main?.Inputs != null ? Sum(main.Inputs.Select(t => (long?)t.Bytes)) ?? 0 : GraphTensorBytes(module, device, host, inputs: true);
                report.OutputBytes = main?.Outputs != null ? Sum(main.Outputs.Select(t => (long?)t.Bytes)) ?? 0 : GraphTensorBytes(module, device, host, inputs: false);
                if (device == host && main?.Inputs == null && module.Executors.Contains("aot"))
                {
                    (report.InputBytes, report.OutputBytes) = AotTensorBytes.Of(module, report.IoBytes, cancellationToken);
                }
                if (device == host && weightsIn == WeightPlacement.Code) report.CodeConstantsBytes = CodeConstants.Of(module, cancellationToken);
                if (device == host && measured != null)
                {
                    report.CodeBytes = measured.Size.CodeBytes;
                    report.ReadOnlyDataBytes = measured.Size.ReadOnlyDataBytes;
                    report.DataBytes = measured.Size.DataBytes;
                    report.ZeroInitBytes = measured.Size.ZeroInitBytes;
                }
                if (device == host)
                {
                    report.ArenaBytes = ModelArena.Of(module, ModelArena.PointerBytes(module.Targets), HelperCrtSettings(module, cancellationToken), cancellationToken);
                    report.ArenaUnknown = report.ArenaBytes == null && module.Executors.Contains("graph");
                }
                long? graphActivations = activations == null ? (long?)null : activations.TryGetValue(device, out long used) ? used : 0;
                SetRamAndFlash(report, module, device == host, graphActivations, measured);
                reports.Add(report);
            }
            return reports.AsReadOnly();
        }

        /// <summary>
        /// RamBytes and FlashBytes of one device report, as the table in about_MlfTools gives them. The host carries the
        /// code and the .params file; a figure any part of which is unknown stays null.
        /// </summary>
        private static void SetRamAndFlash(MemoryReport report, MlfModule module, bool isHost, long? graphActivations, CodeSizeMeasurer.Result measured)
        {
            bool graph = module.Executors.Contains("graph");
            bool aot = module.Executors.Contains("aot");
            bool loadsParams = report.WeightsIn == WeightPlacement.ParamsFile;
            long? paramsFile = loadsParams && isHost ? module.Parameters?.FileSize : 0;
            bool hasMeasure = isHost && measured != null;

            // RAM: a graph executor's arena on the host (storage, bookkeeping, kernel workspaces), elsewhere its workspace
            // and tensors; for AOT the workspace (unless the code holds it in .bss) and the buffers; the code's own data.
            long? buffers = graph ? graphActivations : aot ? Add(report.InputBytes, report.OutputBytes) : null;
            long? workspace = hasMeasure && measured.WorkspaceInCode ? 0 : report.WorkspaceBytes;
            var ramParts = graph && isHost ? new List<long?> { report.ArenaBytes } : new List<long?> { workspace, buffers };
            if (hasMeasure) ramParts.AddRange(new long?[] { measured.Size.DataBytes, measured.Size.ZeroInitBytes });
            report.RamBytes = Add(ramParts.ToArray());
            report.RamAtLeastBytes = Sum(ramParts) ?? 0;

            // Flash: linked weights, or the .params blob; with measured code, the code itself (linked weights are in its read-only data).
            long?[] flashParts;
            if (hasMeasure) flashParts = new[] { measured.Size.CodeBytes, measured.Size.ReadOnlyDataBytes, measured.Size.DataBytes, loadsParams ? paramsFile : 0 };
            else if (report.WeightsIn == WeightPlacement.Code) flashParts = new[] { Larger(report.ConstantsBytes, report.CodeConstantsBytes) };
            else if (loadsParams) flashParts = new[] { paramsFile };
            else flashParts = new long?[] { null };
            report.FlashBytes = Add(flashParts);
            report.FlashAtLeastBytes = Sum(flashParts) ?? 0;
        }

        /// <summary>
        /// The graph config's input tensors (arg_nodes that are not in the params file) or outputs (heads), on the device;
        /// null without a graph config, or for inputs when the module has no params file to tell inputs from weights.
        /// </summary>
        private static long? GraphTensorBytes(MlfModule module, int device, int host, bool inputs)
        {
            var graph = module.GraphConfig;
            if (graph == null) return null;
            IEnumerable<int> entries;
            if (inputs)
            {
                if (module.Parameters == null) return null;
                var weights = new HashSet<string>(module.Parameters.Tensors.Select(t => t.Name), StringComparer.Ordinal);
                var inputNodes = graph.ArgNodes.Where(n => !weights.Contains(graph.Nodes[n].Name)).ToList();
                entries = inputNodes.SelectMany(n => Enumerable.Range(graph.NodeRowPtr[n], graph.NodeRowPtr[n + 1] - graph.NodeRowPtr[n]));
            }
            else
            {
                entries = graph.HeadEntries;
            }
            long sum = 0;
            foreach (int entry in entries.Distinct())
            {
                int owner = graph.DeviceIndex?[entry] ?? host;
                if (owner == device) sum = Saturating.Add(sum, graph.EntryBytes[entry]);
            }
            return sum;
        }

        private static long? Larger(long? a, long? b) => a == null ? b : b == null ? a : Math.Max(a.Value, b.Value);

        /// <summary>The sum, saturating; null when any value is null (a sum that leaves a part out would understate).</summary>
        /// <summary>The crt_config.h values of the archive's helper sources, which its arenas follow; null without helpers.</summary>
        private static CrtSettings HelperCrtSettings(MlfModule module, CancellationToken cancellationToken)
        {
            if (module.Archive.Find(HelperLayout.CrtConfigPath) == null) return null;
            string text = module.ReadText(HelperLayout.CrtConfigPath, cancellationToken);
            return text == null ? null : CrtSettings.FromDefines(InterfaceHeaderTensors.Read(text).IntegerMacros);
        }

        internal static long? Add(params long?[] values)
        {
            long sum = 0;
            foreach (var value in values)
            {
                if (value == null) return null;
                sum = Saturating.Add(sum, value.Value);
            }
            return sum;
        }

        /// <summary>Every operator function's workspace on every device of the module, largest first, ties by name (ordinal), then device.</summary>
        public static IReadOnlyList<FunctionMemoryReport> ForFunctions(MlfModule module) => FunctionsOf(ForModule(module));

        /// <summary>The function reports that <paramref name="reports"/> hold, in one list: largest first, ties by name (ordinal), then device.</summary>
        public static IReadOnlyList<FunctionMemoryReport> FunctionsOf(IEnumerable<MemoryReport> reports)
        {
            if (reports == null) throw new ArgumentNullException(nameof(reports));
            return SortFunctions(reports.SelectMany(r => r.Functions ?? Enumerable.Empty<FunctionMemoryReport>()));
        }

        /// <summary>
        /// One total per device (in order of first appearance) over the given module reports (totals among them are
        /// ignored). WorkspaceBytes, ConstantsBytes, IoBytes, ParametersBytes and ParameterCount are summed as TVM's own
        /// tools sum workspaces across modules (a figure no module gives stays null); InputBytes, OutputBytes, RamBytes,
        /// FlashBytes and the measured code figures are summed too, but are null when any module lacks them (a total
        /// that leaves a module out would understate the firmware). Module is "(total)"; Archive is the modules'
        /// archive when they share one, else null; the other figures are null (Functions empty). C runtime reports
        /// (<see cref="MemoryReport.IsRuntime"/>) among them add their code, data, RAM and flash once: a firmware links one
        /// runtime, so of several the one with the most flash is counted.
        /// </summary>
        public static IReadOnlyList<MemoryReport> Totals(IEnumerable<MemoryReport> reports)
        {
            if (reports == null) throw new ArgumentNullException(nameof(reports));
            var modules = reports.Where(r => r != null && !r.IsTotal && !r.IsRuntime).ToList();
            var runtime = RuntimeReports.Counted(reports);
            var archives = modules.Select(r => r.Archive).Distinct(StringComparer.Ordinal).ToList();
            string archive = archives.Count == 1 ? archives[0] : null;
            var totals = new List<MemoryReport>();
            foreach (var group in modules.GroupBy(r => r.DeviceType))
            {
                totals.Add(new MemoryReport
                {
                    Module = MemoryReport.TotalModuleName,
                    Archive = archive,
                    DeviceType = group.Key,
                    Device = DeviceName(group.Key),
                    WorkspaceBytes = Sum(group.Select(r => r.WorkspaceBytes)),
                    ConstantsBytes = Sum(group.Select(r => r.ConstantsBytes)),
                    CodeConstantsBytes = Sum(group.Select(r => r.CodeConstantsBytes)),
                    IoBytes = Sum(group.Select(r => r.IoBytes)),
                    InputBytes = Add(group.Select(r => r.InputBytes).ToArray()),
                    OutputBytes = Add(group.Select(r => r.OutputBytes).ToArray()),
                    RamBytes = Add(group.Select(r => r.RamBytes).ToArray()),
                    ArenaBytes = Add(group.Select(r => r.ArenaBytes).ToArray()),
                    FlashBytes = Add(group.Select(r => r.FlashBytes).ToArray()),
                    RamAtLeastBytes = Sum(group.Select(r => (long?)r.RamAtLeastBytes)) ?? 0,
                    FlashAtLeastBytes = Sum(group.Select(r => (long?)r.FlashAtLeastBytes)) ?? 0,
                    CodeBytes = Add(group.Select(r => r.CodeBytes).ToArray()),
                    ReadOnlyDataBytes = Add(group.Select(r => r.ReadOnlyDataBytes).ToArray()),
                    DataBytes = Add(group.Select(r => r.DataBytes).ToArray()),
                    ZeroInitBytes = Add(group.Select(r => r.ZeroInitBytes).ToArray()),
                    Functions = Array.AsReadOnly(new FunctionMemoryReport[0]),
                    ParametersBytes = Sum(group.Select(r => r.ParametersBytes)),
                    ParameterCount = (int)Math.Min(int.MaxValue, group.Sum(r => (long)r.ParameterCount)),
                    IsTotal = true,
                });
            }
            if (runtime != null) RuntimeReports.AddTo(totals, runtime);
            return totals.AsReadOnly();
        }

        /// <summary>
        /// Applies the budgets to each report (module or total): sets its <see cref="MemoryReport.Budgets"/>,
        /// <see cref="MemoryReport.UsedPercent"/> and <see cref="MemoryReport.Status"/>, and returns one finding per
        /// figure over its budget, in report order and figure order (RAM, flash, workspace, constants, I/O). A figure
        /// equal to its budget passes. A figure the report does not know is checked by its known part (RAM and flash: the
        /// workspace without the unknown inputs, say), and is a MemoryFigureUnknown finding unless
        /// <see cref="MemoryBudgets.AllowUnknown"/>: what was not measured never passes a gate silently.
        /// </summary>
        public static IReadOnlyList<MemoryBudgetFinding> CheckBudgets(IEnumerable<MemoryReport> reports, MemoryBudgets budgets)
        {
            if (reports == null) throw new ArgumentNullException(nameof(reports));
            if (budgets == null) throw new ArgumentNullException(nameof(budgets));
            foreach (var budget in new[] { budgets.RamBytes, budgets.FlashBytes, budgets.WorkspaceBytes, budgets.ConstantsBytes, budgets.IoBytes })
            {
                if (budget < 0) throw new ArgumentOutOfRangeException(nameof(budgets), budget, "A memory budget cannot be negative.");
            }
            var findings = new List<MemoryBudgetFinding>();
            foreach (var report in reports)
            {
                var uses = new List<MemoryBudgetUse>();
                string notInMetadata = report.IsTotal ? "a module's figure is unknown: see its row" : "metadata.json does not give it";
                Check(report, nameof(MemoryReport.RamBytes), "RAM", report.RamBytes, report.RamAtLeastBytes, budgets.RamBytes, "RamBudget", UnknownBecause(report, ram: true), budgets.AllowUnknown, uses, findings);
                Check(report, nameof(MemoryReport.FlashBytes), "flash", report.FlashBytes, report.FlashAtLeastBytes, budgets.FlashBytes, "FlashBudget", UnknownBecause(report, ram: false), budgets.AllowUnknown, uses, findings);
                Check(report, nameof(MemoryReport.WorkspaceBytes), "workspace memory", report.WorkspaceBytes, 0, budgets.WorkspaceBytes, "WorkspaceBudget", notInMetadata, budgets.AllowUnknown, uses, findings);
                Check(report, nameof(MemoryReport.ConstantsBytes), "constants memory", report.ConstantsBytes, 0, budgets.ConstantsBytes, "ConstantsBudget", notInMetadata, budgets.AllowUnknown, uses, findings);
                Check(report, nameof(MemoryReport.IoBytes), "input/output memory (TVM's io_size_bytes)", report.IoBytes, 0, budgets.IoBytes, "IoBudget", notInMetadata, budgets.AllowUnknown, uses, findings);
                report.Budgets = ItemList.Of(uses);
                if (uses.Count == 0) continue;
                var known = uses.Where(u => u.UsedPercent != null).ToList();
                report.UsedPercent = known.Count == 0 ? (double?)null : known.Max(u => u.UsedPercent.Value);
                report.Status = uses.Any(u => u.IsOver) ? "OVER" : uses.Any(u => u.IsUnknown) ? "UNKNOWN" : "OK";
            }
            return findings.AsReadOnly();
        }

        /// <summary>Bytes as people read them: "512 B", "27.5 KiB", "1.5 MiB", "2.0 GiB" (invariant culture).</summary>
        public static string FormatBytes(long bytes) => FormatBytes(bytes, 1);

        /// <summary>As <see cref="FormatBytes(long)"/> with <paramref name="decimals"/> digits after the point (KiB and up).</summary>
        internal static string FormatBytes(long bytes, int decimals)
        {
            const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;
            string format = "0." + new string('0', decimals);
            if (bytes >= GiB) return (bytes / GiB).ToString(format, CultureInfo.InvariantCulture) + " GiB";
            if (bytes >= MiB) return (bytes / MiB).ToString(format, CultureInfo.InvariantCulture) + " MiB";
            if (bytes >= KiB) return (bytes / KiB).ToString(format, CultureInfo.InvariantCulture) + " KiB";
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        private static void Check(MemoryReport report, string figure, string what, long? value, long atLeast, long? budget, string parameter,
            string unknownBecause, bool allowUnknown, List<MemoryBudgetUse> uses, List<MemoryBudgetFinding> findings)
        {
            if (budget == null) return;
            var use = new MemoryBudgetUse(figure, value, budget.Value, atLeast);
            uses.Add(use);
            if (!use.IsOver && !(use.IsUnknown && !allowUnknown)) return;
            string subject = !report.IsTotal
                ? $"Module '{report.Module}' of '{report.Archive}'"
                : report.Archive != null ? $"The modules of '{report.Archive}' together" : "All the modules together";
            string budgetText = $"the budget of {FormatBytes(budget.Value)} ({budget.Value} bytes)";
            string message;
            if (!use.IsUnknown)
            {
                message = $"{subject} need{(report.IsTotal ? string.Empty : "s")} {FormatBytes(value.Value)} ({value.Value} bytes) of {what} on {report.Device}, " +
                    (use.UsedPercent == null ? budgetText : $"{use.UsedPercent.Value.ToString("0.#", CultureInfo.InvariantCulture)}% of {budgetText}") + $". Reduce the model (or what runs together) or raise -{parameter}.";
            }
            else if (use.IsOver)
            {
                message = $"{subject} need{(report.IsTotal ? string.Empty : "s")} more than {budgetText} of {what} on {report.Device}: its known part alone is {FormatBytes(atLeast)} ({atLeast} bytes), " +
                    $"and the rest is unknown ({unknownBecause}). Reduce the model (or what runs together) or raise -{parameter}.";
            }
            else
            {
                message = $"{subject}: the {what} on {report.Device} is unknown ({unknownBecause}), so -{parameter} {FormatBytes(budget.Value)} cannot be checked" +
                    (atLeast > 0 ? $"; its known part is {FormatBytes(atLeast)} ({atLeast} bytes), within the budget." : ".") +
                    " Measure what is missing (-Compiler measures code and data), or give -AllowUnknown to let unknown figures pass.";
            }
            findings.Add(new MemoryBudgetFinding(report, use, message));
        }

        /// <summary>Which parts of a report's RAM or flash are unknown, in words.</summary>
        private static string UnknownBecause(MemoryReport report, bool ram)
        {
            if (report.IsTotal) return "a module's figure is unknown: see its row";
            var missing = new List<string>();
            if (ram && report.ArenaUnknown) missing.Add("the graph executor's arena, whose kernels are neither C sources nor in metadata.json");
            if (ram && report.WorkspaceBytes == null && !report.ArenaUnknown) missing.Add("the workspace, which metadata.json does not give");
            if (ram && (report.InputBytes == null || report.OutputBytes == null)) missing.Add("the input and output sizes, which no file of the archive gives");
            if (!ram && report.WeightsIn == null) missing.Add("where the weights live");
            return string.Join("; ", missing.DefaultIfEmpty("a part of it is not given by the archive"));
        }

        private static IReadOnlyList<FunctionMemoryReport> SortFunctions(IEnumerable<FunctionMemoryReport> functions) =>
            functions.OrderByDescending(f => f.WorkspaceBytes)
                .ThenBy(f => f.Function, StringComparer.Ordinal)
                .ThenBy(f => f.DeviceType)
                .ToList().AsReadOnly();

        /// <summary>
        /// The tensors of the module's .params file that belong on <paramref name="device"/>: those whose device type is
        /// this one, plus, on the host, those whose device type has no report of its own.
        /// </summary>
        private static (long? Bytes, int Count) ParametersOn(MlfModule module, int device, int host, IReadOnlyCollection<int> devices)
        {
            if (module.Parameters == null) return (null, 0);
            long bytes = 0;
            int count = 0;
            foreach (var tensor in module.Parameters.Tensors)
            {
                int owner = devices.Contains(tensor.DeviceType) ? tensor.DeviceType : host;
                if (owner != device) continue;
                bytes = Saturating.Add(bytes, tensor.ByteSize);
                count++;
            }
            return (bytes, count);
        }

        /// <summary>The device of an operator-style module's only src/tir-&lt;device&gt;.txt, else the CPU.</summary>
        private static int OperatorStyleDevice(MlfModule module)
        {
            var devices = new HashSet<int>();
            foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Tir))
            {
                string name = MemberPaths.FileName(file.Path);
                string number = name.Substring("tir-".Length, name.Length - "tir-".Length - ".txt".Length);
                if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out int device)) devices.Add(device);
            }
            return devices.Count == 1 ? devices.First() : CpuDeviceType;
        }

        private static long? Sum(IEnumerable<long?> values)
        {
            long? sum = null;
            foreach (long? value in values)
            {
                if (value == null) continue;
                sum = Saturating.Add(sum ?? 0, value.Value);
            }
            return sum;
        }

    }
}
