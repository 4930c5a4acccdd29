using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// The layers of docs/architecture.md, pinned: a folder of MlfTools.Core uses only the folders of lower layers. The
    /// edges that still point sideways or upwards are listed here, so a new one fails and removing one shortens the list.
    /// </summary>
    public class ArchitectureTests
    {
        private static readonly string[][] Layers =
        {
            new[] { "Join", "Expand", "Report", "Validation", "Firmware", "Linking" },
            new[] { "Format", "Json", "CSource", "Elf", "Rename" },
            new[] { "Archive" },
            new[] { "Tar" },
            new[] { "IO", "Text" },
        };

        /// <summary>Known edges against the direction, "from -> to"; docs/architecture.md names them.</summary>
        private static readonly string[] KnownExceptions =
        {
            "Archive -> Elf", "Archive -> Format", "Archive -> Rename", "Archive -> CSource",
            "Elf -> Rename", "Rename -> Format", "Rename -> CSource", "Format -> Json",
            "Report -> Join", "Validation -> Join", "Validation -> Report", "Join -> Firmware", "Firmware -> Report",
        };

        private static readonly Regex Reference = new Regex(
            @"(?:using\s+MlfTools\.|(?<![\w.])MlfTools\.|(?<![\w.])(?=(?:Join|Expand|Report|Validation|Firmware|Linking|Format|Json|CSource|Elf|Rename|Archive|Tar|IO|Text)\.[A-Z]))" +
            @"(?<folder>Join|Expand|Report|Validation|Firmware|Linking|Format|Json|CSource|Elf|Rename|Archive|Tar|IO|Text)\b", RegexOptions.CultureInvariant);

        private static int LayerOf(string folder) => Array.FindIndex(Layers, layer => layer.Contains(folder));

        private static SortedSet<string> Edges()
        {
            string core = Path.Combine(TestPaths.RepositoryRoot, "src", "MlfTools.Core");
            var edges = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string folder in Layers.SelectMany(l => l))
            {
                foreach (string file in Directory.GetFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories))
                {
                    string code = Regex.Replace(File.ReadAllText(file), @"//[^\n]*", string.Empty);
                    foreach (Match match in Reference.Matches(code))
                    {
                        string to = match.Groups["folder"].Value;
                        if (to != folder) edges.Add($"{folder} -> {to}");
                    }
                }
            }
            return edges;
        }

        [Fact]
        public void Every_folder_uses_only_lower_layers_but_for_the_known_exceptions()
        {
            var against = Edges().Where(e =>
            {
                var parts = e.Split(new[] { " -> " }, StringSplitOptions.None);
                return LayerOf(parts[1]) <= LayerOf(parts[0]);
            }).ToList();
            var unexpected = against.Except(KnownExceptions).ToList();
            Assert.True(unexpected.Count == 0, "New edges against the layers of docs/architecture.md: " + string.Join(", ", unexpected));
            var gone = KnownExceptions.Except(against).ToList();
            Assert.True(gone.Count == 0, "These edges are gone: take them off the list here and in docs/architecture.md: " + string.Join(", ", gone));
        }

        [Fact]
        public void The_base_and_the_tar_layer_use_nothing_above_them()
        {
            var edges = Edges().Where(e => e.StartsWith("IO ", StringComparison.Ordinal) || e.StartsWith("Text ", StringComparison.Ordinal) || e.StartsWith("Tar ", StringComparison.Ordinal));
            Assert.All(edges, e => Assert.True(e.EndsWith("-> IO", StringComparison.Ordinal) || e.EndsWith("-> Text", StringComparison.Ordinal), e));
        }

        [Fact]
        public void The_architecture_document_names_every_known_exception()
        {
            string doc = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "architecture.md"));
            Assert.All(KnownExceptions, e => Assert.Contains("`" + e + "`", doc));
        }
    }
}
