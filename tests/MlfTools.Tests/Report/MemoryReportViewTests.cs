using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// The views of module/MlfTools.format.ps1xml for the report types, checked without PowerShell: the default view is a
    /// table, the list view shows every property, and every property and .NET member the views name exists.
    /// </summary>
    public class MemoryReportViewTests
    {
        private static readonly Type[] ReportTypes = { typeof(MemoryReport), typeof(FunctionMemoryReport), typeof(TensorSize), typeof(MemoryBudgetUse) };

        private static List<XElement> ViewsOf(Type type) =>
            XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "module", "MlfTools.format.ps1xml"))
                .Descendants("View")
                .Where(v => v.Element("ViewSelectedBy")!.Elements("TypeName").Any(t => t.Value == type.FullName))
                .ToList();

        private static IEnumerable<string> PublicProperties(Type type) =>
            type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);

        [Fact]
        public void The_default_view_of_each_report_type_is_a_table()
        {
            Assert.NotNull(ViewsOf(typeof(MemoryReport)).First().Element("TableControl"));
            Assert.NotNull(ViewsOf(typeof(FunctionMemoryReport)).First().Element("TableControl"));
        }

        [Fact]
        public void The_memory_report_table_is_one_table_sized_to_its_content_with_the_module_last_and_wrapped()
        {
            var view = ViewsOf(typeof(MemoryReport)).First();
            Assert.Null(view.Element("GroupBy")); // one table for every archive: rows name their archive where needed
            var table = view.Element("TableControl")!;
            var headers = table.Descendants("TableColumnHeader").ToList();
            Assert.Equal(new[] { "RAM", "Flash", "Code", "Workspace", "Used%", "Module" }, headers.Select(h => h.Element("Label")!.Value));
            // No fixed width: the host sizes each column to its content and the Module column, last, gets what is left and
            // wraps there rather than being cut (the rendered tables at 80 and 160 columns are checked in Pester).
            Assert.All(headers, h => Assert.Null(h.Element("Width")));
            Assert.NotNull(table.Descendants("TableRowEntry").Single().Element("Wrap"));
            Assert.Contains("[MlfTools.MemoryReportText]::Module($_)", table.Descendants("ScriptBlock").Last().Value);
        }

        [Fact]
        public void The_memory_report_list_view_shows_every_property_in_declaration_order()
        {
            var list = Assert.Single(ViewsOf(typeof(MemoryReport)), v => v.Element("ListControl") != null);
            var shown = list.Descendants("ListItem").Select(i => (i.Element("Label") ?? i.Element("PropertyName"))!.Value);
            Assert.Equal(PublicProperties(typeof(MemoryReport)), shown);
        }

        [Fact]
        public void Every_property_and_member_the_views_name_exists()
        {
            var views = ViewsOf(typeof(MemoryReport)).Concat(ViewsOf(typeof(FunctionMemoryReport))).ToList();
            var known = new HashSet<string>(ReportTypes.SelectMany(PublicProperties));
            foreach (var view in views)
            {
                var type = ReportTypes.First(t => view.Element("ViewSelectedBy")!.Element("TypeName")!.Value == t.FullName);
                foreach (var property in view.Descendants("PropertyName"))
                {
                    Assert.Contains(property.Value, PublicProperties(type));
                }
                foreach (var script in view.Descendants("ScriptBlock").Select(s => s.Value))
                {
                    foreach (Match use in Regex.Matches(script, @"\$_\.(\w+)")) Assert.Contains(use.Groups[1].Value, known);
                    foreach (Match call in Regex.Matches(script, @"\[(MlfTools\.[\w.]+)\]::(\w+)"))
                    {
                        var owner = typeof(MemoryReport).Assembly.GetType(call.Groups[1].Value);
                        Assert.NotNull(owner);
                        Assert.NotNull(owner!.GetMethod(call.Groups[2].Value, BindingFlags.Public | BindingFlags.Static));
                    }
                }
            }
        }
    }
}
