using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// A small, complete MLF archive as a tree of files, laid out as TVM's exporter writes it (version 7 multi-module or
    /// version 5 single-model, graph or AOT executor, or operator style), for tests to break one thing at a time and pack
    /// with Python's tarfile as TVM does. The graph module adds input x to weight p0 with one kernel; every figure in its
    /// metadata is what TVM's exporter computes from that graph.
    /// </summary>
    internal sealed class MlfTree
    {
        private readonly SortedDictionary<string, byte[]> _files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        private readonly JsonObject _modules = new JsonObject();

        private MlfTree(int version)
        {
            Version = version;
        }

        public int Version { get; }

        public IReadOnlyCollection<string> Paths => _files.Keys;

        /// <summary>A version-7 archive (TVM 0.9 and later) holding the given full-model modules.</summary>
        public static MlfTree Version7(params (string Name, string Executor)[] modules)
        {
            var tree = new MlfTree(7);
            foreach (var (name, executor) in modules.DefaultIfEmpty(("default", "graph"))) tree.AddModule(name, executor);
            return tree;
        }

        /// <summary>A version-5 archive (TVM 0.8): one model, flat metadata, target keyed by device type.</summary>
        public static MlfTree Version5(string executor = "graph")
        {
            var tree = new MlfTree(5);
            tree.AddModule("default", executor);
            return tree;
        }

        /// <summary>An operator-style archive (tvm.build): flat metadata even in version 7, unprefixed lib0.c, TIR text.</summary>
        public static MlfTree Operator()
        {
            var tree = new MlfTree(7);
            tree._modules["add"] = new JsonObject
            {
                ["model_name"] = "add",
                ["export_datetime"] = "2023-01-25 21:07:31Z",
                ["memory"] = JsonNode.Parse("{\"add\": [{\"size_bytes\": 16, \"shape\": [4], \"dtype\": \"float32\", \"input_binding\": \"A\"}, {\"size_bytes\": 16, \"shape\": [4], \"dtype\": \"float32\", \"input_binding\": \"B\"}]}"),
                ["target"] = new JsonArray("c -keys=cpu"),
                ["executors"] = new JsonArray(),
                ["style"] = "operator",
            };
            tree.Text("codegen/host/src/lib0.c", "#include <stdint.h>\nint32_t add(void* args, int32_t* type_codes, int32_t num_args) { return 0; }\n");
            tree.Text("src/tir-1.txt", "# from tvm.script import tir as T\n");
            return tree;
        }

        /// <summary>Every regular file of a real archive, metadata.json included as it is (edit it with <see cref="EditJson"/>).</summary>
        public static MlfTree FromArchive(string tarPath)
        {
            var archive = IndependentArchive.Read(tarPath);
            var tree = new MlfTree(archive.Metadata.GetProperty("version").GetInt32());
            foreach (var file in archive.Files) tree._files[file.Key] = file.Value;
            return tree;
        }

        /// <summary>Changes a JSON file (metadata.json of a tree read from an archive, a graph config) in place.</summary>
        public MlfTree EditJson(string path, Action<JsonNode> edit)
        {
            var node = JsonNode.Parse(_files[path])!;
            edit(node);
            return Text(path, node.ToJsonString());
        }

        /// <summary>Removes every file under a folder ("runtime/").</summary>
        public MlfTree RemoveFolder(string folder)
        {
            var doomed = _files.Keys.Where(k => k.StartsWith(folder, StringComparison.Ordinal)).ToList();
            if (doomed.Count == 0) throw new ArgumentException($"the tree has nothing under '{folder}'");
            foreach (string path in doomed) _files.Remove(path);
            return this;
        }

        /// <summary>The metadata entry of a module (the whole file's content but "version" for versions 1 to 6).</summary>
        public JsonObject Entry(string name = "default") => _modules[name]!.AsObject();

        public MlfTree Text(string path, string text) => Bytes(path, Encoding.UTF8.GetBytes(text));

        public MlfTree Bytes(string path, byte[] data)
        {
            _files[path] = data;
            return this;
        }

        public MlfTree Remove(string path)
        {
            if (!_files.Remove(path)) throw new ArgumentException($"the tree has no '{path}'");
            return this;
        }

        public MlfTree Rename(string from, string to)
        {
            byte[] data = _files[from];
            Remove(from);
            return Bytes(to, data);
        }

        public string ReadText(string path) => Encoding.UTF8.GetString(_files[path]);

        /// <summary>Changes a file's text; the edit must change something.</summary>
        public MlfTree Edit(string path, Func<string, string> edit)
        {
            string before = ReadText(path);
            string after = edit(before);
            if (after == before) throw new ArgumentException($"the edit of '{path}' changed nothing");
            return Text(path, after);
        }

        /// <summary>The graph config of a graph module, to edit as JSON.</summary>
        public MlfTree EditGraph(string name, Action<JsonObject> edit) => EditJson(GraphPath(name), graph => edit(graph.AsObject()));

        public string GraphPath(string name = "default") => Version >= 7 ? $"executor-config/graph/{name}.graph" : "executor-config/graph/graph.json";

        public string RelayPath(string name = "default") => Version >= 7 ? $"src/{name}.relay" : "src/relay.txt";

        public string MetadataText()
        {
            JsonObject top;
            if (_modules.Count == 1 && (Version < 7 || IsOperatorStyle(Entry(_modules.Single().Key))))
            {
                top = _modules.Single().Value!.DeepClone().AsObject();
                top["version"] = Version;
            }
            else
            {
                top = new JsonObject { ["modules"] = _modules.DeepClone(), ["version"] = Version };
            }
            return top.ToJsonString();
        }

        private static bool IsOperatorStyle(JsonObject entry) =>
            entry["style"] is JsonValue style && style.TryGetValue(out string? text) && text == "operator";

        /// <summary>Writes the tree into <paramref name="folder"/>, with metadata.json made from the entries as they are now (unless set by hand or left out).</summary>
        public string WriteFolder(string folder)
        {
            var files = new SortedDictionary<string, byte[]>(_files, StringComparer.Ordinal);
            if (!_withoutMetadata && !files.ContainsKey("metadata.json")) files["metadata.json"] = Encoding.UTF8.GetBytes(MetadataText());
            foreach (var file in files)
            {
                string path = Path.Combine(folder, file.Key.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Value);
            }
            return folder;
        }

        private bool _withoutMetadata;

        /// <summary>Leaves metadata.json out.</summary>
        public MlfTree WithoutMetadata()
        {
            _withoutMetadata = true;
            return this;
        }

        /// <summary>Packs the tree as TVM does (Python's tarfile, './' names, root owner) into <paramref name="tarPath"/>.</summary>
        public string Pack(TempFolder temp, string tarPath)
        {
            string folder = WriteFolder(temp.File("tree-" + Guid.NewGuid().ToString("N")));
            return TvmStyleTar.Pack(folder, tarPath);
        }

        /// <summary>
        /// Writes the tree as a tar with System.Formats.Tar, straight from memory: for trees whose file names differ only in
        /// case, which a case-insensitive file system cannot hold on their way to Python's tarfile.
        /// </summary>
        public string WriteTar(string tarPath)
        {
            var archive = new TestArchive();
            foreach (var file in _files) archive.File("./" + file.Key, file.Value);
            if (!_withoutMetadata && !_files.ContainsKey("metadata.json")) archive.File("./metadata.json", MetadataText());
            return archive.WriteTar(tarPath);
        }

        /// <summary>Adds (or replaces) a module entry as it is, files not included.</summary>
        public MlfTree SetEntry(string name, JsonObject entry)
        {
            _modules[name] = entry;
            return this;
        }

        /// <summary>Stops the tree from writing metadata.json from its entries: the file is exactly <paramref name="text"/>.</summary>
        public MlfTree RawMetadata(string text) => Text("metadata.json", text);

        private void AddModule(string name, string executor)
        {
            bool graph = executor == "graph";
            var main = new JsonObject
            {
                ["constants_size_bytes"] = 16,
                ["device"] = 1,
                ["io_size_bytes"] = 32,
                ["workspace_size_bytes"] = 0,
            };
            if (Version >= 7)
            {
                main["inputs"] = JsonNode.Parse("{\"x\": {\"dtype\": \"float32\", \"size\": 16}}");
                main["outputs"] = JsonNode.Parse("{\"output\": {\"dtype\": \"float32\", \"size\": 16}}");
            }
            var memory = new JsonObject
            {
                ["functions"] = new JsonObject
                {
                    ["main"] = new JsonArray(main),
                    ["operator_functions"] = JsonNode.Parse($"[{{\"function_name\": \"tvmgen_{name}_fused_add\", \"workspace\": [{{\"device\": 1, \"workspace_size_bytes\": 0}}]}}]"),
                },
            };
            if (graph)
            {
                memory["sids"] = JsonNode.Parse("[{\"input_binding\": \"x\", \"size_bytes\": 16, \"storage_id\": 0}, {\"input_binding\": \"p0\", \"size_bytes\": 16, \"storage_id\": 1}, {\"size_bytes\": 16, \"storage_id\": 2}]");
            }
            _modules[name] = new JsonObject
            {
                [Version >= 5 ? "executors" : "runtimes"] = new JsonArray(executor),
                ["export_datetime"] = "2023-01-25 21:07:31Z",
                ["memory"] = memory,
                ["model_name"] = name,
                ["style"] = "full-model",
                ["target"] = Version >= 6 ? new JsonArray("c -keys=cpu") : new JsonObject { ["1"] = "c -keys=cpu" },
            };

            string prefix = Version >= 3 ? name + "_" : string.Empty;
            Text($"codegen/host/src/{prefix}lib0.c",
                "// tvm target: c -keys=cpu\n#include <stdint.h>\n#define TVM_DLL\n" +
                $"static int32_t tvmgen_{name}_check(void) {{ return 0; }}\n" +
                $"TVM_DLL int32_t tvmgen_{name}_get_c_metadata(void* values, int* codes) {{ return tvmgen_{name}_check(); }}\n");
            Text($"codegen/host/src/{prefix}lib1.c",
                "// tvm target: c -keys=cpu\n#include <stdint.h>\n#define TVM_DLL\n" +
                $"TVM_DLL int32_t tvmgen_{name}_fused_add(void* args, int32_t* arg_type_ids, int32_t num_args, void* out_ret_value, int32_t* out_ret_tcode, void* resource_handle) {{\n  return 0;\n}}\n");
            Bytes($"parameters/{name}.params", graph
                ? ParamsWriter.Write(new[] { new ParamsWriter.Tensor("p0", 2, 32, new long[] { 1, 4 }) })
                : ParamsWriter.Write(Array.Empty<ParamsWriter.Tensor>()));
            Text(Version >= 7 ? $"src/{name}.relay" : "src/relay.txt",
                "def @main(%x: Tensor[(1, 4), float32]) {\n  add(%x, meta[relay.Constant][0])\n}\n");
            if (graph)
            {
                Text(GraphPath(name),
                    "{\"nodes\": [{\"op\": \"null\", \"name\": \"x\", \"inputs\": []}, {\"op\": \"null\", \"name\": \"p0\", \"inputs\": []}, " +
                    $"{{\"op\": \"tvm_op\", \"name\": \"tvmgen_{name}_fused_add\", \"attrs\": {{\"num_outputs\": \"1\", \"num_inputs\": \"2\", \"flatten_data\": \"0\", \"func_name\": \"tvmgen_{name}_fused_add\", \"hash\": \"1\"}}, \"inputs\": [[0, 0, 0], [1, 0, 0]]}}], " +
                    "\"arg_nodes\": [0, 1], \"heads\": [[2, 0, 0]], \"attrs\": {\"dltype\": [\"list_str\", [\"float32\", \"float32\", \"float32\"]], " +
                    "\"device_index\": [\"list_int\", [1, 1, 1]], \"storage_id\": [\"list_int\", [0, 1, 2]], \"shape\": [\"list_shape\", [[1, 4], [1, 4], [1, 4]]]}, " +
                    "\"node_row_ptr\": [0, 1, 2, 3]}");
            }
        }
    }
}
