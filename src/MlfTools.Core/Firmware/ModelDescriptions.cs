using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Format;
using MlfTools.Report;
using MlfTools.CSource;

namespace MlfTools.Firmware
{
    /// <summary>
    /// What the helper sources say of a module: how it is called, its inputs and outputs (name, dtype, shape, bytes) in
    /// the order its entry point takes them, and its arena. The order is the C interface header's for AOT, @main's for
    /// the packed entry of TVM 0.8, and the graph's input nodes that are not weights for graph models; dtypes and
    /// shapes come from the Relay text, the metadata or the graph config, whichever the archive has.
    /// </summary>
    internal static class ModelDescriptions
    {
        public static HelperModel Describe(MlfModule module, string systemLibFunction, bool linkedParams, Func<string, string> renameSymbol, byte[] graphJson,
            CrtSettings settings, CancellationToken cancellationToken)
        {
            var report = ModuleMemoryReports.ForModule(module, null, cancellationToken).FirstOrDefault(r => r.DeviceType == DeviceNames.CpuDeviceType)
                ?? throw Unsupported(module, "it has no figures for the CPU (device 1), the only device the helpers run models on");
            string prefix = TvmNames.SymbolPrefix(module.Name);
            var model = new HelperModel
            {
                Name = module.Name,
                WorkspaceBytes = report.WorkspaceBytes,
            };
            string json = graphJson == null ? null : System.Text.Encoding.UTF8.GetString(graphJson);
            var sourceNames = module.GraphConfig?.FunctionNames.Distinct().ToDictionary(renameSymbol, name => name, StringComparer.Ordinal);
            model.ArenaBytes32 = ModelArena.Of(module, 4, settings, cancellationToken, json, sourceNames) ?? throw ArenaUnknown(module);
            model.ArenaBytes64 = ModelArena.Of(module, 8, settings, cancellationToken, json, sourceNames) ?? throw ArenaUnknown(module);
            model.RuntimeSlots = RuntimeSlots(module, cancellationToken);
            if (module.GraphConfig != null && module.Executors.Contains("graph"))
            {
                DescribeGraph(module, model, cancellationToken);
                model.SystemLibFunction = systemLibFunction;
                model.GraphJson = graphJson;
                // Linked weights are in the code (the executor finds them with _lookup_linked_param): loading the file again fails.
                model.Params = module.Parameters == null || linkedParams ? null : module.ReadBytes(module.Parameters.Path, cancellationToken);
                model.Kernels = module.GraphConfig.FunctionNames.Where(n => n != "__nop" && n != "__copy").Select(renameSymbol).ToList();
                // The C runtime's registry counts its functions in two bytes.
                if (systemLibFunction == null && model.Kernels.Count > ushort.MaxValue) throw Unsupported(module, $"its graph calls {model.Kernels.Count} kernels, more than a function registry holds ({ushort.MaxValue})");
                return model;
            }
            if (!module.Executors.Contains("aot")) throw Unsupported(module, $"its executor ({string.Join(", ", module.Executors)}) is neither AOT nor the graph executor");

            string relayText = module.ReadText(module.RelayPath, cancellationToken);
            var main = relayText == null ? null : RelayMainSignature.Parse(relayText);
            string headerText = module.ReadCText(module.InterfaceHeaderPath, cancellationToken);
            // TVM 0.8 wrote a header declaring tvmgen_<m>_run but defined only tvmgen_<m>_run_model: the code decides.
            if (headerText != null && DefinesFunction(module, TvmNames.SymbolPrefix(module.OriginalName) + "run", cancellationToken))
            {
                var header = InterfaceHeaderTensors.Read(headerText);
                if (header.TakesPoolsOrDevices)
                {
                    throw Unsupported(module, "its entry point takes workspace pools or devices (tvmgen_<m>_workspace_pools, tvmgen_<m>_devices), which the helpers do not allocate yet");
                }
                if (header.Inputs == null || header.Outputs == null) throw Unsupported(module, "its C interface header defines no tvmgen_<m>_inputs or tvmgen_<m>_outputs struct");
                model.Kind = HelperModelKind.AotInterface;
                model.EntryPoint = prefix + "run";
                model.Inputs = header.Inputs.Select(member => AotInput(module, report, main, member, member)).ToList();
                model.Outputs = header.Outputs.Select((member, i) => AotOutput(module, report, main, member, member, i, header.Outputs.Count)).ToList();
                return model;
            }
            var packed = main == null ? null : AotTensorBytes.PackedApiInputs(module, main, cancellationToken);
            if (packed == null)
            {
                throw Unsupported(module, "it has no C interface header and no tvmgen_<m>_run_model whose arguments match the Relay text's @main");
            }
            model.Kind = HelperModelKind.AotPacked;
            model.EntryPoint = prefix + "run_model";
            model.Inputs = packed.Select(name => AotInput(module, report, main, name, null)).ToList();
            model.Outputs = new[] { AotOutput(module, report, main, "output", null, 0, 1) };
            return model;
        }

        /// <summary>The runtime functions the C runtime defines that LLVM object code reaches through a weak pointer "__&lt;name&gt;".</summary>
        private static readonly string[] SlotFunctions =
        {
            "TVMAPISetLastError", "TVMBackendAllocWorkspace", "TVMBackendFreeWorkspace", "TVMBackendParallelLaunch", "TVMFuncCall",
            "TVMBackendGetFuncFromEnv",
        };

        private static IReadOnlyList<string> RuntimeSlots(MlfModule module, CancellationToken cancellationToken)
        {
            var slots = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Object))
            {
                var defined = Elf.ObjectCode.FindWeakDefinitions(module.ReadBytes(file.Path, cancellationToken), cancellationToken);
                foreach (string name in defined.Where(n => n.StartsWith("__", StringComparison.Ordinal) && SlotFunctions.Contains(n.Substring(2)))) slots.Add(name.Substring(2));
            }
            return slots.ToList();
        }

        /// <summary>Whether the module's code, C sources or object code, defines the function.</summary>
        private static bool DefinesFunction(MlfModule module, string name, CancellationToken cancellationToken)
        {
            if (AotTensorBytes.DefinesCFunction(module, name, out _, cancellationToken)) return true;
            return module.Files.Where(f => f.Kind == MlfFileKind.Object)
                .Any(file => Elf.ObjectCode.FindGlobalDefinitions(module.ReadBytes(file.Path, cancellationToken), null, cancellationToken).Contains(name));
        }

        private static MlfException ArenaUnknown(MlfModule module) =>
            Unsupported(module, "the memory its C runtime requests cannot be told from the archive (Get-MlfMemoryReport shows no ArenaBytes)");

        private static HelperTensor AotInput(MlfModule module, MemoryReport report, RelayMainSignature main, string sanitized, string member)
        {
            int index = main?.Parameters.ToList().FindIndex(p => InterfaceHeaderTensors.Sanitize(p.Key) == sanitized) ?? -1;
            if (index >= 0 && main.ParameterTypes[index].Count == 1 && FromRelay(main.Parameters[index].Key, member, main.ParameterTypes[index][0]) is HelperTensor fromRelay)
            {
                return fromRelay;
            }
            var size = report.Inputs?.FirstOrDefault(t => InterfaceHeaderTensors.Sanitize(t.Name) == sanitized);
            if (size != null && FromSize(size.Name, member, size.DType, size.Bytes) is HelperTensor fromMetadata) return fromMetadata;
            throw Unsupported(module, $"neither its Relay text nor its metadata gives the type of the input '{sanitized}'");
        }

        private static HelperTensor AotOutput(MlfModule module, MemoryReport report, RelayMainSignature main, string name, string member, int index, int count)
        {
            var results = main?.ResultTypes;
            if (results != null && results.Count == count && FromRelay(name, member, results[index]) is HelperTensor fromRelay) return fromRelay;
            var outputs = report.Outputs;
            if (outputs != null && outputs.Count == count)
            {
                var size = outputs.FirstOrDefault(t => InterfaceHeaderTensors.Sanitize(t.Name) == name) ?? outputs[index];
                if (FromSize(size.Name, member, size.DType, size.Bytes) is HelperTensor fromMetadata) return fromMetadata;
            }
            if (count == 1 && report.OutputBytes is long bytes && bytes > 0)
            {
                // TVM 0.8 prints no return type and writes no output sizes: the bytes are io_size_bytes less the inputs.
                return new HelperTensor(name, member, "unknown", new[] { bytes }, bytes);
            }
            throw Unsupported(module, $"neither its Relay text nor its metadata gives the type of the output '{name}'");
        }

        private static HelperTensor FromRelay(string name, string member, RelayTensorType type)
        {
            if (type.Shape == null || !DataType.TryParse(type.DType, out var dtype)) return null;
            long? bytes = dtype.TensorBytes(type.Shape.ToArray());
            return bytes == null ? null : new HelperTensor(name, member, type.DType, type.Shape, bytes.Value);
        }

        private static HelperTensor FromSize(string name, string member, string dtypeText, long bytes)
        {
            if (dtypeText == null || !DataType.TryParse(dtypeText, out var dtype) || dtype.ElementBytes == 0 || bytes % dtype.ElementBytes != 0) return null;
            return new HelperTensor(name, member, dtypeText, new[] { bytes / dtype.ElementBytes }, bytes);
        }

        private static void DescribeGraph(MlfModule module, HelperModel model, CancellationToken cancellationToken)
        {
            var graph = module.GraphConfig;
            model.Kind = HelperModelKind.Graph;
            var weights = new HashSet<string>(module.Parameters?.Tensors.Select(t => t.Name) ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
            HashSet<string> relayInputs = null;
            if (module.Parameters == null)
            {
                // Linked weights: the graph still lists them as inputs (p0, p1, ...); the Relay text's @main names the real inputs.
                string relayText = module.ReadText(module.RelayPath, cancellationToken);
                var main = relayText == null ? null : RelayMainSignature.Parse(relayText);
                if (main != null) relayInputs = new HashSet<string>(main.Parameters.Select(p => p.Key), StringComparer.Ordinal);
            }
            var inputs = new List<HelperTensor>();
            foreach (int node in graph.ArgNodes)
            {
                string name = graph.Nodes[node].Name;
                if (weights.Contains(name) || (relayInputs != null && !relayInputs.Contains(name))) continue;
                inputs.Add(GraphTensor(module, graph, name, graph.NodeRowPtr[node]));
            }
            model.Inputs = inputs;
            model.Outputs = graph.HeadEntries.Select((entry, i) => GraphTensor(module, graph, "output" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), entry)).ToList();
        }

        private static HelperTensor GraphTensor(MlfModule module, MlfGraphConfig graph, string name, int entry)
        {
            if (entry < 0 || entry >= graph.EntryCount) throw Unsupported(module, $"its graph config has no entry {entry} for '{name}'");
            return new HelperTensor(name, null, graph.DTypes[entry], graph.Shapes[entry], graph.EntryBytes[entry]);
        }

        private static MlfException Unsupported(MlfModule module, string why) =>
            new MlfException(MlfErrorIds.HelpersUnsupported,
                $"Join-MlfArchive cannot write helper sources for module '{module.Name}' of '{module.SourcePath}': {why}. Join without -IncludeHelpers, and call the model from your own code (see Get-Help about_MlfTools).",
                module.SourcePath);
    }
}
