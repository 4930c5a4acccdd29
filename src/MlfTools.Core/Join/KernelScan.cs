using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.Rename;
using MlfTools.CSource;

namespace MlfTools.Join
{
    /// <summary>
    /// The unprefixed kernels of each module the join renames (<see cref="UnprefixedKernels"/>): the functions its graph
    /// config calls without the module's prefix that its own code defines. Only a renamed module whose graph calls such a
    /// function has its code read here (archives of TVM 0.8 and older); every other module is left out, unread.
    /// </summary>
    internal static class KernelScan
    {
        /// <summary>The renamed modules that have unprefixed kernels, each with them.</summary>
        public static Dictionary<MlfModule, HashSet<string>> Find(IReadOnlyList<MlfModule> modules, CancellationToken cancellationToken)
        {
            var found = new Dictionary<MlfModule, HashSet<string>>();
            foreach (var module in modules)
            {
                if (!module.IsRenamed || UnprefixedKernels.Candidates(module).Count == 0) continue;
                var kernels = UnprefixedKernels.Of(module, DefinedGlobals(module, cancellationToken));
                if (kernels.Count > 0) found[module] = kernels;
            }
            return found;
        }

        /// <summary>The globals the module's C sources and objects define (those that cannot be read define none here; the join's checks report them).</summary>
        private static HashSet<string> DefinedGlobals(MlfModule module, CancellationToken cancellationToken)
        {
            var defined = new HashSet<string>(StringComparer.Ordinal);
            var archive = module.Archive;
            var code = module.Files.Where(f => MemberFacts.DefinesSymbols(f.Kind, f.Path))
                .Select(f => (File: f, Member: archive.Find(f.Path)))
                .Where(c => c.Member != null)
                .OrderBy(c => c.Member.DataOffset)
                .ToList();
            var budget = new SymbolBudget();
            using (var content = new ArchiveContent(archive))
            {
                foreach (var (file, member) in code)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!archive.Facts.TryGetValue(member.Path, out var facts))
                    {
                        try
                        {
                            if (file.Kind == MlfFileKind.Object)
                            {
                                facts = MemberFacts.OfCode(file.Kind, ObjectCode.ReadAll(content, member, module.SourcePath, cancellationToken), budget, hash: false, cancellationToken);
                            }
                            else
                            {
                                CSourceLimits.CheckSize(member.Size, module.SourcePath, member.Path);
                                facts = MemberFacts.OfCode(file.Kind, content.ReadAll(member, cancellationToken), budget, hash: false, cancellationToken);
                            }
                        }
                        catch (CSourceTooLargeException)
                        {
                            throw CSourceLimits.TooManyTokens(module.SourcePath, member.Path);
                        }
                        catch (ObjectCodeTooLargeException ex)
                        {
                            throw ObjectCodeLimits.TooLarge(module.SourcePath, member.Path, ex.Why);
                        }
                    }
                    if (facts.Symbols != null) defined.UnionWith(facts.Symbols);
                }
            }
            return defined;
        }
    }
}
