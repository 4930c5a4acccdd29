using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Format;
using MlfTools.Rename;
using MlfTools.CSource;

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

        private SystemLibrary(string path, bool definesEntryPoint, FuncRegistryDefinition registry)
        {
            Path = path;
            DefinesEntryPoint = definesEntryPoint;
            Registry = registry;
        }

        /// <summary>Member path of the C source that holds the registry.</summary>
        public string Path { get; }

        /// <summary>True when the source defines the global TVMSystemLibEntryPoint and the module it returns.</summary>
        public bool DefinesEntryPoint { get; }

        /// <summary>The function registry the source defines, understood or not; null without one.</summary>
        public FuncRegistryDefinition Registry { get; }

        /// <summary>Width of the registry's count: 1 (TVM 0.8 and older), 2 (TVM 0.9 and later), 0 when there is no registry or it is not understood.</summary>
        public int CountBytes => Registry?.CountBytes ?? 0;

        /// <summary>The function names the registry lists (empty without one).</summary>
        public IReadOnlyList<string> Names => Registry?.Names ?? Array.Empty<string>();

        /// <summary>What is wrong with the registry, for a module: null when there is none or it is understood.</summary>
        public string RegistryProblem(string moduleName) =>
            Registry?.Problem == null ? null : $"The function registry in '{Path}' of module '{moduleName}' is not what the C runtime can read: {Registry.Problem}.";

        /// <summary>The module's first C source (<c>lib0</c> or <c>&lt;name&gt;_lib0</c>, .c/.cc/.cpp), or null.</summary>
        public static MlfFile FirstSource(MlfModule module) =>
            module.Files.FirstOrDefault(f => f.Kind == MlfFileKind.Source && TvmNames.IsFirstSource(MemberPaths.FileName(f.ModulePath), module.OriginalName));

        /// <summary>What <paramref name="source"/> (Latin-1 C text of <paramref name="path"/>) holds; null when neither a registry nor an entry point.</summary>
        public static SystemLibrary Of(string path, string source)
        {
            var registry = FuncRegistryDefinition.Find(source);
            bool hasModule = RenameSites.Scan(source, "_").Any(t => t.Kind == RenameSites.TokenKind.Identifier && t.End - t.Start == ModuleVariable.Length &&
                string.CompareOrdinal(source, t.Start, ModuleVariable, 0, ModuleVariable.Length) == 0);
            bool entry = hasModule && CSymbolScanner.FindGlobalDefinitions(source).Any(s => s.Name == EntryPoint);
            if (registry == null && !entry) return null;
            return new SystemLibrary(path, entry, registry);
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
                        found[module] = Of(member.Path, CText.Decode(content.ReadAll(member, cancellationToken)));
                    }
                }
            }
            return found;
        }

    }
}
