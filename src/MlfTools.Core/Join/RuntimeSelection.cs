using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Archive;
using Newtonsoft.Json.Linq;

namespace MlfTools.Join
{
    /// <summary>
    /// Which C runtime (runtime/ and templates/) a joined archive keeps when several inputs carry one. The module named
    /// by -RuntimeFrom gives its runtime to the whole archive and the others are left out; without it the runtimes must
    /// be the same, except that one with fewer files and the same version (a copy trimmed to the headers a project uses)
    /// gives way to the larger one. Runtimes that differ otherwise are a RuntimeConflict that names both versions.
    /// </summary>
    internal sealed class RuntimeSelection
    {
        private RuntimeSelection(MlfModule kept)
        {
            Kept = kept;
            Dependency = kept == null ? null : JoinMetadata.RuntimeDependencyOf(kept);
        }

        /// <summary>The module whose runtime the joined archive carries; null when no input carries one.</summary>
        public MlfModule Kept { get; }

        /// <summary>The kept runtime's tvm_standalone_crt entry of external_dependencies, which every module's entry takes; null when it has none.</summary>
        public JObject Dependency { get; }

        private sealed class Carrier
        {
            public ArchiveIndex Archive;
            public MlfModule Module;
            public HashSet<string> Paths;
        }

        /// <summary>
        /// Chooses the runtime and leaves only its files in <paramref name="claims"/> (first in each claim, where copies of
        /// the same runtime are checked against it later). Throws when the runtimes cannot be reconciled.
        /// </summary>
        public static RuntimeSelection Choose(IReadOnlyList<MlfModule> modules, string runtimeFrom, Dictionary<string, List<PlannedFile>> claims,
            string[] runtimeKinds, List<string> warnings)
        {
            var runtimeFiles = claims.Values.SelectMany(c => c).Where(f => runtimeKinds.Contains(f.Kind)).ToList();
            var carriers = new List<Carrier>();
            foreach (var module in modules)
            {
                if (!module.HasRuntime || carriers.Any(c => ReferenceEquals(c.Archive, module.Archive))) continue;
                carriers.Add(new Carrier
                {
                    Archive = module.Archive,
                    Module = module,
                    Paths = new HashSet<string>(runtimeFiles.Where(f => ReferenceEquals(f.Module.Archive, module.Archive)).Select(f => f.OutputPath), StringComparer.Ordinal),
                });
            }

            Carrier kept;
            if (runtimeFrom != null)
            {
                kept = Named(modules, runtimeFrom, carriers);
                var leftOut = carriers.Where(c => c != kept).ToList();
                foreach (var path in claims.Keys.ToList())
                {
                    var claim = claims[path];
                    claim.RemoveAll(f => runtimeKinds.Contains(f.Kind) && !ReferenceEquals(f.Module.Archive, kept.Archive));
                    if (claim.Count == 0) claims.Remove(path);
                }
                if (leftOut.Count > 0)
                {
                    warnings.Add(RuntimeFromWarningStart(kept.Module.Name) + $" the joined archive carries the C runtime of module '{kept.Module.Name}' ({Describe(kept.Module)}) for every module; left out: " +
                        string.Join(", ", leftOut.Select(c => $"the C runtime of module '{c.Module.Name}' ({Describe(c.Module)})")) + ".");
                }
                return new RuntimeSelection(kept.Module);
            }
            if (carriers.Count == 0) return new RuntimeSelection(null);

            kept = carriers.OrderByDescending(c => c.Paths.Count).First();
            foreach (var other in carriers.Where(c => c != kept))
            {
                string onlyInOther = other.Paths.FirstOrDefault(p => !kept.Paths.Contains(p));
                if (onlyInOther != null)
                {
                    throw Conflict(kept.Module, other.Module, $"'{onlyInOther}' is in the runtime of '{other.Module.Name}' only", onlyInOther);
                }
                if (other.Paths.Count < kept.Paths.Count && (kept.Module.RuntimeVersion == null || other.Module.RuntimeVersion != kept.Module.RuntimeVersion))
                {
                    string onlyInKept = kept.Paths.First(p => !other.Paths.Contains(p));
                    throw Conflict(kept.Module, other.Module, $"'{onlyInKept}' is in the runtime of '{kept.Module.Name}' only", onlyInKept);
                }
            }
            if (carriers.All(c => c.Paths.Count == kept.Paths.Count)) kept = carriers[0];
            foreach (var path in claims.Keys.ToList())
            {
                var claim = claims[path];
                if (!runtimeKinds.Contains(claim[0].Kind) || ReferenceEquals(claim[0].Module.Archive, kept.Archive)) continue;
                claims[path] = claim.OrderBy(f => ReferenceEquals(f.Module.Archive, kept.Archive) ? 0 : 1).ToList();
            }
            return new RuntimeSelection(kept.Module);
        }

        /// <summary>"TVM 0.13.dev0", from the module's tvm_standalone_crt version_spec; "version unknown" without one.</summary>
        /// <summary>How the warning that -RuntimeFrom left other runtimes out begins, for the module it names.</summary>
        internal static string RuntimeFromWarningStart(string moduleName) => $"-RuntimeFrom {moduleName}:";

        public static string Describe(MlfModule module) => module.RuntimeVersion == null ? "version unknown" : "TVM " + module.RuntimeVersion;

        /// <summary>A RuntimeConflict between the runtimes of two modules: both versions, what differs (at <paramref name="path"/>, the target), and what to do.</summary>
        public static MlfException Conflict(MlfModule first, MlfModule second, string difference, string path) =>
            new MlfException(MlfErrorIds.RuntimeConflict,
                $"Module '{first.Name}' of '{first.SourcePath}' ({Describe(first)}) and module '{second.Name}' of '{second.SourcePath}' ({Describe(second)}) carry different C runtimes: {difference}. " +
                $"An archive holds one runtime. Keep one for every module with -RuntimeFrom {first.Name} (or -RuntimeFrom {second.Name}), or rebuild the models with the same TVM version.",
                path);

        private static Carrier Named(IReadOnlyList<MlfModule> modules, string name, List<Carrier> carriers)
        {
            var module = modules.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal))
                ?? modules.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
            string choices = carriers.Count == 0
                ? "None of the modules carries one; leave out -RuntimeFrom."
                : $"Name one that does: {string.Join(", ", carriers.Select(c => c.Module.Name))}.";
            if (module == null)
            {
                throw new MlfException(MlfErrorIds.ModuleNotFound,
                    $"-RuntimeFrom names module '{name}', but no module of the join is called so. It names the module whose C runtime (runtime/) the joined archive keeps. {choices}",
                    name);
            }
            var carrier = module.HasRuntime ? carriers.FirstOrDefault(c => ReferenceEquals(c.Archive, module.Archive)) : null;
            if (carrier == null)
            {
                throw new MlfException(MlfErrorIds.RuntimeNotFound,
                    $"-RuntimeFrom names module '{module.Name}' of '{module.SourcePath}', which carries no C runtime (runtime/) to keep. {choices}",
                    module.Name);
            }
            return carrier;
        }
    }
}
