using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.MamlHelp.Help;
using MlfTools.MamlHelp.Markdown;
using MlfTools.Tests.Support;
using Xunit;
using static MlfTools.Tests.Help.HelpExpectations;

namespace MlfTools.Tests.Help
{
    /// <summary>
    /// docs/*.md against the compiled cmdlets: every cmdlet has a page in PlatyPS's schema 2.0.0 and every page a cmdlet;
    /// syntax, parameters, inputs and outputs say what the code declares.
    /// </summary>
    public class MarkdownHelpTests
    {
        private static readonly string[] SectionOrder =
            { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        private static CommandHelp Page(string commandName)
        {
            var page = ReadDocs().SingleOrDefault(c => c.Name == commandName);
            Assert.True(page != null, $"docs/ has no page for {commandName}: add docs/{commandName}.md (PlatyPS schema 2.0.0).");
            return page!;
        }

        [Fact]
        public void Every_cmdlet_has_a_page_and_every_page_documents_a_cmdlet()
        {
            var documented = ReadDocs().Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var declared = Cmdlets.Select(c => c.CommandName).OrderBy(n => n, StringComparer.Ordinal).ToList();

            Assert.NotEmpty(declared);
            Assert.Equal(declared, documented);
            foreach (string file in HelpFolder.CommandFiles(DocsFolder))
            {
                string name = Path.GetFileNameWithoutExtension(file);
                Assert.True(declared.Contains(name), $"docs/{Path.GetFileName(file)} documents '{name}', which MlfTools.dll does not declare.");
            }
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void The_page_follows_the_PlatyPS_schema(string commandName)
        {
            var page = Page(commandName);

            Assert.Equal("MlfTools.dll-Help.xml", page.Metadata.GetValueOrDefault(HelpFolder.ExternalHelpFileKey));
            Assert.Equal("MlfTools", page.Metadata.GetValueOrDefault("Module Name"));
            Assert.Equal("2.0.0", page.Metadata.GetValueOrDefault("schema"));
            Assert.True(page.Metadata.ContainsKey("online version"), "the metadata header needs an 'online version:' line (empty is fine)");
            Assert.Equal(SectionOrder, page.Sections);
            Assert.False(string.IsNullOrWhiteSpace(page.Synopsis));
            Assert.DoesNotContain("\n", page.Synopsis);
            Assert.False(string.IsNullOrWhiteSpace(page.Description));
            Assert.False(string.IsNullOrWhiteSpace(page.Notes));
            Assert.True(page.HasCommonParameters, "PARAMETERS needs a '### CommonParameters' entry");
            Assert.NotEmpty(page.Inputs);
            Assert.NotEmpty(page.Outputs);
            Assert.NotEmpty(page.Links);
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void Examples_are_at_least_three_and_each_runs_the_cmdlet(string commandName)
        {
            var page = Page(commandName);

            Assert.True(page.Examples.Count >= 3, $"{commandName} has {page.Examples.Count} examples; give at least three real ones.");
            foreach (var example in page.Examples)
            {
                Assert.Matches(@"^Example \d+: \S", example.Title);
                Assert.NotEmpty(example.Code);
                Assert.Contains(commandName, example.Code[0]);
            }
            Assert.Equal(Enumerable.Range(1, page.Examples.Count), page.Examples.Select(e => int.Parse(e.Title.Split(' ', ':')[1])));
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void The_syntax_shows_each_parameter_set_as_the_cmdlet_declares_it(string commandName)
        {
            var cmdlet = Cmdlet(commandName);
            var page = Page(commandName);

            var sets = SetNames(cmdlet);
            Assert.Equal(sets, page.SyntaxBlocks.Select(b => b.ParameterSetName));
            foreach (var block in page.SyntaxBlocks)
            {
                bool isDefault = block.ParameterSetName == cmdlet.DefaultParameterSetName || sets.Count == 1;
                Assert.True(isDefault == block.IsDefault, $"{commandName}: '### {block.ParameterSetName}' should {(isDefault ? "" : "not ")}end in ' (Default)'");
                Assert.NotNull(block.Code);
                var elements = SyntaxElements(block.Code!);
                Assert.Equal(commandName, elements[0]);
                var expected = ParametersOf(cmdlet, block.ParameterSetName).Select(SyntaxElement).Append("[<CommonParameters>]").OrderBy(e => e, StringComparer.Ordinal);
                Assert.Equal(expected, elements.Skip(1).OrderBy(e => e, StringComparer.Ordinal));
            }
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void Every_parameter_is_documented_with_the_facts_the_code_gives(string commandName)
        {
            var cmdlet = Cmdlet(commandName);
            var page = Page(commandName);

            Assert.Equal(ParameterNames(cmdlet).OrderBy(n => n, StringComparer.Ordinal), page.Parameters.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
            foreach (var parameter in page.Parameters)
            {
                Assert.False(string.IsNullOrWhiteSpace(parameter.Description), $"-{parameter.Name} of {commandName} has no description");
                Assert.NotEmpty(parameter.Facts);
                var documentedSets = parameter.Facts.SelectMany(f => f.ParameterSets).ToList();
                Assert.Equal(DocumentedSetsOf(cmdlet, parameter.Name).OrderBy(s => s, StringComparer.Ordinal), documentedSets.OrderBy(s => s, StringComparer.Ordinal));
                foreach (var facts in parameter.Facts)
                {
                    foreach (string set in facts.ParameterSets)
                    {
                        string inSet = set == ParameterFacts.AllParameterSets ? SetNames(cmdlet)[0] : set;
                        var expected = ParametersOf(cmdlet, inSet).Single(p => p.Name == parameter.Name);
                        string where = $"{commandName} -{parameter.Name} ({set})";
                        Assert.True(expected.TypeName == facts.Type, $"{where}: Type is '{facts.Type}', the code says '{expected.TypeName}'");
                        Assert.True(expected.Required == facts.Required, $"{where}: Required is {facts.Required}, the code says {expected.Required}");
                        Assert.True(expected.Position.Equals(facts.Position, StringComparison.OrdinalIgnoreCase), $"{where}: Position is '{facts.Position}', the code says '{expected.Position}'");
                        Assert.True(expected.PipelineInput == facts.PipelineInput, $"{where}: Accept pipeline input is '{facts.PipelineInput}', the code says '{expected.PipelineInput}'");
                        Assert.True(expected.Globbing == facts.Globbing, $"{where}: Accept wildcard characters is {facts.Globbing}, the code says {expected.Globbing}");
                        Assert.Equal(expected.Aliases, facts.Aliases);
                        Assert.Equal(expected.AcceptedValues, facts.AcceptedValues);
                        if (expected.IsSwitch) Assert.Equal("False", facts.DefaultValue);
                    }
                }
            }
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void Inputs_name_what_binds_by_value_and_outputs_name_every_OutputType(string commandName)
        {
            var cmdlet = Cmdlet(commandName);
            var page = Page(commandName);
            var inputTypes = page.Inputs.SelectMany(i => i.TypeName.Split(", ")).ToList();
            var outputTypes = page.Outputs.SelectMany(o => o.TypeName.Split(", ")).ToList();

            foreach (var parameter in cmdlet.Parameters.Where(p => p.Sets.Any(s => s.ValueFromPipeline)))
            {
                string element = parameter.TypeFullName.EndsWith("[]", StringComparison.Ordinal) ? parameter.TypeFullName[..^2] : parameter.TypeFullName;
                Assert.True(inputTypes.Any(t => t == element || t == element + "[]"), $"{commandName}: INPUTS does not name {element}, which -{parameter.Name} takes by value");
            }
            Assert.NotEmpty(cmdlet.OutputTypes);
            Assert.Equal(cmdlet.OutputTypes.OrderBy(t => t, StringComparer.Ordinal), outputTypes.Where(t => t != "None").OrderBy(t => t, StringComparer.Ordinal));
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void Related_links_lead_somewhere(string commandName)
        {
            foreach (var link in Page(commandName).Links)
            {
                if (Uri.TryCreate(link.Uri, UriKind.Absolute, out _)) continue;
                Assert.True(File.Exists(Path.Combine(DocsFolder, link.Uri)), $"{commandName}: the link '{link.Text}' leads to '{link.Uri}', which is not a file beside docs/ (the about topic is ../module/en-US/about_MlfTools.help.txt)");
            }
        }

        /// <summary>
        /// PlatyPS takes a pair of '*' or '_' on one line as emphasis even inside `inline code`, and drops them from the
        /// help text ("`samples/*`, `*.swp`" would lose both stars), so no emphasis may reach into code.
        /// </summary>
        [Fact]
        public void No_emphasis_reaches_into_inline_code()
        {
            foreach (string file in HelpFolder.CommandFiles(DocsFolder))
            {
                var document = HelpMarkdownParser.Parse(File.ReadAllText(file));
                foreach (var paragraph in document.Nodes.OfType<ParagraphNode>())
                {
                    foreach (var span in paragraph.Spans.Where(s => s.Kind == SpanKind.Bold || s.Kind == SpanKind.Italic))
                    {
                        Assert.False(span.Text.Contains('`'),
                            $"{Path.GetFileName(file)} (paragraph at line {paragraph.Line}): PlatyPS reads '{span.Text}' as emphasis and drops the '*' or '_' around it; put the two on separate lines or reword.");
                    }
                }
            }
        }
    }
}
