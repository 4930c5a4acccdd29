using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace MlfTools.Bench
{
    /// <summary>
    /// Does the memory report seek over big members? Writes three archives in TVM's layout: small.tar (~40 KiB: metadata,
    /// graph config, 8 C sources, small params), big.tar (~1 GiB: the same plus 192 more C sources and a params file with
    /// one 1 GiB tensor, written as a sparse hole) and big-few-members.tar (small.tar's members with big.tar's 1 GiB
    /// tensor, to tell the cost of size from the cost of member count). Then times MlfReader.ReadModules +
    /// MemoryReports.ForModule on each in this process (warm-up until the JIT settles, interleaved repetitions, median),
    /// prints the ratios and the bytes each report actually read (rchar of /proc/self/io, Linux only).
    /// </summary>
    internal static class Program
    {
        private const int WarmUp = 20;
        private const int SourceCount = 200;
        private const int DefaultRepetitions = 21;
        private static readonly DateTimeOffset Stamp = new DateTimeOffset(2023, 1, 2, 3, 4, 5, TimeSpan.Zero);

        private static int Main(string[] args)
        {
            string folder = null;
            int repetitions = DefaultRepetitions;
            bool keep = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--dir": folder = args[++i]; keep = true; break;
                    case "--repetitions": repetitions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--keep": keep = true; break;
                    case "--first-call":
                        // Child mode: the very first report in a fresh process (JIT included), as a one-shot cmdlet call sees it.
                        var first = Stopwatch.StartNew();
                        Report(args[++i]);
                        Console.WriteLine(first.Elapsed.TotalMilliseconds.ToString("0.000", CultureInfo.InvariantCulture));
                        return 0;
                    default:
                        Console.Error.WriteLine("usage: ReportSeek [--dir FOLDER] [--repetitions N] [--keep] | --first-call ARCHIVE");
                        return 2;
                }
            }
            folder ??= Path.Combine(Path.GetTempPath(), "mlftools-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var archives = new[]
                {
                    (Name: "small.tar", Sources: 8, Tensor: 0L, What: "8 C sources, small params"),
                    (Name: "big.tar", Sources: SourceCount, Tensor: 1L << 30, What: $"{SourceCount} C sources, a 1 GiB tensor in the params"),
                    (Name: "big-few-members.tar", Sources: 8, Tensor: 1L << 30, What: "small.tar's members, but a 1 GiB tensor in the params"),
                };
                Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} CPUs, {Environment.OSVersion}{LoadAverage()}");
                var generate = Stopwatch.StartNew();
                foreach (var archive in archives) WriteArchive(Path.Combine(folder, archive.Name), archive.Sources, archive.Tensor);
                generate.Stop();
                Console.WriteLine($"generated in {generate.ElapsedMilliseconds} ms (tensor data is a sparse hole on disk):");
                foreach (var archive in archives)
                {
                    string path = Path.Combine(folder, archive.Name);
                    var report = Report(path);
                    Console.WriteLine($"  {archive.Name,-20} {Size(path),-32} {FileCount(path),4} files; {archive.What}; report: workspace {report.WorkspaceBytes} B, parameters {report.ParametersBytes} B");
                }

                // Warm up until the JIT has settled (tiered compilation promotes hot code after a quiet spell).
                var warm = Stopwatch.StartNew();
                int warmRuns = 0;
                while (warmRuns < WarmUp || warm.ElapsedMilliseconds < 2000)
                {
                    foreach (var archive in archives) Report(Path.Combine(folder, archive.Name));
                    warmRuns++;
                }
                Thread.Sleep(500);
                foreach (var archive in archives) Report(Path.Combine(folder, archive.Name));

                var times = archives.ToDictionary(a => a.Name, _ => new List<double>());
                var reads = archives.ToDictionary(a => a.Name, _ => 0L);
                for (int i = 0; i < repetitions; i++)
                {
                    foreach (var archive in archives)
                    {
                        times[archive.Name].Add(Time(Path.Combine(folder, archive.Name), out long read));
                        reads[archive.Name] = read;
                    }
                }

                Console.WriteLine($"report (MlfReader.ReadModules + MemoryReports.ForModule), median of {repetitions} interleaved runs after {warmRuns} warm-up rounds:");
                foreach (var archive in archives)
                {
                    var list = times[archive.Name];
                    Console.WriteLine($"  {archive.Name,-20} {Ms(Median(list)),9} ms (min {Ms(list.Min())}, max {Ms(list.Max())}), read {ReadText(reads[archive.Name])}");
                }
                double small = Median(times["small.tar"]);
                Console.WriteLine($"  ratio big.tar / small.tar:             {(Median(times["big.tar"]) / small).ToString("0.00", CultureInfo.InvariantCulture)}");
                Console.WriteLine($"  ratio big-few-members.tar / small.tar: {(Median(times["big-few-members.tar"]) / small).ToString("0.00", CultureInfo.InvariantCulture)}");

                var naive = Stopwatch.StartNew();
                long all = ReadEverything(Path.Combine(folder, "big.tar"));
                naive.Stop();

                Console.WriteLine($"first report in a fresh process (JIT included, as one cmdlet call), median of {ColdRuns} processes each:");
                var cold = new Dictionary<string, double>();
                foreach (var archive in archives)
                {
                    var list = Enumerable.Range(0, ColdRuns).Select(_ => FirstCallInChild(Path.Combine(folder, archive.Name))).ToList();
                    cold[archive.Name] = Median(list);
                    Console.WriteLine($"  {archive.Name,-20} {Ms(cold[archive.Name]),9} ms (min {Ms(list.Min())}, max {Ms(list.Max())})");
                }
                Console.WriteLine($"  ratio big.tar / small.tar:             {(cold["big.tar"] / cold["small.tar"]).ToString("0.00", CultureInfo.InvariantCulture)}");
                Console.WriteLine($"  ratio big-few-members.tar / small.tar: {(cold["big-few-members.tar"] / cold["small.tar"]).ToString("0.00", CultureInfo.InvariantCulture)}");
                Console.WriteLine($"after the runs{LoadAverage()}");
                Console.WriteLine($"for scale: reading every byte of big.tar once ({all} bytes) took {naive.ElapsedMilliseconds} ms");
                return 0;
            }
            finally
            {
                if (!keep) Directory.Delete(folder, recursive: true);
                else Console.WriteLine($"kept {folder}");
            }
        }

        private static string LoadAverage()
        {
            try
            {
                return ", load average " + File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return string.Empty;
            }
        }

        private const int ColdRuns = 7;

        private static double FirstCallInChild(string archive)
        {
            string host = Environment.ProcessPath;
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
            if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
            {
                start.ArgumentList.Add(typeof(Program).Assembly.Location);
            }
            start.ArgumentList.Add("--first-call");
            start.ArgumentList.Add(archive);
            using var child = Process.Start(start);
            string output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            if (child.ExitCode != 0) throw new InvalidOperationException($"the child process for '{archive}' failed with exit code {child.ExitCode}");
            return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
        }

        private static string Ms(double milliseconds) => milliseconds.ToString("0.000", CultureInfo.InvariantCulture);

        private static int FileCount(string path) => MlfReader.ReadModules(path).Single().Files.Count;

        private static MemoryReport Report(string path) => MemoryReports.ForModule(MlfReader.ReadModules(path).Single()).Single();

        private static double Time(string path, out long bytesRead)
        {
            long before = ReadChars();
            var watch = Stopwatch.StartNew();
            Report(path);
            watch.Stop();
            bytesRead = ReadChars() - before;
            return watch.Elapsed.TotalMilliseconds;
        }

        /// <summary>rchar of /proc/self/io: bytes this process has read through read() and friends; -1 where unavailable.</summary>
        private static long ReadChars()
        {
            try
            {
                string line = File.ReadLines("/proc/self/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal));
                return long.Parse(line.Substring(6).Trim(), CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                return -1;
            }
        }

        // Reading /proc/self/io itself costs a few hundred bytes of rchar; it is part of the figure, for both archives alike.
        private static string ReadText(long bytes) => bytes < 0 ? "(unknown: no /proc/self/io)" : $"{bytes} bytes (incl. /proc/self/io itself)";

        private static long ReadEverything(string path)
        {
            var buffer = new byte[1 << 20];
            long total = 0;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            int read;
            while ((read = file.Read(buffer, 0, buffer.Length)) > 0) total += read;
            return total;
        }

        private static double Median(List<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            int mid = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        private static string Size(string path)
        {
            long bytes = new FileInfo(path).Length;
            return $"{bytes} bytes ({MemoryReports.FormatBytes(bytes)})";
        }

        // ---- the archive, in TVM's layout: "./" members, sorted, directories included, uid/gid 0, root ----

        private const int FunctionCount = 12;

        private static void WriteArchive(string path, int sourceCount, long hugeTensorBytes)
        {
            using var tar = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            DirectoryMember(tar, "./");
            DirectoryMember(tar, "./codegen/");
            DirectoryMember(tar, "./codegen/host/");
            DirectoryMember(tar, "./codegen/host/src/");
            for (int i = 0; i < sourceCount; i++) FileMember(tar, $"./codegen/host/src/default_lib{i}.c", CSource(i));
            DirectoryMember(tar, "./executor-config/");
            DirectoryMember(tar, "./executor-config/graph/");
            FileMember(tar, "./executor-config/graph/default.graph", GraphJson());
            FileMember(tar, "./metadata.json", MetadataJson());
            DirectoryMember(tar, "./parameters/");
            ParamsMember(tar, "./parameters/default.params", hugeTensorBytes);
            DirectoryMember(tar, "./src/");
            FileMember(tar, "./src/default.relay", Encoding.UTF8.GetBytes("#[version = \"0.0.5\"]\ndef @main(%x: Tensor[(1, 64), float32]) {\n  nn.dense(%x, meta[relay.Constant][0])\n}\n"));
            tar.Write(new byte[1024]);
            // Round up to a 10240-byte record, as tar and Python's tarfile do.
            long padded = (tar.Length + 10239) / 10240 * 10240;
            tar.SetLength(padded);
        }

        private static byte[] CSource(int index)
        {
            var text = new StringBuilder();
            text.Append("// tvm target: c -keys=cpu\n#define TVM_EXPORTS\n#include \"tvm/runtime/c_runtime_api.h\"\n#include \"tvm/runtime/c_backend_api.h\"\n#include <math.h>\n");
            for (int f = 0; f < 6; f++)
            {
                text.Append($"TVM_DLL int32_t tvmgen_default_fused_nn_dense_add_{index}_{f}(float* p0, float* p1, float* T_add, uint8_t* global_const_workspace_{f}_var, uint8_t* global_workspace_{f}_var) {{\n");
                text.Append("  for (int32_t ax1_outer = 0; ax1_outer < 16; ++ax1_outer) {\n    T_add[ax1_outer] = (p0[ax1_outer] * p1[ax1_outer]) + 1.000000e+00f;\n  }\n  return 0;\n}\n\n");
            }
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        private static byte[] MetadataJson()
        {
            var functions = string.Join(",\n", Enumerable.Range(0, FunctionCount).Select(i =>
                $"            {{\n              \"function_name\": \"tvmgen_default_fused_nn_dense_add_{i}\",\n              \"workspace\": [\n                {{\n                  \"device\": 1,\n                  \"workspace_size_bytes\": {i * 64}\n                }}\n              ]\n            }}"));
            string json = "{\n  \"modules\": {\n    \"default\": {\n      \"executors\": [\n        \"graph\"\n      ],\n      \"export_datetime\": \"2023-01-02 03:04:05Z\",\n" +
                "      \"memory\": {\n        \"functions\": {\n          \"main\": [\n            {\n              \"constants_size_bytes\": 4096,\n              \"device\": 1,\n" +
                "              \"io_size_bytes\": 512,\n              \"workspace_size_bytes\": 1024\n            }\n          ],\n          \"operator_functions\": [\n" + functions + "\n          ]\n        },\n" +
                "        \"sids\": [\n          {\n            \"input_binding\": \"x\",\n            \"size_bytes\": 256,\n            \"storage_id\": 0\n          }\n        ]\n      },\n" +
                "      \"model_name\": \"default\",\n      \"style\": \"full-model\",\n      \"target\": [\n        \"c -keys=cpu\"\n      ]\n    }\n  },\n  \"version\": 7\n}";
            return Encoding.UTF8.GetBytes(json);
        }

        private static byte[] GraphJson()
        {
            var nodes = new List<string> { "{\"op\": \"null\", \"name\": \"x\", \"inputs\": []}" };
            for (int i = 0; i < FunctionCount; i++)
            {
                nodes.Add($"{{\"op\": \"tvm_op\", \"name\": \"k{i}\", \"attrs\": {{\"flatten_data\": \"0\", \"func_name\": \"tvmgen_default_fused_nn_dense_add_{i}\", \"num_inputs\": \"1\", \"num_outputs\": \"1\"}}, \"inputs\": [[{i}, 0, 0]]}}");
            }
            int entries = nodes.Count;
            string json = "{\"nodes\": [" + string.Join(", ", nodes) + "], \"arg_nodes\": [0], \"heads\": [[" + (entries - 1) + ", 0, 0]], " +
                "\"attrs\": {\"dltype\": [\"list_str\", [" + string.Join(", ", Enumerable.Repeat("\"float32\"", entries)) + "]], " +
                "\"storage_id\": [\"list_int\", [" + string.Join(", ", Enumerable.Range(0, entries).Select(i => i % 2)) + "]], " +
                "\"shape\": [\"list_shape\", [" + string.Join(", ", Enumerable.Repeat("[1, 64]", entries)) + "]]}, " +
                "\"node_row_ptr\": [" + string.Join(", ", Enumerable.Range(0, entries + 1)) + "]}";
            return Encoding.UTF8.GetBytes(json);
        }

        /// <summary>
        /// A .params member: eight small tensors plus, when asked, one float32 tensor of <paramref name="hugeTensorBytes"/>
        /// whose data is never written: the file position jumps over it, which leaves a hole in the file.
        /// </summary>
        private static void ParamsMember(FileStream tar, string name, long hugeTensorBytes)
        {
            var tensors = Enumerable.Range(0, 8).Select(i => ($"p{i}", 256L)).ToList();
            if (hugeTensorBytes > 0) tensors.Add(("p_huge", hugeTensorBytes));
            using var head = new MemoryStream();
            using var writer = new BinaryWriter(head);
            writer.Write(0xF7E58D4F05049CB7UL);
            writer.Write(0UL);
            writer.Write((ulong)tensors.Count);
            foreach (var (tensorName, _) in tensors)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(tensorName);
                writer.Write((ulong)bytes.Length);
                writer.Write(bytes);
            }
            writer.Write((ulong)tensors.Count);
            writer.Flush();

            long size = head.Length + tensors.Sum(t => 8 + 8 + 4 + 4 + 4 + 4 + 8 + 8 + t.Item2);
            Header(tar, name, size, '0');
            tar.Write(head.ToArray());
            foreach (var (_, bytes) in tensors)
            {
                using var array = new MemoryStream();
                using var arrayWriter = new BinaryWriter(array);
                arrayWriter.Write(0xDD5E40F096B4A13FUL);
                arrayWriter.Write(0UL);
                arrayWriter.Write(1); // CPU
                arrayWriter.Write(0);
                arrayWriter.Write(1); // ndim
                arrayWriter.Write((byte)2); // float
                arrayWriter.Write((byte)32);
                arrayWriter.Write((ushort)1);
                arrayWriter.Write(bytes / 4);
                arrayWriter.Write(bytes);
                arrayWriter.Flush();
                tar.Write(array.ToArray());
                if (bytes > 4096) tar.Seek(bytes, SeekOrigin.Current); // zeros, as a hole
                else tar.Write(new byte[bytes]);
            }
            Pad(tar, size);
        }

        private static void DirectoryMember(Stream tar, string name) => Header(tar, name, 0, '5');

        private static void FileMember(Stream tar, string name, byte[] data)
        {
            Header(tar, name, data.Length, '0');
            tar.Write(data);
            Pad(tar, data.Length);
        }

        private static void Pad(Stream tar, long size)
        {
            int padding = (int)((512 - size % 512) % 512);
            tar.Write(new byte[padding]);
        }

        /// <summary>A ustar header as Python's tarfile writes for TVM: mode, uid/gid 0, root/root, octal fields.</summary>
        private static void Header(Stream tar, string name, long size, char type)
        {
            var header = new byte[512];
            void Field(int offset, int length, string text)
            {
                byte[] bytes = Encoding.ASCII.GetBytes(text);
                if (bytes.Length > length) throw new ArgumentException($"'{text}' does not fit a {length}-byte tar field");
                Array.Copy(bytes, 0, header, offset, bytes.Length);
            }
            string Octal(long value, int digits) => Convert.ToString(value, 8).PadLeft(digits, '0') + "\0";
            Field(0, 100, name);
            Field(100, 8, Octal(type == '5' ? 0x1ED : 0x1A4, 7));
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
    }
}
