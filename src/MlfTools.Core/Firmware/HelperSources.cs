using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Format;
using MlfTools.Report;
using System.Threading;

namespace MlfTools.Firmware
{
    /// <summary>
    /// The helper sources a join can add under helpers/: a header describing every model with one call to run each, the
    /// code behind it, crt_config.h, a bare-metal platform file, an example program and a Makefile. TVM's consumers
    /// compile codegen/ and runtime/ only, so the folder changes nothing for them.
    /// </summary>
    internal static class HelperSources
    {
        public const string Folder = HelperLayout.Folder;

        private static readonly string[] Templates = { "mlf_arena.h", PlatformSource, "mlf_graph.h", GraphSource, "example.c", "README.md" };

        /// <summary>
        /// A file of the helper sources an earlier join wrote into the module's archive (helpers/, beside a
        /// helpers/mlf_models.h): they describe the models of that join, so a new join leaves them out.
        /// </summary>
        public static bool IsEarlierHelper(MlfModule module, MlfFile file) =>
            file.Kind == MlfFileKind.Other && file.Path.StartsWith(Folder, StringComparison.Ordinal) && module.Archive.Find(HelperLayout.ModelsHeaderPath) != null;

        /// <summary>The flags every helper build compiles with: -ffp-contract=off keeps float results the same on every machine.</summary>
        public static readonly IReadOnlyList<string> CompilerFlags = new[] { "-std=gnu99", "-ffp-contract=off" };

        /// <summary>The folders a helper build includes from, relative to the archive's root: the helpers', the runtime's, the models' headers.</summary>
        public static readonly IReadOnlyList<string> IncludeFolders = new[] { "helpers", "runtime/include", "codegen/host/include" };

        /// <summary>The models' table, their run functions and arenas (split by model name when a firmware is measured).</summary>
        public const string ModelsSource = "mlf_models.c";

        public const string PlatformSource = "mlf_platform.c";

        /// <summary>The graph executor's runner; written only when a model uses the graph executor.</summary>
        public const string GraphSource = "mlf_graph.c";

        /// <summary>The helpers' C sources a firmware compiles besides its main(): the models' table, the platform, the graph executor's runner and each graph model's data.</summary>
        public static IReadOnlyList<string> FirmwareSources(IReadOnlyList<HelperModel> models)
        {
            var sources = new List<string> { ModelsSource, PlatformSource };
            if (models.Any(m => m.Kind == HelperModelKind.Graph)) sources.Add(GraphSource);
            sources.AddRange(models.Where(m => m.Kind == HelperModelKind.Graph).Select(HelperNames.DataFile));
            return sources;
        }

        /// <summary>The C runtime sources the helpers build: the common part always, the graph executor for graph models.</summary>
        public static IReadOnlyList<string> RuntimeSources(bool graph)
        {
            var sources = new List<string> { "common/crt_backend_api.c", "common/crt_runtime_api.c", "common/func_registry.c", "common/ndarray.c", "common/packed_func.c" };
            if (graph) sources.AddRange(new[] { "graph_executor/graph_executor.c", "graph_executor/load_json.c" });
            return sources.Select(s => "runtime/src/runtime/crt/" + s).ToList();
        }

        /// <summary>
        /// Each helper file's archive path and bytes, in a fixed order. <paramref name="entryPointKeeper"/> is the index of
        /// the model whose code still defines TVMSystemLibEntryPoint, or -1. The crt_config.h values follow every graph
        /// model's JSON as written, and each model's arena follows them.
        /// </summary>
        public static IReadOnlyList<KeyValuePair<string, byte[]>> Write(IReadOnlyList<HelperInput> inputs, IReadOnlyDictionary<string, IReadOnlyList<string>> codeFiles,
            int entryPointKeeper)
        {
            var graphs = inputs.Where(i => i.GraphJson != null).ToList();
            var settings = CrtSettings.ForGraphs(graphs.Select(i => Encoding.UTF8.GetString(i.GraphJson)),
                graphs.SelectMany(i => i.Module.Parameters?.Tensors.Select(t => t.Name) ?? Enumerable.Empty<string>()));
            var models = inputs.Select(i => ModelDescriptions.Describe(i.Module, i.SystemLibFunction, i.LinkedParams, i.Rename, i.GraphJson, settings, CancellationToken.None)).ToList();
            return Write(models, codeFiles, entryPointKeeper < 0 ? null : models[entryPointKeeper], settings);
        }

        private static IReadOnlyList<KeyValuePair<string, byte[]>> Write(IReadOnlyList<HelperModel> models, IReadOnlyDictionary<string, IReadOnlyList<string>> codeFiles,
            HelperModel entryPointKeeper, CrtSettings settings)
        {
            bool graph = models.Any(m => m.Kind == HelperModelKind.Graph);
            var files = new List<KeyValuePair<string, string>>
            {
                Pair("mlf_models.h", ModelsHeaderWriter.Write(models)),
                Pair(ModelsSource, ModelsSourceWriter.Write(models, entryPointKeeper)),
                Pair("crt_config.h", CrtConfigWriter.Write(settings)),
                Pair("Makefile", MakefileWriter.Write(models, codeFiles, RuntimeSources(graph))),
            };
            files.AddRange(models.Where(m => m.Kind == HelperModelKind.Graph).Select(m => Pair(HelperNames.DataFile(m), ModelDataWriter.Write(m))));
            foreach (string template in Templates)
            {
                if (!graph && template.StartsWith("mlf_graph", StringComparison.Ordinal)) continue;
                files.Add(Pair(template, Template(template)));
            }
            return files.Select(f => new KeyValuePair<string, byte[]>(f.Key, new UTF8Encoding(false).GetBytes(f.Value.Replace("\r\n", "\n")))).ToList();
        }

        private static KeyValuePair<string, string> Pair(string name, string text) => new KeyValuePair<string, string>(Folder + name, text);

        private static string Template(string name)
        {
            var assembly = typeof(HelperSources).Assembly;
            using (var stream = assembly.GetManifestResourceStream("MlfTools.Firmware.Templates." + name)
                ?? throw new InvalidOperationException($"The helper template '{name}' is missing from {assembly.GetName().Name}."))
            using (var reader = new StreamReader(stream, Encoding.UTF8))
            {
                return reader.ReadToEnd();
            }
        }
    }
}
