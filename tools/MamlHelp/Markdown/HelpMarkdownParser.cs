using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace MlfTools.MamlHelp.Markdown
{
    /// <summary>A help markdown file split into its metadata header and its nodes.</summary>
    public sealed class MarkdownDocument
    {
        public MarkdownDocument(IReadOnlyDictionary<string, string?> metadata, IReadOnlyList<MarkdownNode> nodes)
        {
            Metadata = metadata;
            Nodes = nodes;
        }

        /// <summary>The "key: value" lines between the leading "---" lines (keys ignore case; an empty value is null).</summary>
        public IReadOnlyDictionary<string, string?> Metadata { get; }

        public IReadOnlyList<MarkdownNode> Nodes { get; }
    }

    /// <summary>
    /// Reads markdown the way PlatyPS 0.14 reads it for New-ExternalHelp: at each point the nearest of a fixed list of
    /// patterns (headings, ``` code blocks, hard breaks, links, bold, italic) wins, ties going to the earlier pattern;
    /// text in between is plain. These are the rules that decide what ends up in the MAML, including the surprising
    /// ones: a pair of '*' or of '_' words on one line is italic even inside `inline code`, and blank lines do not
    /// start new paragraphs.
    /// </summary>
    public static class HelpMarkdownParser
    {
        // PlatyPS looks at most this far ahead for the next pattern.
        private const int SearchWindow = 10000;

        private const RegexOptions Options = RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.Compiled;

        private enum Pattern
        {
            HeadingAtStart,
            HeadingAfterLineBreaks,
            UnderlinedHeading,
            CodeBlock,
            HardBreak,
            Link,
            Bold,
            Italic,
            BoldUnderscore,
            ItalicUnderscore,
        }

        private static readonly (Pattern Kind, Regex Regex)[] Patterns =
        {
            (Pattern.HeadingAtStart, new Regex(@"(\#+)[ ]*(.+?)[ ]*\#*(\r\n)+", Options)),
            (Pattern.HeadingAfterLineBreaks, new Regex(@"(\r\n)+(\#+)[ ]*(.+?)[ ]*\#*(\r\n)+", Options)),
            (Pattern.UnderlinedHeading, new Regex(@"(.+?)[ ]*\r\n(==+|--+)[ ]*(\r\n)+", Options)),
            (Pattern.CodeBlock, new Regex(@"```(\w*)(\r\n)*((.|\r\n)*?)```(\r\n)*", Options)),
            (Pattern.HardBreak, new Regex(@"[ ]{2}\r\n", Options)),
            (Pattern.Link, new Regex(@"\[(.+?)\]\((.*)\)", Options)),
            (Pattern.Bold, new Regex(@"\*\*(.+?)\*\*", Options)),
            (Pattern.Italic, new Regex(@"\*(.+?)\*", Options)),
            (Pattern.BoldUnderscore, new Regex(@"(?<![a-zA-Z0-9])__(.+?)__(?![a-zA-Z0-9])", Options)),
            (Pattern.ItalicUnderscore, new Regex(@"(?<![a-zA-Z0-9])_(.+?)_(?![a-zA-Z0-9])", Options)),
        };

        public static MarkdownDocument Parse(string markdown)
        {
            string text = Regex.Replace(markdown.TrimStart().Replace('\u2013', '-'), "\r\n?|\n", "\r\n");
            var metadata = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            int bodyStart = 0;
            if (text.StartsWith("---\r\n", StringComparison.Ordinal))
            {
                int end = text.IndexOf("\r\n---", 5, StringComparison.Ordinal);
                if (end >= 0)
                {
                    foreach (var pair in KeyValueLines.Parse(text.Substring(5, end - 5))) metadata[pair.Key] = pair.Value;
                    bodyStart = end + 5;
                    while (bodyStart < text.Length && char.IsWhiteSpace(text[bodyStart])) bodyStart++;
                }
            }
            var nodes = new Tokenizer(text, bodyStart).Run();
            return new MarkdownDocument(metadata, nodes);
        }

        private sealed class Tokenizer
        {
            private readonly string _text;
            private readonly int _start;
            private readonly List<MarkdownNode> _nodes = new List<MarkdownNode>();
            private List<Span>? _spans;
            private StringBuilder? _markdown;
            private int _paragraphLine;

            public Tokenizer(string text, int start)
            {
                _text = text;
                _start = start;
            }

            public List<MarkdownNode> Run()
            {
                int offset = _start;
                while (offset < _text.Length)
                {
                    var (kind, match, index) = Nearest(offset);
                    if (match == null)
                    {
                        AddPlainText(offset, _text.Length);
                        break;
                    }
                    AddPlainText(offset, index);
                    Apply(kind, match, index);
                    offset = index + match.Length;
                }
                FinishParagraph();
                return _nodes;
            }

            private (Pattern Kind, Match? Match, int Index) Nearest(int offset)
            {
                // Each pattern sees only the window, as if it were the whole text: no look-behind past its start.
                string window = _text.Substring(offset, Math.Min(_text.Length - offset, SearchWindow));
                Match? best = null;
                Pattern bestKind = default;
                foreach (var (kind, regex) in Patterns)
                {
                    if (kind == Pattern.HeadingAtStart && window[0] != '#') continue;
                    var match = regex.Match(window);
                    if (!match.Success || (best != null && best.Index <= match.Index)) continue;
                    best = match;
                    bestKind = kind;
                    if (match.Index == 0) break;
                }
                return (bestKind, best, best == null ? -1 : offset + best.Index);
            }

            private void Apply(Pattern kind, Match match, int index)
            {
                int line = LineOf(index);
                switch (kind)
                {
                    case Pattern.HeadingAtStart:
                        AddNode(new HeadingNode(match.Groups[2].Value, match.Groups[1].Value.Length, line));
                        break;
                    case Pattern.HeadingAfterLineBreaks:
                        AddNode(new HeadingNode(match.Groups[3].Value, match.Groups[2].Value.Length, line + match.Groups[1].Captures.Count));
                        break;
                    case Pattern.UnderlinedHeading:
                        AddNode(new HeadingNode(match.Groups[1].Value, match.Groups[2].Value[0] == '=' ? 1 : 2, line));
                        break;
                    case Pattern.CodeBlock:
                        AddNode(new CodeBlockNode(match.Groups[1].Value, match.Groups[3].Value.Trim(), line));
                        break;
                    case Pattern.HardBreak:
                        AddSpan(new Span(SpanKind.HardBreak, "\n"), line, "\r\n");
                        break;
                    case Pattern.Link:
                        string uri = match.Groups[2].Value;
                        AddSpan(new Span(SpanKind.Link, match.Groups[1].Value, uri), line,
                            match.Groups[1].Value + (string.IsNullOrWhiteSpace(uri) ? string.Empty : " (" + uri + ")"));
                        break;
                    case Pattern.Bold:
                    case Pattern.BoldUnderscore:
                        AddSpan(new Span(SpanKind.Bold, SpanText.Unescape(match.Groups[1].Value.Trim())), line, match.Groups[1].Value);
                        break;
                    default:
                        AddSpan(new Span(SpanKind.Italic, SpanText.Unescape(match.Groups[1].Value.Trim())), line, match.Groups[1].Value);
                        break;
                }
            }

            private void AddPlainText(int from, int to)
            {
                if (to <= from) return;
                string text = _text.Substring(from, to - from);
                if (string.IsNullOrWhiteSpace(text))
                {
                    // Between two spans this is the space or blank line that separates them.
                    _markdown?.Append(text);
                    return;
                }
                AddSpan(new Span(SpanKind.Text, SpanText.Unescape(text.Trim())), LineOf(from + (text.Length - text.TrimStart().Length)), text);
            }

            /// <param name="markdown">What the span stands for in the paragraph's text: its markdown with the inline markup resolved.</param>
            private void AddSpan(Span span, int line, string markdown)
            {
                if (_spans == null)
                {
                    _spans = new List<Span>();
                    _markdown = new StringBuilder();
                    _paragraphLine = line;
                }
                _spans.Add(span);
                _markdown!.Append(markdown);
            }

            private void AddNode(MarkdownNode node)
            {
                FinishParagraph();
                _nodes.Add(node);
            }

            private void FinishParagraph()
            {
                if (_spans != null && _spans.Count > 0) _nodes.Add(new ParagraphNode(_spans, _paragraphLine, _markdown!.ToString()));
                _spans = null;
                _markdown = null;
            }

            private int LineOf(int index)
            {
                int line = 1;
                for (int i = 0; i < index && i < _text.Length; i++)
                {
                    if (_text[i] == '\n') line++;
                }
                return line;
            }
        }
    }
}
