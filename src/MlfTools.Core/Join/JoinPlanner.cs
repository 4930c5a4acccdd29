using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.Firmware;
using MlfTools.Format;
using MlfTools.Rename;
using MlfTools.CSource;
using Newtonsoft.Json.Linq;
using MlfTools.Join;

namespace MlfTools
{
    /// <summary>
    /// Checks that modules can be joined and plans the joined archive. Nothing is written here; every problem
    /// that would make the archive wrong, or its code fail to link, is found before the archive is published.
    /// </summary>
    public static class JoinPlanner
    {
        /// <summary>A plan whose checks have all run: what -WhatIf and callers that want every answer first use.</summary>
        public static MlfJoinPlan Plan(IReadOnlyList<MlfModule> modules, MlfJoinOptions options, CancellationToken cancellationToken = default)
        {
            var plan = PlanUnchecked(modules, options);
            plan.Check(cancellationToken);
            return plan;
        }

        /// <summary>
        /// An unchecked plan: the joined archive's layout, with only the checks that need names and metadata done (module names, styles,
        /// renames of object code, runtime file sets). The checks that read member contents (symbol collisions, copies
        /// of a path that differ) are left to <see cref="MlfJoinPlan.Check"/>, which <see cref="JoinWriter.Write(MlfJoinPlan, string, bool, Action{MlfJoinProgress}, CancellationToken)"/>
        /// runs while it writes the temporary file, publishing nothing when a check fails.
        /// </summary>
        public static MlfJoinPlan PlanUnchecked(IReadOnlyList<MlfModule> modules, MlfJoinOptions options)
        {
            if (modules == null || modules.Count == 0)
            {
                throw new MlfException(MlfErrorIds.NoModules, "There is nothing to join: give at least one module or archive.", null);
            }
            options = options ?? new MlfJoinOptions();
            CheckStyles(modules);
            CheckNames(modules);
            if (options.Layout == MlfLayout.PerModule) CheckModuleFolders(modules);
            var systemLibs = SystemLibrary.Probe(modules, CancellationToken.None);
            CheckRegistries(modules, systemLibs);
            var renamers = SystemLibraryRenames.Renamers(modules, systemLibs, KernelScan.Find(modules, CancellationToken.None));

            var warnings = new List<string>();
            warnings.AddRange(SystemLibraryRenames.Warnings(modules, renamers));
            warnings.AddRange(TargetMix.Warnings(modules));
            var excludes = (options.ExcludePaths ?? Array.Empty<string>()).Select(p => new WildcardMatcher(p)).ToList();
            var claims = new Dictionary<string, List<PlannedFile>>(StringComparer.Ordinal);
            foreach (var module in modules)
            {
                var paths = new JoinPaths(module, options.Layout);
                warnings.AddRange(paths.RenamedForeignCode.Select(renamed =>
                    $"'{renamed.File.Path}' of module '{module.Name}' is code that TVM would have named {TvmNames.CodegenFileName(module.OriginalName, "<N>", "<ext>")}, so it is written as '{renamed.OutputPath}', a name only this module's code has."));
                bool earlierHelpers = false;
                foreach (var file in module.Files)
                {
                    if (file.Kind == MlfFileKind.Metadata) continue;
                    if (HelperSources.IsEarlierHelper(module, file))
                    {
                        earlierHelpers = true;
                        continue;
                    }
                    string output = paths.OutputPathOf(file);
                    if (excludes.Any(x => x.IsMatch(file.Path) || x.IsMatch(output)))
                    {
                        if (file.Kind == MlfFileKind.Other) continue;
                        warnings.Add($"'{file.Path}' of module '{module.Name}' matches -ExcludePath but is part of the MLF layout, so it is kept.");
                    }
                    CheckStrayObject(module, file);
                    var planned = new PlannedFile
                    {
                        OutputPath = output,
                        Kind = file.Kind,
                        Module = module,
                        Member = module.Archive.Find(file.Path),
                        Renamer = renamers[module],
                        Transform = TransformFor(file, renamers[module], systemLibs[module]),
                    };
                    if (!claims.TryGetValue(output, out var list)) claims[output] = list = new List<PlannedFile>();
                    list.Add(planned);
                }
                if (earlierHelpers && !warnings.Any(w => w.Contains(module.SourcePath) && w.Contains(HelperSources.Folder)))
                {
                    warnings.Add($"The helper sources ({HelperSources.Folder}) of '{module.SourcePath}' describe the models of an earlier join, so they are left out; -IncludeHelpers writes new ones.");
                }
            }

            var runtimeKinds = new[] { MlfFileKind.Runtime, MlfFileKind.Template };
            var runtime = RuntimeSelection.Choose(modules, options.RuntimeFrom, claims, runtimeKinds, warnings);
            var files = claims.Values.Select(claim => claim[0]).ToList();
            var timestamp = ChooseTimestamp(options, modules);
            AddMetadata(files, modules, renamers, options.Layout, runtime.Dependency);
            if (options.IncludeHelpers) files.AddRange(JoinHelpers.Files(modules, options, renamers, systemLibs, files));
            CheckCaseCollisions(files);
            var order = MemberOrder.For(files.Select(f => f.OutputPath));
            var byPath = files.ToDictionary(f => f.OutputPath, StringComparer.Ordinal);
            var orderedFiles = order.Where(p => byPath.ContainsKey(p)).Select(p => byPath[p]).ToList();
            return new MlfJoinPlan(modules, orderedFiles, order, timestamp, warnings, cancellationToken =>
            {
                var found = new List<string>();
                var facts = CheckPass(claims, renamers, found, runtime.Kept != null, cancellationToken);
                CheckSymbols(facts.Symbols);
                CheckCopies(claims, facts.Hashes, runtimeKinds, cancellationToken);
                if (runtime.Kept != null)
                {
                    RuntimeDeclarations.Check(facts.Sources, facts.RuntimeHeaders, facts.Symbols.Keys, runtime.Kept);
                }
                warnings.AddRange(found);
            });
        }

        private static ContentTransform TransformFor(MlfFile file, ModuleRenamer renamer, SystemLibrary systemLib)
        {
            if (renamer == null) return ContentTransform.Copy;
            if (!renamer.ChangesName)
            {
                // Only the system-lib fixes: they touch the one source that holds the registry.
                return file.Path == systemLib?.Path ? ContentTransform.RenameCSource : ContentTransform.Copy;
            }
            switch (file.Kind)
            {
                case MlfFileKind.Source:
                case MlfFileKind.Header:
                    return ContentTransform.RenameCSource;
                case MlfFileKind.Graph:
                case MlfFileKind.Relay:
                    return ContentTransform.RenameText;
                case MlfFileKind.Object:
                    return ContentTransform.RenameObject;
                default:
                    return ContentTransform.Copy;
            }
        }

        /// <summary>A registry the join cannot read exactly could be neither widened nor renamed correctly: refused.</summary>
        private static void CheckRegistries(IReadOnlyList<MlfModule> modules, IReadOnlyDictionary<MlfModule, SystemLibrary> systemLibs)
        {
            foreach (var module in modules)
            {
                if (!(systemLibs[module]?.RegistryProblem(module.OriginalName) is string problem)) continue;
                throw new MlfException(MlfErrorIds.FunctionRegistryInvalid,
                    $"{problem} Join-MlfArchive cannot write a registry that the C runtime of the joined archive (TVM 0.9 or later) reads correctly from it, so it joins nothing. Correct the registry in '{module.SourcePath}', or export the model again with TVM.",
                    module.SourcePath);
            }
        }

        private static void CheckStyles(IReadOnlyList<MlfModule> modules)
        {
            var problem = ModuleSetRules.StyleProblems(modules).FirstOrDefault();
            if (problem != null) throw problem;
        }

        private static void CheckNames(IReadOnlyList<MlfModule> modules)
        {
            var reserved = modules.FirstOrDefault(m => MlfModuleNames.IsWindowsDeviceName(m.Name));
            if (reserved != null)
            {
                throw new MlfException(MlfErrorIds.InvalidModuleName,
                    $"Module '{reserved.Name}' of '{reserved.SourcePath}' cannot be joined under that name: Windows reserves it for a device, and the joined archive would hold files such as parameters/{reserved.Name}.params that no reader on Windows can write. Give it another name: New-MlfModule -Path <archive> -Name <new name>.",
                    reserved.Name);
            }
            foreach (var (first, module) in ModuleSetRules.NameClashes(modules))
            {
                throw new MlfException(MlfErrorIds.DuplicateModuleName,
                    $"Two modules would be called '{module.Name}' (from '{first.SourcePath}' and '{module.SourcePath}'). Names equal ignoring case share a header and every symbol. Give one a new name: New-MlfModule -Path <archive> -Name <new name>.",
                    module.Name);
            }
        }

        /// <summary>Names the per-module layout cannot give a folder: the top level already holds these, shared by all modules.</summary>
        private static readonly string[] SharedTopLevelNames = { "metadata.json", "runtime", "templates" };

        private static void CheckModuleFolders(IReadOnlyList<MlfModule> modules)
        {
            foreach (var module in modules)
            {
                string unsafeFolder = MemberPaths.WhyUnsafeComponent(module.Name);
                if (unsafeFolder != null)
                {
                    throw new MlfException(MlfErrorIds.PathConflict,
                        $"Module '{module.Name}' cannot have a folder of its own in the per-module layout: {unsafeFolder}. Give it another name (New-MlfModule -Name) or use the flat layout.",
                        module.Name);
                }
                string shared = SharedTopLevelNames.FirstOrDefault(n => string.Equals(n, module.Name, StringComparison.OrdinalIgnoreCase));
                if (shared == null) continue;
                throw new MlfException(MlfErrorIds.PathConflict,
                    $"Module '{module.Name}' cannot have a folder of its own in the per-module layout: '{shared}' at the top of the archive is shared by all modules. Give it another name (New-MlfModule -Name) or use the flat layout.",
                    module.Name);
            }
        }

        /// <summary>
        /// Compiled code outside codegen/host/lib is no part of the MLF layout: a renamed module's copy would keep the old
        /// symbols and collide with the next build of the same name, so it is refused rather than copied unchanged.
        /// </summary>
        private static void CheckStrayObject(MlfModule module, MlfFile file)
        {
            if (!module.IsRenamed || file.Kind != MlfFileKind.Other || !ObjectCode.IsObjectFileName(file.Path)) return;
            throw new MlfException(MlfErrorIds.CannotRenameObjectCode,
                $"Module '{module.OriginalName}' of '{module.SourcePath}' cannot be renamed to '{module.Name}': it carries the compiled code '{file.Path}' outside codegen/host/lib, where TVM never writes any, so MlfTools does not know it is the module's and cannot rename its symbols. Leave it out with -ExcludePath '{file.Path}', move it to codegen/host/lib (then it is renamed with the module), or keep the module's name.",
                module.SourcePath);
        }

        private sealed class CheckFacts
        {
            public Dictionary<string, List<(string Module, string Path)>> Symbols { get; } = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);

            /// <summary>For each renamed module and new symbol name, the symbol that takes it and its file.</summary>
            public Dictionary<(MlfModule Module, string Name), (string Symbol, string Path)> RenamedFrom { get; } = new Dictionary<(MlfModule, string), (string, string)>();
            public Dictionary<PlannedFile, string> Hashes { get; } = new Dictionary<PlannedFile, string>();
            public List<(PlannedFile File, RuntimeApiUse Api)> Sources { get; } = new List<(PlannedFile, RuntimeApiUse)>();
            public List<RuntimeApiUse> RuntimeHeaders { get; } = new List<RuntimeApiUse>();
        }

        /// <summary>
        /// The global symbols of every C source and object, and a hash of every file that more than one input puts
        /// at the same path: taken from what indexing a .tar.gz already worked out, else read in one pass over
        /// each input in archive order (seeking to just those members in a .tar or folder), with the C scanned on
        /// the thread pool meanwhile. Results are recorded in that same order, so warnings and errors do not depend on timing.
        /// </summary>
        private static CheckFacts CheckPass(Dictionary<string, List<PlannedFile>> claims, Dictionary<MlfModule, ModuleRenamer> renamers,
            List<string> warnings, bool readRuntimeHeaders, CancellationToken cancellationToken)
        {
            var facts = new CheckFacts();
            var needsHash = new HashSet<PlannedFile>(claims.Values.Where(c => c.Count > 1 && !SameMember(c)).SelectMany(c => c));
            var runtimeHeaders = new HashSet<PlannedFile>(readRuntimeHeaders
                ? claims.Values.Select(c => c[0]).Where(f => MemberFacts.DeclaresRuntimeApi(f.Kind, f.Member.Path))
                : Enumerable.Empty<PlannedFile>());
            var work = claims.Values.SelectMany(c => c)
                .Where(f => needsHash.Contains(f) || runtimeHeaders.Contains(f) || MemberFacts.DefinesSymbols(f.Kind, f.Member.Path) || f.Kind == MlfFileKind.Source);
            var ordered = work.GroupBy(f => f.Module.Archive)
                .SelectMany(archive => archive.OrderBy(f => f.Member.DataOffset).ThenBy(f => f.Member.Path, StringComparer.Ordinal))
                .ToList();
            var written = new HashSet<PlannedFile>(claims.Values.Select(c => c[0]));
            var known = new MemberFacts[ordered.Count];
            var scanned = new Task<MemberFacts>[ordered.Count];
            var scans = new MemberFactsScans(cancellationToken);
            foreach (var archive in Enumerable.Range(0, ordered.Count).GroupBy(i => ordered[i].Module.Archive))
            {
                using (var content = new ArchiveContent(archive.Key))
                {
                    foreach (int i in archive)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var planned = ordered[i];
                        if (archive.Key.Facts.TryGetValue(planned.Member.Path, out known[i])) continue;
                        if (MemberFacts.IsCode(planned.Kind, planned.Member.Path))
                        {
                            if (planned.Kind == MlfFileKind.Source) CSourceLimits.CheckSize(planned.Member.Size, planned.Module.SourcePath, planned.Member.Path);
                            byte[] bytes = planned.Kind == MlfFileKind.Object
                                ? ObjectCode.ReadAll(content, planned.Member, planned.Module.SourcePath, cancellationToken)
                                : content.ReadAll(planned.Member, cancellationToken);
                            scanned[i] = scans.Start(planned.Kind, bytes, needsHash.Contains(planned));
                        }
                        else
                        {
                            known[i] = MemberFacts.OfData(content.Hash(planned.Member, cancellationToken));
                        }
                    }
                }
            }
            for (int i = 0; i < ordered.Count; i++)
            {
                if (scanned[i] != null)
                {
                    try
                    {
                        known[i] = MemberFactsScans.Result(scanned[i]);
                    }
                    catch (CSourceTooLargeException)
                    {
                        throw CSourceLimits.TooManyTokens(ordered[i].Module.SourcePath, ordered[i].Member.Path);
                    }
                    catch (ObjectCodeTooLargeException ex)
                    {
                        throw ObjectCodeLimits.TooLarge(ordered[i].Module.SourcePath, ordered[i].Member.Path, ex.Why);
                    }
                }
                if (needsHash.Contains(ordered[i])) facts.Hashes[ordered[i]] = known[i].Sha256;
                if (runtimeHeaders.Contains(ordered[i]) && known[i].RuntimeApi != null) facts.RuntimeHeaders.Add(known[i].RuntimeApi);
                if (ordered[i].Kind == MlfFileKind.Source && known[i].RuntimeApi != null) facts.Sources.Add((ordered[i], known[i].RuntimeApi));
                // A path several inputs claim holds one file, written from the first; the others must equal it (CheckCopies).
                if (written.Contains(ordered[i])) RecordCodeFacts(facts, ordered[i], known[i], renamers, warnings);
            }
            return facts;
        }

        private static void RecordCodeFacts(CheckFacts facts, PlannedFile planned, MemberFacts known, Dictionary<MlfModule, ModuleRenamer> renamers, List<string> warnings)
        {
            if (planned.Kind == MlfFileKind.Source && known.Symbols == null)
            {
                warnings.Add($"'{planned.Member.Path}' of module '{planned.Module.Name}' is C++; its symbols were not checked for collisions.");
                return;
            }
            if (planned.Kind != MlfFileKind.Object && planned.Kind != MlfFileKind.Source) return;
            if (planned.Kind == MlfFileKind.Object && renamers[planned.Module] != null) CheckObjectRename(planned, known);
            if (known.SymbolError != null)
            {
                throw new MlfException(MlfErrorIds.InvalidArchive,
                    $"The object file '{planned.Member.Path}' of '{planned.Module.SourcePath}' is a corrupt ELF file: {known.SymbolError}", planned.Module.SourcePath);
            }
            if (known.NotObjectCode != null)
            {
                throw new MlfException(MlfErrorIds.InvalidArchive,
                    $"The object file '{planned.Member.Path}' of '{planned.Module.SourcePath}' {ObjectCode.NotObjectCode(known.NotObjectCode)}, so a linker cannot take it into an image. Leave it out with -ExcludePath '{planned.Member.Path}', or re-export the model with TVM.",
                    planned.Module.SourcePath);
            }
            if (known.Symbols != null) RecordSymbols(facts, planned, known.Symbols, renamers);
        }

        /// <summary>What the facts already tell of an object's rename: not ELF, corrupt, or no symbol named as TVM names them.</summary>
        private static void CheckObjectRename(PlannedFile planned, MemberFacts known)
        {
            var module = planned.Module;
            string path = planned.Member.Path;
            if (known.SymbolError != null) throw ObjectCode.CannotRename(module, path, "is corrupt: " + known.SymbolError);
            if (known.NotObjectCode != null) throw ObjectCode.CannotRename(module, path, ObjectCode.NotObjectCode(known.NotObjectCode) + ": only those can be renamed");
            if (!known.Symbols.Any(s => planned.Renamer.RenameString(s) != s))
            {
                throw ObjectCode.CannotRename(module, path, ObjectCode.NotTvmNaming(module.OriginalName));
            }
        }

        private static void RecordSymbols(CheckFacts facts, PlannedFile planned, IEnumerable<string> names, Dictionary<MlfModule, ModuleRenamer> renamers)
        {
            var renamer = renamers[planned.Module];
            foreach (string name in names.Distinct(StringComparer.Ordinal))
            {
                string final = renamer == null ? name : renamer.RenameSymbol(name);
                if (renamer != null) CheckRenamedApart(facts, planned, name, final);
                if (!facts.Symbols.TryGetValue(final, out var definers)) facts.Symbols[final] = definers = new List<(string, string)>();
                definers.Add((planned.Module.Name, planned.OutputPath));
            }
        }

        /// <summary>A rename may not give two symbols of one module one name: the linker would bind calls to one of them to the other.</summary>
        private static void CheckRenamedApart(CheckFacts facts, PlannedFile planned, string name, string final)
        {
            var key = (planned.Module, final);
            if (!facts.RenamedFrom.TryGetValue(key, out var other))
            {
                facts.RenamedFrom[key] = (name, planned.Member.Path);
                return;
            }
            if (string.Equals(other.Symbol, name, StringComparison.Ordinal)) return;
            var module = planned.Module;
            throw new MlfException(MlfErrorIds.SymbolCollision,
                $"Module '{module.Name}' (module '{module.OriginalName}' of '{module.SourcePath}') would define '{final}' twice: its symbols '{other.Symbol}' ('{other.Path}') and '{name}' ('{planned.Member.Path}') both take that name when the module is renamed, and the linker would bind calls to one of them to the other. Give the module another name (New-MlfModule -Name).",
                module.SourcePath);
        }

        private static void CheckSymbols(Dictionary<string, List<(string Module, string Path)>> symbols)
        {
            foreach (var collision in ModuleSetRules.SymbolCollisions(symbols)) throw collision.Error;
        }

        private static bool SameMember(List<PlannedFile> claim) =>
            claim.All(f => ReferenceEquals(f.Module.Archive, claim[0].Module.Archive) && f.Member.Path == claim[0].Member.Path && f.Transform == ContentTransform.Copy && claim[0].Transform == ContentTransform.Copy);

        /// <summary>
        /// Several inputs may put a file at one path only with the same bytes, as written (a renamed copy compared after
        /// its rename); the first is the one written. Anything else is refused before the archive is published.
        /// </summary>
        private static void CheckCopies(Dictionary<string, List<PlannedFile>> claims, Dictionary<PlannedFile, string> hashes, string[] runtimeKinds,
            CancellationToken cancellationToken)
        {
            foreach (var claim in claims.Values)
            {
                if (claim.Count < 2 || SameMember(claim)) continue;
                bool renamed = claim.Any(f => f.Transform != ContentTransform.Copy);
                var written = renamed ? OutputHashes(claim, cancellationToken) : hashes;
                var different = claim.FirstOrDefault(f => written[f] != written[claim[0]]);
                if (different == null) continue;
                if (renamed)
                {
                    throw new MlfException(MlfErrorIds.PathConflict,
                        $"'{claim[0].OutputPath}' would be written with different content for module '{claim[0].Module.Name}' (from '{claim[0].Module.SourcePath}') and module '{different.Module.Name}' (from '{different.Module.SourcePath}'): renaming the modules changes their copies differently, and one path can hold only one. Join these modules under their original names, or leave the file out with -ExcludePath if no module needs it.",
                        claim[0].OutputPath);
                }
                if (runtimeKinds.Contains(claim[0].Kind))
                {
                    throw RuntimeSelection.Conflict(claim[0].Module, different.Module, $"'{claim[0].OutputPath}' differs between them", claim[0].OutputPath);
                }
                throw new MlfException(MlfErrorIds.PathConflict,
                    $"'{claim[0].OutputPath}' comes with different content from '{claim[0].Module.SourcePath}' (module '{claim[0].Module.Name}') and '{different.Module.SourcePath}' (module '{different.Module.Name}'). Leave one out with -ExcludePath.",
                    claim[0].OutputPath);
            }
        }

        private static Dictionary<PlannedFile, string> OutputHashes(List<PlannedFile> claim, CancellationToken cancellationToken)
        {
            var hashes = new Dictionary<PlannedFile, string>();
            foreach (var planned in claim)
            {
                using (var content = new ArchiveContent(planned.Module.Archive))
                {
                    hashes[planned] = planned.Transform == ContentTransform.Copy
                        ? content.Hash(planned.Member, cancellationToken)
                        : MemberFacts.Hash(planned.ReadTransformed(content, cancellationToken));
                }
            }
            return hashes;
        }

        /// <summary>Files of different inputs whose paths differ only in case would be one file on Windows and macOS.</summary>
        private static void CheckCaseCollisions(List<PlannedFile> files)
        {
            var collision = MemberPaths.FindCollision(files.Select(f => (f.OutputPath, false)));
            if (collision == null) return;
            throw new MlfException(MlfErrorIds.PathConflict,
                $"The joined archive would hold '{collision.Value.Path}' where {collision.Value.Why}. Leave one of the inputs' extra files out with -ExcludePath.",
                collision.Value.Path);
        }

        private static DateTimeOffset ChooseTimestamp(MlfJoinOptions options, IReadOnlyList<MlfModule> modules)
        {
            if (options.Timestamp.HasValue) return options.Timestamp.Value.ToUniversalTime();
            string epoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
            if (!string.IsNullOrWhiteSpace(epoch) && long.TryParse(epoch.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long seconds))
            {
                return DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
            var newest = modules.SelectMany(m => m.Files.Select(f => m.Archive.Find(f.Path))).Where(m => m != null).Select(m => m.ModificationTime).DefaultIfEmpty(DateTimeOffset.FromUnixTimeSeconds(0)).Max();
            return DateTimeOffset.FromUnixTimeSeconds(newest.ToUnixTimeSeconds());
        }

        private static void AddMetadata(List<PlannedFile> files, IReadOnlyList<MlfModule> modules, Dictionary<MlfModule, ModuleRenamer> renamers, MlfLayout layout,
            JObject runtimeDependency)
        {
            var entries = modules.Select(m => (m.Name, Entry: JoinMetadata.UpgradedEntry(m, renamers[m]?.ChangesName == true ? renamers[m] : null, runtimeDependency))).ToList();
            byte[] top = modules.Count == 1 && modules[0].Style == MetadataReader.OperatorStyle
                ? JoinMetadata.ForOperatorModule(entries[0].Entry)
                : JoinMetadata.ForModules(entries);
            files.Add(new PlannedFile { OutputPath = "metadata.json", Kind = MlfFileKind.Metadata, Generated = top });
            if (layout != MlfLayout.PerModule) return;
            foreach (var (name, entry) in entries)
            {
                files.Add(new PlannedFile { OutputPath = name + "/metadata.json", Kind = MlfFileKind.Metadata, Generated = JoinMetadata.ForModules(new[] { (name, (JObject)entry.DeepClone()) }) });
            }
        }

    }
}
