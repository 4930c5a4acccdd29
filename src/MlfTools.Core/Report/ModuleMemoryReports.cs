using MlfTools.Archive;
using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using MlfTools.Format;
using MlfTools.Report;
using MlfTools.CSource;

namespace MlfTools
{
    /// <summary>
    /// The memory reports of one MLF module, one per device: the figures TVM wrote into metadata.json (per device: workspace,
    /// constants, I/O, inputs and outputs, each operator function's workspace; the sids sum) next to figures computed from
    /// the files (parameter bytes and count from the .params header, graph executor storage from the graph config), and the
    /// RAM and flash they add up to (<see cref="RamAndFlash"/>; see about_MlfTools for which figure counts what). Graph
    /// executor modules have their code read for _lookup_linked_param (are the weights linked?); LLVM objects are read for
    /// their section sizes, and C sources compiled when a compiler is given.
    /// </summary>
    public static class ModuleMemoryReports
    {
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
                        Device = DeviceNames.Of(device),
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
            if (devices.Count == 0) devices.Add(DeviceNames.CpuDeviceType);
            int host = devices.Contains(DeviceNames.CpuDeviceType) ? DeviceNames.CpuDeviceType : devices[0];
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
                    Device = DeviceNames.Of(device),
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
                report.InputBytes = main?.Inputs != null ? MemoryFigures.Sum(main.Inputs.Select(t => (long?)t.Bytes)) ?? 0 : GraphTensorBytes(module, device, host, inputs: true);
                report.OutputBytes = main?.Outputs != null ? MemoryFigures.Sum(main.Outputs.Select(t => (long?)t.Bytes)) ?? 0 : GraphTensorBytes(module, device, host, inputs: false);
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
                RamAndFlash.Set(report, module, device == host, graphActivations, measured);
                reports.Add(report);
            }
            return reports.AsReadOnly();
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

        /// <summary>The crt_config.h values of the archive's helper sources, which its arenas follow; null without helpers.</summary>
        private static CrtSettings HelperCrtSettings(MlfModule module, CancellationToken cancellationToken)
        {
            if (module.Archive.Find(HelperLayout.CrtConfigPath) == null) return null;
            string text = module.ReadCText(HelperLayout.CrtConfigPath, cancellationToken);
            return text == null ? null : CrtSettings.FromDefines(InterfaceHeaderTensors.Read(text).IntegerMacros);
        }

        /// <summary>Every operator function's workspace on every device of the module, largest first, ties by name (ordinal), then device.</summary>
        public static IReadOnlyList<FunctionMemoryReport> ForFunctions(MlfModule module) => FunctionsOf(ForModule(module));

        /// <summary>The function reports that <paramref name="reports"/> hold, in one list: largest first, ties by name (ordinal), then device.</summary>
        public static IReadOnlyList<FunctionMemoryReport> FunctionsOf(IEnumerable<MemoryReport> reports)
        {
            if (reports == null) throw new ArgumentNullException(nameof(reports));
            return SortFunctions(reports.SelectMany(r => r.Functions ?? Enumerable.Empty<FunctionMemoryReport>()));
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
            return devices.Count == 1 ? devices.First() : DeviceNames.CpuDeviceType;
        }
    }
}
