using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.MamlHelp.Markdown;

namespace MlfTools.MamlHelp.Help
{
    /// <summary>A markdown file that does not follow the PlatyPS 0.14 help schema (New-ExternalHelp would refuse it too).</summary>
    public sealed class HelpSchemaException : Exception
    {
        public HelpSchemaException(string file, int line, string message)
            : base($"{file}:{line}: {message}")
        {
        }
    }

    /// <summary>
    /// Reads the nodes of a help markdown file into <see cref="CommandHelp"/>, following PlatyPS 0.14's schema 2.0.0:
    /// "# Verb-Noun", then level-2 sections; SYNOPSIS, DESCRIPTION and NOTES are text only (no code blocks);
    /// each example is a level-3 title, code blocks, then remarks; each parameter a "### -Name" heading, a
    /// description and one or more ```yaml blocks of known keys.
    /// </summary>
    public sealed class CommandHelpReader
    {
        private static readonly string[] KnownYamlKeys =
        {
            "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
            "Accept pipeline input", "Accept wildcard characters", "Applicable",
        };

        private readonly string _file;
        private readonly IReadOnlyList<MarkdownNode> _nodes;
        private int _next;

        private CommandHelpReader(string file, IReadOnlyList<MarkdownNode> nodes)
        {
            _file = file;
            _nodes = nodes;
        }

        public static List<CommandHelp> Read(string file, string markdown)
        {
            var document = HelpMarkdownParser.Parse(markdown);
            CheckEveryHeadingSeen(file, markdown, document.Nodes);
            return new CommandHelpReader(file, document.Nodes).ReadCommands(document.Metadata);
        }

        /// <summary>
        /// PlatyPS looks for the next markup at most 10,000 characters ahead: past a longer stretch of plain text it takes
        /// the rest of the file for text, and the help silently loses its examples and parameters. Refuse that instead.
        /// </summary>
        private static void CheckEveryHeadingSeen(string file, string markdown, IReadOnlyList<MarkdownNode> nodes)
        {
            var seen = new HashSet<int>(nodes.OfType<HeadingNode>().Select(h => h.Line));
            string[] lines = markdown.Split('\n');
            bool inCode = false;
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].TrimEnd('\r');
                if (line.StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
                if (inCode || !line.StartsWith("## ", StringComparison.Ordinal) || seen.Contains(i + 1)) continue;
                throw new HelpSchemaException(file, i + 1,
                    $"the heading '{line}' is not seen: PlatyPS looks at most 10,000 characters ahead for the next markup, so the plain text before it hides it and everything after. Shorten that text or break it with markup.");
            }
        }

        private List<CommandHelp> ReadCommands(IReadOnlyDictionary<string, string?> metadata)
        {
            var commands = new List<CommandHelp>();
            MarkdownNode? node;
            while ((node = Next()) != null)
            {
                // Text before the first heading is ignored, as PlatyPS ignores it.
                if (!(node is HeadingNode heading)) continue;
                if (heading.Level != 1) throw Error(heading, $"expected '# Verb-Noun', found a level-{heading.Level} heading '{heading.Text}'");
                var command = new CommandHelp(heading.Text, _file, metadata);
                while (ReadSection(command)) { }
                commands.Add(command);
            }
            return commands;
        }

        private bool ReadSection(CommandHelp command)
        {
            var heading = HeadingAt(Next(), 2);
            if (heading == null) return false;
            string name = heading.Text.ToUpperInvariant();
            command.Sections.Add(name);
            switch (name)
            {
                case "SYNOPSIS":
                    command.Synopsis = SpanText.OfParagraph(Paragraph(), HelpTextBlocks.Unlimited);
                    break;
                case "DESCRIPTION":
                    command.Description = SpanText.OfParagraph(Paragraph());
                    break;
                case "NOTES":
                    command.Notes = SpanText.OfParagraph(Paragraph(), HelpTextBlocks.IndentedWidth);
                    break;
                case "SYNTAX":
                    ReadSyntax(command);
                    break;
                case "EXAMPLES":
                    ReadExamples(command);
                    break;
                case "PARAMETERS":
                    while (ReadParameter(command)) { }
                    break;
                case "INPUTS":
                    ReadTypes(command.Inputs);
                    break;
                case "OUTPUTS":
                    ReadTypes(command.Outputs);
                    break;
                case "RELATED LINKS":
                    ReadLinks(command);
                    break;
                default:
                    throw Error(heading, $"unexpected section '{heading.Text}'");
            }
            return true;
        }

        private void ReadSyntax(CommandHelp command)
        {
            while (true)
            {
                var node = Next();
                if (node is CodeBlockNode bare)
                {
                    command.SyntaxBlocks.Add(new SyntaxBlock(ParameterFacts.AllParameterSets, true, bare.Text));
                    continue;
                }
                var heading = HeadingAt(node, 3);
                if (heading == null) return;
                const string defaultMarker = " (Default)";
                bool isDefault = heading.Text.EndsWith(defaultMarker, StringComparison.Ordinal);
                string set = isDefault ? heading.Text.Substring(0, heading.Text.Length - defaultMarker.Length) : heading.Text;
                command.SyntaxBlocks.Add(new SyntaxBlock(set, isDefault, CodeBlock()?.Text));
            }
        }

        private void ReadExamples(CommandHelp command)
        {
            HeadingNode? heading;
            while ((heading = HeadingAt(Next(), 3)) != null)
            {
                string introduction = SpanText.OfParagraph(Paragraph());
                var code = new List<string>();
                CodeBlockNode? block;
                while ((block = CodeBlock()) != null) code.Add(block.Text);
                command.Examples.Add(new ExampleHelp(heading.Text, introduction, code, SpanText.OfParagraph(Paragraph())));
            }
        }

        private bool ReadParameter(CommandHelp command)
        {
            var heading = HeadingAt(Next(), 3);
            if (heading == null) return false;
            string name = heading.Text.StartsWith("-", StringComparison.Ordinal) ? heading.Text.Substring(1) : heading.Text;
            string description = DescriptionBeforeYaml();
            if (string.Equals(name, "CommonParameters", StringComparison.OrdinalIgnoreCase))
            {
                command.HasCommonParameters = true;
                return true;
            }
            if (string.Equals(name, "WorkflowParameters", StringComparison.OrdinalIgnoreCase)) return true;

            var parameter = new ParameterHelp(name, description);
            CodeBlockNode? yaml;
            while ((yaml = CodeBlock()) != null) parameter.Facts.Add(ReadFacts(yaml));
            command.Parameters.Add(parameter);
            return true;
        }

        private ParameterFacts ReadFacts(CodeBlockNode yaml)
        {
            List<KeyValuePair<string, string?>> pairs;
            try
            {
                pairs = KeyValueLines.Parse(yaml.Text);
            }
            catch (FormatException ex)
            {
                throw Error(yaml, "invalid yaml: " + ex.Message);
            }
            var facts = new ParameterFacts();
            bool setsGiven = false;
            foreach (var (key, value) in pairs)
            {
                if (!KnownYamlKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) throw Error(yaml, $"invalid yaml: unknown key '{key}'");
                if (key.Equals("Parameter Sets", StringComparison.OrdinalIgnoreCase)) setsGiven = true;
                if (value == null) continue;
                switch (key.ToLowerInvariant())
                {
                    case "type": facts.Type = value; break;
                    case "parameter sets": facts.ParameterSets.AddRange(SplitList(value)); break;
                    case "aliases": facts.Aliases.AddRange(SplitList(value)); break;
                    case "accepted values": facts.AcceptedValues.AddRange(SplitList(value)); break;
                    case "required": facts.Required = value.Equals("true", StringComparison.OrdinalIgnoreCase); break;
                    case "position": facts.Position = value; break;
                    case "default value": facts.DefaultValue = value; break;
                    case "accept pipeline input": facts.PipelineInput = value; break;
                    case "accept wildcard characters": facts.Globbing = value.Equals("true", StringComparison.OrdinalIgnoreCase); break;
                }
            }
            if (!setsGiven) facts.ParameterSets.Add(ParameterFacts.AllParameterSets);
            return facts;
        }

        private static IEnumerable<string> SplitList(string value) => value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0);

        private void ReadTypes(List<TypeHelp> types)
        {
            HeadingNode? heading;
            while ((heading = HeadingAt(Next(), 3)) != null)
            {
                types.Add(new TypeHelp(heading.Text, SpanText.OfParagraph(Paragraph(), HelpTextBlocks.IndentedWidth)));
            }
        }

        private void ReadLinks(CommandHelp command)
        {
            var paragraph = Paragraph();
            if (paragraph == null) return;
            foreach (var span in paragraph.Spans)
            {
                if (span.Kind != SpanKind.Link) throw Error(paragraph, $"RELATED LINKS holds only links, found '{span.Text}'");
                command.Links.Add(new LinkHelp(span.Text, span.Uri ?? string.Empty));
            }
        }

        /// <summary>Paragraphs and non-yaml code blocks (each one paragraph of preformatted lines) up to the first yaml block or heading.</summary>
        private string DescriptionBeforeYaml()
        {
            var parts = new List<string>();
            MarkdownNode? node;
            while ((node = Next()) != null)
            {
                if (node is ParagraphNode paragraph)
                {
                    parts.Add(SpanText.OfParagraph(paragraph, HelpTextBlocks.IndentedWidth));
                    continue;
                }
                if (node is CodeBlockNode code && !string.Equals(code.Language, "yaml", StringComparison.OrdinalIgnoreCase))
                {
                    parts.Add(code.Text.Replace("\r\n", HelpTextBlocks.LineBreak));
                    continue;
                }
                Unget();
                break;
            }
            return string.Join(HelpTextBlocks.ParagraphBreak, parts);
        }

        private MarkdownNode? Next() => _next < _nodes.Count ? _nodes[_next++] : null;

        private void Unget() => _next--;

        /// <summary>The heading when <paramref name="node"/> is one at <paramref name="level"/>; null (and the node put back) at a higher level or at the end.</summary>
        private HeadingNode? HeadingAt(MarkdownNode? node, int level)
        {
            if (node == null) return null;
            if (!(node is HeadingNode heading)) throw Error(node, $"expected a level-{level} heading, found {Describe(node)}");
            if (heading.Level < level)
            {
                Unget();
                return null;
            }
            if (heading.Level != level) throw Error(heading, $"expected a level-{level} heading, found level {heading.Level} ('{heading.Text}')");
            return heading;
        }

        private ParagraphNode? Paragraph()
        {
            var node = Next();
            if (node == null) return null;
            if (node is ParagraphNode paragraph) return paragraph;
            Unget();
            return null;
        }

        private CodeBlockNode? CodeBlock()
        {
            var node = Next();
            if (node == null) return null;
            if (node is CodeBlockNode code) return code;
            Unget();
            return null;
        }

        private static string Describe(MarkdownNode node) =>
            node is CodeBlockNode ? "a code block (sections other than EXAMPLES and PARAMETERS hold text only)" : "text";

        private HelpSchemaException Error(MarkdownNode node, string message) => new HelpSchemaException(_file, node.Line, message);
    }
}
