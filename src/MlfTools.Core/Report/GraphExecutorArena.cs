using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Json;
using MlfTools.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MlfTools.Report
{
    /// <summary>A tensor of a .params file as TVMGraphExecutor_LoadParams loads it: its name, dimensions and element bits.</summary>
    internal sealed class GraphArenaParameter
    {
        public GraphArenaParameter(string name, IReadOnlyList<long> shape, int bits)
        {
            Name = name;
            Shape = shape;
            Bits = bits;
        }

        public string Name { get; }
        public IReadOnlyList<long> Shape { get; }
        public int Bits { get; }
    }

    /// <summary>
    /// The peak of a graph-executor model's arena (the firmware helpers' allocator of mlf_platform.c: every block a
    /// 16-byte header plus its size rounded up to 16, a request of 0 counting as 1; freeing the top block gives it and the
    /// free blocks under it back, freeing another only marks it) through TVMModCreateFromCModule, TVMGraphExecutor_Create,
    /// TVMGraphExecutor_LoadParams (when the weights come from a .params file) and any number of runs, each calling every
    /// node's kernel. The C runtime's requests are replayed in its order, so the figure is exact for the runtime's part;
    /// the kernels' part is the largest arena any one kernel takes on top (see <see cref="KernelNeed"/>).
    /// </summary>
    /// <remarks>
    /// The requests, as the C runtime's graph executor makes them (TVM 0.11.1, 0.13 and 0.18 are the same; TVM 0.9's
    /// differs only in not counting references, which allocates nothing). Create: the executor; the JSON reader's scope
    /// stack (a Seq and 200 uint32) and a copy of the JSON text (strlen + 1); per array the reader measures, a transient
    /// Seq and 10 uint32 freed at once; nodes (sizeof node x count) and each node's inputs (node entry x inputs),
    /// arg_nodes and node_row_ptr (uint32 each), heads (node entry each), the attrs dltype (MAX_STRLEN_DLTYPE each),
    /// storage_id (uint32), shape (int64 x MAX_NDIM, then uint32 ndim) and device_index (uint32); the reader's three
    /// blocks freed (holes under the executor's blocks); then a DLDataType per dltype and a pool entry per node
    /// (both freed at the end of the setup, holes again), the storage pool (storage entry x pools), per pool that is
    /// not a linked parameter a shape (int64) and its data (the pool's bytes rounded up to 4), the data entries
    /// (NDArray x entries) with a shape each (int64 x ndim), the op_execs (packed func x nodes). LoadParams: the
    /// names (MAX_STRLEN_PARAM_NAME x nodes, freed at the end: a hole); per parameter in file order, the entry's
    /// shape and its pool's data are freed (holes: they are not on top) and a shape (int64 x ndim) and the data
    /// ((elements x bits + 7) / 8) allocated. A run allocates only the kernels' workspaces
    /// (TVMBackendAllocWorkspace), freed before the kernel returns. TVMModCreateFromCModule and the function lookups
    /// allocate nothing; TVMInitializeRuntime's registry (GLOBAL_FUNC_REGISTRY_SIZE_BYTES) is in the runtime's arena.
    /// </remarks>
    internal static class GraphExecutorArena
    {
        /// <summary>The allocator's header and rounding (MLF_ARENA_GRAIN of mlf_platform.c).</summary>
        public const long Grain = 16;

        /// <summary>The arena a block of <paramref name="request"/> bytes takes: the header and the data rounded up to the grain.</summary>
        public static long Block(long request) => Grain + RoundUp(Math.Max(1, request));

        /// <summary>
        /// The runtime's own arena (the one active for TVMInitializeRuntime): the global function registry's
        /// GLOBAL_FUNC_REGISTRY_SIZE_BYTES, its only request. Not part of any model's figure.
        /// </summary>
        public static long RuntimeArenaBytes(CrtSettings settings) => Block((settings ?? throw new ArgumentNullException(nameof(settings))).GlobalFuncRegistrySizeBytes);

        private static long RoundUp(long bytes) => (bytes + Grain - 1) / Grain * Grain;

        /// <summary>
        /// The arena peak of one graph-executor model.
        /// </summary>
        /// <param name="graphJson">The graph JSON exactly as the firmware passes it to TVMGraphExecutor_Create (its UTF-8 length counts).</param>
        /// <param name="parameters">The tensors of the .params file in file order when the firmware loads it; null or empty when it does not.</param>
        /// <param name="linkedStorageIds">The storage ids _lookup_linked_param answers (linked parameters); null when none.</param>
        /// <param name="kernelNeed">The arena one kernel takes on top at most, by func_name (see <see cref="KernelNeed"/>); null when the kernels request nothing.</param>
        /// <param name="settings">The crt_config.h values.</param>
        /// <param name="pointerBytes">The target's pointer size: 4 or 8.</param>
        public static long Peak(string graphJson, IReadOnlyList<GraphArenaParameter> parameters, ICollection<int> linkedStorageIds,
            Func<string, long> kernelNeed, CrtSettings settings, int pointerBytes)
        {
            if (graphJson == null) throw new ArgumentNullException(nameof(graphJson));
            if (settings == null) throw new ArgumentNullException(nameof(settings));
            if (pointerBytes != 4 && pointerBytes != 8) throw new ArgumentOutOfRangeException(nameof(pointerBytes), pointerBytes, "A pointer is 4 or 8 bytes.");
            var graph = ParseGraph(graphJson);
            var sizes = new CrtStructs(settings, pointerBytes);
            var arena = new Arena();

            // TVMGraphExecutor_Create -> TVMGraphExecutor_Init
            arena.Allocate(sizes.GraphExecutor);
            var scopeSeq = arena.Allocate(sizes.Seq);
            var scopeData = arena.Allocate(4 * 200);
            var text = arena.Allocate(Encoding.UTF8.GetByteCount(graphJson) + 1);
            foreach (var step in graph.Steps)
            {
                if (step.MeasuresArray) arena.Transient(sizes.Seq, 4 * 10);
                foreach (long request in step.Requests(sizes, settings)) arena.Allocate(request);
            }
            arena.Free(scopeData);
            arena.Free(scopeSeq);
            arena.Free(text);

            // TVMGraphExecutor_SetupStorage
            var vtype = arena.Allocate(4L * graph.DTypes.Count);
            var poolEntries = arena.Allocate(sizes.PoolEntry * graph.Nodes.Count);
            var poolBytes = new List<long>();
            for (int entry = 0; entry < graph.Shapes.Count && entry < graph.StorageIds.Count; entry++)
            {
                int storageId = graph.StorageIds[entry];
                while (poolBytes.Count <= storageId) poolBytes.Add(0);
                long bytes = (ElementBits(entry < graph.DTypes.Count ? graph.DTypes[entry] : "") + 7) / 8 * Accumulate(graph.Shapes[entry], settings.MaxNdim);
                poolBytes[storageId] = Math.Max(poolBytes[storageId], bytes);
            }
            arena.Allocate(sizes.StorageEntry * poolBytes.Count);
            var poolData = new Arena.Handle[poolBytes.Count];
            for (int pool = 0; pool < poolBytes.Count; pool++)
            {
                if (linkedStorageIds != null && linkedStorageIds.Contains(pool)) continue;
                arena.Allocate(8);
                poolData[pool] = arena.Allocate(4 * ((poolBytes[pool] + 3) / 4));
            }
            int entryCount = graph.NodeRowPtr.Count == 0 ? 0 : graph.NodeRowPtr[graph.NodeRowPtr.Count - 1];
            arena.Allocate(sizes.NdArray * entryCount);
            var entryShapes = new Arena.Handle[entryCount];
            for (int entry = 0; entry < entryCount; entry++)
            {
                int ndim = entry < graph.Shapes.Count ? ShapeNdim(graph.Shapes[entry], settings.MaxNdim) : 0;
                entryShapes[entry] = arena.Allocate(8L * ndim);
            }
            arena.Free(vtype);
            arena.Free(poolEntries);

            // TVMGraphExecutor_SetupOpExecs
            arena.Allocate(sizes.PackedFunc * graph.Nodes.Count);

            // TVMGraphExecutor_LoadParams
            if (parameters != null && parameters.Count > 0)
            {
                var names = arena.Allocate((long)settings.MaxStrlenParamName * graph.Nodes.Count);
                foreach (var parameter in parameters)
                {
                    int entry = graph.InputEntry(parameter.Name);
                    if (entry >= 0 && entry < entryCount)
                    {
                        arena.Free(entryShapes[entry]);
                        int storageId = entry < graph.StorageIds.Count ? graph.StorageIds[entry] : -1;
                        if (storageId >= 0 && storageId < poolData.Length) arena.Free(poolData[storageId]);
                        entryShapes[entry] = null;
                    }
                    long elements = 1;
                    foreach (long dimension in parameter.Shape) elements = Saturating.Multiply(elements, dimension);
                    arena.Allocate(8L * parameter.Shape.Count);
                    arena.Allocate((Saturating.Multiply(elements, parameter.Bits) + 7) / 8);
                }
                arena.Free(names);
            }

            // A run: each kernel's workspace on top of what the executor keeps.
            long most = 0;
            if (kernelNeed != null)
            {
                foreach (var node in graph.Nodes)
                {
                    if (node.Op != "tvm_op" || node.FunctionName == null || node.FunctionName == "__nop") continue;
                    most = Math.Max(most, kernelNeed(node.FunctionName));
                }
            }
            return Math.Max(arena.Peak, Saturating.Add(arena.Top, most));
        }

        /// <summary>
        /// The arena one kernel takes at most: its TVMBackendAllocWorkspace requests replayed in the order the code makes
        /// them (<paramref name="events"/>: a positive size for a request, or null size for the free of a named block),
        /// with this allocator. A request whose free is never seen stays live, so the figure stays an upper bound.
        /// </summary>
        public static long KernelNeed(IEnumerable<(string Name, long? Request)> events)
        {
            var arena = new Arena();
            var live = new Dictionary<string, Stack<Arena.Handle>>(StringComparer.Ordinal);
            foreach (var (name, request) in events)
            {
                if (request != null)
                {
                    var block = arena.Allocate(request.Value);
                    if (name == null) continue;
                    if (!live.TryGetValue(name, out var blocks)) live[name] = blocks = new Stack<Arena.Handle>();
                    blocks.Push(block);
                }
                else if (name != null && live.TryGetValue(name, out var blocks) && blocks.Count > 0)
                {
                    arena.Free(blocks.Pop());
                }
            }
            return arena.Peak;
        }

        /// <summary>
        /// The arena a kernel takes when only its metadata workspace is known: the workspace (TVM rounds each of its
        /// allocations up to 16 bytes) and a header for every 16 bytes of it, the most allocations it can hold.
        /// </summary>
        public static long KernelNeedFromMetadata(long workspaceBytes) =>
            workspaceBytes <= 0 ? 0 : Saturating.Add(RoundUp(workspaceBytes), Saturating.Multiply(Grain, RoundUp(workspaceBytes) / Grain));

        private static long Accumulate(IReadOnlyList<long> shape, int maxNdim)
        {
            long product = 1;
            for (int i = 0; i < shape.Count && i < maxNdim; i++)
            {
                if (shape[i] == 0) break; // Shape_Accumulate stops at a zero dimension
                product = Saturating.Multiply(product, shape[i]);
            }
            return product;
        }

        /// <summary>The ndim the executor's JSON reader records for a shape: at least 1, at most MAX_NDIM.</summary>
        private static int ShapeNdim(IReadOnlyList<long> shape, int maxNdim) => Math.Max(1, Math.Min(shape.Count, maxNdim));

        /// <summary>bits x lanes of a dtype as String2DLDataType reads it ("float32", "int8x4", "bool").</summary>
        internal static long ElementBits(string dtype)
        {
            if (string.IsNullOrEmpty(dtype)) return 0;
            if (dtype == "bool") return 1;
            string scan = dtype;
            long bits = 32;
            foreach (string prefix in new[] { "int", "uint", "float", "bfloat", "handle" })
            {
                if (dtype.StartsWith(prefix, StringComparison.Ordinal))
                {
                    scan = dtype.Substring(prefix.Length);
                    if (prefix == "handle") bits = 64;
                    break;
                }
            }
            int x = scan.IndexOf('x');
            string bitsText = x < 0 ? scan : scan.Substring(0, x);
            if (long.TryParse(bitsText, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed) && (byte)parsed != 0) bits = (byte)parsed;
            long lanes = 1;
            if (x >= 0 && long.TryParse(scan.Substring(x + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long parsedLanes) && parsedLanes > 0) lanes = (ushort)parsedLanes;
            return bits * lanes;
        }

        /// <summary>The parts of a graph JSON the executor reads, in the order it reads them.</summary>
        internal sealed class Graph
        {
            public List<GraphNode> Nodes { get; } = new List<GraphNode>();
            public List<int> ArgNodes { get; } = new List<int>();
            public List<int> NodeRowPtr { get; } = new List<int>();
            public List<int> StorageIds { get; } = new List<int>();
            public List<string> DTypes { get; } = new List<string>();
            public List<IReadOnlyList<long>> Shapes { get; } = new List<IReadOnlyList<long>>();
            public List<Step> Steps { get; } = new List<Step>();

            /// <summary>The entry of the input named so (TVMGraphExecutor_GetInputIndex), or -1.</summary>
            public int InputEntry(string name)
            {
                foreach (int node in ArgNodes)
                {
                    if (node >= 0 && node < Nodes.Count && Nodes[node].Name == name && node < NodeRowPtr.Count) return NodeRowPtr[node];
                }
                return -1;
            }
        }

        internal sealed class GraphNode
        {
            public string Op;
            public string Name;
            public string FunctionName;
            public int InputCount;
            public int OutputCount;
        }

        /// <summary>One block of the executor's reading: whether the reader measures an array first (a transient Seq), and the requests.</summary>
        internal sealed class Step
        {
            public bool MeasuresArray = true;
            public Func<CrtStructs, CrtSettings, IEnumerable<long>> Requests;
        }

        /// <summary>Reads the graph JSON as TVMGraphExecutor_Load does: top-level keys in order, stopping at "metadata" or a key it does not know.</summary>
        internal static Graph ParseGraph(string json)
        {
            // The reader's own parse (its depth and size limits), which read this graph config before.
            var root = JsonParser.Parse(Encoding.UTF8.GetBytes(json), null, "graph config") as JObject ?? new JObject();
            var graph = new Graph();
            foreach (var property in root.Properties())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "nodes":
                        var nodes = value as JArray ?? new JArray();
                        int count = nodes.Count;
                        graph.Steps.Add(new Step { Requests = (s, c) => new[] { s.Node * count } });
                        foreach (var token in nodes)
                        {
                            var node = token as JObject ?? new JObject();
                            var attrs = node["attrs"] as JObject ?? node["attr"] as JObject;
                            var parsed = new GraphNode
                            {
                                Op = (string)node["op"],
                                Name = (string)node["name"],
                                FunctionName = attrs?["func_name"]?.ToString(),
                                InputCount = (node["inputs"] as JArray)?.Count ?? 0,
                                OutputCount = int.TryParse(attrs?["num_outputs"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int outputs) ? outputs : node["op"]?.ToString() == "null" ? 0 : 1,
                            };
                            graph.Nodes.Add(parsed);
                            if (node["inputs"] != null)
                            {
                                int inputs = parsed.InputCount;
                                graph.Steps.Add(new Step { Requests = (s, c) => new[] { s.NodeEntry * inputs } });
                            }
                        }
                        break;
                    case "arg_nodes":
                        graph.ArgNodes.AddRange(Integers(value));
                        int args = graph.ArgNodes.Count;
                        graph.Steps.Add(new Step { Requests = (s, c) => new[] { 4L * args } });
                        break;
                    case "node_row_ptr":
                        graph.NodeRowPtr.AddRange(Integers(value));
                        int rows = graph.NodeRowPtr.Count;
                        graph.Steps.Add(new Step { Requests = (s, c) => new[] { 4L * rows } });
                        break;
                    case "heads":
                        int heads = (value as JArray)?.Count ?? 0;
                        graph.Steps.Add(new Step { Requests = (s, c) => new[] { s.NodeEntry * heads } });
                        break;
                    case "attrs":
                        ReadAttrs(value as JObject ?? new JObject(), graph);
                        break;
                    default:
                        return graph; // "metadata" ends the reading; another key is an error the executor stops at
                }
            }
            return graph;
        }

        private static void ReadAttrs(JObject attrs, Graph graph)
        {
            foreach (var attr in attrs.Properties())
            {
                var list = attr.Value is JArray pair && pair.Count == 2 ? pair[1] as JArray : null;
                int count = list?.Count ?? 0;
                switch (attr.Name)
                {
                    case "dltype":
                        graph.DTypes.AddRange(list?.Select(t => t.ToString()) ?? Enumerable.Empty<string>());
                        graph.Steps.Add(new Step { Requests = (s, c) => new[] { (long)c.MaxStrlenDltype * count } });
                        break;
                    case "storage_id":
                        graph.StorageIds.AddRange(Integers(list));
                        graph.Steps.Add(new Step { Requests = (s, c) => new[] { 4L * count } });
                        break;
                    case "shape":
                        foreach (var shape in list ?? new JArray()) graph.Shapes.Add(Integers(shape).Select(d => (long)d).ToList());
                        graph.Steps.Add(new Step { Requests = (s, c) => new[] { 8L * c.MaxNdim * count, 4L * count } });
                        break;
                    case "device_index":
                        graph.Steps.Add(new Step { Requests = (s, c) => new[] { 4L * count } });
                        break;
                }
            }
        }

        private static IEnumerable<int> Integers(JToken token) =>
            (token as JArray ?? new JArray()).Select(t => t.Type == JTokenType.Integer ? (int)Math.Min(int.MaxValue, Math.Max(int.MinValue, (long)t)) : 0).ToList();

        /// <summary>
        /// Sizes of the C runtime's structures, from one description of their fields for 32- and 64-bit targets
        /// (int64_t, uint64_t and double 8-byte aligned, as on Arm EABI, RISC-V and x86-64).
        /// </summary>
        internal sealed class CrtStructs
        {
            public CrtStructs(CrtSettings settings, int pointerBytes)
            {
                var pointer = Layout.Scalar(pointerBytes);
                var u8 = Layout.Scalar(1);
                var u16 = Layout.Scalar(2);
                var u32 = Layout.Scalar(4);
                var u64 = Layout.Scalar(8);
                var dlDevice = Layout.Struct(u32, u32);                   // DLDeviceType device_type; int32_t device_id
                var dlDataType = Layout.Struct(u8, u8, u16);              // code, bits, lanes
                var dlTensor = Layout.Struct(pointer, dlDevice, u32, dlDataType, pointer, pointer, u64); // data, device, ndim, dtype, shape, strides, byte_offset
                var ndArray = settings.NdArrayReferenceCount ? Layout.Struct(dlTensor, u32) : dlTensor; // dl_tensor, reference_count (TVM 0.10+)
                var tvmValue = Layout.Union(u64, u64, pointer, pointer, dlDataType, dlDevice);
                var tvmArgs = Layout.Struct(Layout.Array(tvmValue, settings.MaxArgs), Layout.Array(u32, settings.MaxArgs), u32); // values, tcodes, values_count
                var packedFunc = Layout.Struct(Layout.Array(u8, 200), pointer, tvmArgs, tvmArgs, pointer, pointer); // name, fexec, args, ret_value, Call, SetArgs
                var opParam = Layout.Struct(Layout.Array(u8, settings.MaxStrlenFunctionName), u32, u32, u32); // func_name, num_inputs, num_outputs, flatten_data
                var nodeEntry = Layout.Struct(u32, u32, u32, pointer);    // node_id, index, version, Load
                var node = Layout.Struct(Layout.Array(u8, 16), Layout.Array(u8, settings.MaxStrlenFunctionName), opParam, pointer, pointer,
                    Layout.Array(u32, 20), pointer, pointer);               // op_type, name, param, inputs, inputs_count (size_t), control_deps, LoadAttrs, Load
                var graphAttr = Layout.Struct(u32, pointer, pointer, pointer, u32, pointer, pointer, u32); // storage_num_not_alloctaed, storage_id, device_index, dltype, dltype_count, shape, ndim, shape_count
                var executor = Layout.Struct(pointer, u32, pointer, u32, pointer, u32, pointer, u32, graphAttr, pointer, Layout.Array(dlDevice, 1), u32,
                    pointer, u32, pointer, u32, pointer, u32);              // nodes .. op_execs_count
                var poolEntry = Layout.Struct(pointer, u32, u32);          // size (size_t), device_type, entry_id
                var storageEntry = Layout.Struct(u8, ndArray);            // is_linked_param, array
                var seq = Layout.Struct(pointer, u64, u32, pointer, pointer, pointer); // data, allocated, size, push_back, back, pop_back

                GraphExecutor = executor.Size;
                Node = node.Size;
                NodeEntry = nodeEntry.Size;
                PoolEntry = poolEntry.Size;
                StorageEntry = storageEntry.Size;
                NdArray = ndArray.Size;
                PackedFunc = packedFunc.Size;
                Seq = seq.Size;
            }

            public long GraphExecutor { get; }
            public long Node { get; }
            public long NodeEntry { get; }
            public long PoolEntry { get; }
            public long StorageEntry { get; }
            public long NdArray { get; }
            public long PackedFunc { get; }
            public long Seq { get; }
        }

        /// <summary>A C type's size and alignment: scalars align to their size, aggregates to their largest member.</summary>
        private sealed class Layout
        {
            private Layout(long size, long align)
            {
                Size = size;
                Align = align;
            }

            public long Size { get; }
            public long Align { get; }

            public static Layout Scalar(int bytes) => new Layout(bytes, bytes);

            public static Layout Array(Layout element, int count) => new Layout(element.Size * count, element.Align);

            public static Layout Struct(params Layout[] fields)
            {
                long offset = 0, align = 1;
                foreach (var field in fields)
                {
                    offset = (offset + field.Align - 1) / field.Align * field.Align + field.Size;
                    align = Math.Max(align, field.Align);
                }
                return new Layout((offset + align - 1) / align * align, align);
            }

            public static Layout Union(params Layout[] members)
            {
                long size = members.Max(m => m.Size), align = members.Max(m => m.Align);
                return new Layout((size + align - 1) / align * align, align);
            }
        }

        /// <summary>The allocator of mlf_platform.c: a stack of blocks; freeing the top gives it and the free blocks under it back.</summary>
        private sealed class Arena
        {
            private readonly List<Handle> _blocks = new List<Handle>();

            public long Top { get; private set; }
            public long Peak { get; private set; }

            public sealed class Handle
            {
                public long Bytes;
                public bool Free;
            }

            public Handle Allocate(long request)
            {
                var block = new Handle { Bytes = Block(request) };
                _blocks.Add(block);
                Top = Saturating.Add(Top, block.Bytes);
                Peak = Math.Max(Peak, Top);
                return block;
            }

            public void Free(Handle block)
            {
                if (block == null) return;
                block.Free = true;
                while (_blocks.Count > 0 && _blocks[_blocks.Count - 1].Free)
                {
                    Top -= _blocks[_blocks.Count - 1].Bytes;
                    _blocks.RemoveAt(_blocks.Count - 1);
                }
            }

            /// <summary>Two requests made and freed at once (JSONReader_ArrayLength's Seq): only the peak moves.</summary>
            public void Transient(long first, long second)
            {
                var a = Allocate(first);
                var b = Allocate(second);
                Free(b);
                Free(a);
            }
        }
    }
}
