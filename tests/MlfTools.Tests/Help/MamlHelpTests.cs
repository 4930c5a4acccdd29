using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using MlfTools.MamlHelp.Help;
using MlfTools.MamlHelp.Maml;
using MlfTools.Tests.Support;
using Xunit;
using static MlfTools.Tests.Help.HelpExpectations;

namespace MlfTools.Tests.Help
{
    /// <summary>
    /// The MAML that Get-Help reads (module/en-US/MlfTools.dll-Help.xml, shipped as out/MlfTools/en-US/...): in step with
    /// docs/ and describing exactly the compiled cmdlets.
    /// </summary>
    public class MamlHelpTests
    {
        private static readonly XNamespace Maml = MamlWriter.Maml;
        private static readonly XNamespace Command = MamlWriter.Command;
        private static readonly XNamespace Dev = MamlWriter.Dev;

        private static XDocument CheckedIn() => XDocument.Load(CheckedInMaml);

        private static XElement CommandElement(string commandName)
        {
            var element = CheckedIn().Root!.Elements(Command + "command")
                .SingleOrDefault(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == commandName);
            Assert.True(element != null, $"{CheckedInMaml} has no help for {commandName}; regenerate it: {RegenerateCommand}");
            return element!;
        }

        [Fact]
        public void The_checked_in_MAML_is_what_docs_make_now()
        {
            var generated = XDocument.Parse(MamlWriter.ToText(HelpFolder.ForHelpFile(ReadDocs(), "MlfTools.dll-Help.xml")));

            string? difference = MamlComparison.FirstDifference(generated, CheckedIn());

            Assert.True(difference == null, $"module/en-US/MlfTools.dll-Help.xml is out of step with docs/. Regenerate it: {RegenerateCommand}\n  {difference}");
        }

        [Fact]
        public void The_comparison_notices_a_changed_word_and_ignores_layout()
        {
            string text = File.ReadAllText(CheckedInMaml);
            var original = XDocument.Parse(text);

            Assert.Null(MamlComparison.FirstDifference(original, XDocument.Parse(text.Replace("\n", "\r\n  "), LoadOptions.PreserveWhitespace)));
            Assert.NotNull(MamlComparison.FirstDifference(original, XDocument.Parse(text.Replace("archive", "archives"))));
            Assert.NotNull(MamlComparison.FirstDifference(original, XDocument.Parse(text.Replace("required=\"true\"", "required=\"false\""))));
        }

        [Fact]
        public void The_built_module_ships_the_checked_in_MAML()
        {
            string shipped = Path.Combine(TestPaths.ModuleFolder, "en-US", "MlfTools.dll-Help.xml");

            Assert.True(File.Exists(shipped), "out/MlfTools/en-US/MlfTools.dll-Help.xml is missing: the build copies module/ into out/MlfTools.");
            Assert.Equal(File.ReadAllBytes(CheckedInMaml), File.ReadAllBytes(shipped));
        }

        [Fact]
        public void The_MAML_holds_exactly_the_compiled_cmdlets()
        {
            var names = CheckedIn().Root!.Elements(Command + "command").Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value);

            Assert.Equal(Cmdlets.Select(c => c.CommandName).OrderBy(n => n, StringComparer.Ordinal), names.OrderBy(n => n, StringComparer.Ordinal));
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void Each_syntax_item_is_one_parameter_set_with_its_facts(string commandName)
        {
            var cmdlet = Cmdlet(commandName);
            var items = CommandElement(commandName).Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();

            var sets = SetNames(cmdlet);
            Assert.Equal(sets.Count, items.Count);
            foreach (string set in sets)
            {
                var expected = ParametersOf(cmdlet, set);
                var names = expected.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
                var item = items.SingleOrDefault(i => i.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).OrderBy(n => n, StringComparer.Ordinal).SequenceEqual(names));
                Assert.True(item != null, $"{commandName}: no syntax item has exactly the parameters of set '{set}': {string.Join(", ", names)}");
                foreach (var parameter in item!.Elements(Command + "parameter"))
                {
                    var facts = expected.Single(p => p.Name == parameter.Element(Maml + "name")!.Value);
                    string where = $"{commandName} ({set}) -{facts.Name}";
                    Assert.True((facts.Required ? "true" : "false") == parameter.Attribute("required")!.Value, $"{where}: required");
                    Assert.True(facts.Position.ToLowerInvariant() == parameter.Attribute("position")!.Value, $"{where}: position");
                    Assert.True(facts.PipelineInput.Equals(parameter.Attribute("pipelineInput")!.Value, StringComparison.OrdinalIgnoreCase), $"{where}: pipelineInput");
                    Assert.True((facts.Globbing ? "true" : "false") == parameter.Attribute("globbing")!.Value, $"{where}: globbing");
                    Assert.Equal(facts.AcceptedValues, parameter.Element(Command + "parameterValueGroup")?.Elements().Select(v => v.Value) ?? Enumerable.Empty<string>());
                    Assert.Equal(facts.IsSwitch, parameter.Element(Command + "parameterValue") == null);
                }
            }
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void The_parameters_section_lists_every_parameter_with_its_type_and_aliases(string commandName)
        {
            var cmdlet = Cmdlet(commandName);
            var parameters = CommandElement(commandName).Element(Command + "parameters")!.Elements(Command + "parameter").ToList();

            Assert.Equal(ParameterNames(cmdlet).OrderBy(n => n, StringComparer.Ordinal),
                parameters.Select(p => p.Element(Maml + "name")!.Value).OrderBy(n => n, StringComparer.Ordinal));
            var everySet = SetNames(cmdlet).SelectMany(set => ParametersOf(cmdlet, set)).ToList();
            foreach (var parameter in parameters)
            {
                var facts = everySet.First(p => p.Name == parameter.Element(Maml + "name")!.Value);
                Assert.Equal(facts.TypeName, parameter.Element(Dev + "type")!.Element(Maml + "name")!.Value);
                Assert.Equal(facts.Aliases.Count == 0 ? "none" : string.Join(", ", facts.Aliases), parameter.Attribute("aliases")!.Value);
                Assert.Contains(parameter.Element(Maml + "description")!.Elements(Maml + "para"), p => p.Value.Length > 0);
            }
        }

        [Theory]
        [MemberData(nameof(CommandNames), MemberType = typeof(HelpExpectations))]
        public void The_MAML_carries_synopsis_description_examples_and_output_types(string commandName)
        {
            var cmdlet = Cmdlet(commandName);
            var help = CommandElement(commandName);

            Assert.Equal(cmdlet.Verb, help.Element(Command + "details")!.Element(Command + "verb")!.Value);
            Assert.Equal(cmdlet.Noun, help.Element(Command + "details")!.Element(Command + "noun")!.Value);
            Assert.NotEmpty(help.Element(Command + "details")!.Element(Maml + "description")!.Value.Trim());
            Assert.NotEmpty(help.Element(Maml + "description")!.Value.Trim());
            Assert.True(help.Element(Command + "examples")!.Elements(Command + "example").Count() >= 3);
            var returned = help.Element(Command + "returnValues")!.Elements(Command + "returnValue").SelectMany(r => r.Element(Dev + "type")!.Element(Maml + "name")!.Value.Split(", "));
            foreach (string type in cmdlet.OutputTypes) Assert.Contains(type, returned);
        }
    }
}
