using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using MlfTools.Archive;

namespace MlfTools.Format
{
    /// <summary>
    /// Decides which files of an archive belong to which module. In a multi-module archive a file named for a
    /// module (mod_lib0.c, tvmgen_mod.h, mod.graph, mod.params, mod.relay) belongs to that module alone, and so
    /// does everything under a "mod/" folder (the per-module layout); runtime/ and templates/ belong to the
    /// modules that depend on the C runtime; everything else is shared.
    /// </summary>
    internal static class ModuleFiles
    {
        private static readonly Regex NamedFile = new Regex(@"^(.+)\.(?:params|graph|relay)$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Every module's root ("name/" when the archive keeps the module in a folder of its own, the per-module layout,
        /// else "") and files, in archive order. One pass over the members, whatever the number of modules: a member
        /// is looked up by the module names its path could hold, never compared with every module.
        /// </summary>
        /// <remarks>
        /// A module's files: everything under its root (with the path inside it); nothing under another module's root;
        /// of the rest, in a multi-module archive, a file named for a module belongs to that module alone, runtime/
        /// and templates/ to the modules that depend on the C runtime, and everything else to every module.
        /// </remarks>
        public static List<(string Root, IReadOnlyList<MlfFile> Files)> SelectAll(ArchiveIndex index, IReadOnlyList<ModuleMetadata> modules,
            CancellationToken cancellationToken = default)
        {
            int count = modules.Count;
            bool single = count == 1;
            var byName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var byLowercase = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string name = modules[i].Name;
                if (!byName.TryGetValue(name, out var same)) byName[name] = same = new List<int>();
                same.Add(i);
                string lowercase = name.ToLowerInvariant();
                if (!byLowercase.ContainsKey(lowercase)) byLowercase[lowercase] = name;
            }

            // Roots: module N keeps a tree of its own when a file under N/ is of a kind MLF knows there (also when it is
            // the only module: Join-MlfArchive -Layout PerModule writes one module so too).
            var roots = new Dictionary<string, List<int>>(StringComparer.Ordinal); // "N/" -> the modules named N
            {
                int checkedMembers = 0;
                foreach (var member in index.Members)
                {
                    if ((++checkedMembers & 0xFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                    if (member.IsDirectory) continue;
                    for (int slash = member.Path.IndexOf('/'); slash > 0; slash = member.Path.IndexOf('/', slash + 1))
                    {
                        string prefix = member.Path.Substring(0, slash);
                        if (byName.TryGetValue(prefix, out var named) && !roots.ContainsKey(prefix + "/")
                            && MlfFileKind.Classify(member.Path.Substring(slash + 1)) != MlfFileKind.Other)
                        {
                            roots[prefix + "/"] = named;
                        }
                    }
                }
            }

            var files = new List<MlfFile>[count];
            for (int i = 0; i < count; i++) files[i] = new List<MlfFile>();
            int seen = 0;
            foreach (var member in index.Members)
            {
                if ((++seen & 0xFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (member.IsDirectory) continue;
                bool underRoot = false;
                if (roots.Count > 0)
                {
                    for (int slash = member.Path.IndexOf('/'); slash > 0; slash = member.Path.IndexOf('/', slash + 1))
                    {
                        if (!roots.TryGetValue(member.Path.Substring(0, slash + 1), out var owners)) continue;
                        underRoot = true;
                        string inside = member.Path.Substring(slash + 1);
                        foreach (int i in owners) files[i].Add(new MlfFile(MlfFileKind.Classify(inside), member.Path, member.Size, inside));
                    }
                }
                if (underRoot) continue;
                string kind = MlfFileKind.Classify(member.Path);
                var file = new MlfFile(kind, member.Path, member.Size, member.Path);
                if (!single)
                {
                    string owner = OwnerOf(member.Path, kind,
                        n => byName.ContainsKey(n) ? n : null,
                        l => byLowercase.TryGetValue(l, out string first) ? first : null);
                    if (owner != null)
                    {
                        foreach (int i in byName[owner]) files[i].Add(file);
                        continue;
                    }
                    if (kind == MlfFileKind.Runtime || kind == MlfFileKind.Template)
                    {
                        for (int i = 0; i < count; i++)
                        {
                            if (modules[i].DependsOnRuntime) files[i].Add(file);
                        }
                        continue;
                    }
                }
                for (int i = 0; i < count; i++) files[i].Add(file);
            }

            var rootOf = new string[count];
            foreach (var root in roots)
            {
                foreach (int i in root.Value) rootOf[i] = root.Key;
            }
            return Enumerable.Range(0, count).Select(i => (rootOf[i] ?? string.Empty, (IReadOnlyList<MlfFile>)files[i].AsReadOnly())).ToList();
        }

        /// <summary>The module a file is named for, or null when it names none.</summary>
        public static string OwnerOf(string path, string kind, IReadOnlyCollection<string> moduleNames) =>
            OwnerOf(path, kind, n => moduleNames.FirstOrDefault(m => m == n), l => moduleNames.FirstOrDefault(m => m.ToLowerInvariant() == l));

        /// <summary>
        /// The module a file is named for: <paramref name="named"/> gives the module called exactly so (or null),
        /// <paramref name="lowercased"/> the first whose name lowercased is the given text (headers are named so).
        /// </summary>
        private static string OwnerOf(string path, string kind, Func<string, string> named, Func<string, string> lowercased)
        {
            string fileName = MemberPaths.FileName(path);
            switch (kind)
            {
                case MlfFileKind.Header:
                    string header = TvmNames.InterfaceHeaderModule(fileName);
                    return header == null ? null : lowercased(header);
                case MlfFileKind.Parameters:
                case MlfFileKind.Graph:
                case MlfFileKind.Relay:
                    var match = NamedFile.Match(fileName);
                    return match.Success ? named(match.Groups[1].Value) : null;
                default:
                    // Code, and an extra file named like a module's code (a stray codegen/host/src/mod_lib0.o), is that module's.
                    string module = TvmNames.CodegenFileModule(fileName);
                    return module == null ? null : named(module);
            }
        }

        /// <summary>The module's own file of a kind: the one named for it, else the only one of its own tree or single-module archive.</summary>
        public static string OwnFileOfKind(IReadOnlyList<MlfFile> files, string kind, string moduleName, IReadOnlyCollection<string> moduleNames, bool ownTree)
        {
            var candidates = files.Where(f => f.Kind == kind).ToList();
            var named = candidates.FirstOrDefault(f => OwnerOf(f.ModulePath, kind, new[] { moduleName }) == moduleName);
            if (named != null) return named.Path;
            if ((moduleNames.Count == 1 || ownTree) && candidates.Count == 1) return candidates[0].Path;
            return null;
        }
    }
}
