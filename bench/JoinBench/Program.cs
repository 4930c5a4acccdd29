using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MlfTools.Join;

namespace MlfTools.Bench
{
    /// <summary>
    /// How fast is Join-MlfArchive's Core next to what it cannot beat (a plain copy of the same bytes) and next to what
    /// users do instead (a Python tarfile script; GNU tar extract + create)? For each total size it writes two input
    /// archives in TVM's layout, both with a module called "default", and runs every contender as a process of its own,
    /// interleaved, after one untimed warm-up round: wall time, throughput, peak RSS, ratio to the floor. Then gzip
    /// output (our stream at Optimal and Fastest, gzip -6 and -1) and the memory report on the biggest joined .tar
    /// against a ~40 KiB one. See docs/performance.md.
    /// </summary>
    internal static class Program
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        private static readonly string[] Names = { "kws", "vww" };
        private static string _self;
        private static string _timeTool;
        private static readonly StringBuilder Markdown = new StringBuilder();

        private static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "--child") return Children.Run(args.Skip(1).ToArray());

            string folder = null;
            bool keep = false;
            int repetitions = 5, gzipRepetitions = 3, reportRepetitions = 21;
            var sizes = new List<long> { 1L << 20, 100L << 20, 1L << 30 };
            long gzipFrom = 100L << 20;
            string cache = "both";
            string markdownPath = null;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--dir": folder = args[++i]; keep = true; break;
                    case "--keep": keep = true; break;
                    case "--sizes": sizes = args[++i].Split(',').Select(ParseSize).ToList(); break;
                    case "--repetitions": repetitions = int.Parse(args[++i], Inv); break;
                    case "--gzip-repetitions": gzipRepetitions = int.Parse(args[++i], Inv); break;
                    case "--gzip-from": gzipFrom = ParseSize(args[++i]); break;
                    case "--report-repetitions": reportRepetitions = int.Parse(args[++i], Inv); break;
                    case "--cache": cache = args[++i]; break;
                    case "--markdown": markdownPath = args[++i]; break;
                    default:
                        Console.Error.WriteLine("usage: JoinBench [--dir FOLDER] [--keep] [--sizes 1M,100M,1G] [--repetitions N] [--cache warm|cold|both]\n" +
                                                "                 [--gzip-repetitions N] [--gzip-from SIZE] [--report-repetitions N] [--markdown FILE]");
                        return 2;
                }
            }
            if (cache != "warm" && cache != "cold" && cache != "both") throw new ArgumentException("--cache takes warm, cold or both");

            _self = Environment.ProcessPath;
            _timeTool = File.Exists("/usr/bin/time") ? "/usr/bin/time" : null;
            folder ??= Path.Combine(Path.GetTempPath(), "mlftools-joinbench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                bool canDrop = TryDropCaches();
                var modes = new List<string>();
                if (cache != "cold") modes.Add("warm");
                if (cache != "warm")
                {
                    if (canDrop) modes.Add("cold");
                    else Console.WriteLine("cold cache: cannot write /proc/sys/vm/drop_caches here, so only warm-cache figures follow");
                }
                PrintMachine(canDrop);

                string largestJoined = null;
                long largest = 0;
                foreach (long size in sizes)
                {
                    string dir = Path.Combine(folder, SizeName(size));
                    var inputs = Generate(dir, size);
                    string joined = RunSize(dir, size, inputs, modes, repetitions);
                    if (size >= gzipFrom) RunGzip(dir, size, inputs, joined, gzipRepetitions);
                    if (size >= largest) { largest = size; largestJoined = joined; }
                }

                // The memory report: the biggest joined .tar against a ~40 KiB joined one of the same shape.
                string tinyDir = Path.Combine(folder, "40K");
                var tiny = Generate(tinyDir, 40L << 10);
                string tinyJoined = Path.Combine(tinyDir, "joined.tar");
                JoinWriter.Write(JoinPlanner.Plan(tiny.Select((p, i) => MlfReader.ReadModules(p).Single().WithName(Names[i])).ToList(), new MlfJoinOptions()), tinyJoined, overwrite: true);
                RunReport(tinyJoined, largestJoined, reportRepetitions);

                Console.WriteLine($"after the runs{LoadAverage()}");
                if (markdownPath != null)
                {
                    File.WriteAllText(markdownPath, Markdown.ToString());
                    Console.WriteLine($"tables written to {markdownPath}");
                }
                return 0;
            }
            finally
            {
                if (!keep) Directory.Delete(folder, recursive: true);
                else Console.WriteLine($"kept {folder} (delete it when done: the inputs and outputs are large)");
            }
        }

        // ---- the join and its rivals ----

        private sealed class Contender
        {
            public string Key;
            public string Label;
            public Func<string, string[]> Command; // output path -> argv
            public string Output;
            public string Work;                    // a folder to remove before each run, if any
        }

        private sealed class Measure
        {
            public double WallMs;
            public double InnerMs = double.NaN;
            public long MaxRssKb = -1;
            public long Rss0Kb = -1;
            public long HwmKb = -1;
            public string Phases = string.Empty;
        }

        private static string RunSize(string dir, long size, List<string> inputs, List<string> modes, int repetitions)
        {
            long inputBytes = inputs.Sum(p => new FileInfo(p).Length);
            var named = inputs.Select((p, i) => $"{Names[i]}={p}").ToArray();
            string merge = Path.Combine(AppContext.BaseDirectory, "tarfile_merge.py");
            string gnutar = Path.Combine(AppContext.BaseDirectory, "gnutar_merge.sh");
            var contenders = new List<Contender>
            {
                new Contender { Key = "floor", Label = "floor: plain copy (.NET, 1 MiB buffers, Flush(true))", Output = Path.Combine(dir, "out-floor.bin"),
                    Command = o => Self(new[] { "copy", o }.Concat(inputs)) },
                new Contender { Key = "join", Label = "MlfTools join (ReadModules + Layout + Write)", Output = Path.Combine(dir, "out-join.tar"),
                    Command = o => Self(new[] { "join", o }.Concat(named)) },
                new Contender { Key = "python", Label = "Python tarfile merge (+ fsync)", Output = Path.Combine(dir, "out-python.tar"),
                    Command = o => new[] { "python3", merge, o }.Concat(named).ToArray() },
                new Contender { Key = "gnutar", Label = "GNU tar x + c (+ sync FILE)", Output = Path.Combine(dir, "out-gnutar.tar"), Work = Path.Combine(dir, "work-gnutar"),
                    Command = o => new[] { "bash", gnutar, Path.Combine(dir, "work-gnutar"), o }.Concat(named).ToArray() },
            };

            Console.WriteLine();
            Console.WriteLine($"== {SizeName(size)}: 2 inputs, {inputBytes} bytes ({Mib(inputBytes)} MiB) together; each: {Shape.ForTotal(size)}");
            foreach (string mode in modes)
            {
                var results = contenders.ToDictionary(c => c.Key, _ => new List<Measure>());
                if (mode == "warm")
                {
                    foreach (var c in contenders) RunOnce(c, cold: false); // warm-up: page cache, disk, python bytecode
                    Verify(contenders, inputs, inputBytes);
                }
                for (int r = 0; r < repetitions; r++)
                {
                    for (int k = 0; k < contenders.Count; k++)
                    {
                        var c = contenders[(k + r) % contenders.Count]; // rotate the order so no one always runs after the same rival
                        results[c.Key].Add(RunOnce(c, mode == "cold"));
                    }
                }
                PrintTable(size, inputBytes, mode, repetitions, contenders, results);
            }
            foreach (var c in contenders.Where(c => c.Key != "join")) Clean(c);
            string joined = Path.Combine(dir, "joined.tar");
            File.Move(contenders[1].Output, joined, overwrite: true);
            return joined;
        }

        private static Measure RunOnce(Contender c, bool cold)
        {
            Clean(c);
            Sync();
            if (cold) TryDropCaches();
            return Run(c.Command(c.Output));
        }

        private static void Clean(Contender c)
        {
            if (File.Exists(c.Output)) File.Delete(c.Output);
            if (c.Work != null && Directory.Exists(c.Work)) Directory.Delete(c.Work, recursive: true);
        }

        private static void Verify(List<Contender> contenders, List<string> inputs, long inputBytes)
        {
            var joined = MlfReader.ReadModules(contenders[1].Output);
            if (!joined.Select(m => m.Name).SequenceEqual(Names)) throw new InvalidOperationException("the joined archive does not hold kws and vww");
            if (new FileInfo(contenders[0].Output).Length != inputBytes) throw new InvalidOperationException("the floor copy has the wrong size");
            foreach (var c in contenders.Skip(2))
            {
                long members = CountMembers(c.Output);
                long expected = inputs.Sum(CountMembers);
                if (members < expected) throw new InvalidOperationException($"{c.Key} wrote {members} members, not {expected}");
            }
            Console.WriteLine($"  checked: the join reads back as modules {string.Join(", ", joined.Select(m => m.Name))} ({new FileInfo(contenders[1].Output).Length} bytes); " +
                              $"python {new FileInfo(contenders[2].Output).Length} bytes, GNU tar {new FileInfo(contenders[3].Output).Length} bytes, all members present");
        }

        private static long CountMembers(string tar)
        {
            var start = new ProcessStartInfo("tar") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add("-tf");
            start.ArgumentList.Add(tar);
            using var p = Process.Start(start);
            long count = 0;
            while (p.StandardOutput.ReadLine() != null) count++;
            p.WaitForExit();
            return count;
        }

        private static void PrintTable(long size, long inputBytes, string mode, int repetitions, List<Contender> contenders, Dictionary<string, List<Measure>> results)
        {
            double floor = Median(results["floor"].Select(m => m.WallMs));
            double floorInner = Median(results["floor"].Select(m => m.InnerMs));
            string title = $"{SizeName(size)} ({Mib(inputBytes)} MiB in), {mode} cache, median of {repetitions}";
            Console.WriteLine($"  {title}:");
            Console.WriteLine($"    {"contender",-52} {"wall s",8} {"min-max",15} {"MiB/s",7} {"x floor",7} {"in-process s",12} {"peak RSS MiB",12} {"growth MiB",10}");
            Markdown.AppendLine($"#### {title}").AppendLine();
            Markdown.AppendLine("| contender | wall s (min-max) | MiB/s | x floor | in-process s (x floor) | peak RSS MiB | growth MiB |");
            Markdown.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var c in contenders)
            {
                var list = results[c.Key];
                double wall = Median(list.Select(m => m.WallMs));
                double inner = Median(list.Select(m => m.InnerMs));
                long rss = (long)Median(list.Select(m => (double)(m.MaxRssKb > 0 ? m.MaxRssKb : m.HwmKb)));
                bool dotnet = c.Key == "floor" || c.Key == "join";
                long growth = dotnet ? (long)Median(list.Select(m => (double)(m.HwmKb - m.Rss0Kb))) : -1;
                string range = $"{S(list.Min(m => m.WallMs))}-{S(list.Max(m => m.WallMs))}";
                string innerText = double.IsNaN(inner) ? "-" : S(inner);
                string innerRatio = double.IsNaN(inner) || !dotnet ? "" : $" ({(inner / floorInner).ToString("0.00", Inv)})";
                Console.WriteLine($"    {c.Label,-52} {S(wall),8} {range,15} {Throughput(inputBytes, wall),7} {(wall / floor).ToString("0.00", Inv),7} {innerText + innerRatio,12} {Kib(rss),12} {(growth < 0 ? "-" : Kib(growth)),10}");
                Markdown.AppendLine($"| {c.Label} | {S(wall)} ({range}) | {Throughput(inputBytes, wall)} | {(wall / floor).ToString("0.00", Inv)} | {innerText}{innerRatio} | {Kib(rss)} | {(growth < 0 ? "-" : Kib(growth))} |");
            }
            var phases = results["join"].Select(m => m.Phases).ToList();
            Console.WriteLine($"    join phases (each run):{string.Join(";", phases)}");
            Markdown.AppendLine().AppendLine($"Join phases per run:{string.Join(";", phases)}").AppendLine();
        }

        // ---- gzip ----

        private static void RunGzip(string dir, long size, List<string> inputs, string joinedTar, int repetitions)
        {
            long tarBytes = new FileInfo(joinedTar).Length;
            var named = inputs.Select((p, i) => $"{Names[i]}={p}").ToArray();
            string sh(string level, string output) => $"gzip {level} -c \"{joinedTar}\" > \"{output}\" && sync \"{output}\"";
            var contenders = new List<Contender>
            {
                new Contender { Key = "optimal", Label = "our GzipOutputStream, Optimal (the join's level)", Output = Path.Combine(dir, "gz-optimal.tar.gz"),
                    Command = o => Self(new[] { "gzip", "Optimal", joinedTar, o }) },
                new Contender { Key = "fastest", Label = "our GzipOutputStream, Fastest", Output = Path.Combine(dir, "gz-fastest.tar.gz"),
                    Command = o => Self(new[] { "gzip", "Fastest", joinedTar, o }) },
                new Contender { Key = "gzip6", Label = "gzip -6 (+ sync FILE)", Output = Path.Combine(dir, "gz-gzip6.tar.gz"),
                    Command = o => new[] { "bash", "-c", sh("-6", o) } },
                new Contender { Key = "gzip1", Label = "gzip -1 (+ sync FILE)", Output = Path.Combine(dir, "gz-gzip1.tar.gz"),
                    Command = o => new[] { "bash", "-c", sh("-1", o) } },
                new Contender { Key = "jointgz", Label = "MlfTools join to .tar.gz (whole join, Optimal)", Output = Path.Combine(dir, "out-join.tar.gz"),
                    Command = o => Self(new[] { "join", o }.Concat(named)) },
            };
            var results = contenders.ToDictionary(c => c.Key, _ => new List<Measure>());
            var sizes = new Dictionary<string, long>();
            foreach (var c in contenders)
            {
                RunOnce(c, cold: false);
                sizes[c.Key] = new FileInfo(c.Output).Length;
            }
            CheckGunzip(contenders[0].Output, joinedTar);
            for (int r = 0; r < repetitions; r++)
            {
                for (int k = 0; k < contenders.Count; k++)
                {
                    var c = contenders[(k + r) % contenders.Count];
                    results[c.Key].Add(RunOnce(c, cold: false));
                }
            }
            string title = $"gzip of the joined {SizeName(size)} .tar ({Mib(tarBytes)} MiB), warm cache, median of {repetitions}";
            Console.WriteLine($"  {title}:");
            Console.WriteLine($"    {"compressor",-52} {"wall s",8} {"MiB/s in",9} {"size %",7} {"peak RSS MiB",12}");
            Markdown.AppendLine($"#### {title}").AppendLine();
            Markdown.AppendLine("| compressor | wall s (min-max) | MiB/s (uncompressed) | output % of tar | peak RSS MiB |");
            Markdown.AppendLine("|---|---|---|---|---|");
            foreach (var c in contenders)
            {
                var list = results[c.Key];
                double wall = Median(list.Select(m => m.WallMs));
                string range = $"{S(list.Min(m => m.WallMs))}-{S(list.Max(m => m.WallMs))}";
                long rss = (long)Median(list.Select(m => (double)(m.MaxRssKb > 0 ? m.MaxRssKb : m.HwmKb)));
                string percent = (100.0 * sizes[c.Key] / tarBytes).ToString("0.0", Inv);
                Console.WriteLine($"    {c.Label,-52} {S(wall),8} {Throughput(tarBytes, wall),9} {percent,7} {Kib(rss),12}");
                Markdown.AppendLine($"| {c.Label} | {S(wall)} ({range}) | {Throughput(tarBytes, wall)} | {percent} | {Kib(rss)} |");
            }
            Markdown.AppendLine();
            foreach (var c in contenders) Clean(c);
        }

        private static void CheckGunzip(string gz, string tar)
        {
            var start = new ProcessStartInfo("bash") { UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"gzip -dc \"{gz}\" | cmp -s - \"{tar}\"");
            using var p = Process.Start(start);
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("our gzip output does not gunzip to the joined tar");
            Console.WriteLine("  checked: our gzip output gunzips (GNU gzip) to the joined .tar byte for byte");
        }

        // ---- the memory report ----

        private static void RunReport(string small, string big, int repetitions)
        {
            Report(small);
            Report(big);
            var warm = Stopwatch.StartNew();
            int rounds = 0;
            while (rounds < 20 || warm.ElapsedMilliseconds < 2000)
            {
                Report(small);
                Report(big);
                rounds++;
            }
            Thread.Sleep(500);
            var times = new Dictionary<string, List<double>> { [small] = new List<double>(), [big] = new List<double>() };
            var reads = new Dictionary<string, long>();
            for (int i = 0; i < repetitions; i++)
            {
                foreach (string path in new[] { small, big })
                {
                    long before = ReadChars();
                    var watch = Stopwatch.StartNew();
                    Report(path);
                    times[path].Add(watch.Elapsed.TotalMilliseconds);
                    reads[path] = ReadChars() - before;
                }
            }
            const int firstCalls = 7;
            var first = new Dictionary<string, List<double>>();
            foreach (string path in new[] { small, big }) first[path] = Enumerable.Range(0, firstCalls).Select(_ => Run(Self(new[] { "report", path })).InnerMs).ToList();

            int Members(string p) => (int)CountMembers(p);
            string title = "memory report (MlfReader.ReadModules + ModuleMemoryReports.ForModule, every module)";
            Console.WriteLine();
            Console.WriteLine($"== {title}");
            Markdown.AppendLine($"#### {title}").AppendLine();
            Markdown.AppendLine($"| archive | bytes | members | warm, in-process ms (median of {repetitions}) | bytes read | first call in a fresh process ms (median of {firstCalls}) |");
            Markdown.AppendLine("|---|---|---|---|---|---|");
            foreach (string path in new[] { small, big })
            {
                long bytes = new FileInfo(path).Length;
                string name = Path.GetFileName(Path.GetDirectoryName(path)) + "/" + Path.GetFileName(path);
                Console.WriteLine($"  {name,-14} {bytes,12} bytes {Members(path),4} members: warm {Median(times[path]).ToString("0.000", Inv)} ms (min {times[path].Min().ToString("0.000", Inv)}), read {reads[path]} bytes; first call {Median(first[path]).ToString("0.0", Inv)} ms");
                Markdown.AppendLine($"| {name} | {bytes} | {Members(path)} | {Median(times[path]).ToString("0.000", Inv)} | {reads[path]} | {Median(first[path]).ToString("0.0", Inv)} |");
            }
            string warmRatio = (Median(times[big]) / Median(times[small])).ToString("0.00", Inv);
            string firstRatio = (Median(first[big]) / Median(first[small])).ToString("0.00", Inv);
            Console.WriteLine($"  ratio big / small: warm {warmRatio}, first call {firstRatio}");
            Markdown.AppendLine().AppendLine($"Ratio big / small: warm {warmRatio}, first call {firstRatio}.").AppendLine();
        }

        private static void Report(string path)
        {
            foreach (var module in MlfReader.ReadModules(path)) ModuleMemoryReports.ForModule(module);
        }

        private static long ReadChars()
        {
            try
            {
                string line = File.ReadLines("/proc/self/io").First(l => l.StartsWith("rchar:", StringComparison.Ordinal));
                return long.Parse(line.Substring(6).Trim(), Inv);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                return -1;
            }
        }

        // ---- inputs ----

        private static List<string> Generate(string dir, long size)
        {
            Directory.CreateDirectory(dir);
            var shape = Shape.ForTotal(size);
            var paths = new List<string>();
            var watch = Stopwatch.StartNew();
            bool made = false;
            for (int i = 0; i < 2; i++)
            {
                string path = Path.Combine(dir, $"in-{i}.tar");
                string stamp = path + ".spec";
                string spec = $"v1 {shape.TotalBytes} {shape.Sources} {shape.MinSourceBytes} {shape.MaxSourceBytes} seed {i + 1}";
                if (!File.Exists(path) || !File.Exists(stamp) || File.ReadAllText(stamp) != spec)
                {
                    Generator.Write(path, shape, seed: i + 1);
                    File.WriteAllText(stamp, spec);
                    made = true;
                }
                paths.Add(path);
            }
            Sync();
            if (made) Console.WriteLine($"generated {dir} in {watch.ElapsedMilliseconds} ms");
            return paths;
        }

        // ---- processes ----

        private static string[] Self(IEnumerable<string> args)
        {
            var list = new List<string> { _self };
            if (string.Equals(Path.GetFileNameWithoutExtension(_self), "dotnet", StringComparison.OrdinalIgnoreCase)) list.Add(typeof(Program).Assembly.Location);
            list.Add("--child");
            list.AddRange(args);
            return list.ToArray();
        }

        /// <summary>Runs a command to completion under /usr/bin/time (peak RSS), timing it from here (wall).</summary>
        private static Measure Run(string[] argv)
        {
            string timeFile = Path.GetTempFileName();
            try
            {
                var start = new ProcessStartInfo(_timeTool ?? argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                if (_timeTool != null)
                {
                    foreach (string a in new[] { "-f", "%M", "-o", timeFile }) start.ArgumentList.Add(a);
                    foreach (string a in argv) start.ArgumentList.Add(a);
                }
                else
                {
                    foreach (string a in argv.Skip(1)) start.ArgumentList.Add(a);
                }
                var watch = Stopwatch.StartNew();
                using var p = Process.Start(start);
                var stderr = p.StandardError.ReadToEndAsync();
                string stdout = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                watch.Stop();
                if (p.ExitCode != 0) throw new InvalidOperationException($"'{string.Join(" ", argv)}' failed ({p.ExitCode}): {stdout}{stderr.Result}");
                var m = new Measure { WallMs = watch.Elapsed.TotalMilliseconds };
                foreach (string pair in stdout.Split(new[] { ' ', '\n' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    int eq = pair.IndexOf('=');
                    if (eq < 0) continue;
                    string key = pair.Substring(0, eq), value = pair.Substring(eq + 1);
                    switch (key)
                    {
                        case "ms": m.InnerMs = double.Parse(value, Inv); break;
                        case "rss0_kb": m.Rss0Kb = long.Parse(value, Inv); break;
                        case "hwm_kb": m.HwmKb = long.Parse(value, Inv); break;
                        default: m.Phases += " " + pair; break;
                    }
                }
                if (_timeTool != null)
                {
                    string text = File.ReadAllText(timeFile).Trim();
                    string last = text.Split('\n').Last().Trim();
                    if (long.TryParse(last, NumberStyles.Integer, Inv, out long kb)) m.MaxRssKb = kb;
                }
                return m;
            }
            finally
            {
                File.Delete(timeFile);
            }
        }

        private static void Sync()
        {
            using var p = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false });
            p.WaitForExit();
        }

        private static bool TryDropCaches()
        {
            try
            {
                Sync();
                File.WriteAllText("/proc/sys/vm/drop_caches", "3");
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        // ---- the machine and the numbers ----

        private static void PrintMachine(bool canDrop)
        {
            string cpu = TryRead("/proc/cpuinfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':').Last().Trim() ?? "?";
            string mem = TryRead("/proc/meminfo")?.Split('\n').FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':').Last().Trim() ?? "?";
            string python = Capture("python3", "--version");
            string gzip = Capture("gzip", "--version").Split('\n').First();
            string tar = Capture("tar", "--version").Split('\n').First();
            string line = $".NET {Environment.Version}, {Environment.ProcessorCount} CPUs ({cpu}), {mem} RAM, {Environment.OSVersion}; {python}; {tar}; {gzip}; " +
                          $"peak RSS from {(_timeTool ?? "VmHWM (no /usr/bin/time)")}; drop_caches {(canDrop ? "works" : "not possible")}{LoadAverage()}";
            Console.WriteLine(line);
            Markdown.AppendLine($"Machine: {line}").AppendLine();
        }

        private static string TryRead(string path)
        {
            try { return File.ReadAllText(path); }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException) { return null; }
        }

        private static string Capture(string file, string arg)
        {
            try
            {
                var start = new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using var p = Process.Start(start);
                string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
                p.WaitForExit();
                return text.Trim();
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception)
            {
                return file + " (missing)";
            }
        }

        private static string LoadAverage()
        {
            string text = TryRead("/proc/loadavg");
            return text == null ? string.Empty : ", load average " + string.Join(" ", text.Split(' ').Take(3));
        }

        private static long ParseSize(string text)
        {
            text = text.Trim().ToUpperInvariant();
            long unit = text.EndsWith("G") ? 1L << 30 : text.EndsWith("M") ? 1L << 20 : text.EndsWith("K") ? 1L << 10 : 1;
            return long.Parse(unit == 1 ? text : text.Substring(0, text.Length - 1), Inv) * unit;
        }

        private static string SizeName(long size) =>
            size >= 1L << 30 && size % (1L << 30) == 0 ? $"{size >> 30}G" : size >= 1L << 20 && size % (1L << 20) == 0 ? $"{size >> 20}M" : $"{size >> 10}K";

        private static double Median(IEnumerable<double> values)
        {
            var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToList();
            if (sorted.Count == 0) return double.NaN;
            int mid = sorted.Count / 2;
            return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        private static string S(double ms) => (ms / 1000).ToString(ms < 1000 ? "0.000" : "0.00", Inv);
        private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", Inv);
        private static string Kib(long kib) => (kib / 1024.0).ToString("0.0", Inv);
        private static string Throughput(long bytes, double ms) => (bytes / 1048576.0 / (ms / 1000)).ToString("0", Inv);
    }
}
