using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MlfTools.Json;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MlfTools.Format
{
    /// <summary>Parses and cross-checks a graph executor config.</summary>
    internal static class GraphConfigReader
    {
        public const int CpuDeviceType = 1;

        public static MlfGraphConfig Read(byte[] utf8, string memberPath, string archivePath)
        {
            var origin = new MemberOrigin(memberPath, archivePath);
            JToken root;
            try
            {
                root = JsonParser.Parse(utf8, archivePath, memberPath);
            }
            catch (Exception ex) when (ex is JsonException || ex is System.Text.DecoderFallbackException || ex is System.IO.InvalidDataException)
            {
                throw Invalid(origin, "it is not valid JSON (" + ex.Message + ")", ex);
            }
            if (!(root is JObject graph)) throw Invalid(origin, "its top level is not a JSON object");

            var nodes = ReadNodes(graph, origin);
            var argNodes = ReadIntList(graph["arg_nodes"], origin, "arg_nodes", required: true);
            if (argNodes.Any(id => id < 0 || id >= nodes.Count)) throw Invalid(origin, "arg_nodes names a node that does not exist");

            if (!(graph["attrs"] is JObject attrs)) throw Invalid(origin, "it has no 'attrs' object");
            var storageIds = ReadIntList(TypedList(attrs, "storage_id", "list_int", origin, required: true), origin, "storage_id", required: true);
            var dtypes = ReadStringList(TypedList(attrs, "dltype", "list_str", origin, required: true), origin, "dltype");
            var shapes = ReadShapes(TypedList(attrs, "shape", "list_shape", origin, required: true), origin);
            var deviceToken = TypedList(attrs, "device_index", "list_int", origin, required: false);
            var deviceIndex = deviceToken == null ? null : ReadIntList(deviceToken, origin, "device_index", required: true);

            int entryCount = storageIds.Count;
            if (dtypes.Count != entryCount || shapes.Count != entryCount || (deviceIndex != null && deviceIndex.Count != entryCount))
            {
                throw Invalid(origin, $"attrs lists differ in length (storage_id {storageIds.Count}, shape {shapes.Count}, dltype {dtypes.Count}" +
                    (deviceIndex != null ? $", device_index {deviceIndex.Count}" : "") + ")");
            }
            if (storageIds.Any(id => id < 0)) throw Invalid(origin, "storage_id holds a negative id");

            var nodeRowPtr = graph["node_row_ptr"] == null
                ? RowPointersFromOutputs(nodes)
                : ReadIntList(graph["node_row_ptr"], origin, "node_row_ptr", required: true);
            if (nodeRowPtr.Count != nodes.Count + 1 || nodeRowPtr[nodeRowPtr.Count - 1] != entryCount)
            {
                throw Invalid(origin, $"node_row_ptr does not match {nodes.Count} nodes with {entryCount} entries");
            }

            var entryBytes = new long[entryCount];
            long allEntries = 0;
            for (int i = 0; i < entryCount; i++)
            {
                if (!DataType.TryParse(dtypes[i], out var type)) throw Invalid(origin, $"entry {i} has an unknown dltype '{dtypes[i]}'");
                long? bytes = type.TensorBytes(shapes[i].ToArray());
                if (bytes == null) throw Invalid(origin, $"entry {i} has a negative or overflowing shape");
                entryBytes[i] = bytes.Value;
                // Storage per device is a sum of some of these, so a total that fits keeps every later sum from wrapping.
                if (allEntries > long.MaxValue - bytes.Value) throw Invalid(origin, "its entries add up to more than 2^63 bytes");
                allEntries += bytes.Value;
            }

            return new MlfGraphConfig(memberPath, nodes, argNodes, nodeRowPtr, storageIds, shapes, dtypes, deviceIndex, Array.AsReadOnly(entryBytes),
                ReadHeads(graph["heads"], nodeRowPtr, entryCount));
        }

        /// <summary>heads: [[node, output index, version], ...] as entry ids; entries that do not exist are left out (only reports use them).</summary>
        private static IReadOnlyList<int> ReadHeads(JToken heads, IReadOnlyList<int> nodeRowPtr, int entryCount)
        {
            var entries = new List<int>();
            if (!(heads is JArray list)) return entries.AsReadOnly();
            foreach (var head in list)
            {
                if (!(head is JArray pair) || pair.Count < 2) continue;
                if (!(pair[0] is JValue first && first.Value is long node) || !(pair[1] is JValue second && second.Value is long index)) continue;
                if (node < 0 || node + 1 >= nodeRowPtr.Count || index < 0) continue;
                long entry = nodeRowPtr[(int)node] + index;
                if (entry < nodeRowPtr[(int)node + 1] && entry < entryCount) entries.Add((int)entry);
            }
            return entries.AsReadOnly();
        }

        private static IReadOnlyList<MlfGraphNode> ReadNodes(JObject graph, MemberOrigin origin)
        {
            if (!(graph["nodes"] is JArray array)) throw Invalid(origin, "it has no 'nodes' list");
            var nodes = new List<MlfGraphNode>(array.Count);
            foreach (var item in array)
            {
                if (!(item is JObject node)) throw Invalid(origin, "a node is not a JSON object");
                string op = StringValue(node["op"]);
                string name = StringValue(node["name"]);
                if (op == null || name == null) throw Invalid(origin, $"node {nodes.Count} lacks 'op' or 'name'");
                string functionName = null;
                int outputs = 1;
                if (node["attrs"] is JObject attrs)
                {
                    functionName = StringValue(attrs["func_name"]);
                    string outputText = StringValue(attrs["num_outputs"]);
                    if (outputText != null && (!int.TryParse(outputText, NumberStyles.None, CultureInfo.InvariantCulture, out outputs) || outputs < 0))
                    {
                        throw Invalid(origin, $"node '{name}' has an invalid num_outputs '{outputText}'");
                    }
                }
                nodes.Add(new MlfGraphNode(op, name, functionName, outputs));
            }
            return nodes.AsReadOnly();
        }

        private static IReadOnlyList<int> RowPointersFromOutputs(IReadOnlyList<MlfGraphNode> nodes)
        {
            var pointers = new List<int>(nodes.Count + 1) { 0 };
            foreach (var node in nodes) pointers.Add(pointers[pointers.Count - 1] + node.OutputCount);
            return pointers;
        }

        private static JToken TypedList(JObject attrs, string key, string typeTag, MemberOrigin origin, bool required)
        {
            var token = attrs[key];
            if (token == null)
            {
                if (required) throw Invalid(origin, $"attrs has no '{key}'");
                return null;
            }
            if (!(token is JArray pair) || pair.Count != 2 || StringValue(pair[0]) != typeTag || !(pair[1] is JArray))
            {
                throw Invalid(origin, $"attrs.{key} is not [\"{typeTag}\", [...]]");
            }
            return pair[1];
        }

        private static IReadOnlyList<int> ReadIntList(JToken token, MemberOrigin origin, string what, bool required)
        {
            if (!(token is JArray array))
            {
                if (!required && token == null) return Array.Empty<int>();
                throw Invalid(origin, $"'{what}' is not a list of integers");
            }
            var values = new int[array.Count];
            for (int i = 0; i < array.Count; i++)
            {
                if (array[i].Type != JTokenType.Integer) throw Invalid(origin, $"'{what}' holds a value that is not an integer");
                if (!TryInt64(array[i], out long value) || value < int.MinValue || value > int.MaxValue)
                {
                    throw Invalid(origin, $"'{what}' holds an integer out of range");
                }
                values[i] = (int)value;
            }
            return Array.AsReadOnly(values);
        }

        private static IReadOnlyList<string> ReadStringList(JToken token, MemberOrigin origin, string what)
        {
            var array = (JArray)token;
            var values = new string[array.Count];
            for (int i = 0; i < array.Count; i++)
            {
                values[i] = StringValue(array[i]) ?? throw Invalid(origin, $"'{what}' holds a value that is not a string");
            }
            return Array.AsReadOnly(values);
        }

        private static IReadOnlyList<IReadOnlyList<long>> ReadShapes(JToken token, MemberOrigin origin)
        {
            var array = (JArray)token;
            var shapes = new IReadOnlyList<long>[array.Count];
            for (int i = 0; i < array.Count; i++)
            {
                if (!(array[i] is JArray dims)) throw Invalid(origin, $"shape {i} is not a list");
                var shape = new long[dims.Count];
                for (int d = 0; d < dims.Count; d++)
                {
                    if (dims[d].Type != JTokenType.Integer) throw Invalid(origin, $"shape {i} holds a value that is not an integer");
                    if (!TryInt64(dims[d], out shape[d])) throw Invalid(origin, $"shape {i} holds an integer out of range");
                }
                shapes[i] = Array.AsReadOnly(shape);
            }
            return Array.AsReadOnly(shapes);
        }

        /// <summary>An integer that fits 64 bits; Newtonsoft keeps larger ones as a BigInteger, which Value&lt;long&gt;() cannot convert.</summary>
        private static bool TryInt64(JToken token, out long value)
        {
            if (token is JValue { Value: long number })
            {
                value = number;
                return true;
            }
            value = 0;
            return false;
        }

        private static string StringValue(JToken token) => token != null && token.Type == JTokenType.String ? (string)token : null;

        private static MlfException Invalid(MemberOrigin origin, string why, Exception inner = null) =>
            new MlfException(MlfErrorIds.GraphConfigInvalid,
                $"The graph executor config '{origin.Member}' in '{origin.Archive}' is not valid: {why}. Rebuild the model with TVM or replace the file.", origin.Archive, inner);
    }
}
