using System.Collections.Generic;
using System.Linq;
using MlfTools.Format;

namespace MlfTools
{
    /// <summary>The graph executor config (graph.json / &lt;module&gt;.graph): nodes and, per entry, storage id, shape, dtype and device.</summary>
    public sealed class MlfGraphConfig
    {
        internal MlfGraphConfig(string path, IReadOnlyList<MlfGraphNode> nodes, IReadOnlyList<int> argNodes, IReadOnlyList<int> nodeRowPtr,
            IReadOnlyList<int> storageIds, IReadOnlyList<IReadOnlyList<long>> shapes, IReadOnlyList<string> dtypes, IReadOnlyList<int> deviceIndex,
            IReadOnlyList<long> entryBytes, IReadOnlyList<int> headEntries = null)
        {
            HeadEntries = ItemList.Of(headEntries ?? new int[0]);
            Path = path;
            Nodes = ItemList.Of(nodes);
            ArgNodes = ItemList.Of(argNodes);
            NodeRowPtr = ItemList.Of(nodeRowPtr);
            StorageIds = ItemList.Of(storageIds);
            Shapes = ItemList.Of(shapes.Select(shape => (IReadOnlyList<long>)new TensorShape(shape)));
            DTypes = ItemList.Of(dtypes);
            DeviceIndex = ItemList.Of(deviceIndex);
            EntryBytes = ItemList.Of(entryBytes);
        }

        /// <summary>Member path of the graph config inside its archive.</summary>
        public string Path { get; }

        public IReadOnlyList<MlfGraphNode> Nodes { get; }
        public IReadOnlyList<int> ArgNodes { get; }
        public IReadOnlyList<int> NodeRowPtr { get; }

        /// <summary>Per entry (entry id = NodeRowPtr[node] + output index).</summary>
        public IReadOnlyList<int> StorageIds { get; }
        /// <summary>Per entry: its shape, a <see cref="TensorShape"/> whose text is "[1, 49, 10]".</summary>
        public IReadOnlyList<IReadOnlyList<long>> Shapes { get; }
        public IReadOnlyList<string> DTypes { get; }

        /// <summary>Per entry DLPack device type, or null when the config has no device_index (everything on CPU).</summary>
        public IReadOnlyList<int> DeviceIndex { get; }

        /// <summary>Per entry bytes: prod(shape) x ceil(bits x lanes / 8).</summary>
        public IReadOnlyList<long> EntryBytes { get; }

        public int EntryCount => StorageIds.Count;

        /// <summary>The entry ids of the graph's outputs ("heads"), in order; empty when the config lists none.</summary>
        public IReadOnlyList<int> HeadEntries { get; }

        /// <summary>The entry ids of the input and parameter nodes (arg_nodes), in arg_nodes order.</summary>
        internal IEnumerable<int> ArgEntries => ArgNodes.Where(n => n + 1 < NodeRowPtr.Count).SelectMany(n => Enumerable.Range(NodeRowPtr[n], NodeRowPtr[n + 1] - NodeRowPtr[n]));

        
        public override string ToString() => $"{Nodes.Count} nodes, {EntryCount} entries ({Path})";

        public IEnumerable<string> FunctionNames => ItemList.Of(Nodes.Where(n => n.FunctionName != null).Select(n => n.FunctionName).Distinct());

        /// <summary>
        /// What the graph executor allocates, per device type: each storage id's pool is the largest entry that
        /// uses it, and the pools are summed (inputs and parameters included).
        /// </summary>
        public IReadOnlyDictionary<int, long> StorageBytesByDevice() => StorageBytesByDevice(null);

        /// <summary>
        /// Like <see cref="StorageBytesByDevice()"/>, leaving out the storage ids used only by the named nodes: what the C
        /// runtime's graph executor allocates when those nodes are parameters linked into the code (it points them at the
        /// linked data instead).
        /// </summary>
        internal IReadOnlyDictionary<int, long> StorageBytesByDevice(ICollection<string> linkedNodes)
        {
            var skipped = new HashSet<int>();
            if (linkedNodes != null && linkedNodes.Count > 0)
            {
                var kept = new HashSet<int>();
                for (int node = 0; node < Nodes.Count; node++)
                {
                    bool linked = Nodes[node].Op == "null" && linkedNodes.Contains(Nodes[node].Name);
                    for (int entry = NodeRowPtr[node]; entry < NodeRowPtr[node + 1] && entry < EntryCount; entry++)
                    {
                        (linked ? skipped : kept).Add(StorageIds[entry]);
                    }
                }
                skipped.ExceptWith(kept);
            }
            var poolBytes = new Dictionary<int, long>();
            var poolDevice = new Dictionary<int, int>();
            for (int entry = 0; entry < EntryCount; entry++)
            {
                int storageId = StorageIds[entry];
                if (skipped.Contains(storageId)) continue;
                long bytes = EntryBytes[entry];
                if (!poolBytes.TryGetValue(storageId, out long current) || bytes > current) poolBytes[storageId] = bytes;
                if (!poolDevice.ContainsKey(storageId)) poolDevice[storageId] = DeviceIndex?[entry] ?? GraphConfigReader.CpuDeviceType;
            }
            var byDevice = new SortedDictionary<int, long>();
            foreach (var pool in poolBytes)
            {
                int device = poolDevice[pool.Key];
                byDevice.TryGetValue(device, out long sum);
                byDevice[device] = sum + pool.Value;
            }
            return byDevice;
        }
    }
}
