using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Join;
using MlfTools.Report;

namespace MlfTools.Linking
{
    /// <summary>
    /// Measures what a firmware that runs the models keeps, before the user has one: the modules are joined with the
    /// helper sources into a temporary folder, every source the firmware needs (the models' C code, the C runtime's,
    /// the helpers' and a main() that runs each model once) is compiled with the user's compiler and flags plus
    /// -ffunction-sections -fdata-sections, and linked with --gc-sections and a map; the map says which object each kept
    /// byte came from. The folder is deleted whatever happens.
    /// </summary>
    internal static class FirmwareMeasurement
    {
        private const string FolderPrefix = "mlftools-link-";
        private const string JoinedName = "joined.tar";
        private const string TreeFolder = "firmware";
        public const string ElfName = "firmware.elf";
        public const string MapName = "firmware.map";

        /// <summary>What the modules cost in the firmware measured (<paramref name="modules"/> in order, with the name each has in it).</summary>
        public static LinkedFirmware Measure(IReadOnlyList<MlfModule> modules, CodeSizeOptions options, Action<string> warn, CancellationToken cancellationToken)
        {
            if (modules == null || modules.Count == 0) throw new ArgumentException("No module to link.", nameof(modules));
            if (string.IsNullOrEmpty(options?.Compiler)) throw new ArgumentException("A compiler is needed to link a firmware.", nameof(options));
            string compiler = CodeSizeMeasurer.FindCompiler(options);
            var named = UniqueNames(modules, warn);

            string root = options.TemporaryRoot ?? Path.GetTempPath();
            using (var work = CompileFolder.Under(root, FolderPrefix, cancellationToken))
            {
                try
                {
                    Directory.CreateDirectory(work.Path);
                    string tree = Path.Combine(work.Path, TreeFolder);
                    string newest = options.RuntimeFrom == null ? NewestRuntime(named, warn, work.Token) : null;
                    // The join words the runtime it keeps as the user's -RuntimeFrom; the warning above already said which, and why.
                    string chosen = newest == null ? null : RuntimeSelection.RuntimeFromWarningStart(newest);
                    Action<string> joinWarn = w =>
                    {
                        if (chosen == null || !w.StartsWith(chosen, StringComparison.Ordinal)) warn?.Invoke("Joining the models for the firmware: " + w);
                    };
                    var joined = JoinWithHelpers(named, options.RuntimeFrom ?? newest, Path.Combine(work.Path, JoinedName), tree, joinWarn, work.Token);
                    var build = FirmwareBuild.Plan(joined, tree, options, compiler, work.Token);
                    build.CompileAll(work);
                    build.Link(work.Token);
                    return build.Read(named.Select(n => n.Name).ToList());
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new MlfException(MlfErrorIds.CompilerFailed,
                        $"Linking the firmware of {modules.Count} module(s) in a temporary folder of '{root}' failed: {ex.Message} Make room there, or point TMPDIR (TEMP on Windows) to a folder that can be written.",
                        modules[0].SourcePath, ex);
                }
            }
        }

        /// <summary>
        /// The modules under names that differ: a firmware cannot hold two models of one name (every model built without
        /// one is "default"), so a repeated name is measured as name_2, name_3, ... (the join would refuse it), with a warning.
        /// </summary>
        private static IReadOnlyList<MlfModule> UniqueNames(IReadOnlyList<MlfModule> modules, Action<string> warn)
        {
            var taken = new HashSet<string>(modules.Select(m => m.Name), StringComparer.OrdinalIgnoreCase);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var result = new List<MlfModule>(modules.Count);
            var renamed = new List<string>();
            foreach (var module in modules)
            {
                if (seen.Add(module.Name))
                {
                    result.Add(module);
                    continue;
                }
                string name = module.Name;
                for (int n = 2; taken.Contains(name); n++) name = module.Name + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                taken.Add(name);
                seen.Add(name);
                renamed.Add($"'{module.Name}' of '{module.SourcePath}' as '{name}'");
                result.Add(module.WithName(name));
            }
            if (renamed.Count > 0)
            {
                warn?.Invoke("A firmware cannot hold two models of one name, so the firmware is measured with " + string.Join(", ", renamed) +
                    ". To join them, give each module its own name (New-MlfModule -NewName).");
            }
            return result;
        }

        /// <summary>
        /// The module whose C runtime the firmware links when the modules carry several different ones: the newest (a
        /// runtime is read by the code of its own TVM version and older), with a warning; null when they carry one or none.
        /// </summary>
        private static string NewestRuntime(IReadOnlyList<MlfModule> modules, Action<string> warn, CancellationToken cancellationToken)
        {
            var runtimes = StandaloneRuntime.DistinctOf(modules, cancellationToken);
            if (runtimes.Count <= 1) return null;
            var newest = runtimes.OrderByDescending(r => r.Carrier.RuntimeVersion, RuntimeVersions.Comparer).First();
            warn?.Invoke($"The modules carry {runtimes.Count} different C runtimes; the firmware is measured with the newest, {newest.Describe()}. -RuntimeFrom chooses another.");
            return newest.Carrier.Name;
        }

        /// <summary>
        /// Joins the modules with -IncludeHelpers into <paramref name="archive"/> (the join's warnings passed on: a target
        /// mix, renamed kernels) and extracts it into <paramref name="tree"/>; returns the joined modules.
        /// </summary>
        private static IReadOnlyList<MlfModule> JoinWithHelpers(IReadOnlyList<MlfModule> modules, string runtimeFrom, string archive, string tree, Action<string> warn,
            CancellationToken cancellationToken)
        {
            var plan = JoinPlanner.PlanUnchecked(modules, new MlfJoinOptions { IncludeHelpers = true, Layout = MlfLayout.Flat, RuntimeFrom = runtimeFrom });
            foreach (string warning in plan.Warnings) warn(warning);
            JoinWriter.Write(plan, archive, overwrite: false, progress: null, cancellationToken: cancellationToken);
            var expand = ArchiveExtractor.Plan(archive, null, cancellationToken);
            ArchiveExtractor.Extract(expand, tree, MlfExistingFolder.Refuse, null, cancellationToken);
            return MlfReader.ReadModules(tree, cancellationToken);
        }
    }
}
