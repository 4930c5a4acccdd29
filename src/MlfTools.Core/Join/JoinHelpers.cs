using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Archive;
using MlfTools.Firmware;
using MlfTools.Rename;
using MlfTools.Report;
using System.Text;
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
            var settings = CrtSettings.ForGraphs(graphJsons.Values.Select(Encoding.UTF8.GetString),
                graphJsons.Keys.SelectMany(m => m.Parameters?.Tensors.Select(t => t.Name) ?? Enumerable.Empty<string>()));
            var described = modules.Select(module =>
            {
                var renamer = renamers[module];
                string entry = renamer?.SystemLibEntry ?? (systemLibs[module]?.DefinesEntryPoint == true ? SystemLibrary.EntryPoint : null);
                Func<string, string> rename = name => renamer == null ? name : renamer.RenameSymbol(name);
                bool linkedParams = systemLibs[module]?.Names.Contains(ModuleRenamer.LinkedParamLookup) == true;
                return ModelDescriptions.Describe(module, entry, linkedParams, rename, graphJsons.TryGetValue(module, out var json) ? json : null, settings, CancellationToken.None);
            }).ToList();
            int keeper = modules.ToList().FindIndex(m => systemLibs[m]?.DefinesEntryPoint == true && renamers[m]?.SystemLibEntry == null);
            var codeFiles = files.Where(f => f.Module != null && (f.Kind == MlfFileKind.Source || f.Kind == MlfFileKind.Object))
                .GroupBy(f => f.Module.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(f => f.OutputPath).OrderBy(p => p, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
            return HelperSources.Write(described, codeFiles, keeper < 0 ? null : described[keeper], settings)
                .Select(file => new PlannedFile { OutputPath = file.Key, Kind = MlfFileKind.Other, Generated = file.Value, Transform = ContentTransform.Copy })
                .ToList();
        }

        private static MlfException Refused(string why) =>
            new MlfException(MlfErrorIds.HelpersUnsupported, $"Join-MlfArchive cannot add helper sources: {why}.", null);
    }
}
