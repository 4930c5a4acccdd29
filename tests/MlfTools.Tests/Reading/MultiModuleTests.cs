using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>A version-7 archive holding several modules, laid out as TVM's own multi-module export writes it.</summary>
    public class MultiModuleTests
    {
        [SampleToolFact("python3")]
        public void Each_module_gets_its_own_files_params_and_graph()
        {
            using var temp = new TempFolder();
            string tar = BuildTwoModuleArchive(temp);

            var modules = MlfReader.ReadModules(tar);
            Assert.Equal(new[] { "mod1", "mod2_a" }, modules.Select(m => m.Name));
            var graph = modules[0];
            var aot = modules[1];

            Assert.All(modules, m => Assert.Equal(7, m.FormatVersion));
            Assert.All(modules, m => Assert.Equal(2, m.ArchiveModuleCount));
            Assert.Equal(new[] { "graph" }, graph.Executors);
            Assert.Equal(new[] { "aot" }, aot.Executors);

            Assert.Equal(new[] { "codegen/host/src/mod1_lib0.c", "codegen/host/src/mod1_lib1.c" }, Paths(graph, MlfFileKind.Source));
            Assert.Equal(new[] { "codegen/host/src/mod2_a_lib0.c" }, Paths(aot, MlfFileKind.Source));
            Assert.Equal(new[] { "codegen/host/include/tvmgen_mod2_a.h" }, Paths(aot, MlfFileKind.Header));
            Assert.Empty(Paths(graph, MlfFileKind.Header));
            Assert.Equal(new[] { "src/mod1.relay" }, Paths(graph, MlfFileKind.Relay));
            Assert.Equal(new[] { "src/mod2_a.relay" }, Paths(aot, MlfFileKind.Relay));

            var magicwand = MlfReader.ReadModules(TestPaths.Sample("v7-graph-magicwand.tar")).Single();
            var sine = MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single();
            Assert.Equal("parameters/mod1.params", graph.Parameters.Path);
            Assert.Equal(magicwand.Parameters.TotalBytes, graph.Parameters.TotalBytes);
            Assert.Equal("parameters/mod2_a.params", aot.Parameters.Path);
            Assert.Equal(sine.Parameters.TotalBytes, aot.Parameters.TotalBytes);
            Assert.Equal("executor-config/graph/mod1.graph", graph.GraphConfig.Path);
            Assert.Null(aot.GraphConfig);

            // runtime/ follows the module that depends on the C runtime; shared and extra files go with both.
            Assert.True(aot.HasRuntime);
            Assert.Equal("0.13.0", aot.RuntimeVersion);
            Assert.False(graph.HasRuntime);
            Assert.All(modules, m => Assert.Contains(m.Files, f => f.Path == "metadata.json"));
            Assert.All(modules, m => Assert.Contains(m.Files, f => f.Path == "notes/README.md" && f.Kind == MlfFileKind.Other));
        }

        [SampleToolFact("python3")]
        public void Module_names_that_extend_each_other_do_not_steal_files()
        {
            using var temp = new TempFolder();
            string tar = BuildTwoModuleArchive(temp, firstName: "mod2", secondName: "mod2_a");
            var modules = MlfReader.ReadModules(tar);
            Assert.Equal(new[] { "codegen/host/src/mod2_lib0.c", "codegen/host/src/mod2_lib1.c" }, Paths(modules[0], MlfFileKind.Source));
            Assert.Equal(new[] { "codegen/host/src/mod2_a_lib0.c" }, Paths(modules[1], MlfFileKind.Source));
        }

        private static string[] Paths(MlfModule module, string kind) =>
            module.Files.Where(f => f.Kind == kind).Select(f => f.Path).OrderBy(p => p, StringComparer.Ordinal).ToArray();

        /// <summary>magicwand (graph) as the first module and sine (AOT, with a runtime) as the second, in one v7 tree.</summary>
        private static string BuildTwoModuleArchive(TempFolder temp, string firstName = "mod1", string secondName = "mod2_a")
        {
            var magicwand = IndependentArchive.Read(TestPaths.Sample("v7-graph-magicwand.tar"));
            var sine = IndependentArchive.Read(TestPaths.Sample("v5-aot-sine.tar"));
            string root = temp.File("tree");

            var first = JsonNode.Parse(magicwand.Files["metadata.json"])!["modules"]!["default"]!.DeepClone();
            first["model_name"] = firstName;
            var second = JsonNode.Parse(sine.Files["metadata.json"])!.DeepClone().AsObject();
            second.Remove("version");
            second["model_name"] = secondName;
            second["target"] = new JsonArray(second["target"]!["1"]!.GetValue<string>());
            second["external_dependencies"] = JsonNode.Parse("[{\"short_name\": \"tvm_standalone_crt\", \"url\": \"./runtime\", \"url_type\": \"mlf_path\", \"version_spec\": \"0.13.0\"}]");
            var metadata = new JsonObject { ["modules"] = new JsonObject { [firstName] = first, [secondName] = second }, ["version"] = 7 };

            Write(root, "metadata.json", System.Text.Encoding.UTF8.GetBytes(metadata.ToJsonString()));
            Write(root, $"codegen/host/src/{firstName}_lib0.c", magicwand.Files["codegen/host/src/default_lib0.c"]);
            Write(root, $"codegen/host/src/{firstName}_lib1.c", magicwand.Files["codegen/host/src/default_lib1.c"]);
            Write(root, $"codegen/host/src/{secondName}_lib0.c", sine.Files["codegen/host/src/default_lib0.c"]);
            Write(root, $"codegen/host/include/tvmgen_{secondName}.h", sine.Files["codegen/host/include/tvmgen_default.h"]);
            Write(root, $"executor-config/graph/{firstName}.graph", magicwand.Files["executor-config/graph/default.graph"]);
            Write(root, $"parameters/{firstName}.params", magicwand.Files["parameters/default.params"]);
            Write(root, $"parameters/{secondName}.params", sine.Files["parameters/default.params"]);
            Write(root, $"src/{firstName}.relay", magicwand.Files["src/default.relay"]);
            Write(root, $"src/{secondName}.relay", sine.Files["src/relay.txt"]);
            Write(root, "runtime/include/tvm/runtime/crt/error_codes.h", new byte[] { 0x2F, 0x2F, 0x0A });
            Write(root, "notes/README.md", new byte[] { 0x23, 0x0A });

            string tar = temp.File("two-modules.tar");
            TvmStyleTar.Pack(root, tar);
            return tar;
        }

        private static void Write(string root, string relative, byte[] data)
        {
            string path = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, data);
        }
    }
}
