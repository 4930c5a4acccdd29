using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Format;
using MlfTools.CSource;
using MlfTools.Text;

namespace MlfTools.Report
{
    /// <summary>
    /// The static arena the firmware helpers give one model (mlf_platform.c's allocator): for a graph-executor model
    /// the executor's storage, bookkeeping and the kernels' workspaces (<see cref="GraphExecutorArena"/>); for an AOT
    /// model the workspace its code requests with TVMBackendAllocWorkspace.
    /// </summary>
    internal static class ModelArena
    {
        /// <summary>
        /// The arena in bytes, or null when the archive does not tell it (an AOT model without C sources, a graph model
        /// without its graph config, or one whose kernels are neither C sources nor in the metadata).
        /// </summary>
        /// <param name="module">The module.</param>
        /// <param name="pointerBytes">The target's pointer size (<see cref="PointerBytes"/>).</param>
        /// <param name="settings">The crt_config.h values; null for the ones <see cref="CrtSettings.ForGraphs"/> gives this model alone.</param>
        /// <param name="cancellationToken">Cancels the reading.</param>
        /// <param name="graphJson">The graph JSON as the firmware embeds it (a join's, renamed); null for the module's own.</param>
        /// <param name="sourceNames">The name in the module's code of each kernel <paramref name="graphJson"/> calls, where a join renamed it.</param>
        public static long? Of(MlfModule module, int pointerBytes, CrtSettings settings, CancellationToken cancellationToken,
            string graphJson = null, IReadOnlyDictionary<string, string> sourceNames = null)
        {
            if (module == null) throw new ArgumentNullException(nameof(module));
            if (module.Style == MetadataReader.OperatorStyle) return null;
            bool graph = module.Executors.Contains("graph");
            bool aot = module.Executors.Contains("aot");
            if (!graph && !aot) return null;
            var memory = MemorySection.Parse(module.MetadataEntry["memory"], false, module.OriginalName, module.SourcePath);
            var requests = SourceRequests(module, cancellationToken);

            if (aot)
            {
                if (requests == null) return ObjectCodeArena(module, memory, cancellationToken);
                int callSites = requests.Sum(r => r.AllocateCallSites);
                if (callSites == 0) return 0;
                var main = memory.Main.FirstOrDefault(m => m.Device == DeviceNames.CpuDeviceType) ?? memory.Main.FirstOrDefault();
                if (main?.WorkspaceBytes == null) return null;
                return Saturating.Add(main.WorkspaceBytes.Value, Saturating.Multiply(GraphExecutorArena.Grain, callSites));
            }

            if (module.GraphConfig == null) return null;
            string json = graphJson ?? module.ReadText(module.GraphConfig.Path, cancellationToken);
            if (json == null) return null;
            string weightsIn = WeightPlacement.Of(module, cancellationToken);
            var parameters = weightsIn == WeightPlacement.ParamsFile && module.Parameters != null
                ? module.Parameters.Tensors.Select(t => new GraphArenaParameter(t.Name, t.Shape, (int)(GraphExecutorArena.ElementBits(t.DType) & 0xff))).ToList()
                : null;
            var linked = weightsIn == WeightPlacement.Code && module.Parameters != null
                ? LinkedStorageIds(module.GraphConfig, new HashSet<string>(module.Parameters.Tensors.Select(t => t.Name), StringComparer.Ordinal))
                : null;
            settings = settings ?? CrtSettings.ForGraphs(new[] { json }, module.Parameters?.Tensors.Select(t => t.Name));

            var functions = new Dictionary<string, WorkspaceRequests.FunctionRequests>(StringComparer.Ordinal);
            var calls = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var file in requests ?? Enumerable.Empty<WorkspaceRequests>())
            {
                foreach (var function in file.Functions) functions[function.Key] = function.Value;
                foreach (var function in file.Calls) calls[function.Key] = function.Value;
            }
            var metadata = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var workspace in memory.OperatorWorkspaces.Where(w => w.Device == DeviceNames.CpuDeviceType))
            {
                metadata[workspace.Function] = Math.Max(metadata.TryGetValue(workspace.Function, out long known) ? known : 0, workspace.WorkspaceBytes);
            }
            bool unknown = false;
            var needs = new Dictionary<string, long>(StringComparer.Ordinal);
            var open = new HashSet<string>(StringComparer.Ordinal);

            // A function's own requests, replayed, and on top of them the most any function it calls takes (an upper
            // bound: TVM's packed wrappers call the function that requests the workspace).
            long CodeNeed(string name)
            {
                if (needs.TryGetValue(name, out long done)) return done;
                if (!open.Add(name)) return 0; // recursion: its requests are counted where it was entered
                long own = 0;
                if (functions.TryGetValue(name, out var function))
                {
                    if (function.SizesKnown) own = GraphExecutorArena.KernelNeed(function.Events);
                    // A size the text does not spell: the metadata workspace and a header per call site.
                    else if (metadata.TryGetValue(name, out long bytes)) own = Saturating.Add((bytes + 15) / 16 * 16, Saturating.Multiply(GraphExecutorArena.Grain, function.AllocateCallSites));
                    else unknown = true;
                }
                long callees = 0;
                if (calls.TryGetValue(name, out var called))
                {
                    foreach (string callee in called)
                    {
                        if (calls.ContainsKey(callee) || functions.ContainsKey(callee)) callees = Math.Max(callees, CodeNeed(callee));
                    }
                }
                open.Remove(name);
                return needs[name] = Saturating.Add(own, callees);
            }

            long Need(string name)
            {
                if (sourceNames != null && sourceNames.TryGetValue(name, out string original)) name = original;
                if (requests != null) return CodeNeed(name); // the C sources are all there: what they request
                if (metadata.TryGetValue(name, out long workspace)) return GraphExecutorArena.KernelNeedFromMetadata(workspace);
                unknown = true;
                return 0;
            }
            long peak = GraphExecutorArena.Peak(json, parameters, linked, Need, settings, pointerBytes);
            return unknown ? (long?)null : peak;
        }

        /// <summary>
        /// An AOT model whose code is object code (an LLVM build): nothing when no object calls TVMBackendAllocWorkspace,
        /// else the metadata's workspace with a header for every 16 bytes of it (each request takes at least 16), an
        /// upper bound, since the sizes of the requests cannot be read from the machine code.
        /// </summary>
        private static long? ObjectCodeArena(MlfModule module, MemorySection memory, CancellationToken cancellationToken)
        {
            var objects = module.Files.Where(f => f.Kind == MlfFileKind.Object).ToList();
            if (objects.Count == 0) return null;
            bool requests = objects.Any(file =>
                Elf.ObjectCode.FindUndefined(module.ReadBytes(file.Path, cancellationToken), cancellationToken).Contains(WorkspaceRequests.Allocate));
            if (!requests) return 0;
            var main = memory.Main.FirstOrDefault(m => m.Device == DeviceNames.CpuDeviceType) ?? memory.Main.FirstOrDefault();
            return main?.WorkspaceBytes is long workspace ? GraphExecutorArena.KernelNeedFromMetadata(workspace) : (long?)null;
        }

        /// <summary>
        /// The pointer size of the target a module was built for: 4 for -mcpu=cortex-m*, and -mtriple= arm*, thumb*,
        /// riscv32*; 8 for -mtriple= aarch64*, arm64*, x86_64*, riscv64*. A target that says neither (the plain "c" of
        /// most microTVM builds) counts as 4: the firmware helpers are for microcontrollers. A 64-bit host running the
        /// same model needs more (its structures are larger).
        /// </summary>
        public static int PointerBytes(IEnumerable<string> targets)
        {
            foreach (string target in targets ?? Enumerable.Empty<string>())
            {
                if (target == null) continue;
                foreach (string word in target.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    string option = word.TrimStart('-');
                    if (option.StartsWith("mcpu=cortex-m", StringComparison.OrdinalIgnoreCase)) return 4;
                    if (!option.StartsWith("mtriple=", StringComparison.OrdinalIgnoreCase)) continue;
                    string triple = option.Substring("mtriple=".Length).ToLowerInvariant();
                    if (triple.StartsWith("aarch64", StringComparison.Ordinal) || triple.StartsWith("arm64", StringComparison.Ordinal) ||
                        triple.StartsWith("x86_64", StringComparison.Ordinal) || triple.StartsWith("riscv64", StringComparison.Ordinal)) return 8;
                    if (triple.StartsWith("arm", StringComparison.Ordinal) || triple.StartsWith("thumb", StringComparison.Ordinal) ||
                        triple.StartsWith("riscv32", StringComparison.Ordinal)) return 4;
                }
            }
            return 4;
        }

        /// <summary>The workspace requests of each of the module's C sources, or null when it has none (LLVM objects).</summary>
        /// <summary>A module's requests do not depend on the settings or the pointer size: scanned once per module (2 MiB of C takes ~80 ms).</summary>
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MlfModule, List<WorkspaceRequests>> Scanned =
            new System.Runtime.CompilerServices.ConditionalWeakTable<MlfModule, List<WorkspaceRequests>>();

        private static List<WorkspaceRequests> SourceRequests(MlfModule module, CancellationToken cancellationToken)
        {
            if (Scanned.TryGetValue(module, out var known)) return known;
            var requests = ScanSourceRequests(module, cancellationToken);
            if (requests != null)
            {
                try
                {
                    Scanned.Add(module, requests);
                }
                catch (ArgumentException)
                {
                    // Another thread scanned it too: the same requests.
                }
            }
            return requests;
        }

        private static List<WorkspaceRequests> ScanSourceRequests(MlfModule module, CancellationToken cancellationToken)
        {
            var sources = module.Files.Where(f => f.Kind == MlfFileKind.Source).ToList();
            if (sources.Count == 0) return null;
            var texts = new List<string>(sources.Count);
            foreach (var file in sources)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string text = module.ReadCText(file.Path, cancellationToken);
                if (text != null) texts.Add(text);
            }
            // Code that never names TVMBackendAllocWorkspace requests nothing: no need to lex it (calls across files count otherwise).
            bool requestsAny = texts.Any(t => t.IndexOf(WorkspaceRequests.Allocate, StringComparison.Ordinal) >= 0);
            var scanned = new List<WorkspaceRequests>(texts.Count);
            if (requestsAny) scanned.AddRange(texts.Select(WorkspaceRequests.Scan));
            return scanned;
        }

        /// <summary>The storage ids used only by the named parameter nodes: those _lookup_linked_param answers.</summary>
        internal static HashSet<int> LinkedStorageIds(MlfGraphConfig graph, ICollection<string> linkedNodes)
        {
            var linked = new HashSet<int>();
            var kept = new HashSet<int>();
            for (int node = 0; node < graph.Nodes.Count && node + 1 < graph.NodeRowPtr.Count; node++)
            {
                bool isLinked = graph.Nodes[node].Op == "null" && linkedNodes.Contains(graph.Nodes[node].Name);
                for (int entry = graph.NodeRowPtr[node]; entry < graph.NodeRowPtr[node + 1] && entry < graph.EntryCount; entry++)
                {
                    (isLinked ? linked : kept).Add(graph.StorageIds[entry]);
                }
            }
            linked.ExceptWith(kept);
            return linked;
        }
    }
}
