using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using MlfTools.Join;

namespace MlfTools.Bench
{
    /// <summary>
    /// What the benchmark runs in a process of its own, so that each contender's peak memory is its own. Each mode
    /// prints one line of key=value pairs: ms (the work, timed inside the process), rss0_kb (VmRSS before the work),
    /// hwm_kb (VmHWM after it) and, for the join, the phases.
    /// </summary>
    internal static class Children
    {
        /// <summary>The buffers JoinWriter, ArchiveContent and TarArchiveWriter use, so that the floor copies the way our join does.</summary>
        public const int OutputBufferSize = 1 << 20;
        public const int InputBufferSize = 1 << 20;
        public const int CopyBufferSize = 1 << 20;

        public static int Run(string[] args)
        {
            long rss0 = Status("VmRSS");
            var watch = Stopwatch.StartNew();
            string phases = string.Empty;
            switch (args[0])
            {
                case "copy":
                    Copy(args[1], args.Skip(2).ToList());
                    break;
                case "join":
                    phases = Join(args[1], args.Skip(2).ToList());
                    break;
                case "gzip":
                    Gzip(Enum.Parse<CompressionLevel>(args[1]), args[2], args[3]);
                    break;
                case "report":
                    foreach (var module in MlfReader.ReadModules(args[1])) ModuleMemoryReports.ForModule(module);
                    break;
                default:
                    Console.Error.WriteLine($"unknown child mode '{args[0]}'");
                    return 2;
            }
            watch.Stop();
            Console.WriteLine(FormattableString.Invariant($"ms={watch.Elapsed.TotalMilliseconds:0.000} rss0_kb={rss0} hwm_kb={Status("VmHWM")}{phases}"));
            return 0;
        }

        /// <summary>
        /// The floor: the input files' bytes, one after the other, into a temporary file beside the output (1 MiB
        /// FileStream buffers on both sides and a 1 MiB copy buffer, as our join), Flush(true), renamed into place.
        /// </summary>
        private static void Copy(string output, List<string> inputs)
        {
            string temporary = output + ".tmp";
            var buffer = new byte[CopyBufferSize];
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, OutputBufferSize))
            {
                foreach (string input in inputs)
                {
                    using var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, InputBufferSize);
                    int read;
                    while ((read = source.Read(buffer, 0, buffer.Length)) > 0) file.Write(buffer, 0, read);
                }
                file.Flush(true);
            }
            File.Move(temporary, output);
        }

        /// <summary>Our join, as Join-MlfArchive runs it: read each input, rename its module, lay out, write (the content checks run during the write).</summary>
        private static string Join(string output, List<string> namedInputs)
        {
            var watch = Stopwatch.StartNew();
            var modules = namedInputs.Select(pair =>
            {
                int at = pair.IndexOf('=');
                return MlfReader.ReadModules(pair.Substring(at + 1)).Single().WithName(pair.Substring(0, at));
            }).ToList();
            double read = watch.Elapsed.TotalMilliseconds;
            var plan = JoinPlanner.PlanUnchecked(modules, new MlfJoinOptions());
            double planned = watch.Elapsed.TotalMilliseconds;
            JoinWriter.Write(plan, output, overwrite: true);
            double written = watch.Elapsed.TotalMilliseconds;
            return FormattableString.Invariant($" read_ms={read:0.0} layout_ms={planned - read:0.0} check_and_write_ms={written - planned:0.0}");
        }

        /// <summary>
        /// Our gzip stream (the internal GzipOutputStream JoinWriter wraps the output in, reached by reflection) over a
        /// finished .tar, with the same file buffers and final Flush(true) as the join.
        /// </summary>
        private static void Gzip(CompressionLevel level, string input, string output)
        {
            var type = typeof(MlfReader).Assembly.GetType("MlfTools.Archive.GzipOutputStream", throwOnError: true);
            var buffer = new byte[CopyBufferSize];
            using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, OutputBufferSize);
            using (var source = new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, InputBufferSize))
            using (var gzip = (Stream)Activator.CreateInstance(type, BindingFlags.Public | BindingFlags.Instance, null,
                new object[] { file, level, DateTimeOffset.FromUnixTimeSeconds(0), true }, CultureInfo.InvariantCulture))
            {
                int read;
                while ((read = source.Read(buffer, 0, buffer.Length)) > 0) gzip.Write(buffer, 0, read);
            }
            file.Flush(true);
        }

        /// <summary>A "VmXxx:" line of /proc/self/status in KiB, or -1.</summary>
        public static long Status(string field)
        {
            try
            {
                string line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
                return line == null ? -1 : long.Parse(line.Substring(field.Length + 1).Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return -1;
            }
        }
    }
}
