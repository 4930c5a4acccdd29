using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.Format;
using Newtonsoft.Json.Linq;

namespace MlfTools.Validation
{
    /// <summary>
    /// A graph executor module's graph config against its params and its metadata, by the rules TVM's exporter follows:
    /// every params tensor feeds a graph input of the same shape and dtype; memory.sids is computed from the graph
    /// (one entry per storage id, in order of first use); memory.functions.main[].inputs are graph inputs.
    /// </summary>
    internal static class GraphChecks
    {
        private const int ListedAtMost = 5;

        // How TVM's exporter reads bits off a dltype for memory.sids and for main's inputs.
        private static readonly Regex SidBits = new Regex(@"^[a-zA-Z]+([0-9]+)$", RegexOptions.CultureInvariant);
        private static readonly Regex InputBits = new Regex(@"^(?:float|int|uint)([0-9]+)", RegexOptions.CultureInvariant);

        public static void Check(MlfModule module, MlfGraphConfig graph, Findings findings)
        {
            var inputs = MetadataInputs(module);
            if (module.Parameters != null) CheckParams(module, graph, inputs, findings);
            CheckSids(module, graph, findings);
            if (inputs != null) CheckInputs(module, graph, inputs, findings);
        }

        /// <summary>Graph inputs (op "null" nodes in arg_nodes) by name, with the entry that holds each one's shape and dtype (an input whose row pointer leads nowhere is left out).</summary>
        private static Dictionary<string, int> InputEntries(MlfGraphConfig graph)
        {
            var entries = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (int node in graph.ArgNodes)
            {
                int entry = graph.NodeRowPtr[node];
                if (entry >= 0 && entry < graph.EntryCount && !entries.ContainsKey(graph.Nodes[node].Name)) entries[graph.Nodes[node].Name] = entry;
            }
            return entries;
        }

        private static void CheckParams(MlfModule module, MlfGraphConfig graph, Dictionary<string, (string DType, long Size)> inputs, Findings findings)
        {
            string name = module.OriginalName;
            var graphInputs = InputEntries(graph);
            var problems = new List<string>();
            foreach (var tensor in module.Parameters.Tensors)
            {
                if (!graphInputs.TryGetValue(tensor.Name, out int entry))
                {
                    problems.Add($"params holds '{tensor.Name}', which is no input of the graph");
                    continue;
                }
                var shape = graph.Shapes[entry];
                bool sameType = DataType.TryParse(graph.DTypes[entry], out var graphType) && graphType.ToString() == tensor.DType;
                if (!shape.SequenceEqual(tensor.Shape) || !sameType)
                {
                    problems.Add($"'{tensor.Name}' is {tensor.DType}[{string.Join(",", tensor.Shape)}] in params but {graph.DTypes[entry]}[{string.Join(",", shape)}] in the graph");
                }
            }
            if (inputs != null)
            {
                var inParams = new HashSet<string>(module.Parameters.Tensors.Select(t => t.Name), StringComparer.Ordinal);
                foreach (string input in graphInputs.Keys.Where(k => !inParams.Contains(k) && !inputs.ContainsKey(k)))
                {
                    problems.Add($"graph input '{input}' is neither a model input (memory.functions.main inputs) nor in params");
                }
            }
            if (problems.Count == 0) return;
            findings.Add(ArchiveFindingIds.ParamsMismatch, name, module.Parameters.Path,
                $"The params of module '{name}' do not fit its graph config '{graph.Path}': {Listed(problems)}. The graph executor refuses such params or runs with weights missing: re-export the model with TVM, or put back the params file it wrote.");
        }

        /// <summary>memory.sids as TVM's exporter computes it from the graph, storage id quirk included; null where TVM could not have.</summary>
        private static List<(long StorageId, long SizeBytes, string Binding)> ExpectedSids(MlfGraphConfig graph)
        {
            var argNodes = new HashSet<int>(graph.ArgNodes);
            var seen = new HashSet<int>();
            var expected = new List<(long, long, string)>();
            for (int entry = 0; entry < graph.EntryCount; entry++)
            {
                int storageId = graph.StorageIds[entry];
                if (!seen.Add(storageId)) continue;
                // TVM indexes shape and dltype by the storage id, not the entry.
                if (storageId >= graph.EntryCount) return null;
                var bits = SidBits.Match(graph.DTypes[storageId]);
                if (!bits.Success || !long.TryParse(bits.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long elementBits)) return null;
                long? size = Bytes(graph.Shapes[storageId], elementBits);
                if (size == null) return null;
                string binding = argNodes.Contains(entry) && entry < graph.Nodes.Count ? graph.Nodes[entry].Name : null;
                expected.Add((storageId, size.Value, binding));
            }
            return expected;
        }

        private static void CheckSids(MlfModule module, MlfGraphConfig graph, Findings findings)
        {
            if (!(module.MetadataEntry["memory"] is JObject memory) || !(memory["sids"] is JArray sids)) return;
            var expected = ExpectedSids(graph);
            if (expected == null) return;
            var problems = new List<string>();
            if (sids.Count != expected.Count)
            {
                problems.Add($"it lists {sids.Count} storage ids where the graph uses {expected.Count}");
            }
            for (int i = 0; i < Math.Min(sids.Count, expected.Count); i++)
            {
                var (storageId, size, binding) = expected[i];
                var sid = sids[i] as JObject;
                long? listedId = Integer(sid?["storage_id"]);
                long? listedSize = Integer(sid?["size_bytes"]);
                string listedBinding = sid?["input_binding"]?.Type == JTokenType.String ? (string)sid["input_binding"] : null;
                if (listedId != storageId) problems.Add($"sids[{i}] is storage id {listedId?.ToString(CultureInfo.InvariantCulture) ?? "?"} where the graph's next one is {storageId}");
                else if (listedSize != size) problems.Add($"storage id {storageId} has size_bytes {listedSize?.ToString(CultureInfo.InvariantCulture) ?? "?"} where the graph gives {size}");
                else if (listedBinding != binding) problems.Add($"storage id {storageId} has input_binding {Quoted(listedBinding)} where the graph gives {Quoted(binding)}");
            }
            if (problems.Count == 0) return;
            findings.Add(ArchiveFindingIds.MetadataMismatch, module.OriginalName, MetadataSchema.Member,
                $"memory.sids of module '{module.OriginalName}' does not match its graph config '{graph.Path}' (TVM's exporter computes it from that graph): {Listed(problems)}. Memory figures read from the metadata are wrong; re-export the model with TVM, or trust Get-MlfMemoryReport's GraphStorageBytes.");
        }

        private static void CheckInputs(MlfModule module, MlfGraphConfig graph, Dictionary<string, (string DType, long Size)> inputs, Findings findings)
        {
            var graphInputs = InputEntries(graph);
            var problems = new List<string>();
            foreach (var input in inputs)
            {
                if (!graphInputs.TryGetValue(input.Key, out int entry))
                {
                    problems.Add($"input '{input.Key}' is no input of the graph");
                    continue;
                }
                string dtype = graph.DTypes[entry];
                var bits = InputBits.Match(dtype);
                if (!bits.Success || !long.TryParse(bits.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long elementBits)) continue;
                long? size = Bytes(graph.Shapes[entry], elementBits);
                if (input.Value.DType != null && input.Value.DType != dtype) problems.Add($"input '{input.Key}' is {input.Value.DType} in the metadata but {dtype} in the graph");
                else if (size != null && size != input.Value.Size) problems.Add($"input '{input.Key}' has size {input.Value.Size} in the metadata but {size} bytes in the graph");
            }
            if (problems.Count == 0) return;
            findings.Add(ArchiveFindingIds.MetadataMismatch, module.OriginalName, MetadataSchema.Member,
                $"memory.functions.main of module '{module.OriginalName}' does not match its graph config '{graph.Path}': {Listed(problems)}. Code sized from the metadata (buffers, the C interface header) would be wrong; re-export the model with TVM.");
        }

        /// <summary>Every memory.functions.main[].inputs entry by name (TVM 0.11 and later write them), or null when there are none.</summary>
        private static Dictionary<string, (string DType, long Size)> MetadataInputs(MlfModule module)
        {
            // The schema check reports a malformed memory section; here it only has to be stepped around.
            if (!((module.MetadataEntry["memory"] as JObject)?["functions"] is JObject functions) || !(functions["main"] is JArray main)) return null;
            Dictionary<string, (string, long)> inputs = null;
            foreach (var entry in main.OfType<JObject>())
            {
                if (!(entry["inputs"] is JObject listed)) continue;
                inputs = inputs ?? new Dictionary<string, (string, long)>(StringComparer.Ordinal);
                foreach (var input in listed.Properties().Where(p => p.Value is JObject))
                {
                    string dtype = input.Value["dtype"]?.Type == JTokenType.String ? (string)input.Value["dtype"] : null;
                    long? size = Integer(input.Value["size"]);
                    if (size != null) inputs[input.Name] = (dtype, size.Value);
                }
            }
            return inputs;
        }

        /// <summary>(prod(shape) x bits + 7) / 8, as TVM's exporter sizes a tensor; null on overflow or a negative dimension.</summary>
        private static long? Bytes(IReadOnlyList<long> shape, long bits)
        {
            try
            {
                long total = bits;
                foreach (long dim in shape)
                {
                    if (dim < 0) return null;
                    total = checked(total * dim);
                }
                return checked(total + 7) / 8;
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        private static long? Integer(JToken token) =>
            token != null && token.Type == JTokenType.Integer && ((JValue)token).Value is long number ? number : (long?)null;

        private static string Quoted(string text) => text == null ? "none" : "'" + text + "'";

        private static string Listed(List<string> problems) =>
            string.Join("; ", problems.Take(ListedAtMost)) + (problems.Count > ListedAtMost ? $"; and {problems.Count - ListedAtMost} more" : string.Empty);
    }
}
