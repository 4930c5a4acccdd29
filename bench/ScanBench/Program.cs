using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Newtonsoft.Json.Linq;

namespace MlfTools.Bench
{
    /// <summary>
    /// Do reading many modules and scanning a big C source grow linearly? Each case is timed at a small baseline size
    /// and at a size N times larger, in the same process (one untimed warm-up first); a linear cost gives a time ratio
    /// near N, a quadratic one near N squared. The peak managed heap during each run shows whether memory grows with
    /// the input. Inputs are built from a real sample archive's metadata.json; needs GNU tar and gzip.
    /// </summary>
    internal static class Program
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

        private static int Main(string[] args)
        {
            string sample = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "mlf-samples", "v7-aot-crt-mlp.tar");
            int modulesSmall = 2000, modulesLarge = 20000;
            long cSmall = 8L << 20, cLarge = 128L << 20;
            bool withSources = false;
            for (int i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--modules": modulesLarge = int.Parse(args[++i], Inv); modulesSmall = modulesLarge / 10; break;
                    case "--c-mib": cLarge = long.Parse(args[++i], Inv) << 20; cSmall = cLarge / 16; break;
                    case "--with-sources": withSources = true; break; // one C file per module: hopeless before the one-pass module files
                    default: Console.Error.WriteLine("usage: ScanBench SAMPLE.tar [--modules N] [--c-mib M] [--with-sources]"); return 2;
                }
            }
            string folder = Path.Combine(Path.GetTempPath(), "mlftools-scanbench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                string entry = DefaultEntry(sample, folder);
                Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}");
                Compare("metadata.json only, modules", modulesSmall, modulesLarge, n => ManyModules(folder, entry, n, withSources: false),
                    p => MlfReader.ReadModules(p).Count);
                if (withSources)
                {
                    Compare("metadata.json and one source per module, modules", modulesSmall, modulesLarge, n => ManyModules(folder, entry, n, withSources: true),
                        p => MlfReader.ReadModules(p).Count);
                }
                // The issue's case (128 MiB), then sizes within the 64 MiB limit on C sources that later versions read whole.
                foreach (var (small, large) in new[] { (cSmall, cLarge), (cSmall / 4, cLarge / 4) })
                {
                    foreach (var shape in new[] { "initializers", "declarations" })
                    {
                        Compare($"C source in .tgz ({shape}), MiB", small >> 20, large >> 20, mib => BigSource(folder, entry, mib << 20, shape),
                            p => MlfReader.ReadModules(p).Count);
                    }
                }
                return 0;
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static void Compare(string what, long small, long large, Func<long, string> make, Func<string, int> run)
        {
            string smallPath = make(small);
            string largePath = make(large);
            Measure(smallPath, run); // warm-up
            var (smallTime, smallPeak, smallError) = Measure(smallPath, run);
            var (largeTime, largePeak, largeError) = Measure(largePath, run);
            Console.WriteLine($"{what}: {small} -> {smallTime.TotalSeconds:F2} s, peak heap {smallPeak >> 20} MiB{smallError}");
            Console.WriteLine($"{what}: {large} -> {largeTime.TotalSeconds:F2} s, peak heap {largePeak >> 20} MiB{largeError}");
            Console.WriteLine($"  size x{(double)large / small:F0}: time x{largeTime.TotalSeconds / Math.Max(smallTime.TotalSeconds, 1e-6):F1}, peak heap x{(double)largePeak / Math.Max(smallPeak, 1):F1}");
        }

        private static (TimeSpan, long, string) Measure(string path, Func<string, int> run)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long baseline = GC.GetTotalMemory(true);
            long peak = 0;
            bool done = false;
            var sampler = new Thread(() =>
            {
                while (!Volatile.Read(ref done))
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
                    Thread.Sleep(5);
                }
            });
            sampler.Start();
            var watch = Stopwatch.StartNew();
            string error = "";
            try
            {
                run(path);
            }
            catch (MlfException ex)
            {
                error = $" (refused: {ex.ErrorId}: {ex.Message})";
            }
            watch.Stop();
            Volatile.Write(ref done, true);
            sampler.Join();
            return (watch.Elapsed, peak, error);
        }

        /// <summary>The sample's "default" module entry, as JSON text.</summary>
        private static string DefaultEntry(string sample, string folder)
        {
            string extracted = Path.Combine(folder, "sample");
            Directory.CreateDirectory(extracted);
            Tar("-xf", Path.GetFullPath(sample), "-C", extracted, "./metadata.json");
            var top = JObject.Parse(File.ReadAllText(Path.Combine(extracted, "metadata.json")));
            return top["modules"]["default"].ToString(Newtonsoft.Json.Formatting.None);
        }

        /// <summary>A .tar whose metadata.json names <paramref name="count"/> modules, each with one small codegen source when asked.</summary>
        private static string ManyModules(string folder, string entry, long count, bool withSources)
        {
            string root = Path.Combine(folder, "modules-" + count + (withSources ? "-src" : ""));
            string src = Path.Combine(root, "codegen", "host", "src");
            Directory.CreateDirectory(src);
            var json = new StringBuilder("{\"modules\": {");
            for (int i = 0; i < count; i++)
            {
                string name = "m" + i.ToString("D6", Inv);
                json.Append(i == 0 ? "" : ", ").Append('"').Append(name).Append("\": ").Append(entry);
                if (withSources) File.WriteAllText(Path.Combine(src, name + "_lib0.c"), $"void tvmgen_{name}_run(void) {{ }}\n");
            }
            json.Append("}, \"version\": 7}");
            File.WriteAllText(Path.Combine(root, "metadata.json"), json.ToString());
            string tar = root + ".tar";
            Tar("-cf", tar, "-C", root, ".");
            return tar;
        }

        /// <summary>A .tgz with one module whose codegen source is <paramref name="size"/> bytes of C of the given shape.</summary>
        private static string BigSource(string folder, string entry, long size, string shape)
        {
            string root = Path.Combine(folder, "c-" + shape + "-" + size);
            string src = Path.Combine(root, "codegen", "host", "src");
            Directory.CreateDirectory(src);
            File.WriteAllText(Path.Combine(root, "metadata.json"), "{\"modules\": {\"default\": " + entry + "}, \"version\": 7}");
            using (var c = new StreamWriter(Path.Combine(src, "default_lib0.c"), false, new UTF8Encoding(false)))
            {
                long written = 0;
                int k = 0;
                while (written < size)
                {
                    string chunk = shape == "initializers"
                        ? $"static const int8_t tvmgen_default_p{k}[64] = {{\n  " + string.Join(", ", Enumerable.Range(0, 64).Select(v => "0x" + ((v * 37 + k) & 0x7f).ToString("X2", Inv))) + "\n};\n"
                        : $"int32_t tvmgen_default_f{k}(int32_t a, int8_t* b);\nstatic int32_t tvmgen_default_v{k} = {k};\n";
                    c.Write(chunk);
                    written += chunk.Length;
                    k++;
                }
            }
            string tgz = root + ".tgz";
            Tar("-czf", tgz, "-C", root, ".");
            Directory.Delete(root, recursive: true);
            return tgz;
        }

        private static void Tar(params string[] args)
        {
            var info = new ProcessStartInfo("tar") { UseShellExecute = false };
            foreach (string a in args) info.ArgumentList.Add(a);
            using (var p = Process.Start(info))
            {
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException("tar " + string.Join(" ", args) + " failed");
            }
        }
    }
}
