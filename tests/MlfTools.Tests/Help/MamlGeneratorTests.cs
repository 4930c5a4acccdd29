using System.Linq;
using System.Xml.Linq;
using MlfTools.MamlHelp.Help;
using MlfTools.MamlHelp.Maml;
using MlfTools.MamlHelp.Markdown;
using Xunit;

namespace MlfTools.Tests.Help
{
    /// <summary>The rules of PlatyPS 0.14 that tools/MamlHelp follows, each on a small page.</summary>
    public class MamlGeneratorTests
    {
        private static readonly XNamespace Maml = MamlWriter.Maml;
        private static readonly XNamespace Command = MamlWriter.Command;
        private static readonly XNamespace Dev = MamlWriter.Dev;

        private const string Page = @"---
external help file: Test.dll-Help.xml
Module Name: Test
online version:
schema: 2.0.0
---

# Get-Thing

## SYNOPSIS
Gets things.

## SYNTAX

### ByName (Default)
```
Get-Thing [-Name] <String> [-Kind <ThingKind>] [-Force] [<CommonParameters>]
```

### ById
```
Get-Thing -Id <Int32> [-Force] [<CommonParameters>]
```

## DESCRIPTION
First line
continues here.

Second paragraph with \[brackets\] and a \*star.

- item one
- item two

After the list.

See [a link](https://example.org/x).

## EXAMPLES

### Example 1: Short
```powershell
Get-Thing a
```

```Output
a
```

Shows a.

## PARAMETERS

### -Force
Forces.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Kind
The kind.

```yaml
Type: ThingKind
Parameter Sets: ByName
Aliases:
Accepted values: Big, Small

Required: False
Position: Named
Default value: Big
Accept pipeline input: False
Accept wildcard characters: False
```

### -Id
The id.

```yaml
Type: Int32
Parameter Sets: ById
Aliases: Identity

Required: True
Position: Named
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: False
```

### -Name
The name.

```yaml
Type: String
Parameter Sets: ByName
Aliases:

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: True
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String
Names.

## OUTPUTS

### Thing
A thing.

## NOTES

## RELATED LINKS

[Online](https://example.org/get-thing)

[Other-Thing](Other-Thing.md)
";

        private static XElement Generate(string markdown = Page) =>
            MamlWriter.ToDocument(CommandHelpReader.Read("Get-Thing.md", markdown)).Root!.Element(Command + "command")!;

        private static string[] Paras(XElement element) => element.Elements(Maml + "para").Select(p => p.Value).ToArray();

        [Fact]
        public void Lines_join_blank_lines_break_a_list_is_one_paragraph_of_lines_and_escapes_go()
        {
            var description = Generate().Element(Maml + "description")!;

            Assert.Equal(new[]
            {
                "First line continues here.",
                "Second paragraph with [brackets] and a *star.",
                "- item one\n- item two",
                "After the list.",
                "See a link (https://example.org/x).",
            }, Paras(description));
        }

        [Fact]
        public void Each_parameter_set_is_a_syntax_item_positional_first_and_a_switch_shows_no_value()
        {
            var items = Generate().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();

            Assert.Equal(2, items.Count);
            Assert.Equal(new[] { "Name", "Force", "Kind" }, items[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(new[] { "Force", "Id" }, items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            var force = items[0].Elements(Command + "parameter").First(p => p.Element(Maml + "name")!.Value == "Force");
            Assert.Null(force.Element(Command + "parameterValue"));
            var kind = items[0].Elements(Command + "parameter").First(p => p.Element(Maml + "name")!.Value == "Kind");
            Assert.Equal(new[] { "Big", "Small" }, kind.Element(Command + "parameterValueGroup")!.Elements().Select(v => v.Value));
        }

        [Fact]
        public void Parameter_attributes_come_from_the_yaml()
        {
            var parameters = Generate().Element(Command + "parameters")!.Elements(Command + "parameter").ToDictionary(p => p.Element(Maml + "name")!.Value);

            Assert.Equal(new[] { "Force", "Kind", "Id", "Name" }, parameters.Keys);
            var name = parameters["Name"];
            Assert.Equal(("true", "true", "True (ByValue)", "0", "none"),
                (name.Attribute("required")!.Value, name.Attribute("globbing")!.Value, name.Attribute("pipelineInput")!.Value, name.Attribute("position")!.Value, name.Attribute("aliases")!.Value));
            Assert.Equal("Identity", parameters["Id"].Attribute("aliases")!.Value);
            Assert.Equal("named", parameters["Id"].Attribute("position")!.Value);
            Assert.Equal("False", parameters["Force"].Element(Dev + "defaultValue")!.Value);
            Assert.Equal("SwitchParameter", parameters["Force"].Element(Command + "parameterValue")!.Value);
            Assert.Equal("Big", parameters["Kind"].Element(Dev + "defaultValue")!.Value);
            Assert.Equal("None", parameters["Name"].Element(Dev + "defaultValue")!.Value);
        }

        [Fact]
        public void An_example_joins_its_code_blocks_and_pads_its_title()
        {
            var example = Generate().Element(Command + "examples")!.Element(Command + "example")!;

            Assert.Equal(new string('-', 23) + " Example 1: Short " + new string('-', 23), example.Element(Maml + "title")!.Value);
            Assert.Equal("Get-Thing a\r\n\r\na", example.Element(Dev + "code")!.Value);
            Assert.Equal(new[] { "Shows a." }, Paras(example.Element(Dev + "remarks")!));
        }

        [Fact]
        public void Only_absolute_links_keep_their_uri()
        {
            var links = Generate().Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink").ToList();

            Assert.Equal(new[] { ("Online", "https://example.org/get-thing"), ("Other-Thing", "") },
                links.Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)));
        }

        [Fact]
        public void Star_pairs_on_one_line_are_emphasis_even_inside_code()
        {
            var document = HelpMarkdownParser.Parse("# X\n\n## DESCRIPTION\nUse `a*`, `b*` or *c*.\n`d*`\n`e*`\n");
            var paragraph = document.Nodes.OfType<ParagraphNode>().Single();

            Assert.Equal(new[] { "`, `b", "c" }, paragraph.Spans.Where(s => s.Kind == SpanKind.Italic).Select(s => s.Text));
            Assert.Equal("Use a, b or c. d* e*", SpanText.OfParagraph(paragraph));
        }

        [Fact]
        public void Code_spans_show_without_their_backticks_and_an_escaped_backtick_stays()
        {
            var paras = DescriptionOf("Run `Get-X -Name a`, then ``a`b`` and `` `c` ``; \\`d\\` is literal.\n\n- item `e`\n\n| Id | Note |\n|---|---|\n| `F` | `g` |\n");

            Assert.Equal(new[] { "Run Get-X -Name a, then a`b and `c`; `d` is literal.", "- item e", "Id  Note\n--  ----\nF   g" }, paras);
        }

        private static string[] DescriptionOf(string body) =>
            Paras(MamlWriter.ToDocument(CommandHelpReader.Read("Get-X.md", "# Get-X\n\n## DESCRIPTION\n" + body)).Root!
                .Element(Command + "command")!.Element(Maml + "description")!);

        [Fact]
        public void A_table_that_fits_is_one_paragraph_of_aligned_lines()
        {
            var paras = DescriptionOf("Before.\n\n| Id | Severity |\n|---|:---:|\n| `A` | Error |\n| `LongerId` | Warning \\| note |\n\nAfter.\n");

            Assert.Equal(new[]
            {
                "Before.",
                "Id        Severity\n" +
                "--------  --------------\n" +
                "A         Error\n" +
                "LongerId  Warning | note",
                "After.",
            }, paras);
        }

        [Fact]
        public void A_wide_table_wraps_its_widest_column_and_stays_inside_76_columns()
        {
            string reason = string.Join(" ", Enumerable.Repeat("because", 20));
            var lines = DescriptionOf($"| Id | Why |\n|---|---|\n| `SomeId` | {reason} |\n")[0].Split('\n');

            Assert.Equal("Id      Why", lines[0]);
            Assert.StartsWith("------  -----", lines[1]);
            Assert.StartsWith("SomeId  because because", lines[2]);
            Assert.All(lines, l => Assert.True(l.Length <= 76, l));
            Assert.All(lines.Skip(3), l => Assert.StartsWith("        because", l));
            Assert.Equal(reason, string.Join(" ", lines.Skip(2).Select(l => l.Substring(8).Trim())));
        }

        [Fact]
        public void A_table_too_wide_to_align_shows_one_record_per_row()
        {
            string text = string.Join(" ", Enumerable.Repeat("word", 30));
            var lines = DescriptionOf($"| Id | Severity | Reported when | Member | Note |\n|---|---|---|---|---|\n| `ConflictingFunctionTypes` | Error | {text} | {text} | {text} |\n| `B` | Warning | short | none | |\n")[0].Split('\n');

            Assert.Equal("ConflictingFunctionTypes", lines[0]);
            Assert.Equal("    Severity       Error", lines[1]);
            Assert.StartsWith("    Reported when  word word", lines[2]);
            Assert.StartsWith("                   word", lines[3]);
            Assert.Contains("", lines);
            Assert.Equal(new[] { "B", "    Severity       Warning", "    Reported when  short", "    Member         none" }, lines.SkipWhile(l => l != "").Skip(1));
            Assert.All(lines, l => Assert.True(l.Length <= 76, l));
        }

        [Fact]
        public void List_items_keep_their_lines_with_a_hanging_indent_and_prose_wraps_at_words()
        {
            string words = string.Join(" ", Enumerable.Range(1, 40).Select(i => "word" + i));
            var paras = DescriptionOf($"{words}\n\n- **Bold** item {words}\n  continued.\n- second\n");

            var prose = paras[0].Split('\n');
            Assert.All(prose, l => Assert.True(l.Length <= 76 && !l.StartsWith(" ") && !l.EndsWith(" "), l));
            Assert.Equal(words, string.Join(" ", prose));
            var list = paras[1].Split('\n');
            Assert.StartsWith("- Bold item word1 word2", list[0]);
            Assert.All(list.Skip(1).Take(list.Length - 2), l => Assert.StartsWith("  ", l));
            Assert.EndsWith("word40 continued.", string.Join(" ", list[..^1].Select(l => l.Trim())));
            Assert.Equal("- second", list[^1]);
            Assert.All(list, l => Assert.True(l.Length <= 76, l));
        }

        [Fact]
        public void Parameter_descriptions_fit_the_deeper_indent_and_the_synopsis_is_not_cut()
        {
            string words = string.Join(" ", Enumerable.Range(1, 40).Select(i => "word" + i));
            var command = MamlWriter.ToDocument(CommandHelpReader.Read("Get-X.md",
                $"# Get-X\n\n## SYNOPSIS\n{words}\n\n## PARAMETERS\n\n### -Y\n{words}\n\n```yaml\nType: String\n```\n")).Root!.Element(Command + "command")!;

            Assert.Equal(new[] { words }, Paras(command.Element(Command + "details")!.Element(Maml + "description")!));
            var description = Paras(command.Element(Command + "parameters")!.Element(Command + "parameter")!.Element(Maml + "description")!).Single().Split('\n');
            Assert.All(description, l => Assert.True(l.Length <= 72, l));
            Assert.True(description.Max(l => l.Length) > 64);
        }

        [Theory]
        [InlineData("## DESCRIPTION\nText.\n\n```\ncode\n```\n", "expected a level-2 heading, found a code block")]
        [InlineData("## REMARKS\nText.\n", "unexpected section 'REMARKS'")]
        [InlineData("## PARAMETERS\n\n### -X\nText.\n\n```yaml\nType: String\nColour: red\n```\n", "unknown key 'Colour'")]
        [InlineData("## RELATED LINKS\n\nSee [Y](Y.md) and more.\n", "RELATED LINKS holds only links")]
        public void A_page_outside_the_schema_is_refused_with_its_line(string body, string message)
        {
            var error = Assert.Throws<HelpSchemaException>(() => CommandHelpReader.Read("Get-X.md", "# Get-X\n\n" + body));

            Assert.Contains(message, error.Message);
            Assert.StartsWith("Get-X.md:", error.Message);
        }

        [Fact]
        public void A_heading_hidden_behind_more_than_10000_characters_of_plain_text_is_refused_not_lost()
        {
            // PlatyPS would take "## EXAMPLES" and the rest for description text; the generator says so instead.
            string plain = string.Concat(Enumerable.Repeat("The report counts what each model needs and nothing else. ", 180));
            string page = "# Get-X\n\n## DESCRIPTION\n" + plain + "\n\n## EXAMPLES\n\n### Example 1\n```\nGet-X\n```\n";
            Assert.True(plain.Length > 10000);

            var error = Assert.Throws<HelpSchemaException>(() => CommandHelpReader.Read("Get-X.md", page));

            Assert.StartsWith("Get-X.md:6:", error.Message);
            Assert.Contains("'## EXAMPLES' is not seen", error.Message);
            Assert.NotNull(CommandHelpReader.Read("Get-X.md", page.Replace(plain, plain.Substring(0, 5000) + "\n\n**Note.**\n" + plain.Substring(5000))));
        }
    }
}
