using System.Collections.Generic;
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

        /// <summary>
        /// A paragraph's help text: its markdown with inline markup resolved (a link is followed by its target in
        /// parentheses), cut into help paragraphs by <see cref="HelpTextBlocks"/>, so that lists and tables keep their lines.
        /// </summary>
        public static string OfParagraph(ParagraphNode? paragraph, int width = HelpTextBlocks.Width) =>
            paragraph == null ? string.Empty : HelpTextBlocks.Format(paragraph.Markdown, width);

        private static bool IsListLine(string line) =>
            line.Length >= 2 && ((line[0] == '-' && (line[1] == '-' || line[1] == ' ')) || (line[0] == '*' && line[1] == ' '));

        /// <summary>The help paragraphs of a text: one per "\r\n"; a lone "\n" is a line break inside a paragraph.</summary>
        public static IEnumerable<string> Paragraphs(string? text) => text == null ? new string[0] : text.Split(HelpTextBlocks.ParagraphBreak);
    }
}
