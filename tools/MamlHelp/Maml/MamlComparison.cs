using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MlfTools.MamlHelp.Maml
{
    /// <summary>
    /// What two MAML files must agree on to be the same help: every element and attribute, and the words of every text.
    /// Indentation, line ends, the encoding's byte order mark and how a text is cut into maml:para lines do not count,
    /// so a file New-ExternalHelp wrote and one this tool wrote from the same markdown compare equal.
    /// </summary>
    public static class MamlComparison
    {
        private static readonly HashSet<XName> TextContainers = new HashSet<XName>
        {
            MamlWriter.Maml + "description", MamlWriter.Dev + "remarks", MamlWriter.Maml + "alert",
        };

        /// <summary>One line per element: its path, its attributes and its text with whitespace collapsed.</summary>
        public static List<string> Canonical(XDocument document)
        {
            var lines = new List<string>();
            if (document.Root != null) Walk(document.Root, string.Empty, lines);
            return lines;
        }

        /// <summary>The first line where the two differ, or null when they are the same help.</summary>
        public static string? FirstDifference(XDocument expected, XDocument actual)
        {
            var left = Canonical(expected);
            var right = Canonical(actual);
            for (int i = 0; i < Math.Max(left.Count, right.Count); i++)
            {
                string? a = i < left.Count ? left[i] : null;
                string? b = i < right.Count ? right[i] : null;
                if (a != b) return $"expected: {a ?? "(nothing)"}\n  actual: {b ?? "(nothing)"}";
            }
            return null;
        }

        private static void Walk(XElement element, string parentPath, List<string> lines)
        {
            string path = parentPath + "/" + element.Name.LocalName;
            string attributes = string.Join(" ", element.Attributes()
                .Where(a => !a.IsNamespaceDeclaration)
                .Select(a => $"{a.Name.LocalName}={a.Value}")
                .OrderBy(a => a, StringComparer.Ordinal));
            if (TextContainers.Contains(element.Name))
            {
                lines.Add($"{path} [{attributes}] {Collapse(string.Join(" ", element.Elements().Select(e => e.Value)))}");
                return;
            }
            string text = string.Concat(element.Nodes().OfType<XText>().Select(t => t.Value));
            lines.Add($"{path} [{attributes}] {Collapse(text)}");
            foreach (var child in element.Elements()) Walk(child, path, lines);
        }

        private static string Collapse(string text) => Regex.Replace(text, @"\s+", " ").Trim();
    }
}
