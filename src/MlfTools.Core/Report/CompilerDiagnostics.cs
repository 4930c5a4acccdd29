using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace MlfTools.Report
{
    /// <summary>
    /// What of a compiler's output an error quotes: its first diagnostic lines ("file:line:col: error: ..."), never the
    /// source lines gcc and clang echo under them. An archive's source can include any file of the machine
    /// (#include "/etc/passwd"), and the echoed line would carry that file's text into the error and the CI log.
    /// </summary>
    internal static class CompilerDiagnostics
    {
        public const int MaximumLines = 20;
        public const int MaximumCharacters = 2048;
        private const int MaximumLineCharacters = 400;

        /// <summary>file:line[:col]: message, in any language the compiler speaks.</summary>
        private static readonly Regex Located = new Regex(@"^\S.*?:\d+(?::\d+)?: \S", RegexOptions.CultureInvariant);

        /// <summary>The driver's own diagnostics: "gcc: error: unrecognized command-line option ...", "cc1: fatal error: ...".</summary>
        private static readonly Regex Unlocated = new Regex(@"^\S+: (?:fatal error|error|warning|note|sorry, unimplemented): ", RegexOptions.CultureInvariant);

        /// <summary>The linker's own messages: "/usr/bin/ld: unrecognized option ...", "…/bin/ld: obj/3.o: in function `f':".</summary>
        private static readonly Regex Linker = new Regex(@"^(?:\S*[/\\])?ld(?:\.[\w.]+)?(?:\.exe)?: ", RegexOptions.CultureInvariant);

        /// <summary>gcc's include chain: "In file included from a.c:1:" and "                 from b.h:2,".</summary>
        private static readonly Regex IncludeChain = new Regex(@"^(?:In file included from|\s+from) \S", RegexOptions.CultureInvariant);

        /// <summary>gcc 9 and later echo the source line as "   12 | text" and mark the column on "      |   ^".</summary>
        private static readonly Regex Echoed = new Regex(@"^\s*\d*\s*\|", RegexOptions.CultureInvariant);

        private static readonly Regex Int64Mismatch = new Regex(@"before .?PRI[diuxX](?:8|16|32|64)\b", RegexOptions.CultureInvariant);

        /// <summary>
        /// The first <see cref="MaximumLines"/> diagnostic lines of <paramref name="output"/>, at most
        /// <see cref="MaximumCharacters"/> in all. Output without any (a wrapper script's own message) gives its first
        /// lines that are no echoed source; no output gives an empty string.
        /// </summary>
        public static string Quote(string output)
        {
            var lines = (output ?? string.Empty).Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
            var diagnostics = lines.Where(l => Located.IsMatch(l) || Unlocated.IsMatch(l) || IncludeChain.IsMatch(l) || Linker.IsMatch(l)).ToList();
            if (diagnostics.Count == 0) diagnostics = lines.Where(l => !Echoed.IsMatch(l)).Take(5).ToList();
            var quoted = new StringBuilder();
            int count = 0;
            foreach (string line in diagnostics)
            {
                string shown = line.Length > MaximumLineCharacters ? line.Substring(0, MaximumLineCharacters) + " ..." : line;
                if (count == MaximumLines || quoted.Length + shown.Length > MaximumCharacters) break;
                if (count > 0) quoted.Append(Environment.NewLine);
                quoted.Append(shown);
                count++;
            }
            if (count < diagnostics.Count) quoted.Append(Environment.NewLine).Append($"(and {diagnostics.Count - count} more lines)");
            return quoted.ToString();
        }

        /// <summary>
        /// What to do about a failure known by its symptom, or null. Debian's arm-none-eabi-gcc pairs newlib's inttypes.h
        /// with a stdint.h that defines int64_t differently, so PRIu64 is missing and "expected ')' before 'PRIu64'" follows.
        /// </summary>
        public static string KnownFix(string output) =>
            Int64Mismatch.IsMatch(output ?? string.Empty)
                ? "add -CompilerArgument -D__int64_t_defined=1: the C library's inttypes.h does not match its stdint.h (Debian's arm-none-eabi-gcc with newlib), so its PRIu64 is missing."
                : null;
    }
}
