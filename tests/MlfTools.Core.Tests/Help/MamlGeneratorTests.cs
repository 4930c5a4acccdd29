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
        public void Lines_join_blank_lines_break_lists_keep_their_lines_and_escapes_go()
        {
            var description = Generate().Element(Maml + "description")!;

            Assert.Equal(new[]
            {
                "First line continues here.",
                "Second paragraph with [brackets] and a *star.",
                "- item one",
                "- item two",
                "",
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
            Assert.Equal("Use `a `, `b ` or c . `d*` `e*`", SpanText.OfParagraph(paragraph));
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
    }
}
