using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using MlfTools.Tests.Support;
using MlfTools.Validation;
using Xunit;

namespace MlfTools.Tests.Validation
{
    /// <summary>
    /// Every value of metadata.json and of the graph config replaced, one at a time, by a value of every other JSON
    /// kind: the validator answers with findings of known ids, never with an exception, and flags what breaks the schema.
    /// </summary>
    public class ValidatorRobustnessTests : IDisposable
    {
        private static readonly Func<JsonNode?>[] Replacements =
        {
            () => null, () => JsonValue.Create(-1), () => JsonValue.Create(3.5), () => JsonValue.Create("x"),
            () => JsonValue.Create(true), () => new JsonArray(), () => new JsonObject(), () => new JsonArray(JsonValue.Create("y")),
            () => JsonNode.Parse("123456789012345678901234567890"),
        };

        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>Each JSON path of the document (object keys and array indices) with a way to set its value.</summary>
        private static IEnumerable<(string Path, Action<JsonNode, JsonNode?> Set)> Places(JsonNode root)
        {
            var places = new List<(string, Action<JsonNode, JsonNode?>)>();
            void Walk(JsonNode? node, string path, List<object> keys)
            {
                if (node is JsonObject obj)
                {
                    foreach (var property in obj.ToList())
                    {
                        var at = keys.Append(property.Key).ToList();
                        places.Add(($"{path}.{property.Key}", (doc, value) => Parent(doc, at).AsObject()[property.Key] = value));
                        Walk(property.Value, $"{path}.{property.Key}", at);
                    }
                }
                else if (node is JsonArray array)
                {
                    for (int i = 0; i < array.Count; i++)
                    {
                        int index = i;
                        var at = keys.Append(index).ToList();
                        places.Add(($"{path}[{index}]", (doc, value) => Parent(doc, at).AsArray()[index] = value));
                        Walk(array[i], $"{path}[{index}]", at);
                    }
                }
            }
            Walk(root, "$", new List<object>());
            return places;
        }

        private static JsonNode Parent(JsonNode document, List<object> keys)
        {
            JsonNode node = document;
            foreach (object key in keys.Take(keys.Count - 1)) node = key is string name ? node[name]! : node[(int)key]!;
            return node;
        }

        public static IEnumerable<object[]> Trees() => new[] { new object[] { "v7 graph" }, new object[] { "v5 graph" }, new object[] { "operator" } };

        private static MlfTree Tree(string name) => name switch
        {
            "v7 graph" => MlfTree.Version7(),
            "v5 graph" => MlfTree.Version5(),
            _ => MlfTree.Operator(),
        };

        [Theory]
        [MemberData(nameof(Trees))]
        public void Any_metadata_value_of_any_kind_gives_findings_never_an_exception(string name)
        {
            var tree = Tree(name);
            string original = tree.MetadataText();
            int checkedCount = 0;
            foreach (var (path, set) in Places(JsonNode.Parse(original)!))
            {
                foreach (var replacement in Replacements)
                {
                    var document = JsonNode.Parse(original)!;
                    set(document, replacement());
                    string text = document.ToJsonString();
                    if (text == original) continue;
                    tree.RawMetadata(text);
                    var findings = Check(tree, $"{name}: {path} = {replacement()?.ToJsonString() ?? "null"}");
                    checkedCount++;
                    // Not every variant is wrong (a target string "x" is still a string); none may throw.
                    Assert.All(findings, f => Assert.True(Findings.KnownIds.ContainsKey(f.Id), f.ToString()));
                }
            }
            Assert.True(checkedCount > 100, $"only {checkedCount} variants");
        }

        [Theory]
        [InlineData("v7 graph")]
        [InlineData("v5 graph")]
        public void Any_graph_config_value_of_any_kind_gives_findings_never_an_exception(string name)
        {
            var tree = Tree(name);
            string graphPath = tree.GraphPath();
            string original = tree.ReadText(graphPath);
            foreach (var (path, set) in Places(JsonNode.Parse(original)!))
            {
                foreach (var replacement in Replacements)
                {
                    var document = JsonNode.Parse(original)!;
                    set(document, replacement());
                    string text = document.ToJsonString();
                    if (text == JsonNode.Parse(original)!.ToJsonString()) continue;
                    tree.Text(graphPath, text);
                    var findings = Check(tree, $"{name}: {path} = {replacement()?.ToJsonString() ?? "null"}");
                    Assert.All(findings, f => Assert.True(Findings.KnownIds.ContainsKey(f.Id), f.ToString()));
                }
            }
        }

        [Theory]
        [InlineData("arg_nodes")]
        [InlineData("shape")]
        public void The_readers_turn_a_graph_integer_beyond_a_long_into_GraphConfigInvalid(string where)
        {
            var tree = MlfTree.Version7();
            const string Huge = "123456789012345678901234567890";
            tree.Edit(tree.GraphPath(), g => where == "arg_nodes" ? g.Replace("\"arg_nodes\": [0, 1]", $"\"arg_nodes\": [0, {Huge}]") : g.Replace("[[1, 4], [1, 4], [1, 4]]", $"[[1, {Huge}], [1, 4], [1, 4]]"));
            string tar = tree.WriteTar(_temp.File("huge.tar"));

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(tar));
            Assert.Equal(MlfErrorIds.GraphConfigInvalid, error.ErrorId);
            Assert.Equal(new[] { ArchiveFindingIds.GraphConfigInvalid }, MlfArchiveValidator.Validate(tar).Select(f => f.Id));
        }

        [Fact]
        public void A_type_changed_in_metadata_is_reported()
        {
            // A sample of the above where the answer is known: each of these breaks the version-7 schema.
            foreach (string pointer in new[] { "model_name", "export_datetime", "memory", "target", "executors", "style" })
            {
                var tree = MlfTree.Version7();
                tree.Entry()[pointer] = 42;
                var findings = Check(tree, pointer);
                Assert.Contains(findings, f => f.Id == ArchiveFindingIds.MetadataInvalid && f.Message.Contains($"'{pointer}'"));
            }
        }

        private IReadOnlyList<ArchiveFinding> Check(MlfTree tree, string variant)
        {
            string tar = tree.WriteTar(_temp.File("variant.tar"));
            try
            {
                return MlfArchiveValidator.Validate(tar);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{variant}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
        }
    }
}
