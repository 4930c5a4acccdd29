using System.Collections.Generic;

namespace MlfTools.MamlHelp.Markdown
{
    /// <summary>A block of a help markdown file as PlatyPS 0.14 sees it: a heading, a code block or a paragraph.</summary>
    public abstract class MarkdownNode
    {
        protected MarkdownNode(int line)
        {
            Line = line;
        }

        /// <summary>1-based line in the file where the node starts.</summary>
        public int Line { get; }
    }

    public sealed class HeadingNode : MarkdownNode
    {
        public HeadingNode(string text, int level, int line) : base(line)
        {
            Text = text;
            Level = level;
        }

        public string Text { get; }
        public int Level { get; }
    }

    public sealed class CodeBlockNode : MarkdownNode
    {
        public CodeBlockNode(string language, string text, int line) : base(line)
        {
            Language = language;
            Text = text;
        }

        /// <summary>The word after the opening fence ("powershell", "yaml"), or "" when there is none.</summary>
        public string Language { get; }

        /// <summary>The block's content, trimmed, with \r\n line ends.</summary>
        public string Text { get; }
    }

    /// <summary>
    /// Everything between two headings or code blocks. PlatyPS 0.14 does not split paragraphs at blank lines (its
    /// paragraph pattern never matches), so one node holds all the text of a section; the blank lines survive inside
    /// the text of its spans.
    /// </summary>
    public sealed class ParagraphNode : MarkdownNode
    {
        public ParagraphNode(IReadOnlyList<Span> spans, int line, string markdown) : base(line)
        {
            Spans = spans;
            Markdown = markdown;
        }

        public IReadOnlyList<Span> Spans { get; }

        /// <summary>The paragraph's markdown as written, line breaks and blank lines kept, with bold, italic and links resolved to their text.</summary>
        public string Markdown { get; }
    }

    public enum SpanKind
    {
        Text,
        Bold,
        Italic,
        Link,
        HardBreak,
    }

    public sealed class Span
    {
        public Span(SpanKind kind, string text, string? uri = null)
        {
            Kind = kind;
            Text = text;
            Uri = uri;
        }

        public SpanKind Kind { get; }

        /// <summary>The span's text: for text, bold and italic spans already unescaped and with lines joined.</summary>
        public string Text { get; }

        /// <summary>The target of a link span.</summary>
        public string? Uri { get; }
    }
}
