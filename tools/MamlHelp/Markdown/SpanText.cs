using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace MlfTools.MamlHelp.Markdown
{
    /// <summary>How PlatyPS 0.14 turns markdown text into help text.</summary>
    public static class SpanText
    {
        private static readonly Regex Lines = new Regex("([^\r\n]*)(\r\n|$)", RegexOptions.CultureInvariant);

        /// <summary>
        /// The text of one plain, bold or italic span: markdown escapes removed; a single line break becomes a space, a
        /// blank line a line break; consecutive list lines ("- ", "* ", "--") keep their line breaks.
        /// </summary>
        public static string Unescape(string text)
        {
            text = text
                .Replace(@"\[", "[")
                .Replace(@"\]", "]")
                .Replace(@"\(", "(")
                .Replace(@"\)", ")")
                .Replace(@"\`", "`")
                .Replace(@"\<", "<")
                .Replace(@"\>", ">")
                .Replace(@"\_", "_")
                .Replace(@"\*", "*")
                .Replace(@"\\", @"\");

            string previous = "foo";
            bool inList = false;
            string joined = Lines.Replace(text, match =>
            {
                string before = previous;
                string line = match.Groups[1].Value;
                previous = line;
                if (string.IsNullOrWhiteSpace(line)) return "\r\n";
                if (IsListLine(before) && IsListLine(line))
                {
                    inList = true;
                    return "\r\n" + line;
                }
                if (inList)
                {
                    inList = false;
                    line = "\r\n" + line;
                }
                return line + " ";
            });
            return joined.Replace(" \r\n", "\r\n").Trim();
        }

        /// <summary>A paragraph's text: its spans in order, with a space on either side of links, bold and italic text, and a link followed by its target in parentheses.</summary>
        public static string OfParagraph(ParagraphNode? paragraph)
        {
            if (paragraph == null) return string.Empty;
            var text = new StringBuilder();
            bool first = true;
            bool previousSpecial = false;
            foreach (var span in paragraph.Spans)
            {
                bool special = span.Kind == SpanKind.Link || span.Kind == SpanKind.Bold || span.Kind == SpanKind.Italic;
                if ((!first && special) || previousSpecial) text.Append(' ');
                text.Append(span.Text);
                previousSpecial = special;
                if (span.Kind == SpanKind.Link && !string.IsNullOrWhiteSpace(span.Uri))
                {
                    text.Append(" (").Append(span.Uri).Append(')');
                    previousSpecial = false;
                }
                first = false;
            }
            return text.ToString();
        }

        private static bool IsListLine(string line) =>
            line.Length >= 2 && ((line[0] == '-' && (line[1] == '-' || line[1] == ' ')) || (line[0] == '*' && line[1] == ' '));

        /// <summary>The help paragraphs of a text: one per line.</summary>
        public static IEnumerable<string> Paragraphs(string? text) => text == null ? new string[0] : text.Split("\r\n");
    }
}
