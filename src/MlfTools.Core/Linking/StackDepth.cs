using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Text;

namespace MlfTools.Linking
{
    /// <summary>
    /// The deepest stack of a firmware, estimated from the call graphs gcc writes with <c>-fcallgraph-info=su</c>
    /// (GCC 10 and later: one <c>&lt;object base&gt;.ci</c> per compiled source, VCG text). Each defined function is a
    /// node whose label ends with its frame, <c>N bytes (static|dynamic|dynamic,bounded)</c> as in <c>-fstack-usage</c>;
    /// a function called but defined elsewhere is a node with only its name (and maybe a declaration's place); a call
    /// through a pointer is an edge to the placeholder node <c>__indirect_call</c>. A static function's title is
    /// <c>&lt;source as compiled&gt;:&lt;symbol&gt;</c>, a global's is its symbol.
    /// <para>
    /// The estimate is the largest sum of frames along a call path from the entry (on Cortex-M a frame counts the
    /// saved registers and the return address, so frames add up). It is exact for what gcc measured, and a lower bound
    /// when a reachable function has no figure (defined outside the sources: libc's memcpy, libm's expf), an unbounded
    /// dynamic frame (alloca, a variable-length array gcc cannot bound: its figure is the static part), or lies on a
    /// reachable cycle (recursion, counted once), or when an indirect call has no candidate.
    /// </para>
    /// <para>
    /// <b>Indirect calls.</b> gcc does not say which functions a pointer may reach. An indirect call is taken to reach
    /// any function that has a stack figure, is not called directly by any function of the graphs, is not the entry,
    /// and is kept (<c>isKept</c>, e.g. present in the linked ELF after <c>--gc-sections</c>): the deepest of them
    /// counts. Why: a function reached only through pointers is exactly one that nothing calls by name (TVM's graph
    /// executor calls the kernels through the system library's function table, and nothing calls a kernel directly;
    /// callbacks and table entries look the same), while taking every function would make each indirect call reach
    /// main and so look like recursion. A function that is both called by name and through a pointer is missed; it is
    /// still counted where it is called by name. A candidate that itself calls through a pointer makes a cycle through
    /// the indirect call, reported as recursion.
    /// </para>
    /// <para>
    /// Two nodes with one title (static functions of two sources compiled under one name, or weak definitions) are
    /// merged conservatively: the larger frame, the calls of both, dynamic if either is.
    /// </para>
    /// </summary>
    internal static class StackDepth
    {
        /// <summary>The title gcc gives the node every call through a pointer goes to.</summary>
        public const string IndirectCallTitle = "__indirect_call";

        /// <summary>The text of every <c>.ci</c> file in the folder (not its subfolders), in ordinal order of name.</summary>
        public static IReadOnlyList<string> ReadCallGraphs(string folder) =>
            Directory.GetFiles(folder, "*.ci", SearchOption.TopDirectoryOnly)
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => CText.Decode(File.ReadAllBytes(f)))
                .ToList();

        /// <summary>
        /// The deepest stack from <paramref name="entry"/> (a node title: a global function's symbol) over the call
        /// graphs of all sources; <paramref name="isKept"/> says whether a function's symbol is in the linked
        /// firmware (null: all are), which narrows the candidates of indirect calls.
        /// </summary>
        public static StackEstimate Deepest(IEnumerable<string> callGraphTexts, string entry, Func<string, bool> isKept = null)
        {
            if (callGraphTexts == null) throw new ArgumentNullException(nameof(callGraphTexts));
            if (entry == null) throw new ArgumentNullException(nameof(entry));
            var graph = new Graph();
            foreach (string text in callGraphTexts)
            {
                if (text != null) CallGraphText.Read(text, graph);
            }
            return graph.Deepest(entry, isKept ?? (_ => true));
        }

        /// <summary>The functions of all graphs, merged by title, and the calls between them.</summary>
        internal sealed class Graph
        {
            private readonly Dictionary<string, int> _index = new Dictionary<string, int>(StringComparer.Ordinal);
            private readonly List<Function> _functions = new List<Function>();

            private Function Get(string title)
            {
                if (!_index.TryGetValue(title, out int i))
                {
                    i = _functions.Count;
                    _index.Add(title, i);
                    _functions.Add(new Function(title, i));
                }
                return _functions[i];
            }

            public void AddNode(string graphTitle, string title, string label)
            {
                if (title == IndirectCallTitle) return;
                var function = Get(title);
                string[] lines = label?.Split('\n') ?? new string[0];
                if (graphTitle != null && title.Length > graphTitle.Length + 1 && title.StartsWith(graphTitle + ":", StringComparison.Ordinal))
                {
                    function.Symbol = title.Substring(graphTitle.Length + 1);
                }
                if (lines.Length > 1 && Frame.TryParse(lines[lines.Length - 1], out long bytes, out bool unbounded))
                {
                    function.Bytes = function.Bytes == null ? bytes : Math.Max(function.Bytes.Value, bytes);
                    function.Unbounded |= unbounded;
                }
            }

            public void AddEdge(string source, string target)
            {
                if (source == IndirectCallTitle) return;
                var from = Get(source);
                if (target == IndirectCallTitle)
                {
                    from.CallsIndirectly = true;
                    return;
                }
                var to = Get(target);
                if (from.Callees.Add(to.Id)) to.CalledDirectly |= to.Id != from.Id;
            }

            public StackEstimate Deepest(string entry, Func<string, bool> isKept)
            {
                if (!_index.TryGetValue(entry, out int start))
                {
                    var bySymbol = _functions.Where(f => f.Symbol == entry).Take(2).ToList();
                    if (bySymbol.Count != 1) return StackEstimate.EntryUnknown(entry);
                    start = bySymbol[0].Id;
                }
                if (_functions[start].Bytes == null) return StackEstimate.EntryUnknown(entry);

                // Node n (one past the functions) stands for "some function reached through a pointer".
                int indirect = _functions.Count;
                var candidates = _functions
                    .Where(f => f.Bytes != null && !f.CalledDirectly && f.Id != start && isKept(f.Symbol ?? f.Title))
                    .Select(f => f.Id)
                    .ToList();
                IReadOnlyList<int> Callees(int node)
                {
                    if (node == indirect) return candidates;
                    var f = _functions[node];
                    if (!f.CallsIndirectly) return f.CalleeList;
                    var list = new List<int>(f.CalleeList) { indirect };
                    return list;
                }

                // Memoised depth-first search with an explicit stack: depth(v) = frame(v) + the deepest finished callee;
                // an edge back to a node still being searched (recursion) adds nothing. Tarjan's strongly connected
                // components, computed on the way, find the cycles in linear time.
                const byte White = 0, Grey = 1, Black = 2;
                int count = indirect + 1;
                var colour = new byte[count];
                var depth = new long[count];
                var best = new int[count];
                var order = new int[count];
                var low = new int[count];
                var inComponent = new bool[count];
                var component = new Stack<int>();
                var onCycle = new HashSet<int>();
                var stack = new Stack<(int Node, IReadOnlyList<int> Callees, int Next)>();
                int visited = 0;
                void Enter(int node)
                {
                    colour[node] = Grey;
                    order[node] = low[node] = visited++;
                    component.Push(node);
                    inComponent[node] = true;
                    stack.Push((node, Callees(node), 0));
                }
                Enter(start);
                while (stack.Count > 0)
                {
                    var (node, callees, next) = stack.Pop();
                    if (next < callees.Count)
                    {
                        stack.Push((node, callees, next + 1));
                        int callee = callees[next];
                        if (colour[callee] == White) Enter(callee);
                        else if (inComponent[callee])
                        {
                            low[node] = Math.Min(low[node], order[callee]);
                            if (callee == node) onCycle.Add(node);
                        }
                        continue;
                    }
                    long deepest = 0;
                    int deepestCallee = -1;
                    foreach (int callee in callees)
                    {
                        if (colour[callee] != Black) continue;
                        if (deepestCallee < 0 || depth[callee] > deepest)
                        {
                            deepest = depth[callee];
                            deepestCallee = callee;
                        }
                    }
                    long frame = node == indirect ? 0 : _functions[node].Bytes ?? 0;
                    depth[node] = Saturating.Add(frame, deepest);
                    best[node] = deepestCallee;
                    colour[node] = Black;
                    if (low[node] == order[node])
                    {
                        int member;
                        var members = new List<int>();
                        do
                        {
                            member = component.Pop();
                            inComponent[member] = false;
                            members.Add(member);
                        }
                        while (member != node);
                        if (members.Count > 1) onCycle.UnionWith(members);
                    }
                    if (stack.Count > 0)
                    {
                        int parent = stack.Peek().Node;
                        low[parent] = Math.Min(low[parent], low[node]);
                    }
                }

                var deepestPath = new List<string>();
                for (int node = start; node >= 0; node = best[node])
                {
                    if (node != indirect) deepestPath.Add(_functions[node].Title);
                }
                var reached = _functions.Where(f => colour[f.Id] == Black).ToList();
                List<string> Titles(IEnumerable<Function> functions) => functions.Select(f => f.Title).OrderBy(t => t, StringComparer.Ordinal).ToList();
                var indirectCallers = reached.Where(f => f.CallsIndirectly).ToList();
                return new StackEstimate(
                    entry,
                    depth[start],
                    deepestPath,
                    Titles(reached.Where(f => f.Bytes == null)),
                    Titles(reached.Where(f => f.Unbounded)),
                    Titles(reached.Where(f => onCycle.Contains(f.Id))),
                    onCycle.Contains(indirect),
                    Titles(indirectCallers),
                    indirectCallers.Count > 0 ? Titles(candidates.Select(c => _functions[c])) : new List<string>());
            }
        }

        /// <summary>One function (or a called name without a definition) of the merged graphs.</summary>
        private sealed class Function
        {
            public Function(string title, int id)
            {
                Title = title;
                Id = id;
            }

            public string Title { get; }
            public int Id { get; }
            /// <summary>For a static function, the part of its title after the source's name.</summary>
            public string Symbol { get; set; }
            /// <summary>Its frame, null when no graph defines it.</summary>
            public long? Bytes { get; set; }
            public bool Unbounded { get; set; }
            public bool CallsIndirectly { get; set; }
            public bool CalledDirectly { get; set; }
            public HashSet<int> Callees { get; } = new HashSet<int>();
            private List<int> _calleeList;
            /// <summary>The callees, in ascending id order (fixed once the search starts).</summary>
            public IReadOnlyList<int> CalleeList => _calleeList ??= Callees.OrderBy(c => c).ToList();
        }

        /// <summary>The last line of a defined function's label: <c>N bytes (kind)</c>.</summary>
        private static class Frame
        {
            public static bool TryParse(string line, out long bytes, out bool unbounded)
            {
                bytes = 0;
                unbounded = false;
                const string Bytes = " bytes (";
                int space = line.IndexOf(Bytes, StringComparison.Ordinal);
                if (space <= 0 || line[line.Length - 1] != ')') return false;
                for (int i = 0; i < space; i++)
                {
                    if (line[i] < '0' || line[i] > '9') return false;
                    bytes = bytes > (long.MaxValue - 9) / 10 ? long.MaxValue : bytes * 10 + (line[i] - '0');
                }
                string kind = line.Substring(space + Bytes.Length, line.Length - space - Bytes.Length - 1);
                // "static" and "dynamic,bounded" are upper bounds of the frame; "dynamic" (and anything unknown) is
                // its static part only.
                unbounded = kind != "static" && kind != "dynamic,bounded";
                return true;
            }
        }
    }

    /// <summary>
    /// The deepest stack from an entry: <see cref="Bytes"/> along <see cref="Path"/>, a lower bound when
    /// <see cref="IsLowerBound"/> (the lists say why), null when the entry has no stack figure.
    /// </summary>
    internal sealed class StackEstimate
    {
        public StackEstimate(string entry, long? bytes, IReadOnlyList<string> path, IReadOnlyList<string> withoutFigures,
            IReadOnlyList<string> unboundedFrames, IReadOnlyList<string> recursive, bool recursionThroughIndirectCalls,
            IReadOnlyList<string> indirectCallers, IReadOnlyList<string> indirectTargets)
        {
            Entry = entry;
            Bytes = bytes;
            Path = path;
            WithoutFigures = withoutFigures;
            UnboundedFrames = unboundedFrames;
            Recursive = recursive;
            RecursionThroughIndirectCalls = recursionThroughIndirectCalls;
            IndirectCallers = indirectCallers;
            IndirectTargets = indirectTargets;
        }

        internal static StackEstimate EntryUnknown(string entry) =>
            new StackEstimate(entry, null, new string[0], new[] { entry }, new string[0], new string[0], false, new string[0], new string[0]);

        public string Entry { get; }

        /// <summary>The sum of the frames along <see cref="Path"/>; null when the entry has no figure.</summary>
        public long? Bytes { get; }

        /// <summary>The functions (node titles) of the deepest path, the entry first.</summary>
        public IReadOnlyList<string> Path { get; }

        /// <summary>Reachable functions without a stack figure (defined outside the graphs: the C library's, libm's).</summary>
        public IReadOnlyList<string> WithoutFigures { get; }

        /// <summary>Reachable functions whose frame is dynamic and unbounded: their figure is the static part.</summary>
        public IReadOnlyList<string> UnboundedFrames { get; }

        /// <summary>Reachable functions on a cycle of calls (recursion, maybe through indirect calls): counted once.</summary>
        public IReadOnlyList<string> Recursive { get; }

        /// <summary>Whether a cycle goes through an indirect call (a candidate of indirect calls calls through a pointer).</summary>
        public bool RecursionThroughIndirectCalls { get; }

        /// <summary>Reachable functions that call through a pointer.</summary>
        public IReadOnlyList<string> IndirectCallers { get; }

        /// <summary>The functions an indirect call is taken to reach (see <see cref="StackDepth"/>); empty without indirect calls.</summary>
        public IReadOnlyList<string> IndirectTargets { get; }

        /// <summary>Whether the real depth may be larger than <see cref="Bytes"/> (or is unknown).</summary>
        public bool IsLowerBound =>
            Bytes == null || WithoutFigures.Count > 0 || UnboundedFrames.Count > 0 || Recursive.Count > 0 ||
            (IndirectCallers.Count > 0 && IndirectTargets.Count == 0);
    }
}
