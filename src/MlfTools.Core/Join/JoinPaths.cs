using MlfTools.Archive;
using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Format;

namespace MlfTools.Join
{
    /// <summary>
    /// Where one module's files go in a version-7 archive: old layouts upgraded (src/relay.txt, graph.json, unprefixed
    /// lib0.c), names rewritten for a renamed module, a "name/" folder for the per-module layout. Every code file of
    /// the module gets a name only this module can have: TVM's own names follow the module's name, and a code file
    /// TVM would not have named so (default_lib.a, model.o) is numbered on after the module's own (b_lib1.a), so two
    /// modules' code never meets at one path.
    /// </summary>
    internal sealed class JoinPaths
    {
        private readonly MlfModule _module;
        private readonly MlfLayout _layout;
        private readonly Dictionary<string, string> _codeFileNames = new Dictionary<string, string>(StringComparer.Ordinal);

        public JoinPaths(MlfModule module, MlfLayout layout)
        {
            _module = module;
            _layout = layout;
            if (module.Style != MetadataReader.OperatorStyle) NameCodeFiles();
        }

        /// <summary>The module's code files TVM would not have named so, with the name each is written under.</summary>
        public List<(MlfFile File, string OutputPath)> RenamedForeignCode { get; } = new List<(MlfFile, string)>();

        public string OutputPathOf(MlfFile file)
        {
            string inside = Upgrade(file);
            bool shared = file.Kind == MlfFileKind.Runtime || file.Kind == MlfFileKind.Template;
            return _layout == MlfLayout.PerModule && !shared ? _module.Name + "/" + inside : inside;
        }

        private void NameCodeFiles()
        {
            var code = _module.Files.Where(f => f.Kind == MlfFileKind.Source || f.Kind == MlfFileKind.Object).Where(IsOwnCode).ToList();
            var next = new Dictionary<bool, long> { [true] = 0, [false] = 0 };
            var foreign = new List<MlfFile>();
            foreach (var file in code)
            {
                string fileName = MemberPaths.FileName(file.ModulePath);
                if (IsTvmNamed(fileName, out string index, out string extension))
                {
                    _codeFileNames[file.Path] = TvmNames.CodegenFileName(_module.Name, index, extension);
                    bool source = TvmNames.IsSourceExtension(extension);
                    if (long.TryParse(index, out long number) && number >= next[source]) next[source] = number + 1;
                }
                else
                {
                    foreign.Add(file);
                }
            }
            foreach (var file in foreign)
            {
                string fileName = MemberPaths.FileName(file.ModulePath);
                string extension = fileName.Substring(fileName.LastIndexOf('.') + 1);
                bool source = TvmNames.IsSourceExtension(extension);
                string newName = TvmNames.CodegenFileName(_module.Name, next[source]++.ToString(System.Globalization.CultureInfo.InvariantCulture), extension);
                _codeFileNames[file.Path] = newName;
                RenamedForeignCode.Add((file, OutputPathOf(file)));
            }
        }

        /// <summary>
        /// Code the module alone owns: all of it in a single-module archive or the module's own folder; in a shared tree,
        /// the files named for it (the rest is every module's, and keeps its path: the join then requires equal bytes).
        /// </summary>
        private bool IsOwnCode(MlfFile file) =>
            _module.ArchiveModuleCount == 1 || _module.ModuleRoot.Length > 0 || TvmNames.CodegenFileModule(MemberPaths.FileName(file.ModulePath)) == _module.OriginalName;

        private bool IsTvmNamed(string fileName, out string index, out string extension) =>
            TvmNames.TryParseCodegenFile(fileName, out string prefix, out index, out extension) && (prefix == null || prefix == _module.OriginalName);

        private string Upgrade(MlfFile file)
        {
            string path = file.ModulePath;
            if (_module.Style == MetadataReader.OperatorStyle) return path;
            string name = _module.Name;
            switch (file.Kind)
            {
                case MlfFileKind.Source:
                case MlfFileKind.Object:
                    return _codeFileNames.TryGetValue(file.Path, out string codeName) ? FolderOf(path) + codeName : path;
                case MlfFileKind.Header:
                    return path == _module.InterfaceHeaderModulePath ? TvmNames.InterfaceHeaderPath(name) : path;
                case MlfFileKind.Parameters:
                    return file.Path == _module.Parameters?.Path ? $"parameters/{name}.params" : path;
                case MlfFileKind.Graph:
                    return file.Path == _module.GraphConfig?.Path ? $"executor-config/graph/{name}.graph" : path;
                case MlfFileKind.Relay:
                    return file.Path == _module.RelayPath ? $"src/{name}.relay" : path;
                default:
                    return path;
            }
        }

        private static string FolderOf(string path) => path.Substring(0, path.LastIndexOf('/') + 1);
    }
}
