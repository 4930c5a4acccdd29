using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Format;

namespace MlfTools.Rename
{
    /// <summary>
    /// The kernels TVM 0.8 and older named without the module's prefix (graph executor builds: <c>fused_cast_subtract</c>
    /// where TVM 0.9 and later write <c>tvmgen_default_fused_cast_subtract</c>). A renamed module's kernels get the prefix
    /// of its new name, as TVM would have written them (<see cref="TvmNames.PrefixedSymbol"/>): in its code, its registry,
    /// its graph config and its metadata. The join and the validator ask here which names those are, so that what the
    /// validator reports as unprefixed is exactly what a join leaves unprefixed.
    /// </summary>
    /// <remarks>
    /// A kernel is a function the graph config calls (<c>func_name</c>) that the module's own code defines as a global, and
    /// that lacks the prefix. Left out, so never renamed: the graph executor's built-ins (<c>__nop</c>, <c>__copy</c>), TVM
    /// runtime names (starting <c>TVM</c>), names that are no C identifier, the names the join renames in code only
    /// (<see cref="ModuleRenamer.IsRenamedByJoin"/>), and a name that is also the name of one of the graph's inputs or
    /// parameters (the graph config is renamed by whole string values, which could not tell the two apart). A name the
    /// module's code does not define (a C library or runtime function) is no kernel of the module.
    /// </remarks>
    internal static class UnprefixedKernels
    {
        private const string RuntimePrefix = "TVM";

        /// <summary>What the graph config of <paramref name="module"/> calls that could be an unprefixed kernel; empty without a graph config.</summary>
        public static HashSet<string> Candidates(MlfModule module)
        {
            var candidates = new HashSet<string>(StringComparer.Ordinal);
            var graph = module?.GraphConfig;
            if (graph == null || !ModuleRenamer.CanRename(module.OriginalName)) return candidates;
            foreach (string name in graph.FunctionNames)
            {
                if (!TvmNames.IsCIdentifier(name) || TvmNames.HasSymbolPrefix(name, module.OriginalName) || TvmNames.IsGraphExecutorBuiltin(name)) continue;
                if (name.StartsWith(RuntimePrefix, StringComparison.Ordinal) || ModuleRenamer.IsRenamedByJoin(name)) continue;
                candidates.Add(name);
            }
            if (candidates.Count > 0) candidates.ExceptWith(graph.Nodes.Where(n => n.FunctionName == null).Select(n => n.Name));
            return candidates;
        }

        /// <summary>The module's unprefixed kernels: <see cref="Candidates"/> that <paramref name="definedGlobals"/> (the globals its C sources and objects define) holds.</summary>
        public static HashSet<string> Of(MlfModule module, IEnumerable<string> definedGlobals)
        {
            var kernels = Candidates(module);
            if (kernels.Count > 0) kernels.IntersectWith(definedGlobals ?? Enumerable.Empty<string>());
            return kernels;
        }
    }
}
