using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.Archive;

namespace MlfTools.Format
{
    /// <summary>
    /// Decides which files of an archive belong to which module. In a multi-module archive a file named for a
    /// module (mod_lib0.c, tvmgen_mod.h, mod.graph, mod.params, mod.relay) belongs to that module alone;
    /// runtime/ and templates/ belong to the modules that depend on the C runtime; everything else is shared.
    /// </summary>
    internal static class ModuleFiles
    {
        private static readonly Regex CodegenFile = new Regex(@"^(.+)_lib\d+\.(?:c|cc|cpp|o)$", RegexOptions.CultureInvariant);
        private static readonly Regex HeaderFile = new Regex(@"^tvmgen_(.+)\.h$", RegexOptions.CultureInvariant);
        private static readonly Regex NamedFile = new Regex(@"^(.+)\.(?:params|graph|relay)$", RegexOptions.CultureInvariant);

        public static IReadOnlyList<MlfFile> Select(ArchiveIndex index, ModuleMetadata module, IReadOnlyCollection<string> moduleNames)
        {
            bool single = moduleNames.Count == 1;
            var files = new List<MlfFile>();
            foreach (var member in index.Members)
            {
                if (member.IsDirectory) continue;
                string kind = MlfFileKind.Classify(member.Path);
                if (!single)
                {
                    string owner = OwnerOf(member.Path, kind, moduleNames);
                    if (owner != null && owner != module.Name) continue;
                    if ((kind == MlfFileKind.Runtime || kind == MlfFileKind.Template) && !module.DependsOnRuntime) continue;
                }
                files.Add(new MlfFile(kind, member.Path, member.Size));
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
                    return null;
            }
        }

        /// <summary>The module's own file of a kind: the one named for it, else the only one in a single-module archive.</summary>
        public static string OwnFileOfKind(IReadOnlyList<MlfFile> files, string kind, string moduleName, IReadOnlyCollection<string> moduleNames)
        {
            var candidates = files.Where(f => f.Kind == kind).ToList();
            var named = candidates.FirstOrDefault(f => OwnerOf(f.Path, kind, moduleNames) == moduleName);
            if (named != null) return named.Path;
            if (moduleNames.Count == 1 && candidates.Count == 1) return candidates[0].Path;
            return null;
        }
    }
}
