using System;
using System.Collections.Generic;
using System.Linq;

namespace MlfTools.ModulePackage
{
    /// <summary>The release notes of one version: its "## &lt;version&gt;" section of CHANGELOG.md, without the heading.</summary>
    public static class ChangelogSection
    {
        public static string For(string changelog, string version)
        {
            var lines = changelog.Replace("\r\n", "\n").Split('\n');
            int start = Array.FindIndex(lines, l => IsHeadingOf(l, version));
            if (start < 0) throw new InvalidOperationException($"CHANGELOG.md has no '## {version}' section; add the release notes of {version} before packing.");
            var section = lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));
            string notes = string.Join("\n", Unwrapped(section)).Trim();
            if (notes.Length == 0) throw new InvalidOperationException($"The '## {version}' section of CHANGELOG.md is empty.");
            return notes;
        }

        /// <summary>One line per list item: the changelog wraps items onto indented lines, the Gallery shows lines as they are.</summary>
        private static IEnumerable<string> Unwrapped(IEnumerable<string> lines)
        {
            var result = new List<string>();
            foreach (string line in lines)
            {
                bool continuation = line.Length > 0 && char.IsWhiteSpace(line[0]) && line.Trim().Length > 0 && result.Count > 0 && result[^1].Length > 0;
                if (continuation) result[^1] += " " + line.Trim();
                else result.Add(line.TrimEnd());
            }
            return result;
        }

        /// <summary>"## 0.1.0", "## 0.1.0 (unreleased)", "## [0.1.0] - 2024-05-01".</summary>
        private static bool IsHeadingOf(string line, string version)
        {
            if (!line.StartsWith("## ", StringComparison.Ordinal)) return false;
            string rest = line.Substring(3).TrimStart('[');
            if (!rest.StartsWith(version, StringComparison.Ordinal)) return false;
            return rest.Length == version.Length || !char.IsLetterOrDigit(rest[version.Length]) && rest[version.Length] != '.' && rest[version.Length] != '-';
        }
    }
}
