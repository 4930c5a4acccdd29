using MlfTools.CSource;
using MlfTools.Text;
using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.Format;

namespace MlfTools.Report
{
    /// <summary>
    /// Where a module's weights live at run time. AOT builds compile them into the code (constants, linked params,
    /// USMP's global_const_workspace); a graph executor build does too when it was built with link-params (the target
    /// says -link-params=1, or the code defines _lookup_linked_param, which the executor asks for each storage id).
    /// Any other graph executor build loads them from the .params file at run time: only that build needs the file.
    /// </summary>
    internal static class WeightPlacement
    {
        /// <summary>Compiled into the code.</summary>
        public const string Code = "code";

        /// <summary>Loaded at run time from the .params file.</summary>
        public const string ParamsFile = "params";

        private const string LinkedParamLookup = "_lookup_linked_param";

        /// <summary><see cref="Code"/>, <see cref="ParamsFile"/>, or null for operator style or a module without a known executor.</summary>
        public static string Of(MlfModule module, CancellationToken cancellationToken = default(CancellationToken))
        {
            if (module == null) throw new ArgumentNullException(nameof(module));
            if (module.Style == MetadataReader.OperatorStyle) return null;
            if (module.Executors.Contains("aot")) return Code;
            if (!module.Executors.Contains("graph")) return null;
            if (module.Targets.Any(t => t.IndexOf("-link-params=1", StringComparison.Ordinal) >= 0)) return Code;
            return DefinesLinkedParamLookup(module, cancellationToken) ? Code : ParamsFile;
        }

        /// <summary>
        /// True when a C source defines <c>_lookup_linked_param</c>, as an object would (read by the symbol scan: a
        /// mention in a comment, an <c>#if 0</c> group or a declaration is no definition).
        /// </summary>
        internal static bool DefinesLinkedParamLookup(string source, string archivePath, string memberPath, CancellationToken cancellationToken)
        {
            if (source.IndexOf(LinkedParamLookup, StringComparison.Ordinal) < 0) return false; // no need to scan a file that never spells it
            try
            {
                return CSymbolScanner.FindGlobalDefinitions(source, skipGroupInsides: true, cancellationToken).Any(s => s.Name == LinkedParamLookup);
            }
            catch (CSourceTooLargeException)
            {
                throw CSourceLimits.TooManyTokens(archivePath, memberPath);
            }
        }

        private static bool DefinesLinkedParamLookup(MlfModule module, CancellationToken cancellationToken)
        {
            var code = module.Files.Where(f => f.Kind == MlfFileKind.Source || f.Kind == MlfFileKind.Object).ToList();
            if (code.Count == 0) return false;
            var budget = new SymbolBudget();
            using (var content = new ArchiveContent(module.Archive))
            {
                foreach (var file in code)
                {
                    var member = module.Archive.Find(file.Path);
                    if (member == null) continue;
                    if (file.Kind == MlfFileKind.Object)
                    {
                        try
                        {
                            var names = ObjectCode.FindGlobalDefinitions(ObjectCode.ReadAll(content, member, module.SourcePath, cancellationToken), budget, cancellationToken);
                            if (names.Contains(LinkedParamLookup)) return true;
                        }
                        catch (Exception ex) when (ex is InvalidDataException || ex is NotObjectCodeException)
                        {
                            // Not object code, or corrupt: Test-MlfArchive reports it; here it simply defines nothing.
                        }
                        catch (ObjectCodeTooLargeException ex)
                        {
                            throw ObjectCodeLimits.TooLarge(module.SourcePath, file.Path, ex.Why);
                        }
                        continue;
                    }
                    if (DefinesLinkedParamLookup(CText.Decode(content.ReadAll(member, cancellationToken)), module.SourcePath, file.Path, cancellationToken)) return true;
                }
            }
            return false;
        }
    }
}
