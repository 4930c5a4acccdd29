using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.CSource;

namespace MlfTools.Join
{
    /// <summary>
    /// Every TVM runtime function that a module's code calls and no module defines must be declared by the C runtime the
    /// joined archive keeps (its runtime/include headers), and every TVM type, struct tag or macro it uses must be known
    /// to those headers (a struct TVMConstantInfo that an older runtime never defines is an incomplete type). A module built with another TVM version may call a function
    /// that runtime does not have; its code would then not compile (GCC 14 refuses an implicit declaration) or not link,
    /// so the join refuses it (RuntimeMissingDeclaration) rather than write an archive that fails in the firmware build.
    /// </summary>
    internal static class RuntimeDeclarations
    {
        /// <param name="sources">Each C source of the join with what it calls and declares.</param>
        /// <param name="runtimeHeaders">What the kept runtime's public headers declare.</param>
        /// <param name="definedByModules">Global symbols the modules' code defines (after renaming).</param>
        /// <param name="kept">The module whose runtime is kept.</param>
        public static void Check(IEnumerable<(PlannedFile File, RuntimeApiUse Api)> sources, IEnumerable<RuntimeApiUse> runtimeHeaders,
            ICollection<string> definedByModules, MlfModule kept)
        {
            var headers = runtimeHeaders.ToList();
            var declared = new HashSet<string>(headers.SelectMany(h => h.Declarations), StringComparer.Ordinal);
            var known = new HashSet<string>(headers.SelectMany(h => h.Names), StringComparer.Ordinal);
            foreach (var (file, api) in sources)
            {
                var missing = api.Calls
                    .Where(name => !declared.Contains(name) && !api.Declarations.Contains(name) && !definedByModules.Contains(name))
                    .OrderBy(name => name, StringComparer.Ordinal)
                    .ToList();
                // Types, struct tags and macros of the runtime API: a runtime whose headers never name them is too old for the code.
                var unknownTypes = api.TypeUses
                    .Where(name => !known.Contains(name) && !definedByModules.Contains(name))
                    .OrderBy(name => name, StringComparer.Ordinal)
                    .ToList();
                if (missing.Count == 0 && unknownTypes.Count == 0) continue;
                string uses = string.Join(" and ", new[]
                {
                    missing.Count == 0 ? null : "calls " + string.Join(", ", missing),
                    unknownTypes.Count == 0 ? null : "uses " + string.Join(", ", unknownTypes),
                }.Where(p => p != null));
                throw new MlfException(MlfErrorIds.RuntimeMissingDeclaration,
                    $"Module '{file.Module.Name}' of '{file.Module.SourcePath}' {uses} ({file.OutputPath}), which the C runtime kept for the joined archive (that of module '{kept.Name}', {RuntimeSelection.Describe(kept)}) does not declare in runtime/include: the joined code would not compile. " +
                    $"Keep the runtime of a module built with the TVM version of '{file.Module.Name}' with -RuntimeFrom <module name>, or rebuild '{file.Module.Name}' with {RuntimeSelection.Describe(kept)}.",
                    missing.Concat(unknownTypes).First());
            }
        }
    }
}
