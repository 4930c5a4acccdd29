using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// The block YAML an Azure Pipelines file is written in, read into dictionaries (mappings, in file order), lists
    /// (sequences) and strings (scalars): indentation, "- " items, "key: value", quoted scalars, folded (&gt;, &gt;-) and
    /// literal (|, |-) block scalars, comments. No flow collections, anchors or multi-document files: anything it
    /// does not understand is a FormatException naming the line, so a file that passes is at least that well formed.
    /// </summary>
    internal static class MiniYaml
    {
        private sealed class Line
        {
            public Line(int number, int indent, string text) => (Number, Indent, Text) = (number, indent, text);

            public int Number { get; }

            public int Indent { get; set; }

            public string Text { get; set; }
        }

        public static object? Parse(string yaml)
        {
            var raw = yaml.Replace("\r\n", "\n").Split('\n');
            var lines = new List<Line>();
            for (int i = 0; i < raw.Length; i++)
            {
                if (raw[i].Contains('\t')) throw new FormatException($"line {i + 1}: a tab");
                string text = raw[i].TrimEnd();
                // Blank lines are kept (block scalars need them); comment lines are not.
                if (text.TrimStart().StartsWith("#", StringComparison.Ordinal)) continue;
                lines.Add(new Line(i + 1, text.Length - text.TrimStart().Length, text.Trim()));
            }
            int index = 0;
            SkipBlank(lines, ref index);
            if (index >= lines.Count) return null;
            object? node = ParseNode(lines, ref index, lines[index].Indent);
            SkipBlank(lines, ref index);
            if (index < lines.Count) throw new FormatException($"line {lines[index].Number}: unexpected indentation");
            return node;
        }

        /// <summary>The string at key, or null when absent or not a scalar.</summary>
        public static string? Text(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as string;

        /// <summary>The sequence at key, or an empty one.</summary>
        public static List<object?> Sequence(Dictionary<string, object?> map, string key) => map.GetValueOrDefault(key) as List<object?> ?? new List<object?>();

        private static void SkipBlank(List<Line> lines, ref int index)
        {
            while (index < lines.Count && lines[index].Text.Length == 0) index++;
        }

        private static bool IsItem(Line line) => line.Text == "-" || line.Text.StartsWith("- ", StringComparison.Ordinal);

        private static object? ParseNode(List<Line> lines, ref int index, int indent)
        {
            return IsItem(lines[index]) ? ParseSequence(lines, ref index, indent) : ParseMapping(lines, ref index, indent);
        }

        private static List<object?> ParseSequence(List<Line> lines, ref int index, int indent)
        {
            var items = new List<object?>();
            while (true)
            {
                SkipBlank(lines, ref index);
                if (index >= lines.Count || lines[index].Indent < indent) break;
                var line = lines[index];
                if (line.Indent > indent || !IsItem(line)) throw new FormatException($"line {line.Number}: expected a '- ' item at column {indent + 1}");
                string content = line.Text.Length > 1 ? line.Text.Substring(2).TrimStart() : string.Empty;
                if (content.Length == 0)
                {
                    index++;
                    SkipBlank(lines, ref index);
                    items.Add(index < lines.Count && lines[index].Indent > indent ? ParseNode(lines, ref index, lines[index].Indent) : null);
                }
                else if (IsItem(new Line(0, 0, content)) || KeyValue(content).Success)
                {
                    // "- key: value" starts a mapping (or "- - x" a sequence) indented as far as its first key.
                    line.Indent = line.Indent + (line.Text.Length - content.Length);
                    line.Text = content;
                    items.Add(ParseNode(lines, ref index, line.Indent));
                }
                else
                {
                    items.Add(Scalar(content, line.Number));
                    index++;
                }
            }
            return items;
        }

        private static Match KeyValue(string text) => Regex.Match(text, @"^([^\s'""#:][^:#]*?|'[^']*'|""[^""]*""):(?:\s+(.*))?$");

        private static Dictionary<string, object?> ParseMapping(List<Line> lines, ref int index, int indent)
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (true)
            {
                SkipBlank(lines, ref index);
                if (index >= lines.Count || lines[index].Indent < indent) break;
                var line = lines[index];
                var pair = KeyValue(line.Text);
                if (line.Indent > indent || !pair.Success) throw new FormatException($"line {line.Number}: expected 'key: value' at column {indent + 1}");
                string key = Unquote(pair.Groups[1].Value.Trim());
                if (map.ContainsKey(key)) throw new FormatException($"line {line.Number}: '{key}' given twice");
                string value = StripComment(pair.Groups[2].Value).Trim();
                index++;
                if (value.Length == 0)
                {
                    SkipBlank(lines, ref index);
                    bool nested = index < lines.Count && (lines[index].Indent > indent || (lines[index].Indent == indent && IsItem(lines[index])));
                    map[key] = nested ? ParseNode(lines, ref index, lines[index].Indent) : null;
                }
                else if (Regex.IsMatch(value, @"^[>|][-+]?$"))
                {
                    map[key] = BlockScalar(lines, ref index, indent, value);
                }
                else
                {
                    map[key] = Scalar(value, line.Number);
                }
            }
            return map;
        }

        private static string BlockScalar(List<Line> lines, ref int index, int indent, string header)
        {
            var parts = new List<string>();
            while (index < lines.Count && (lines[index].Text.Length == 0 || lines[index].Indent > indent))
            {
                parts.Add(lines[index].Text);
                index++;
            }
            while (parts.Count > 0 && parts[parts.Count - 1].Length == 0) parts.RemoveAt(parts.Count - 1);
            string text = header[0] == '>' ? string.Join(" ", parts.Where(p => p.Length > 0)) : string.Join("\n", parts);
            return header.EndsWith("-", StringComparison.Ordinal) ? text : text + "\n";
        }

        private static string StripComment(string value)
        {
            // " #" outside quotes starts a comment.
            char quote = '\0';
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (quote != '\0') { if (c == quote) quote = '\0'; }
                else if ((c == '\'' || c == '"') && (i == 0 || value[i - 1] == ' ')) quote = c;
                else if (c == '#' && i > 0 && value[i - 1] == ' ') return value.Substring(0, i);
            }
            return value;
        }

        private static string Scalar(string value, int number)
        {
            value = StripComment(value).Trim();
            if (value.StartsWith("[", StringComparison.Ordinal) || value.StartsWith("{", StringComparison.Ordinal) && !value.StartsWith("{{", StringComparison.Ordinal))
            {
                throw new FormatException($"line {number}: flow collections are not read here");
            }
            if ((value.StartsWith("'", StringComparison.Ordinal) || value.StartsWith("\"", StringComparison.Ordinal)) && (value.Length < 2 || value[value.Length - 1] != value[0]))
            {
                throw new FormatException($"line {number}: an unterminated quoted scalar");
            }
            return Unquote(value);
        }

        private static string Unquote(string value)
        {
            if (value.Length >= 2 && value[0] == '\'' && value[value.Length - 1] == '\'') return value.Substring(1, value.Length - 2).Replace("''", "'");
            if (value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"') return value.Substring(1, value.Length - 2).Replace("\\\"", "\"").Replace("\\\\", "\\");
            return value;
        }
    }
}
