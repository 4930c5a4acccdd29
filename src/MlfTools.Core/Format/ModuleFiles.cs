using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
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
        private static readonly Regex CodegenFile = new Regex(@"^(.+)_lib\d+\.(?:c|cc|cpp|o|a)$", RegexOptions.CultureInvariant);
        private static readonly Regex HeaderFile = new Regex(@"^tvmgen_(.+)\.h$", RegexOptions.CultureInvariant);
        private static readonly Regex NamedFile = new Regex(@"^(.+)\.(?:params|graph|relay)$", RegexOptions.CultureInvariant);

        /// <summary>"name/" when the archive keeps the module in a folder of its own (per-module layout), else "".</summary>
        public static string RootOf(ArchiveIndex index, string moduleName, int moduleCount)
        {
            if (moduleCount < 2) return string.Empty;
            string root = moduleName + "/";
            bool hasTree = index.Members.Any(m => !m.IsDirectory && m.Path.StartsWith(root, StringComparison.Ordinal) &&
                MlfFileKind.Classify(m.Path.Substring(root.Length)) != MlfFileKind.Other);
            return hasTree ? root : string.Empty;
        }

        public static IReadOnlyList<MlfFile> Select(ArchiveIndex index, ModuleMetadata module, IReadOnlyCollection<string> moduleNames, string root,
            IReadOnlyCollection<string> otherRoots)
        {
            bool single = moduleNames.Count == 1;
            var files = new List<MlfFile>();
            foreach (var member in index.Members)
            {
                if (member.IsDirectory) continue;
                if (root.Length > 0 && member.Path.StartsWith(root, StringComparison.Ordinal))
                {
                    string inside = member.Path.Substring(root.Length);
                    files.Add(new MlfFile(MlfFileKind.Classify(inside), member.Path, member.Size, inside));
                    continue;
                }
                if (otherRoots.Any(r => member.Path.StartsWith(r, StringComparison.Ordinal))) continue;
                string kind = MlfFileKind.Classify(member.Path);
                if (!single)
                {
                    string owner = OwnerOf(member.Path, kind, moduleNames);
                    if (owner != null && owner != module.Name) continue;
                    if ((kind == MlfFileKind.Runtime || kind == MlfFileKind.Template) && !module.DependsOnRuntime) continue;
                }
                files.Add(new MlfFile(kind, member.Path, member.Size, member.Path));
            }
            return files.AsReadOnly();
        }

        /// <summary>The module a file is named for, or null when it names none.</summary>
        public static string OwnerOf(string path, string kind, IReadOnlyCollection<string> moduleNames)
        {
            string fileName = path.Substring(path.LastIndexOf('/') + 1);
            Match match;
            switch (kind)
            {
                case MlfFileKind.Source:
                case MlfFileKind.Object:
                    match = CodegenFile.Match(fileName);
                    return match.Success ? moduleNames.FirstOrDefault(n => n == match.Groups[1].Value) : null;
                case MlfFileKind.Header:
                    match = HeaderFile.Match(fileName);
                    return match.Success ? moduleNames.FirstOrDefault(n => n.ToLowerInvariant() == match.Groups[1].Value) : null;
                case MlfFileKind.Parameters:
                case MlfFileKind.Graph:
                case MlfFileKind.Relay:
                    match = NamedFile.Match(fileName);
                    return match.Success ? moduleNames.FirstOrDefault(n => n == match.Groups[1].Value) : null;
                default:
                    // An extra file named like a module's code (a stray codegen/host/src/mod_lib0.o) is that module's.
                    match = CodegenFile.Match(fileName);
                    return match.Success ? moduleNames.FirstOrDefault(n => n == match.Groups[1].Value) : null;
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
