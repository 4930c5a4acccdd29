using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Format;
using MlfTools.Rename;
using MlfTools.Symbols;

namespace MlfTools.Join
{
    /// <summary>
    /// A module's C function registry and system library, as TVM writes them into its first C source (<c>lib0.c</c>) for
    /// builds with system-lib: <c>_tvm_func_registry</c>, whose names string starts with the function count,
    /// <c>static const TVMModule _tvm_system_lib</c>, and the global <c>TVMSystemLibEntryPoint()</c> that returns it.
    /// </summary>
    internal sealed class SystemLibrary
    {
        public const string EntryPoint = "TVMSystemLibEntryPoint";
        private const string ModuleVariable = "_tvm_system_lib";

        private SystemLibrary(string path, bool definesEntryPoint, int countBytes, IReadOnlyList<string> names)
        {
            Path = path;
            DefinesEntryPoint = definesEntryPoint;
            CountBytes = countBytes;
            Names = names;
        }

        /// <summary>Member path of the C source that holds the registry.</summary>
        public string Path { get; }

        /// <summary>True when the source defines the global TVMSystemLibEntryPoint and the module it returns.</summary>
        public bool DefinesEntryPoint { get; }

        /// <summary>Width of the registry's count: 1 (TVM 0.8 and older), 2 (TVM 0.9 and later), 0 when there is no registry.</summary>
        public int CountBytes { get; }

        /// <summary>The function names the registry lists (empty without one).</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>The module's first C source (<c>lib0</c> or <c>&lt;name&gt;_lib0</c>, .c/.cc/.cpp), or null.</summary>
        public static MlfFile FirstSource(MlfModule module) =>
            module.Files.FirstOrDefault(f => f.Kind == MlfFileKind.Source && TvmNames.IsFirstSource(FileName(f.ModulePath), module.OriginalName));

        /// <summary>What <paramref name="source"/> (Latin-1 C text of <paramref name="path"/>) holds; null when neither a registry nor an entry point.</summary>
        public static SystemLibrary Of(string path, string source)
        {
            var registries = FuncRegistryNames.Find(source);
            bool hasModule = CSourceScanner.Scan(source, "_").Any(t => t.Kind == CSourceScanner.TokenKind.Identifier && t.End - t.Start == ModuleVariable.Length &&
                string.CompareOrdinal(source, t.Start, ModuleVariable, 0, ModuleVariable.Length) == 0);
            bool entry = hasModule && CSymbolScanner.FindGlobalDefinitions(source).Any(s => s.Name == EntryPoint);
            if (registries.Count == 0 && !entry) return null;
            var (value, countBytes) = registries.Count > 0 ? registries[0] : (null, 0);
            return new SystemLibrary(path, entry, countBytes, value == null ? Array.Empty<string>() : (IReadOnlyList<string>)FuncRegistryNames.Names(value, countBytes));
        }

        /// <summary>Each module's system library (null for none), read from its first C source, archive by archive in member order.</summary>
        public static Dictionary<MlfModule, SystemLibrary> Probe(IReadOnlyList<MlfModule> modules, CancellationToken cancellationToken)
        {
            var found = modules.ToDictionary(m => m, m => (SystemLibrary)null);
            var sources = modules.Select(m => (Module: m, File: FirstSource(m)))
                .Where(s => s.File != null && s.Module.Archive.Find(s.File.Path) != null)
                .Select(s => (s.Module, Member: s.Module.Archive.Find(s.File.Path)))
                .ToList();
            foreach (var archive in sources.GroupBy(s => s.Module.Archive))
            {
                using (var content = new ArchiveContent(archive.Key))
                {
                    foreach (var (module, member) in archive.OrderBy(s => s.Member.DataOffset))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        found[module] = Of(member.Path, Latin1.GetString(content.ReadAll(member, cancellationToken)));
                    }
                }
            }
            return found;
        }

        private static string FileName(string path) => path.Substring(path.LastIndexOf('/') + 1);

    }
}
