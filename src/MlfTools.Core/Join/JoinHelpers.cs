using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Archive;
using MlfTools.Firmware;
using MlfTools.Rename;
using System.Threading;

namespace MlfTools.Join
{
    /// <summary>
    /// The helper sources of -IncludeHelpers, described from the modules as the join writes them: their new names, the
    /// system-lib entry each one has after the join, the graph JSON renamed, and the code and C runtime files the
    /// joined archive holds.
    /// </summary>
    internal static class JoinHelpers
    {
        public static IReadOnlyList<PlannedFile> Files(IReadOnlyList<MlfModule> modules, MlfJoinOptions options, IReadOnlyDictionary<MlfModule, ModuleRenamer> renamers,
            IReadOnlyDictionary<MlfModule, SystemLibrary> systemLibs, IReadOnlyList<PlannedFile> files)
        {
            if (options.Layout != MlfLayout.Flat)
            {
                throw Refused("the helper sources are written for the flat layout, where every module's code and header share one folder. Join with -Layout Flat");
            }
            var paths = new HashSet<string>(files.Select(f => f.OutputPath), StringComparer.Ordinal);
            bool graph = modules.Any(m => m.GraphConfig != null && m.Executors.Contains("graph"));
            string missing = HelperSources.RuntimeSources(graph).Append("runtime/include/tvm/runtime/crt/platform.h").FirstOrDefault(p => !paths.Contains(p));
            if (missing != null)
            {
                throw Refused($"the helpers build the models with the archive's C runtime, and the joined archive has no '{missing}'. Keep the runtime of a module that carries one (-RuntimeFrom <name>), or add a module exported with its runtime");
            }
            // The graph JSON exactly as the join writes it: the same transform as the archive's copy.
            var graphJsons = new Dictionary<MlfModule, byte[]>();
            foreach (var module in modules)
            {
                var graphFile = files.FirstOrDefault(f => f.Module == module && f.Kind == MlfFileKind.Graph);
                if (graphFile == null || !module.Executors.Contains("graph")) continue;
                using (var content = new ArchiveContent(module.Archive)) graphJsons[module] = graphFile.ReadTransformed(content, CancellationToken.None);
            }
            var inputs = modules.Select(module =>
            {
                var renamer = renamers[module];
                return new HelperInput
                {
                    Module = module,
                    SystemLibFunction = renamer?.SystemLibEntry ?? (systemLibs[module]?.DefinesEntryPoint == true ? SystemLibrary.EntryPoint : null),
                    LinkedParams = systemLibs[module]?.Names.Contains(ModuleRenamer.LinkedParamLookup) == true,
                    Rename = name => renamer == null ? name : renamer.RenameSymbol(name),
                    GraphJson = graphJsons.TryGetValue(module, out var json) ? json : null,
                };
            }).ToList();
            int keeper = modules.ToList().FindIndex(m => systemLibs[m]?.DefinesEntryPoint == true && renamers[m]?.SystemLibEntry == null);
            var codeFiles = files.Where(f => f.Module != null && (f.Kind == MlfFileKind.Source || f.Kind == MlfFileKind.Object))
                .GroupBy(f => f.Module.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(f => f.OutputPath).OrderBy(p => p, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
            return HelperSources.Write(inputs, codeFiles, keeper)
                .Select(file => new PlannedFile { OutputPath = file.Key, Kind = MlfFileKind.Other, Generated = file.Value, Transform = ContentTransform.Copy })
                .ToList();
        }

        private static MlfException Refused(string why) =>
            new MlfException(MlfErrorIds.HelpersUnsupported, $"Join-MlfArchive cannot add helper sources: {why}.", null);
    }
}
