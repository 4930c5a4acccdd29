using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// What Export-Csv and ConvertTo-Json make of our output objects: Export-Csv writes each property's ToString(), and
    /// ConvertTo-Json writes an enum as a number in every PowerShell version (-EnumsAsStrings exists only in 7). So no
    /// property is an enum, and no property's text is a .NET type name; lists read as their items.
    /// </summary>
    public class OutputTextTests
    {
        /// <summary>Every public object a cmdlet emits, or that hangs off one, read from a real archive.</summary>
        private static IEnumerable<object> OutputObjects(string sample)
        {
            var module = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();
            yield return module;
            foreach (var file in module.Files) yield return file;
            if (module.Parameters != null)
            {
                yield return module.Parameters;
                foreach (var tensor in module.Parameters.Tensors) yield return tensor;
            }
            if (module.GraphConfig != null)
            {
                yield return module.GraphConfig;
                foreach (var node in module.GraphConfig.Nodes) yield return node;
            }
            var reports = ModuleMemoryReports.ForModule(module).Concat(MemoryTotals.Of(ModuleMemoryReports.ForModule(module))).ToList();
            foreach (var report in reports)
            {
                yield return report;
                foreach (var size in (report.Inputs ?? new TensorSize[0]).Concat(report.Outputs ?? new TensorSize[0])) yield return size;
            }
            foreach (var function in ModuleMemoryReports.FunctionsOf(reports)) yield return function;
            foreach (var finding in MlfArchiveValidator.Validate(TestPaths.Sample(sample))) yield return finding;
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void No_property_of_an_output_object_is_an_enum_or_exports_as_a_type_name(string sample)
        {
            int checkedValues = 0;
            foreach (var item in OutputObjects(sample))
            {
                foreach (var property in item.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                    Assert.False(type.IsEnum, $"{item.GetType().Name}.{property.Name} is an enum: ConvertTo-Json writes it as a number");
                    // The metadata is the module's JSON, kept as nested dictionaries: ConvertTo-Json gives it back in full.
                    if (property.Name == nameof(MlfModule.Metadata)) continue;
                    object? value = property.GetValue(item);
                    if (value == null) continue;
                    string text = value.ToString()!;
                    Assert.False(text == value.GetType().FullName || text.Contains("System.Collections") || text.Contains("`1["),
                        $"{item.GetType().Name}.{property.Name} exports as '{text}'");
                    checkedValues++;
                }
            }
            Assert.True(checkedValues > 20);
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Lists_read_as_their_items_separated_by_semicolons(string sample)
        {
            var module = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));

            Assert.Equal(string.Join("; ", module.Files.Select(f => f.Path)), module.Files.ToString());
            Assert.Equal(string.Join("; ", module.Executors), module.Executors.ToString());
            foreach (var report in ModuleMemoryReports.ForModule(module))
            {
                string text = report.Functions.ToString()!;
                var names = report.Functions.Select(f => f.Function).ToList();
                Assert.Equal(names.Count == 0 ? string.Empty : string.Join("; ", report.Functions.Select(f => $"{f.Function} ({f.WorkspaceBytes} B on {f.Device})")), text);
            }
            var main = oracle.ModuleEntry().GetProperty("memory").GetProperty("functions").GetProperty("main")[0];
            if (main.TryGetProperty("inputs", out var inputs))
            {
                var report = ModuleMemoryReports.ForModule(module)[0];
                Assert.Equal(string.Join("; ", inputs.EnumerateObject().Select(i => $"{i.Name} {i.Value.GetProperty("dtype").GetString()} ({i.Value.GetProperty("size").GetInt64()} B)")),
                    report.Inputs.ToString());
            }
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Shapes_read_as_the_graph_config_writes_them(string sample)
        {
            var module = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();
            if (module.GraphConfig == null) return;
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));
            var graph = JsonDocument.Parse(oracle.Files[module.GraphConfig.Path]).RootElement;
            var shapes = graph.GetProperty("attrs").GetProperty("shape")[1].EnumerateArray().ToList();

            Assert.Equal(shapes.Count, module.GraphConfig.Shapes.Count);
            // The graph config's own JSON text of each shape, spaced as Python's json.dumps spaces a list.
            Assert.Equal(shapes.Select(s => s.GetRawText().Replace(" ", string.Empty).Replace(",", ", ")), module.GraphConfig.Shapes.Select(s => s.ToString()));
            Assert.Equal($"{module.GraphConfig.Nodes.Count} nodes, {shapes.Count} entries ({module.GraphConfig.Path})", module.GraphConfig.ToString());
            Assert.All(module.Parameters?.Tensors ?? new MlfTensorInfo[0], t => Assert.Matches(@"^\[(\d+(, \d+)*)?\]$", t.Shape.ToString()));
        }

        [Fact]
        public void A_scalar_has_an_empty_shape_and_lists_keep_their_items()
        {
            Assert.Equal("[]", new TensorShape(new long[0]).ToString());
            Assert.Equal("[1, 49, 10]", new TensorShape(new long[] { 1, 49, 10 }).ToString());
            var list = ItemList.Of(new[] { "graph", "aot" });
            Assert.Equal(new[] { "graph", "aot" }, list);
            Assert.Equal("graph; aot", list.ToString());
            Assert.Same(list, ItemList.Of(list));
            Assert.Null(ItemList.Of<string>(null!));
            Assert.Equal(string.Empty, ItemList.Of(new string[0]).ToString());
        }

        [Fact]
        public void A_findings_severity_is_the_name_of_its_level()
        {
            foreach (FindingSeverity level in Enum.GetValues(typeof(FindingSeverity)))
            {
                var finding = new ArchiveFinding(level, "X", null!, "/a.tar", null!, "m");
                Assert.Equal(level.ToString(), finding.Severity);
                Assert.Equal(level, finding.Level);
            }
        }
    }
}
