using MlfTools.Text;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace MlfTools.Report
{
    /// <summary>
    /// The "memory" section of one module's metadata, type-checked. Every shape TVM wrote is accepted: a list of sids
    /// (version 1), { sids, functions: { main, operator_functions } } (version 2 and later, each part optional), and
    /// operator style's { primfunc: [buffers] }. Anything else is a MetadataInvalid error, never a raw exception.
    /// </summary>
    internal sealed class MemorySection
    {
        private readonly string _module;
        private readonly string _archive;

        private MemorySection(string module, string archive)
        {
            _module = module;
            _archive = archive;
        }

        /// <summary>memory.functions.main, in metadata order.</summary>
        public List<MainEntry> Main { get; } = new List<MainEntry>();

        /// <summary>memory.functions.operator_functions, one item per (function, device) workspace entry, in metadata order.</summary>
        public List<FunctionWorkspace> OperatorWorkspaces { get; } = new List<FunctionWorkspace>();

        /// <summary>Sum of memory.sids size_bytes, or null when there are no sids.</summary>
        public long? SidsBytes { get; private set; }

        /// <summary>Operator style: the sum of every primfunc buffer's size_bytes.</summary>
        public long? OperatorBufferBytes { get; private set; }

        internal sealed class MainEntry
        {
            public int Device;
            public long? WorkspaceBytes;
            public long? ConstantsBytes;
            public long? IoBytes;
            public List<TensorSize> Inputs;
            public List<TensorSize> Outputs;
        }

        internal sealed class FunctionWorkspace
        {
            public string Function;
            public int Device;
            public long WorkspaceBytes;
        }

        public static MemorySection Parse(JToken memory, bool operatorStyle, string module, string archive)
        {
            var section = new MemorySection(module, archive);
            if (memory == null || memory.Type == JTokenType.Null) return section;
            if (operatorStyle)
            {
                section.ReadOperatorStyle(memory);
            }
            else if (memory is JArray sids)
            {
                section.SidsBytes = section.ReadSids(sids, "memory");
            }
            else if (memory is JObject full)
            {
                section.ReadFullModel(full);
            }
            else
            {
                throw section.Invalid("'memory' that is neither an object nor a list");
            }
            return section;
        }

        private void ReadFullModel(JObject memory)
        {
            var sids = memory["sids"];
            if (sids != null)
            {
                if (!(sids is JArray list)) throw Invalid("'memory.sids' that is not a list");
                SidsBytes = ReadSids(list, "memory.sids");
            }

            var functions = memory["functions"];
            if (functions == null) return;
            if (!(functions is JObject functionsObject)) throw Invalid("'memory.functions' that is not an object");

            var main = functionsObject["main"];
            if (main != null)
            {
                if (!(main is JArray mainList)) throw Invalid("'memory.functions.main' that is not a list");
                for (int i = 0; i < mainList.Count; i++)
                {
                    string where = $"memory.functions.main[{i}]";
                    if (!(mainList[i] is JObject entry)) throw Invalid($"'{where}' that is not an object");
                    var item = new MainEntry
                    {
                        Device = RequiredDevice(entry, where),
                        WorkspaceBytes = OptionalBytes(entry, "workspace_size_bytes", where),
                        ConstantsBytes = OptionalBytes(entry, "constants_size_bytes", where),
                        IoBytes = OptionalBytes(entry, "io_size_bytes", where),
                        Inputs = ReadTensors(entry, "inputs", where),
                        Outputs = ReadTensors(entry, "outputs", where),
                    };
                    if (Main.Any(m => m.Device == item.Device)) throw Invalid($"'memory.functions.main' that lists device {item.Device} twice");
                    Main.Add(item);
                }
            }

            var operators = functionsObject["operator_functions"];
            if (operators != null)
            {
                if (!(operators is JArray operatorList)) throw Invalid("'memory.functions.operator_functions' that is not a list");
                for (int i = 0; i < operatorList.Count; i++)
                {
                    string where = $"memory.functions.operator_functions[{i}]";
                    if (!(operatorList[i] is JObject function)) throw Invalid($"'{where}' that is not an object");
                    var nameToken = function["function_name"];
                    if (nameToken == null || nameToken.Type != JTokenType.String) throw Invalid($"'{where}' without a string 'function_name'");
                    string name = (string)nameToken;
                    var workspace = function["workspace"];
                    if (workspace == null) continue;
                    if (!(workspace is JArray workspaceList)) throw Invalid($"'{where}.workspace' that is not a list");
                    for (int w = 0; w < workspaceList.Count; w++)
                    {
                        string at = $"{where}.workspace[{w}]";
                        if (!(workspaceList[w] is JObject entry)) throw Invalid($"'{at}' that is not an object");
                        OperatorWorkspaces.Add(new FunctionWorkspace
                        {
                            Function = name,
                            Device = RequiredDevice(entry, at),
                            WorkspaceBytes = OptionalBytes(entry, "workspace_size_bytes", at) ?? throw Invalid($"'{at}' without 'workspace_size_bytes'"),
                        });
                    }
                }
            }
        }

        private long ReadSids(JArray sids, string where)
        {
            long sum = 0;
            for (int i = 0; i < sids.Count; i++)
            {
                string at = $"{where}[{i}]";
                if (!(sids[i] is JObject sid)) throw Invalid($"'{at}' that is not an object");
                long size = OptionalBytes(sid, "size_bytes", at) ?? throw Invalid($"'{at}' without 'size_bytes'");
                sum = Saturating.Add(sum, size);
            }
            return sum;
        }

        private void ReadOperatorStyle(JToken memory)
        {
            if (!(memory is JObject primfuncs)) throw Invalid("operator-style 'memory' that is not an object keyed by primfunc");
            long sum = 0;
            foreach (var primfunc in primfuncs.Properties())
            {
                string where = $"memory.{primfunc.Name}";
                if (!(primfunc.Value is JArray buffers)) throw Invalid($"'{where}' that is not a list of buffers");
                for (int i = 0; i < buffers.Count; i++)
                {
                    string at = $"{where}[{i}]";
                    if (!(buffers[i] is JObject buffer)) throw Invalid($"'{at}' that is not an object");
                    long size = OptionalBytes(buffer, "size_bytes", at) ?? throw Invalid($"'{at}' without 'size_bytes'");
                    sum = Saturating.Add(sum, size);
                }
            }
            OperatorBufferBytes = sum;
        }

        private List<TensorSize> ReadTensors(JObject entry, string key, string where)
        {
            var token = entry[key];
            if (token == null) return null;
            if (!(token is JObject tensors)) throw Invalid($"'{where}.{key}' that is not an object");
            var list = new List<TensorSize>(tensors.Count);
            foreach (var tensor in tensors.Properties())
            {
                string at = $"{where}.{key}.{tensor.Name}";
                if (!(tensor.Value is JObject description)) throw Invalid($"'{at}' that is not an object");
                var dtypeToken = description["dtype"];
                if (dtypeToken != null && dtypeToken.Type != JTokenType.String) throw Invalid($"'{at}.dtype' that is not a string");
                long size = OptionalBytes(description, "size", at) ?? throw Invalid($"'{at}' without 'size'");
                list.Add(new TensorSize(tensor.Name, (string)dtypeToken, size));
            }
            return list;
        }

        private int RequiredDevice(JObject entry, string where)
        {
            var token = entry["device"];
            if (token == null) throw Invalid($"'{where}' without 'device'");
            long? device = Integer(token);
            if (device == null || device < 0 || device > int.MaxValue) throw Invalid($"'{where}.device' that is not a DLPack device number (a non-negative integer)");
            return (int)device.Value;
        }

        private long? OptionalBytes(JObject entry, string key, string where)
        {
            var token = entry[key];
            if (token == null) return null;
            long? bytes = Integer(token);
            if (bytes == null || bytes < 0) throw Invalid($"'{where}.{key}' that is not a byte count (a non-negative integer)");
            return bytes;
        }

        /// <summary>A JSON integer that fits a long (Newtonsoft keeps larger ones as BigInteger), else null.</summary>
        private static long? Integer(JToken token) =>
            token.Type == JTokenType.Integer && token is JValue value && value.Value is long number ? number : (long?)null;

        private MlfException Invalid(string what) =>
            new MlfException(MlfErrorIds.MetadataInvalid,
                $"The metadata.json of '{_archive}' is not valid MLF metadata: module '{_module}' has {what}. Rebuild the model with TVM or correct the memory section.",
                _archive);
    }
}
