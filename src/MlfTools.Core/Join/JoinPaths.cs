using System;
using System.Text.RegularExpressions;
using MlfTools.Format;

namespace MlfTools.Join
{
    /// <summary>
    /// Where a module's file goes in a version-7 archive: old layouts upgraded (src/relay.txt, graph.json,
    /// unprefixed lib0.c), names rewritten for a renamed module, a "name/" folder for the per-module layout.
    /// </summary>
    internal static class JoinPaths
    {
        private static readonly Regex CodegenFile = new Regex(@"^(?:(.+)_)?lib(\d+)\.(c|cc|cpp|o|a)$", RegexOptions.CultureInvariant);

        public static string OutputPathOf(MlfModule module, MlfFile file, MlfLayout layout)
        {
            string inside = Upgrade(module, file);
            bool shared = file.Kind == MlfFileKind.Runtime || file.Kind == MlfFileKind.Template;
            return layout == MlfLayout.PerModule && !shared ? module.Name + "/" + inside : inside;
        }

        private static string Upgrade(MlfModule module, MlfFile file)
        {
            string path = file.ModulePath;
            if (module.Style == MetadataReader.OperatorStyle) return path;
            int slash = path.LastIndexOf('/');
            string folder = slash < 0 ? string.Empty : path.Substring(0, slash + 1);
            string fileName = path.Substring(slash + 1);
            string name = module.Name;
            switch (file.Kind)
            {
                case MlfFileKind.Source:
                case MlfFileKind.Object:
                    var match = CodegenFile.Match(fileName);
                    bool ownCode = match.Success && (!match.Groups[1].Success || match.Groups[1].Value == module.OriginalName);
                    return ownCode ? $"{folder}{name}_lib{match.Groups[2].Value}.{match.Groups[3].Value}" : path;
                case MlfFileKind.Header:
                    return path == module.InterfaceHeaderModulePath ? $"{folder}tvmgen_{name}.h" : path;
                case MlfFileKind.Parameters:
                    return file.Path == module.Parameters?.Path ? $"parameters/{name}.params" : path;
                case MlfFileKind.Graph:
                    return file.Path == module.GraphConfig?.Path ? $"executor-config/graph/{name}.graph" : path;
                case MlfFileKind.Relay:
                    return file.Path == module.RelayPath ? $"src/{name}.relay" : path;
                default:
                    return path;
            }
        }
    }
}
