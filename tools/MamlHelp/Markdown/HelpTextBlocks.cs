using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace MlfTools.MamlHelp.Markdown
{
    /// <summary>
    /// Turns the markdown text of a help section (inline markup already resolved) into help paragraphs that Get-Help
    /// shows readably on an 80-column console: prose, lists and tables as lines that fit the section's width, words
    /// kept whole, lists with hanging indents and tables aligned (or, when too wide, one record per row). Get-Help keeps
    /// the line breaks inside a paragraph but cuts its own lines at the window's edge, in the middle of a word.
    /// Paragraphs are separated by "\r\n"; the lines of one paragraph by "\n".
    /// </summary>
    public static class HelpTextBlocks
    {
        /// <summary>An 80-column console less the 4 columns Get-Help indents the description and examples by.</summary>
        public const int Width = 76;

        /// <summary>An 80-column console less the 8 columns Get-Help indents parameters, inputs, outputs and notes by.</summary>
        public const int IndentedWidth = 72;

        /// <summary>No line breaks added: for the synopsis, which Get-Help wraps at words itself.</summary>
        public const int Unlimited = int.MaxValue;

        /// <summary>Between paragraphs (each one maml:para).</summary>
        public const string ParagraphBreak = "\r\n";

        /// <summary>Between the preformatted lines of one paragraph.</summary>
        public const string LineBreak = "\n";

        private const int ColumnGap = 2;

        // A table column narrower than this is hard to read: such a table is shown as one record per row instead.
        private const int NarrowestColumn = 20;

        private static readonly Regex ListItem = new Regex(@"^(?<indent>[ ]*)(?<marker>[-*+]|\d+[.)])[ ]+(?<text>.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex TableSeparator = new Regex(@"^\|?[ ]*:?-+:?[ ]*(\|[ ]*:?-+:?[ ]*)*\|?[ ]*$", RegexOptions.CultureInvariant);

        private enum BlockKind
        {
            Paragraph,
            List,
            Table,
        }

        public static string Format(string markdown, int width = Width)
        {
            var blocks = new List<(BlockKind Kind, List<string> Lines)>();
            (BlockKind Kind, List<string> Lines)? current = null;
            foreach (string line in markdown.Replace("\r\n", "\n").Split('\n'))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    current = null;
                    continue;
                }
                BlockKind kind = line.TrimStart().StartsWith("|", StringComparison.Ordinal) ? BlockKind.Table
                    : ListItem.IsMatch(line) ? BlockKind.List
                    : current?.Kind == BlockKind.List ? BlockKind.List // a continuation line of an item
                    : BlockKind.Paragraph;
                if (current == null || current.Value.Kind != kind)
                {
                    current = (kind, new List<string>());
                    blocks.Add(current.Value);
                }
                current.Value.Lines.Add(line);
            }
            return string.Join(ParagraphBreak, blocks.Select(b =>
                b.Kind == BlockKind.Table ? Table(b.Lines, width) : b.Kind == BlockKind.List ? List(b.Lines, width) : Prose(b.Lines, width)));
        }

        // A code span: a run of backticks (not escaped), its text, and a run of the same length. Console help cannot show
        // code as code, and the backticks would show literally, so the span shows as its text alone.
        private static readonly Regex CodeSpan = new Regex(@"(?<![\\`])(?<fence>`+)(?!`)(?<code>.+?)(?<!`)\k<fence>(?!`)", RegexOptions.CultureInvariant);

        /// <summary>Code spans shown as their text without the backticks; markdown escapes removed (an escaped backtick stays).</summary>
        public static string Unescape(string text) =>
            Regex.Replace(CodeSpan.Replace(text, m => Trimmed(m.Groups["code"].Value)), @"\\([\\`*_{}\[\]()#+\-.!|<>])", "$1");

        // "`` `x` ``": one blank on each side of a span's text is padding (CommonMark), so that a span may begin with a backtick.
        private static string Trimmed(string code) =>
            code.Length >= 2 && code[0] == ' ' && code[code.Length - 1] == ' ' && code.Trim().Length > 0 ? code.Substring(1, code.Length - 2) : code;

        private static string Prose(IEnumerable<string> lines, int width) =>
            string.Join(LineBreak, Wrap(Unescape(string.Join(" ", lines.Select(l => l.Trim()))), width));

        private static string List(List<string> lines, int width)
        {
            var items = new List<(int Indent, string Marker, StringBuilder Text)>();
            foreach (string line in lines)
            {
                var match = ListItem.Match(line);
                if (match.Success)
                {
                    items.Add((match.Groups["indent"].Value.Length, match.Groups["marker"].Value, new StringBuilder(match.Groups["text"].Value.Trim())));
                }
                else
                {
                    items[items.Count - 1].Text.Append(' ').Append(line.Trim());
                }
            }
            var output = new List<string>();
            foreach (var (indent, marker, text) in items)
            {
                string bullet = new string(' ', indent) + (char.IsDigit(marker[0]) ? marker : "-") + " ";
                var wrapped = Wrap(Unescape(text.ToString()), width - bullet.Length);
                output.Add(bullet + wrapped[0]);
                output.AddRange(wrapped.Skip(1).Select(l => new string(' ', bullet.Length) + l));
            }
            return string.Join(LineBreak, output);
        }

        private static string Table(List<string> lines, int width)
        {
            var rows = lines.Where(l => !TableSeparator.IsMatch(l.Trim())).Select(Cells).ToList();
            int columns = rows.Max(r => r.Count);
            foreach (var row in rows)
            {
                while (row.Count < columns) row.Add(string.Empty);
            }
            var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => r[c].Length)).ToArray();
            int available = width - ColumnGap * (columns - 1);
            while (widths.Sum() > available)
            {
                int widest = Array.IndexOf(widths, widths.Max());
                if (widths[widest] <= NarrowestColumn && columns > 1) return Records(rows, width);
                if (widths[widest] <= 1) break;
                widths[widest]--;
            }
            var output = new List<string>();
            for (int r = 0; r < rows.Count; r++)
            {
                var cells = rows[r].Select((cell, c) => Wrap(cell, widths[c])).ToList();
                int height = cells.Max(c => c.Count);
                for (int l = 0; l < height; l++)
                {
                    output.Add(string.Join(new string(' ', ColumnGap),
                        cells.Select((cell, c) => (l < cell.Count ? cell[l] : string.Empty).PadRight(widths[c]))).TrimEnd());
                }
                if (r == 0) output.Add(string.Join(new string(' ', ColumnGap), widths.Select(w => new string('-', w))));
            }
            return string.Join(LineBreak, output);
        }

        /// <summary>A table too wide for the console: each row as its first cell, then "Header  value" lines, with a blank line between rows.</summary>
        private static string Records(List<List<string>> rows, int width)
        {
            var headers = rows[0];
            int labelWidth = headers.Skip(1).Max(h => h.Length) + ColumnGap;
            const int indent = 4;
            var output = new List<string>();
            foreach (var row in rows.Skip(1))
            {
                if (output.Count > 0) output.Add(string.Empty);
                output.AddRange(Wrap(row[0], width));
                for (int c = 1; c < row.Count; c++)
                {
                    if (row[c].Length == 0) continue;
                    var wrapped = Wrap(row[c], width - indent - labelWidth);
                    output.Add(new string(' ', indent) + headers[c].PadRight(labelWidth) + wrapped[0]);
                    output.AddRange(wrapped.Skip(1).Select(l => new string(' ', indent + labelWidth) + l));
                }
            }
            return string.Join(LineBreak, output);
        }

        /// <summary>The cells of a "| a | b |" row, split at pipes that are not escaped, trimmed and unescaped.</summary>
        private static List<string> Cells(string line)
        {
            string row = line.Trim();
            if (row.StartsWith("|", StringComparison.Ordinal)) row = row.Substring(1);
            if (row.EndsWith("|", StringComparison.Ordinal) && !row.EndsWith("\\|", StringComparison.Ordinal)) row = row.Substring(0, row.Length - 1);
            return Regex.Split(row, @"(?<!\\)\|").Select(cell => Unescape(cell.Trim())).ToList();
        }

        /// <summary>Words of <paramref name="text"/> in lines of at most <paramref name="width"/> characters; a longer word is cut.</summary>
        public static List<string> Wrap(string text, int width)
        {
            var lines = new List<string>();
            var line = new StringBuilder();
            foreach (string word in text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string rest = word;
                if (line.Length > 0 && line.Length + 1 + rest.Length > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }
                while (rest.Length > width)
                {
                    lines.Add(rest.Substring(0, width));
                    rest = rest.Substring(width);
                }
                if (line.Length > 0) line.Append(' ');
                line.Append(rest);
            }
            if (line.Length > 0 || lines.Count == 0) lines.Add(line.ToString());
            return lines;
        }
    }
}
