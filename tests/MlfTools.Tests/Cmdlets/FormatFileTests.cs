using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// module/MlfTools.format.ps1xml checked without PowerShell: well-formed, every view for a public type of ours, every
    /// property and .NET member its views name real, sizes shown human-readable while the properties stay bytes.
    /// </summary>
    public class FormatFileTests
    {
        private static readonly Assembly Core = typeof(MlfModule).Assembly;

        private static string FormatFile => Path.Combine(TestPaths.RepositoryRoot, "module", "MlfTools.format.ps1xml");

        private static List<XElement> Views() => XDocument.Load(FormatFile).Descendants("View").ToList();

        private static Type ViewType(XElement view)
        {
            string name = view.Element("ViewSelectedBy")!.Elements("TypeName").Single().Value;
            var type = Core.GetType(name);
            Assert.True(type != null && type.IsPublic, $"the view '{view.Element("Name")!.Value}' is for '{name}', which is not a public type of MlfTools.Core");
            return type!;
        }

        [Fact]
        public void The_format_file_is_well_formed_and_views_have_unique_names()
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit };
            using (var reader = XmlReader.Create(FormatFile, settings))
            {
                while (reader.Read()) { }
            }
            var names = Views().Select(v => v.Element("Name")!.Value).ToList();
            Assert.NotEmpty(names);
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        [Fact]
        public void Every_view_is_for_a_public_type_of_ours()
        {
            foreach (var view in Views()) ViewType(view);
        }

        [Theory]
        [InlineData("MlfTools.MlfModule")]
        [InlineData("MlfTools.MemoryReport")]
        [InlineData("MlfTools.FunctionMemoryReport")]
        public void Modules_and_reports_have_a_table_view_first_and_a_list_view(string typeName)
        {
            var views = Views().Where(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == typeName).ToList();

            Assert.NotEmpty(views);
            Assert.NotNull(views[0].Element("TableControl"));
            Assert.Contains(views, v => v.Element("ListControl") != null);
        }

        [Fact]
        public void Every_property_and_member_a_view_names_exists()
        {
            foreach (var view in Views())
            {
                var type = ViewType(view);
                string where = view.Element("Name")!.Value;
                foreach (var property in view.Descendants("PropertyName"))
                {
                    Assert.True(Property(type, property.Value) != null, $"{where}: {type.Name} has no property '{property.Value}'");
                }
                foreach (string script in view.Descendants("ScriptBlock").Select(s => s.Value))
                {
                    foreach (Match use in Regex.Matches(script, @"\$_((?:\.\w+)+)(\()?"))
                    {
                        var chain = use.Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries);
                        // A chain that ends in a call ($_.Shape.ToString()) names a method of the last property's type.
                        string? method = use.Groups[2].Success ? chain[^1] : null;
                        if (method != null) chain = chain[..^1];
                        // $_ is the view's object, or inside a nested pipeline an item of one of its collections.
                        var starts = new[] { type }.Concat(type.GetProperties().Select(p => ElementType(p.PropertyType)).OfType<Type>());
                        Assert.True(starts.Any(start => Resolves(start, chain, method)), $"{where}: '$_{use.Groups[1].Value}' names no property or method of {type.Name}");
                    }
                    foreach (Match call in Regex.Matches(script, @"\[(MlfTools\.[\w.]+)\]::(\w+)"))
                    {
                        var owner = Core.GetType(call.Groups[1].Value);
                        Assert.True(owner != null && owner.IsPublic, $"{where}: [{call.Groups[1].Value}] is not a public type of MlfTools.Core");
                        Assert.True(owner!.GetMethod(call.Groups[2].Value, BindingFlags.Public | BindingFlags.Static) != null, $"{where}: [{owner.Name}]::{call.Groups[2].Value} does not exist");
                    }
                }
                foreach (var groupBy in view.Elements("GroupBy").Elements("PropertyName"))
                {
                    Assert.True(Property(type, groupBy.Value) != null, $"{where}: GroupBy '{groupBy.Value}' is not a property of {type.Name}");
                }
            }
        }

        [Fact]
        public void Table_headers_match_their_columns_and_list_scripts_have_labels()
        {
            foreach (var view in Views())
            {
                var table = view.Element("TableControl");
                if (table != null)
                {
                    int headers = table.Element("TableHeaders")!.Elements("TableColumnHeader").Count();
                    foreach (var row in table.Descendants("TableColumnItems")) Assert.Equal(headers, row.Elements("TableColumnItem").Count());
                }
                foreach (var item in view.Descendants("ListItem").Where(i => i.Element("ScriptBlock") != null))
                {
                    Assert.False(string.IsNullOrWhiteSpace(item.Element("Label")?.Value), $"{view.Element("Name")!.Value}: a list item with a script needs a Label");
                }
            }
        }

        [Fact]
        public void Tables_show_sizes_human_readable_while_the_properties_stay_bytes()
        {
            foreach (var view in Views().Where(v => v.Element("TableControl") != null))
            {
                var type = ViewType(view);
                foreach (var property in view.Element("TableControl")!.Descendants("PropertyName"))
                {
                    Assert.False(Regex.IsMatch(property.Value, "(Bytes|Size|ByteSize)$"),
                        $"{view.Element("Name")!.Value} shows {property.Value} raw; show it through [MlfTools.ByteSize]::Format");
                }
                foreach (var size in type.GetProperties().Where(p => Regex.IsMatch(p.Name, "(Bytes|Size)$")))
                {
                    var underlying = Nullable.GetUnderlyingType(size.PropertyType) ?? size.PropertyType;
                    Assert.True(underlying == typeof(long), $"{type.Name}.{size.Name} should be a number of bytes (long)");
                }
            }
        }

        [Fact]
        public void Lists_show_sizes_human_readable_too_and_every_type_with_sizes_has_both_views()
        {
            foreach (var view in Views().Where(v => v.Element("ListControl") != null))
            {
                var type = ViewType(view);
                foreach (var property in view.Element("ListControl")!.Descendants("PropertyName"))
                {
                    Assert.False(IsByteCount(Property(type, property.Value)!),
                        $"{view.Element("Name")!.Value} shows {property.Value} raw; show it as '<bytes> (<ByteSize.Format>)'");
                }
            }
            foreach (var group in Views().GroupBy(ViewType))
            {
                if (!group.Key.GetProperties().Any(IsByteCount)) continue;
                Assert.True(group.Any(v => v.Element("TableControl") != null), $"{group.Key.Name} has sizes but no table view");
                Assert.True(group.Any(v => v.Element("ListControl") != null), $"{group.Key.Name} has sizes but no list view: Format-List would show raw bytes");
            }
        }

        /// <summary>A single number of bytes (a list of them, such as a graph config's EntryBytes, is shown as PowerShell lists numbers).</summary>
        private static bool IsByteCount(PropertyInfo property) =>
            Regex.IsMatch(property.Name, "(Bytes|Size)$") && (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) == typeof(long);

        private static PropertyInfo? Property(Type type, string name)
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            if (property != null || !type.IsInterface) return property;
            return type.GetInterfaces().Select(i => i.GetProperty(name)).FirstOrDefault(p => p != null);
        }

        private static bool Resolves(Type start, IEnumerable<string> chain, string? method = null)
        {
            var current = start;
            foreach (string member in chain)
            {
                var property = Property(current, member);
                if (property == null)
                {
                    // PowerShell lists a collection's items' property: $_.Files.Size.
                    var element = ElementType(current);
                    property = element == null ? null : Property(element, member);
                    if (property == null) return false;
                }
                current = property.PropertyType;
            }
            return method == null || current.GetMethod(method, BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null) != null
                || typeof(object).GetMethod(method, Type.EmptyTypes) != null;
        }

        /// <summary>T of an IEnumerable&lt;T&gt; other than string; the value type of a dictionary is not needed here.</summary>
        private static Type? ElementType(Type type)
        {
            if (type == typeof(string)) return null;
            if (type.IsArray) return type.GetElementType();
            var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                ? type
                : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
            return enumerable?.GetGenericArguments()[0];
        }
    }
}
