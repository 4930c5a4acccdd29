using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MlfTools.Tests.Support;
using MlfTools.Validation;
using Xunit;

namespace MlfTools.Tests.Validation
{
    /// <summary>
    /// The finding ids are public contract: each has one severity, the reader's ids keep the reader's spelling, and the
    /// help (docs/Test-MlfArchive.md, about_MlfTools) lists every one with its severity. The format view names real properties.
    /// </summary>
    public class ArchiveFindingContractTests
    {
        private static Dictionary<string, string> DeclaredIds() =>
            typeof(ArchiveFindingIds).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral)
                .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

        [Fact]
        public void Every_id_is_its_own_name_in_PascalCase_and_has_exactly_one_severity()
        {
            var declared = DeclaredIds();
            Assert.All(declared, id => Assert.Equal(id.Key, id.Value));
            Assert.All(declared.Values, id => Assert.Matches("^[A-Z][A-Za-z]+$", id));
            Assert.Equal(declared.Values.OrderBy(v => v, StringComparer.Ordinal), Findings.KnownIds.Keys.OrderBy(v => v, StringComparer.Ordinal));
        }

        [Fact]
        public void Ids_shared_with_the_readers_errors_are_spelled_as_MlfErrorIds_spells_them()
        {
            var errorIds = typeof(MlfErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
            var shared = DeclaredIds().Values.Where(errorIds.Contains).ToList();
            Assert.Equal(new[]
            {
                "ArchiveReadFailed", "DuplicateModuleName", "FunctionRegistryInvalid", "GraphConfigInvalid", "InvalidArchive", "InvalidModuleName", "MetadataInvalid",
                "MetadataMissing", "OperatorModuleMix", "ParamsInvalid", "SymbolCollision", "UnsafeArchiveEntry", "UnsupportedMlfVersion",
            }, shared.OrderBy(v => v, StringComparer.Ordinal));
            Assert.All(shared, id => Assert.Equal(FindingSeverity.Error, Findings.SeverityOf(id)));
        }

        [Fact]
        public void An_unknown_reader_error_id_is_an_error()
        {
            Assert.Equal(FindingSeverity.Error, Findings.SeverityOf("SomeFutureReaderError"));
        }

        [Fact]
        public void The_format_topic_lists_every_id_with_its_severity_and_the_cmdlet_help_names_each()
        {
            string topic = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "module", "en-US", "about_MlfTools_Format.help.txt"));
            var rows = Regex.Matches(topic, @"^    - (\w+) \((Error|Warning|Information)\)\r?$", RegexOptions.Multiline)
                .ToDictionary(m => m.Groups[1].Value, m => Enum.Parse<FindingSeverity>(m.Groups[2].Value));
            Assert.Equal(Findings.KnownIds.OrderBy(k => k.Key, StringComparer.Ordinal), rows.OrderBy(k => k.Key, StringComparer.Ordinal));

            string help = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "Test-MlfArchive.md"));
            foreach (var severity in new[] { FindingSeverity.Error, FindingSeverity.Warning, FindingSeverity.Information })
            {
                var line = Regex.Match(help, $@"^- {severity}: (.*)$", RegexOptions.Multiline);
                Assert.True(line.Success, $"docs/Test-MlfArchive.md lists no {severity} ids");
                var listed = Regex.Matches(line.Groups[1].Value, @"`(\w+)`").Select(m => m.Groups[1].Value).OrderBy(i => i, StringComparer.Ordinal);
                Assert.Equal(Findings.KnownIds.Where(k => k.Value == severity).Select(k => k.Key).OrderBy(i => i, StringComparer.Ordinal), listed);
            }
        }

        [Fact]
        public void The_help_page_documents_every_parameter_and_has_examples_inputs_and_outputs()
        {
            string help = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "Test-MlfArchive.md"));
            var parameters = CmdletMetadata.Read(Path.Combine(TestPaths.ModuleFolder, "MlfTools.dll"))
                .Single(c => c.FullTypeName == "MlfTools.Commands.TestMlfArchiveCommand").Parameters.Select(p => p.Name).ToList();
            Assert.Equal(new[] { "Path", "LiteralPath", "InputObject", "ModuleName", "Quiet", "MinimumSeverity" }, parameters);
            var documented = Regex.Matches(help, @"^### -(\w+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value);
            Assert.Equal(parameters, documented);
            Assert.True(Regex.Matches(help, @"^### Example \d+: ", RegexOptions.Multiline).Count >= 3);
            foreach (string section in new[] { "## SYNOPSIS", "## SYNTAX", "## DESCRIPTION", "## EXAMPLES", "## PARAMETERS", "### CommonParameters", "## INPUTS", "## OUTPUTS", "## NOTES", "## RELATED LINKS" })
            {
                Assert.Contains("\n" + section + "\n", help.Replace("\r\n", "\n"));
            }
            Assert.Contains("### MlfTools.ArchiveFinding", help);
            Assert.Contains("### System.Boolean", help);
        }

        [Fact]
        public void The_about_topic_lists_every_id_under_its_severity()
        {
            string about = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "module", "en-US", "about_MlfTools.help.txt"));
            string section = about.Substring(about.IndexOf("  TESTING", StringComparison.Ordinal));
            section = section.Substring(0, section.IndexOf("SEE ALSO", StringComparison.Ordinal));
            // "Error:       A, B," then indented continuation lines, until the next severity or a line of prose.
            var listed = new Dictionary<string, FindingSeverity>();
            FindingSeverity? current = null;
            foreach (string raw in section.Split('\n'))
            {
                string line = raw.Trim();
                var head = Regex.Match(line, "^(Error|Warning|Information):(.*)$");
                if (head.Success)
                {
                    current = Enum.Parse<FindingSeverity>(head.Groups[1].Value);
                    line = head.Groups[2].Value;
                }
                else if (current == null || !Regex.IsMatch(line, @"^[A-Za-z]+(,\s*[A-Za-z]+)*,?$"))
                {
                    current = null;
                    continue;
                }
                foreach (string id in line.Split(',').Select(i => i.Trim()).Where(i => i.Length > 0)) listed[id] = current!.Value;
            }
            Assert.Equal(Findings.KnownIds.OrderBy(k => k.Key, StringComparer.Ordinal), listed.OrderBy(k => k.Key, StringComparer.Ordinal));
        }

        [Fact]
        public void The_default_view_is_a_list_and_the_table_wraps_both_grouped_by_archive_of_real_properties()
        {
            var views = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "module", "MlfTools.format.ps1xml")).Descendants("View")
                .Where(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value == typeof(ArchiveFinding).FullName)).ToList();
            Assert.Equal(2, views.Count);
            // The first view is the default: a list, which shows every message in full on any console.
            var list = views[0].Element("ListControl");
            Assert.NotNull(list);
            Assert.Equal(new[] { "Severity", "Id", "Module", "Member", "Message" }, list!.Descendants("PropertyName").Select(p => p.Value));
            var table = views[1].Element("TableControl");
            Assert.NotNull(table);
            Assert.NotNull(table!.Descendants("TableRowEntry").Single().Element("Wrap"));
            Assert.Equal(new[] { "Severity", "Id", "Message" }, table.Descendants("PropertyName").Select(p => p.Value));
            var properties = typeof(ArchiveFinding).GetProperties().Select(p => p.Name).ToList();
            foreach (var view in views)
            {
                Assert.Equal("Path", view.Element("GroupBy")!.Element("PropertyName")!.Value);
                Assert.All(view.Descendants("PropertyName").Select(p => p.Value), name => Assert.Contains(name, properties));
            }
            int idWidth = int.Parse(table.Descendants("TableColumnHeader").Single(h => h.Element("Label")!.Value == "Id").Element("Width")!.Value);
            Assert.Equal(DeclaredIds().Values.Max(v => v.Length), idWidth);
        }
    }
}
