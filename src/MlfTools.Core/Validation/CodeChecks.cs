using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.Format;
using MlfTools.Join;
using MlfTools.Rename;
using MlfTools.CSource;

namespace MlfTools.Validation
{
    /// <summary>
    /// The modules' C sources and objects, each read once: functions a file defines twice or declares in conflicting
    /// ways, functions defined in two files of one module, global symbols two modules define (the join's own rule),
    /// kernels the graph config calls that no code defines, and symbols without the module prefix.
    /// </summary>
    internal static class CodeChecks
    {
        private const string NoOperation = "__nop"; // the graph executor's built-in no-op kernel
        private const int ListedAtMost = 5;

        private sealed class CodeFile
        {
            public MlfFile File;
            public ArchiveMember Member;
            public MlfModule Owner;

            /// <summary>Global definitions (C or ELF); null when they cannot be read (C++, not ELF, corrupt).</summary>
            public List<(string Name, bool? IsFunction)> Globals;
            public IReadOnlyList<FunctionClash> Clashes = Array.Empty<FunctionClash>();

            /// <summary>Globals defined only under conditions the file cannot decide: they may never meet a definition elsewhere.</summary>
            public HashSet<string> Assumed = new HashSet<string>(StringComparer.Ordinal);

            /// <summary>The function registry and system library, for the module's first C source.</summary>
            public SystemLibrary SystemLib;
        }

        public static void Check(IReadOnlyList<MlfModule> modules, Findings findings, CancellationToken cancellationToken)
        {
            var files = Read(modules, findings, cancellationToken);
            foreach (var file in files) ReportClashes(file, findings);
            foreach (var module in modules)
            {
                var own = files.Where(f => f.Owner == module).ToList();
                var paths = new HashSet<string>(module.Files.Select(f => f.Path), StringComparer.Ordinal);
                ReportDefinedTwice(module, own, findings);
                ReportUndefinedKernels(module, files.Where(f => paths.Contains(f.File.Path)).ToList(), findings);
                ReportUnprefixed(module, own, findings);
                RegistryChecks.Check(module, own.Select(f => f.SystemLib).FirstOrDefault(l => l != null), findings, cancellationToken);
            }
            var symbols = new Dictionary<string, List<(string Module, string Path)>>(StringComparer.Ordinal);
            foreach (var file in files.Where(f => f.Globals != null))
            {
                foreach (string name in file.Globals.Select(g => g.Name).Distinct(StringComparer.Ordinal))
                {
                    if (!symbols.TryGetValue(name, out var definers)) symbols[name] = definers = new List<(string, string)>();
                    definers.Add((file.Owner.OriginalName, file.File.Path));
                }
            }
            foreach (var (error, module, path) in ModuleSetRules.SymbolCollisions(symbols))
            {
                findings.Add(error, module, path);
            }
        }

        /// <summary>Every C source and object of the modules, once each (a file several modules share goes with the first), read in archive order.</summary>
        private static List<CodeFile> Read(IReadOnlyList<MlfModule> modules, Findings findings, CancellationToken cancellationToken)
        {
            var byPath = new Dictionary<string, CodeFile>(StringComparer.Ordinal);
            foreach (var module in modules)
            {
                foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Source || f.Kind == MlfFileKind.Object))
                {
                    if (byPath.ContainsKey(file.Path)) continue;
                    var member = module.Archive.Find(file.Path);
                    if (member != null) byPath[file.Path] = new CodeFile { File = file, Member = member, Owner = module };
                }
            }
            var ordered = byPath.Values.OrderBy(f => f.Member.DataOffset).ThenBy(f => f.File.Path, StringComparer.Ordinal).ToList();
            if (ordered.Count == 0) return ordered;
            var budget = new SymbolBudget();
            using (var content = new ArchiveContent(ordered[0].Owner.Archive))
            {
                foreach (var file in ordered)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!MemberFacts.DefinesSymbols(file.File.Kind, file.File.Path)) continue; // C++: not scanned
                    // Over a limit, the check stops as reading an archive over a limit does (ArchiveTooLarge, reported as a finding).
                    if (file.File.Kind == MlfFileKind.Source) CSourceLimits.CheckSize(file.Member.Size, file.Owner.Archive.SourcePath, file.File.Path);
                    if (file.File.Kind == MlfFileKind.Object)
                    {
                        ReadObject(file, ObjectCode.ReadAll(content, file.Member, file.Owner.Archive.SourcePath, cancellationToken), budget, findings, cancellationToken);
                    }
                    else
                    {
                        byte[] bytes = content.ReadAll(file.Member, cancellationToken);
                        string text = CText.Decode(bytes);
                        CSourceSymbols symbols;
                        try
                        {
                            symbols = CSymbolScanner.FindSymbols(text, cancellationToken);
                        }
                        catch (CSourceTooLargeException)
                        {
                            throw CSourceLimits.TooManyTokens(file.Owner.Archive.SourcePath, file.File.Path);
                        }
                        if (file.File.Path == SystemLibrary.FirstSource(file.Owner)?.Path) file.SystemLib = SystemLibrary.Of(file.File.Path, text);
                        file.Globals = symbols.GlobalDefinitions.Select(s => (s.Name, (bool?)s.IsFunction)).ToList();
                        file.Assumed = new HashSet<string>(symbols.AssumedDefinitions, StringComparer.Ordinal);
                        file.Clashes = symbols.FunctionClashes;
                    }
                }
            }
            return ordered;
        }

        private static void ReadObject(CodeFile file, byte[] bytes, SymbolBudget budget, Findings findings, CancellationToken cancellationToken)
        {
            try
            {
                var names = ObjectCode.FindGlobalDefinitions(bytes, budget, cancellationToken);
                file.Globals = names.Select(n => (n, (bool?)null)).ToList();
                if (ObjectCode.IsLibraryWithoutIndex(bytes))
                {
                    findings.Add(ArchiveFindingIds.LibraryIndexMissing, file.Owner.OriginalName, file.File.Path,
                        $"The static library '{file.File.Path}' of module '{file.Owner.OriginalName}' has no symbol index, so a linker refuses it (\"archive has no index; run ranlib to add one\"). Add one with 'ranlib {System.IO.Path.GetFileName(file.File.Path)}' (or build it with 'ar rcs') and put it back in the archive.");
                }
            }
            catch (NotObjectCodeException ex)
            {
                findings.Add(ArchiveFindingIds.InvalidObjectCode, file.Owner.OriginalName, file.File.Path,
                    $"The object file '{file.File.Path}' of module '{file.Owner.OriginalName}' {ObjectCode.NotObjectCode(ex.What)}, so a linker cannot take it into an image (Join-MlfArchive and Get-MlfMemoryReport refuse it too). Re-export the model with TVM, or remove the file.");
            }
            catch (ObjectCodeTooLargeException ex)
            {
                throw ObjectCodeLimits.TooLarge(file.Owner.Archive.SourcePath, file.File.Path, ex.Why);
            }
            catch (InvalidDataException ex)
            {
                findings.Add(ArchiveFindingIds.InvalidArchive, file.Owner.OriginalName, file.File.Path,
                    $"The object file '{file.File.Path}' of module '{file.Owner.OriginalName}' is a corrupt ELF file or static library ({ex.Message}); a linker refuses it. Re-export the model with TVM.");
            }
        }

        private static void ReportClashes(CodeFile file, Findings findings)
        {
            string module = file.Owner.OriginalName;
            string path = file.File.Path;
            foreach (var clash in file.Clashes)
            {
                if (clash.Kind == FunctionClashKind.Redefinition)
                {
                    findings.Add(ArchiveFindingIds.DuplicateFunction, module, path,
                        $"'{path}' of module '{module}' defines the function '{clash.Name}' twice (lines {clash.FirstLine} and {clash.Line}); a C compiler refuses the file (\"redefinition of '{clash.Name}'\"). Delete one definition, or re-export the model with TVM.");
                    continue;
                }
                findings.Add(ArchiveFindingIds.ConflictingFunctionTypes, module, path,
                    $"'{path}' of module '{module}' declares the function '{clash.Name}' with {Parameters(clash.FirstParameterCount)} (line {clash.FirstLine}) and with {Parameters(clash.ParameterCount)} (line {clash.Line}); a C compiler refuses the file (\"conflicting types for '{clash.Name}'\")." +
                    (IsAotEntryPoint(clash.Name)
                        ? " TVM writes this for AOT builds with the C interface when the runtime has system-lib=1, which such builds do not need: rebuild without system-lib (tvmc: drop --runtime-crt-system-lib), or delete the registry's packed declaration."
                        : " Make the declarations agree, or re-export the model with TVM."));
            }
        }

        /// <summary>tvmgen_&lt;name&gt;_run and tvmgen_&lt;name&gt;___tvm_main__: what TVM's system-lib registry and its C interface both declare.</summary>
        private static bool IsAotEntryPoint(string name) =>
            name.StartsWith("tvmgen_", StringComparison.Ordinal) && (name.EndsWith("_run", StringComparison.Ordinal) || name.EndsWith("___tvm_main__", StringComparison.Ordinal));

        private static string Parameters(int? count) => count == 1 ? "1 parameter" : $"{count} parameters";

        /// <summary>A function with external linkage that two C files of the one module define: the module does not link.</summary>
        private static void ReportDefinedTwice(MlfModule module, List<CodeFile> own, Findings findings)
        {
            var definers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var file in own.Where(f => f.Globals != null))
            {
                foreach (var (name, isFunction) in file.Globals)
                {
                    if (isFunction != true || file.Assumed.Contains(name)) continue;
                    if (!definers.TryGetValue(name, out var paths)) definers[name] = paths = new List<string>();
                    if (!paths.Contains(file.File.Path)) paths.Add(file.File.Path);
                }
            }
            foreach (var twice in definers.Where(d => d.Value.Count > 1).OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                findings.Add(ArchiveFindingIds.DuplicateFunction, module.OriginalName, twice.Value[1],
                    $"Module '{module.OriginalName}' defines the function '{twice.Key}' in both '{twice.Value[0]}' and '{twice.Value[1]}'; the module's code does not link (\"multiple definition of '{twice.Key}'\"). Delete one definition or make it static, or re-export the model with TVM.");
            }
        }

        /// <summary>Kernels the graph executor looks up by name must be defined by the module's code (when all of it could be read).</summary>
        private static void ReportUndefinedKernels(MlfModule module, List<CodeFile> code, Findings findings)
        {
            var graph = module.GraphConfig;
            if (graph == null || code.Count == 0 || code.Any(f => f.Globals == null)) return;
            var defined = new HashSet<string>(code.SelectMany(f => f.Globals.Select(g => g.Name)), StringComparer.Ordinal);
            var missing = graph.FunctionNames.Where(n => n != NoOperation && !defined.Contains(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (missing.Count == 0) return;
            findings.Add(ArchiveFindingIds.UndefinedFunction, module.OriginalName, graph.Path,
                $"The graph config of module '{module.OriginalName}' calls {missing.Count} kernel(s) that none of its code files defines: {Listed(missing)}. The graph executor cannot run the model; re-export it with TVM (a code file may have been left out).");
        }

        /// <summary>
        /// Globals without the module's tvmgen_&lt;name&gt;_ prefix that a join does not rename either: no other module joined
        /// with this one may define them. The unprefixed kernels of TVM 0.8 and older (<see cref="UnprefixedKernels"/>) and
        /// the C-only globals (<see cref="ModuleRenamer.IsRenamedByJoin"/>) are not listed: a renamed module's join prefixes them.
        /// </summary>
        private static void ReportUnprefixed(MlfModule module, List<CodeFile> own, Findings findings)
        {
            if (module.Style == MetadataReader.OperatorStyle) return;
            string prefix = TvmNames.SymbolPrefix(module.OriginalName);
            var globals = own.Where(f => f.Globals != null).SelectMany(f => f.Globals.Select(g => g.Name)).Distinct(StringComparer.Ordinal).ToList();
            var kernels = UnprefixedKernels.Of(module, globals);
            var unprefixed = globals
                .Where(n => !TvmNames.HasSymbolPrefix(n, module.OriginalName) && !ModuleRenamer.IsRenamedByJoin(n) && !kernels.Contains(n))
                .OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (unprefixed.Count == 0) return;
            findings.Add(ArchiveFindingIds.UnprefixedSymbols, module.OriginalName, null,
                $"Module '{module.OriginalName}' defines {unprefixed.Count} global symbol(s) without its prefix '{prefix}': {Listed(unprefixed)}. Renaming the module does not change them, so it cannot share an image with another module that defines any of them (Join-MlfArchive refuses with SymbolCollision).");
        }

        private static string Listed(List<string> names) => Listing.AndMore(names, ListedAtMost);
    }
}
