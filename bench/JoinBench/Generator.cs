using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace MlfTools.Bench
{
    /// <summary>How one generated input archive looks: its size and how many C sources of which sizes it holds.</summary>
    internal sealed class Shape
    {
        public long TotalBytes { get; set; }
        public int Sources { get; set; }
        public int MinSourceBytes { get; set; }
        public int MaxSourceBytes { get; set; }

        /// <summary>The shape of each of the two inputs for a given total (both inputs together).</summary>
        public static Shape ForTotal(long total)
        {
            long each = total / 2;
            if (total >= 512L << 20) return new Shape { TotalBytes = each, Sources = 200, MinSourceBytes = 5 << 10, MaxSourceBytes = 50 << 10 };
            if (total >= 64L << 20) return new Shape { TotalBytes = each, Sources = 100, MinSourceBytes = 5 << 10, MaxSourceBytes = 50 << 10 };
            if (total >= 512L << 10) return new Shape { TotalBytes = each, Sources = 16, MinSourceBytes = 5 << 10, MaxSourceBytes = 10 << 10 };
            // The tiny archive the memory report is compared on (~40 KiB joined).
            return new Shape { TotalBytes = each, Sources = 1, MinSourceBytes = 1 << 10, MaxSourceBytes = 2 << 10 };
        }

        public override string ToString() =>
            $"{Sources} C sources of {MinSourceBytes >> 10}-{MaxSourceBytes >> 10} KiB, a header, graph, relay, metadata.json and one .params holding the rest";
    }

    /// <summary>
    /// Writes an MLF v7 archive in TVM's layout (what export_model_library_format writes through Python's tarfile):
    /// "./" first, then the staging folder depth first with names sorted by code point, directory members included,
    /// uid/gid 0, owner root, ustar headers with NUL devmajor/devminor as Python 3.11 writes them, and the archive
    /// padded to a 10240-byte record. Module "default", graph executor, C target; the .params file holds int8
    /// tensors filled with a deterministic, roughly Gaussian byte pattern (gzip gets it to about 80%, like real weights).
    /// </summary>
    internal static class Generator
    {
        private const int Block = 512;
        private const int Record = 10240;
        private static readonly DateTimeOffset Stamp = new DateTimeOffset(2023, 9, 22, 15, 8, 0, TimeSpan.Zero);
        private static byte[] _pool;

        /// <summary>Writes the archive and returns its size.</summary>
        public static long Write(string path, Shape shape, int seed)
        {
            var random = new Random(seed);
            var sources = new List<(string Name, byte[] Data)>();
            int[] sourceSizes = Enumerable.Range(0, shape.Sources).Select(_ => random.Next(shape.MinSourceBytes, shape.MaxSourceBytes + 1)).ToArray();
            var functionNames = new List<string>();
            for (int i = 0; i < shape.Sources; i++)
            {
                sources.Add(($"default_lib{i}.c", CSource(i, sourceSizes[i], random, functionNames)));
            }
            // Python's tarfile.add lists a folder with sorted(os.listdir()): code point order, so lib10 comes before lib2.
            sources.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

            byte[] header = Encoding.ASCII.GetBytes(HeaderFile());
            byte[] graph = Encoding.ASCII.GetBytes(GraphJson(functionNames));
            byte[] metadata = Encoding.ASCII.GetBytes(MetadataJson(functionNames, random));
            byte[] relay = Encoding.ASCII.GetBytes(RelayText(random));

            using var tar = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            Directory(tar, "./", 0x1C0); // 0700: the staging folder is a tempfile.mkdtemp
            Directory(tar, "./codegen/");
            Directory(tar, "./codegen/host/");
            Directory(tar, "./codegen/host/include/");
            File(tar, "./codegen/host/include/tvmgen_default.h", header);
            Directory(tar, "./codegen/host/src/");
            foreach (var (name, data) in sources) File(tar, "./codegen/host/src/" + name, data);
            Directory(tar, "./executor-config/");
            Directory(tar, "./executor-config/graph/");
            File(tar, "./executor-config/graph/default.graph", graph);
            File(tar, "./metadata.json", metadata);
            Directory(tar, "./parameters/");

            // What is left after this header, the relay member, the two end blocks; the params data takes all of it.
            long relayBytes = Block + Padded(relay.Length);
            long left = shape.TotalBytes - tar.Position - Block - Block - relayBytes - 2 * Block;
            long paramsBytes = Math.Max(2048, left / Block * Block);
            ParamsMember(tar, "./parameters/default.params", paramsBytes, seed);
            Directory(tar, "./src/");
            File(tar, "./src/default.relay", relay);
            tar.Write(new byte[2 * Block]);
            long padded = (tar.Position + Record - 1) / Record * Record;
            tar.Write(new byte[padded - tar.Position]);
            tar.Flush(true);
            return padded;
        }

        private static long Padded(long size) => (size + Block - 1) / Block * Block;

        // ---- members ----

        private static void Directory(Stream tar, string name, int mode = 0x1ED) => Header(tar, name, 0, '5', mode);

        private static void File(Stream tar, string name, byte[] data)
        {
            Header(tar, name, data.Length, '0', 0x1A4);
            tar.Write(data);
            tar.Write(new byte[Padded(data.Length) - data.Length]);
        }

        /// <summary>A ustar header as Python 3.11's tarfile writes it for TVM (uid/gid 0, root/root, NUL device fields).</summary>
        private static void Header(Stream tar, string name, long size, char type, int mode)
        {
            var header = new byte[Block];
            void Field(int offset, int length, string text)
            {
                byte[] bytes = Encoding.ASCII.GetBytes(text);
                if (bytes.Length > length) throw new ArgumentException($"'{text}' does not fit a {length}-byte tar field");
                Array.Copy(bytes, 0, header, offset, bytes.Length);
            }
            string Octal(long value, int digits) => Convert.ToString(value, 8).PadLeft(digits, '0') + "\0";
            Field(0, 100, name);
            Field(100, 8, Octal(mode, 7));
            Field(108, 8, Octal(0, 7));
            Field(116, 8, Octal(0, 7));
            Field(124, 12, Octal(size, 11));
            Field(136, 12, Octal(Stamp.ToUnixTimeSeconds(), 11));
            Field(148, 8, "        ");
            header[156] = (byte)type;
            Field(257, 6, "ustar\0");
            Field(263, 2, "00");
            Field(265, 32, "root");
            Field(297, 32, "root");
            int checksum = header.Sum(b => b);
            Field(148, 8, Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ");
            tar.Write(header);
        }

        /// <summary>
        /// A TVM .params member of exactly <paramref name="size"/> bytes: six small bias tensors (16-96 bytes below 64 KiB,
        /// else 256-1536) and six weight tensors
        /// (1:2:4:8:16:32 of the rest), int8, one dimension each.
        /// </summary>
        private static void ParamsMember(Stream tar, string name, long size, int seed)
        {
            const int tensors = 12;
            var names = Enumerable.Range(0, tensors).Select(i => $"p{i}").ToList();
            long headBytes = 8 + 8 + 8 + names.Sum(n => 8 + n.Length) + 8;
            const long arrayHeader = 8 + 8 + 4 + 4 + 4 + 1 + 1 + 2 + 8 + 8;
            var sizes = new long[tensors];
            for (int i = 0; i < 6; i++) sizes[i] = (size < 64 << 10 ? 16L : 256L) * (i + 1);
            long rest = size - headBytes - tensors * arrayHeader - sizes.Take(6).Sum();
            if (rest < 63) throw new InvalidOperationException("the archive is too small for its params");
            long assigned = 0;
            for (int i = 0; i < 6; i++)
            {
                sizes[6 + i] = i == 5 ? rest - assigned : rest * (1L << i) / 63;
                assigned += sizes[6 + i];
            }

            Header(tar, name, size, '0', 0x1A4);
            var head = new MemoryStream();
            var writer = new BinaryWriter(head);
            writer.Write(0xF7E58D4F05049CB7UL);
            writer.Write(0UL);
            writer.Write((ulong)tensors);
            foreach (string n in names)
            {
                writer.Write((ulong)n.Length);
                writer.Write(Encoding.ASCII.GetBytes(n));
            }
            writer.Write((ulong)tensors);
            for (int i = 0; i < tensors; i++)
            {
                writer.Write(0xDD5E40F096B4A13FUL);
                writer.Write(0UL);
                writer.Write(1);           // kDLCPU
                writer.Write(0);           // device id
                writer.Write(1);           // ndim
                writer.Write((byte)0);     // kDLInt
                writer.Write((byte)8);     // bits
                writer.Write((ushort)1);   // lanes
                writer.Write(sizes[i]);    // shape[0]
                writer.Write(sizes[i]);    // data bytes
                writer.Flush();
                tar.Write(head.GetBuffer(), 0, (int)head.Length);
                head.SetLength(0);
                WeightBytes(tar, sizes[i], seed * 7919 + i);
            }
            long written = headBytes + tensors * arrayHeader + sizes.Sum();
            if (written != size) throw new InvalidOperationException($"params came out {written} bytes, not {size}");
            tar.Write(new byte[Padded(size) - size]);
        }

        /// <summary>
        /// Int8 weights, roughly Gaussian (sigma 20): slices of a 4 MiB pool taken at shifting offsets, so no stretch
        /// repeats within deflate's 32 KiB window and writing stays at memory speed.
        /// </summary>
        private static void WeightBytes(Stream tar, long count, int seed)
        {
            const int poolSize = 4 << 20;
            const int chunk = 1 << 20;
            if (_pool == null)
            {
                var random = new Random(12345);
                _pool = new byte[poolSize];
                for (int i = 0; i < poolSize; i++)
                {
                    double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
                    double g = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * 20.0;
                    _pool[i] = unchecked((byte)(sbyte)Math.Max(-127, Math.Min(127, Math.Round(g))));
                }
            }
            long offset = unchecked((uint)seed * 2654435761u) % (poolSize - chunk); // a hash: tensors start far apart in the pool
            while (count > 0)
            {
                int n = (int)Math.Min(chunk, count);
                tar.Write(_pool, (int)offset, n);
                count -= n;
                offset = (offset + 1_000_003) % (poolSize - chunk);
            }
        }

        // ---- contents ----

        private static readonly string[] Ops =
        {
            "nn_conv2d_add_nn_relu", "nn_dense_add", "nn_max_pool2d", "nn_avg_pool2d", "nn_depthwise_conv2d_add_nn_relu",
            "reshape", "nn_softmax", "add_clip_cast", "qnn_conv2d_add_right_shift_cast", "nn_pad",
        };

        private static byte[] CSource(int index, int targetBytes, Random random, List<string> functionNames)
        {
            var text = new StringBuilder(targetBytes + 4096);
            text.Append("// tvm target: c -keys=cpu \n#define TVM_EXPORTS\n#include \"tvm/runtime/c_runtime_api.h\"\n#include \"tvm/runtime/c_backend_api.h\"\n#include <math.h>\n#include <stdbool.h>\n");
            int f = 0;
            while (text.Length < targetBytes)
            {
                string op = Ops[random.Next(Ops.Length)];
                string function = $"tvmgen_default_fused_{op}_{index}" + (f == 0 ? "" : "_" + f.ToString(CultureInfo.InvariantCulture));
                if (f == 0) functionNames.Add(function);
                int rows = random.Next(4, 64), cols = random.Next(4, 64), ws = random.Next(1, 64) * 64;
                text.Append("#ifdef __cplusplus\nextern \"C\"\n#endif\n");
                text.Append($"TVM_DLL int32_t {function}(void* args, int32_t* arg_type_ids, int32_t num_args, void* out_ret_value, int32_t* out_ret_tcode, void* resource_handle) {{\n");
                text.Append("  void* arg_p0 = (((TVMValue*)args)[0].v_handle);\n  int32_t arg_p0_code = arg_type_ids[0];\n");
                text.Append("  void* arg_p1 = (((TVMValue*)args)[1].v_handle);\n  int32_t arg_p1_code = arg_type_ids[1];\n");
                text.Append("  void* arg_T_relu = (((TVMValue*)args)[2].v_handle);\n  int32_t arg_T_relu_code = arg_type_ids[2];\n");
                text.Append("  void* p0 = (((DLTensor*)arg_p0)[0].data);\n  void* p1 = (((DLTensor*)arg_p1)[0].data);\n  void* T_relu = (((DLTensor*)arg_T_relu)[0].data);\n");
                text.Append($"  void* data_pad = TVMBackendAllocWorkspace(1, 0, (uint64_t){ws}, 0, 8);\n  if (data_pad == NULL) {{\n    return -1;\n  }}\n");
                for (int loop = 0; loop < 3; loop++)
                {
                    text.Append($"  for (int32_t i{loop}_outer = 0; i{loop}_outer < {rows}; ++i{loop}_outer) {{\n");
                    text.Append($"    for (int32_t i{loop}_inner = 0; i{loop}_inner < {cols}; ++i{loop}_inner) {{\n");
                    text.Append($"      int32_t cse_var_{loop} = ((i{loop}_outer * {cols}) + i{loop}_inner);\n");
                    text.Append($"      ((int8_t*)data_pad)[cse_var_{loop}] = (int8_t)max(min((((int32_t)((int8_t*)p0)[cse_var_{loop}]) * {random.Next(1, 1 << 20)}) >> {random.Next(8, 31)}, 127), -128);\n");
                    text.Append($"      ((float*)T_relu)[cse_var_{loop}] = max((((float*)p1)[i{loop}_inner] + {random.NextDouble().ToString("0.000000e+00", CultureInfo.InvariantCulture)}f), 0.000000e+00f);\n");
                    text.Append("    }\n  }\n");
                }
                text.Append("  if (TVMBackendFreeWorkspace(1, 0, data_pad) != 0) {\n    return -1;\n  }\n  return 0;\n}\n\n");
                f++;
            }
            return Encoding.ASCII.GetBytes(text.ToString());
        }

        private static string HeaderFile() =>
            "#ifndef TVMGEN_DEFAULT_H_\n#define TVMGEN_DEFAULT_H_\n#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n" +
            "/*!\n * \\brief Input tensor input_1 size (in bytes) for TVM module \"default\" \n */\n#define TVMGEN_DEFAULT_INPUT_1_SIZE 3072\n" +
            "/*!\n * \\brief Output tensor output_0 size (in bytes) for TVM module \"default\" \n */\n#define TVMGEN_DEFAULT_OUTPUT_0_SIZE 12\n" +
            "struct tvmgen_default_inputs {\n  void* input_1;\n};\n\nstruct tvmgen_default_outputs {\n  void* output_0;\n};\n\n" +
            "int32_t tvmgen_default_run(\n  struct tvmgen_default_inputs* inputs,\n  struct tvmgen_default_outputs* outputs\n);\n" +
            "#define TVMGEN_DEFAULT_WORKSPACE_SIZE 28128\n\n#ifdef __cplusplus\n}\n#endif\n\n#endif // TVMGEN_DEFAULT_H_\n";

        private static string GraphJson(List<string> functions)
        {
            var nodes = new List<string> { "    {\n      \"op\": \"null\", \n      \"name\": \"input_1\", \n      \"inputs\": []\n    }" };
            for (int i = 0; i < 12; i++) nodes.Add($"    {{\n      \"op\": \"null\", \n      \"name\": \"p{i}\", \n      \"inputs\": []\n    }}");
            int first = nodes.Count;
            for (int i = 0; i < functions.Count; i++)
            {
                int input = i == 0 ? 0 : first + i - 1;
                nodes.Add($"    {{\n      \"op\": \"tvm_op\", \n      \"name\": \"{functions[i]}\", \n      \"attrs\": {{\n        \"num_outputs\": \"1\", \n        \"num_inputs\": \"2\", \n        \"flatten_data\": \"0\", \n        \"func_name\": \"{functions[i]}\", \n        \"hash\": \"{i * 2654435761L % 0xFFFFFFFF:x8}\"\n      }}, \n      \"inputs\": [\n        [\n          {input}, \n          0, \n          0\n        ], \n        [\n          {1 + i % 12}, \n          0, \n          0\n        ]\n      ]\n    }}");
            }
            int count = nodes.Count;
            return "{\n  \"nodes\": [\n" + string.Join(", \n", nodes) + "\n  ], \n" +
                "  \"arg_nodes\": [" + string.Join(", ", Enumerable.Range(0, first)) + "], \n" +
                $"  \"heads\": [\n    [\n      {count - 1}, \n      0, \n      0\n    ]\n  ], \n" +
                "  \"attrs\": {\n    \"dltype\": [\n      \"list_str\", \n      [\n" + string.Join(", \n", Enumerable.Repeat("        \"int8\"", count)) + "\n      ]\n    ], \n" +
                "    \"device_index\": [\n      \"list_int\", \n      [" + string.Join(", ", Enumerable.Repeat("1", count)) + "]\n    ], \n" +
                "    \"storage_id\": [\n      \"list_int\", \n      [" + string.Join(", ", Enumerable.Range(0, count).Select(i => i < first ? i : first + i % 2)) + "]\n    ], \n" +
                "    \"shape\": [\n      \"list_shape\", \n      [\n" + string.Join(", \n", Enumerable.Repeat("        [\n          1, \n          3072\n        ]", count)) + "\n      ]\n    ]\n  }, \n" +
                "  \"node_row_ptr\": [" + string.Join(", ", Enumerable.Range(0, count + 1)) + "]\n}";
        }

        private static string MetadataJson(List<string> functions, Random random)
        {
            var operatorFunctions = string.Join(",\n", functions.Select(name =>
                $"            {{\n              \"function_name\": \"{name}\",\n              \"workspace\": [\n                {{\n                  \"device\": 1,\n                  \"workspace_size_bytes\": {random.Next(0, 256) * 64}\n                }}\n              ]\n            }}"));
            var sids = string.Join(",\n", Enumerable.Range(0, 13).Select(i =>
                "          {\n" + (i == 0 ? "            \"input_binding\": \"input_1\",\n" : i <= 12 ? $"            \"input_binding\": \"p{i - 1}\",\n" : "") +
                $"            \"size_bytes\": {(i == 0 ? 3072 : 256 * i)},\n            \"storage_id\": {i}\n          }}"));
            return "{\n  \"modules\": {\n    \"default\": {\n      \"executors\": [\n        \"graph\"\n      ],\n      \"export_datetime\": \"2023-09-22 15:08:00Z\",\n" +
                "      \"memory\": {\n        \"functions\": {\n          \"main\": [\n            {\n              \"constants_size_bytes\": 0,\n              \"device\": 1,\n" +
                "              \"inputs\": {\n                \"input_1\": {\n                  \"dtype\": \"int8\",\n                  \"size\": 3072\n                }\n              },\n" +
                "              \"io_size_bytes\": 3084,\n" +
                "              \"outputs\": {\n                \"output_0\": {\n                  \"dtype\": \"int8\",\n                  \"size\": 12\n                }\n              },\n" +
                "              \"workspace_size_bytes\": 28128\n            }\n          ],\n          \"operator_functions\": [\n" + operatorFunctions + "\n          ]\n        },\n" +
                "        \"sids\": [\n" + sids + "\n        ]\n      },\n" +
                "      \"model_name\": \"default\",\n      \"style\": \"full-model\",\n      \"target\": [\n        \"c -keys=cpu -model=host\"\n      ]\n    }\n  },\n  \"version\": 7\n}";
        }

        private static string RelayText(Random random)
        {
            var text = new StringBuilder("#[version = \"0.0.5\"]\ndef @main(%input_1: Tensor[(1, 3072), int8] /* span=input_1:0:0 */");
            for (int i = 0; i < 12; i++) text.Append($", %p{i}: Tensor[({random.Next(1, 4096)}), int8] /* span=sequential/layer_{i}/ReadVariableOp:0:0 */");
            text.Append(") -> Tensor[(1, 12), int8] {\n");
            for (int i = 0; i < 12; i++)
            {
                text.Append($"  %{i} = qnn.conv2d(%{(i == 0 ? "input_1" : (i - 1).ToString(CultureInfo.InvariantCulture))}, %p{i}, 0, 0, 1f, 1f, padding=[0, 0, 0, 0], channels={random.Next(8, 64)}, kernel_size=[3, 3], out_dtype=\"int32\") /* span=sequential/layer_{i}/Conv2D:0:0 */;\n");
            }
            text.Append("  %11\n}\n");
            return text.ToString();
        }
    }
}
