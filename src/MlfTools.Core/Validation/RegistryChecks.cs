using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Format;
using MlfTools.Join;
using MlfTools.Rename;
using MlfTools.CSource;

namespace MlfTools.Validation
{
    /// <summary>
    /// A system-lib module's function registry against what the C runtime (CRT) will do with it, which the CRT itself
    /// hides: its graph executor ignores a function it cannot find, and a registry count of the other width makes it
    /// misread the first name.
    /// </summary>
    internal static class RegistryChecks
    {
        private const int ListedAtMost = 5;
        private const string RegistrySource = "runtime/src/runtime/crt/common/func_registry.c";

        // TVMFuncRegistry_GetNumFuncs: "uint8_t num_funcs;" up to TVM 0.8, "uint16_t num_funcs;" from 0.9.
        private static readonly Regex Version = new Regex(@"^\s*([0-9]+)\.([0-9]+)(?:\.([0-9]+))?(.*)$", RegexOptions.CultureInvariant);

        public static void Check(MlfModule module, SystemLibrary systemLib, Findings findings, CancellationToken cancellationToken)
        {
            if (systemLib?.RegistryProblem(module.OriginalName) is string problem)
            {
                findings.Add(ArchiveFindingIds.FunctionRegistryInvalid, module.OriginalName, systemLib.Path,
                    problem + " The C runtime's graph executor reports no such failure: the model computes wrong outputs or crashes. Re-export the model with TVM, or correct the registry.");
                return;
            }
            if (systemLib == null || systemLib.CountBytes == 0) return;
            ReportUnregistered(module, systemLib, findings);
            ReportCountWidth(module, systemLib, findings, cancellationToken);
        }

        private static void ReportUnregistered(MlfModule module, SystemLibrary systemLib, Findings findings)
        {
            if (module.GraphConfig == null) return;
            var registered = new HashSet<string>(systemLib.Names, StringComparer.Ordinal);
            var missing = module.GraphConfig.FunctionNames.Where(n => !TvmNames.IsGraphExecutorBuiltin(n) && !registered.Contains(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (missing.Count == 0) return;
            findings.Add(ArchiveFindingIds.UnregisteredFunction, module.OriginalName, systemLib.Path,
                $"The graph config of module '{module.OriginalName}' calls {missing.Count} function(s) that the function registry in '{systemLib.Path}' does not list: {Listed(missing)}. The C runtime's graph executor finds functions only through the registry, and skips one it cannot find without an error, so the model computes wrong outputs. Re-export the model with TVM.");
        }

        private static void ReportCountWidth(MlfModule module, SystemLibrary systemLib, Findings findings, CancellationToken cancellationToken)
        {
            var (expected, why) = ExpectedWidth(module, cancellationToken);
            if (expected == 0 || expected == systemLib.CountBytes) return;
            findings.Add(ArchiveFindingIds.RegistryCountMismatch, module.OriginalName, systemLib.Path,
                $"The function registry in '{systemLib.Path}' of module '{module.OriginalName}' starts with a {Bytes(systemLib.CountBytes)} function count (as TVM {(systemLib.CountBytes == 1 ? "0.8 and older" : "0.9 and later")} writes it), but {why} reads {Bytes(expected)}. That runtime misreads the first function's name and silently fails to find it, so the model computes wrong outputs. " +
                (systemLib.CountBytes == 1
                    ? "Join-MlfArchive writes the two-byte count: join the original archive again (New-MlfModule -Path <archive> | Join-MlfArchive -DestinationPath <new archive>), or build with the C runtime of the TVM that exported the model."
                    : "Build with the C runtime of the TVM that exported the model."));
        }

        /// <summary>The count width the archive's runtime reads (its func_registry.c, else its version), else that of version 7 (TVM 0.9+); 0 when unknown.</summary>
        private static (int Width, string Why) ExpectedWidth(MlfModule module, CancellationToken cancellationToken)
        {
            var source = module.Files.FirstOrDefault(f => f.Kind == MlfFileKind.Runtime && f.Path.EndsWith(RegistrySource, StringComparison.Ordinal));
            var member = source == null ? null : module.Archive.Find(source.Path);
            if (member != null)
            {
                using (var content = new ArchiveContent(module.Archive))
                {
                    int declared = DeclaredCountWidth(CText.Decode(content.ReadAll(member, cancellationToken)), cancellationToken);
                    if (declared != 0) return (declared, $"the C runtime in the archive ('{source.Path}')");
                }
            }
            int fromVersion = WidthOfVersion(module.RuntimeVersion);
            if (fromVersion != 0) return (fromVersion, $"the C runtime the archive names (TVM {module.RuntimeVersion})");
            if (!module.HasRuntime && module.FormatVersion >= 7) return (2, "the C runtime of every TVM that writes MLF version 7 (0.9 and later)");
            return (0, null);
        }

        /// <summary>
        /// The width, in bytes, of the first <c>uint8_t num_funcs;</c> or <c>uint16_t num_funcs;</c> the active code of
        /// func_registry.c declares (read with the C lexer: a comment or an <c>#if 0</c> group does not count); 0 when none.
        /// </summary>
        internal static int DeclaredCountWidth(string source, CancellationToken cancellationToken)
        {
            List<CToken> tokens;
            try
            {
                tokens = CConditionals.ActiveTokens(CLexer.Tokenize(source, skipGroupInsides: false, cancellationToken), out _);
            }
            catch (CSourceTooLargeException)
            {
                return 0; // no C runtime's func_registry.c is that large: the width then follows the version
            }
            for (int i = 0; i + 2 < tokens.Count; i++)
            {
                if (tokens[i + 1].IsIdentifier("num_funcs") && tokens[i + 2].IsPunctuator(";"))
                {
                    if (tokens[i].IsIdentifier("uint8_t")) return 1;
                    if (tokens[i].IsIdentifier("uint16_t")) return 2;
                }
            }
            return 0;
        }

        /// <summary>1 up to 0.8, 2 from 0.9.0 on; 0 for 0.9 development builds (the change came in May 2022) and what cannot be read.</summary>
        private static int WidthOfVersion(string version)
        {
            if (version == null) return 0;
            var match = Version.Match(version);
            if (!match.Success) return 0;
            int major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            int minor = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            if (major > 0 || minor >= 10) return 2;
            if (minor <= 8) return 1;
            return match.Groups[4].Value.Length == 0 ? 2 : 0; // 0.9.0 released; 0.9.dev* either
        }

        private static string Bytes(int width) => width == 1 ? "one-byte" : "two-byte";

        private static string Listed(List<string> names) => Listing.AndMore(names, ListedAtMost);
    }
}
