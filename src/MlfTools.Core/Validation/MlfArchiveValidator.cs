using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Format;
using MlfTools.Join;
using MlfTools.Validation;

namespace MlfTools
{
    /// <summary>
    /// Checks an MLF archive (.tar, .tar.gz, .tgz or extracted folder) without writing anything: that it reads, that
    /// metadata.json keeps the schema of its version, that every file the metadata implies is there and where its version
    /// puts it, that params, graph config and metadata agree, and that the C code compiles and links as far as can be told
    /// without a compiler (module names, functions defined twice or declared in conflict, symbols two modules define).
    /// </summary>
    public static class MlfArchiveValidator
    {
        /// <summary>
        /// Every finding, in the order found; none for a clean archive. An archive that cannot be read gives one Error
        /// finding with the reader's error id. With <paramref name="moduleNames"/> (wildcards allowed) only those modules
        /// are checked, checks between modules among them. Throws <see cref="MlfException"/> only when the request itself
        /// fails: PathNotFound, or ModuleNotFound for a name without wildcards that matches no module.
        /// </summary>
        public static IReadOnlyList<ArchiveFinding> Validate(string path, IReadOnlyCollection<string> moduleNames = null, CancellationToken cancellationToken = default)
        {
            string fullPath = MlfReader.FullPath(path);
            if (!File.Exists(fullPath) && !Directory.Exists(fullPath))
            {
                throw new MlfException(MlfErrorIds.PathNotFound, $"Cannot find '{fullPath}'. Give the path of an MLF archive (.tar, .tar.gz, .tgz) or of an extracted archive folder.", fullPath);
            }
            var findings = new Findings(fullPath);
            try
            {
                Check(fullPath, moduleNames, findings, cancellationToken);
            }
            catch (MlfException ex) when (ex.ErrorId != MlfErrorIds.PathNotFound && ex.ErrorId != MlfErrorIds.ModuleNotFound)
            {
                findings.Add(ex);
            }
            if (moduleNames == null || moduleNames.Count == 0) return findings.All;
            var matchers = moduleNames.Select(n => new WildcardMatcher(n)).ToList();
            return findings.All.Where(f => f.Module == null || matchers.Any(m => m.IsMatch(f.Module))).ToList().AsReadOnly();
        }

        private static void Check(string fullPath, IReadOnlyCollection<string> moduleNames, Findings findings, CancellationToken cancellationToken)
        {
            var index = ArchiveScanner.Scan(fullPath, new MlfArchiveLimits(), cancellationToken, deferContentErrors: true);
            if (index.DeferredErrors.TryGetValue(MetadataSchema.Member, out var unreadableMetadata))
            {
                findings.Add(unreadableMetadata, null, MetadataSchema.Member);
                return;
            }
            if (!index.MetadataFiles.TryGetValue(MetadataSchema.Member, out byte[] metadataBytes))
            {
                findings.Add(MlfReader.MetadataMissing(fullPath));
                return;
            }
            var metadata = MetadataSchema.Check(metadataBytes, findings, cancellationToken);
            if (metadata == null) return;
            IReadOnlyList<ModuleMetadata> described;
            try
            {
                described = MetadataReader.Read(metadata, fullPath);
            }
            catch (MlfException ex)
            {
                // The schema reports whatever the reader refuses, and more precisely; this only guards against a gap between them.
                // A module name that cannot be a file name is the reader's rule alone (one rule for read, test and join).
                if (!findings.HasErrors || ex.ErrorId == MlfErrorIds.InvalidModuleName) findings.Add(ex, null, MetadataSchema.Member);
                return;
            }

            var unreadable = new List<(string Module, string Member, MlfException Error)>();
            var modules = MlfReader.BuildModules(index, described, (module, member, error) => unreadable.Add((module, member, error)), cancellationToken);
            var selected = MlfModuleSelection.Apply(modules, moduleNames, null);
            var names = modules.Select(m => m.OriginalName).ToList();
            foreach (var (module, member, error) in unreadable) findings.Add(error, module, member);

            foreach (var module in selected)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (module.Style != MetadataReader.OperatorStyle && !TvmNames.IsIdentifierPart(module.OriginalName))
                {
                    findings.Add(ArchiveFindingIds.InvalidModuleName, module.OriginalName, MetadataSchema.Member,
                        $"Module name '{module.OriginalName}' holds characters a C identifier cannot: TVM prefixes every generated symbol with 'tvmgen_{module.OriginalName}_', so the code does not compile. Re-export the model with a name of letters, digits and '_' (relay.build mod_name, tvmc --module-name).");
                }
                ModuleLayout.Check(module, names, findings);
                if (module.GraphConfig != null && module.Executors.Contains("graph")) GraphChecks.Check(module, module.GraphConfig, findings);
                InterfaceHeaderChecks.Check(module, findings, cancellationToken);
            }

            foreach (var problem in ModuleSetRules.StyleProblems(selected)) findings.Add(problem);
            foreach (var (first, second) in ModuleSetRules.NameClashes(selected))
            {
                findings.Add(ArchiveFindingIds.DuplicateModuleName, second.OriginalName, MetadataSchema.Member,
                    $"Modules '{first.OriginalName}' and '{second.OriginalName}' have names equal ignoring case, so they share the header tvmgen_{second.OriginalName.ToLowerInvariant()}.h with its lowercase struct and uppercase macro names, and their files collide on case-insensitive file systems. Give one a new name: New-MlfModule -Path <archive> -ModuleName {second.OriginalName} -Name <new name>, then join the modules again.");
            }
            CodeChecks.Check(selected, findings, cancellationToken);
        }
    }
}
