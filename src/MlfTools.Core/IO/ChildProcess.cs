using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace MlfTools.IO
{
    /// <summary>
    /// Runs a program we do not trust to behave (a compiler fed an archive's sources): bounded in time and in output, its
    /// input closed, and ended with everything it started (<see cref="ProcessTree"/>) when it runs out of time, floods
    /// its output or the caller cancels, and when it exits, so that nothing it started outlives it.
    /// </summary>
    internal static class ChildProcess
    {
        /// <summary>How much of each output stream is kept for messages.</summary>
        public const int KeptBytes = 64 * 1024;

        /// <summary>Output beyond this (both streams) stops the program: no compiler writes that much but in a loop.</summary>
        public const long MaximumOutputBytes = 32L * 1024 * 1024;

        private const int PollMilliseconds = 50;

        /// <summary>How long the output is still read after the program ended: a process that escaped the kill may hold the pipes open for ever.</summary>
        private static readonly TimeSpan PipeGrace = TimeSpan.FromSeconds(2);

        internal sealed class Result
        {
            public int ExitCode;

            /// <summary>Stopped after the timeout.</summary>
            public bool TimedOut;

            /// <summary>Stopped after writing more than <see cref="MaximumOutputBytes"/>.</summary>
            public bool Flooded;

            /// <summary>The start of standard error, then the start of standard output (UTF-8).</summary>
            public string Output;
        }

        /// <summary>
        /// Runs <paramref name="program"/> (a full path) in <paramref name="workingDirectory"/> and waits for it. Throws
        /// Win32Exception when it cannot be started, OperationCanceledException (after ending it) on cancellation.
        /// </summary>
        public static Result Run(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string launcher = ProcessTree.GroupLauncher;
            string commandLine = string.Join(" ", arguments.Select(CommandLine.Quote));
            var start = new ProcessStartInfo(launcher ?? program, launcher == null ? commandLine : CommandLine.Quote(program) + " " + commandLine)
            {
                WorkingDirectory = workingDirectory,
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            var output = new Capture();
            using (var process = Process.Start(start))
            {
                bool ownGroup = launcher != null;
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                }
                var readers = new[] { output.Drain(process.StandardError.BaseStream, 0), output.Drain(process.StandardOutput.BaseStream, 1) };
                var result = new Result();
                var watch = Stopwatch.StartNew();
                using (cancellationToken.Register(() => ProcessTree.End(process, ownGroup)))
                {
                    while (!process.WaitForExit(PollMilliseconds))
                    {
                        if (cancellationToken.IsCancellationRequested) break;
                        result.TimedOut = watch.Elapsed >= timeout;
                        result.Flooded = output.Flooded;
                        if (result.TimedOut || result.Flooded)
                        {
                            ProcessTree.End(process, ownGroup);
                            break;
                        }
                    }
                }
                // Whatever the program started and left running has no work left: end it, which also closes the pipes it holds.
                if (ownGroup) ProcessTree.EndGroup(process.Id);
                process.WaitForExit((int)PipeGrace.TotalMilliseconds);
                var deadline = DateTime.UtcNow + PipeGrace;
                foreach (var reader in readers) reader.Join(Remaining(deadline));
                cancellationToken.ThrowIfCancellationRequested();
                result.ExitCode = process.HasExited ? process.ExitCode : -1;
                result.Output = output.Text();
                if (ownGroup) ThrowWhenNotStarted(result);
                return result;
            }
        }

        /// <summary>
        /// setsid(1) could not start the program (not executable, a bad interpreter line): the Win32Exception that
        /// Process.Start throws when it starts the program itself. setsid then exits with 126 or 127, as a shell does.
        /// </summary>
        private static void ThrowWhenNotStarted(Result result)
        {
            const string Failed = "setsid: failed to execute ";
            if ((result.ExitCode == 126 || result.ExitCode == 127) && result.Output.StartsWith(Failed, StringComparison.Ordinal))
            {
                string reason = result.Output.Split('\n')[0];
                int colon = reason.LastIndexOf(": ", StringComparison.Ordinal);
                throw new System.ComponentModel.Win32Exception(colon > Failed.Length ? reason.Substring(colon + 2).Trim() : reason.Trim());
            }
        }

        private static TimeSpan Remaining(DateTime deadline)
        {
            var left = deadline - DateTime.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        /// <summary>The first <see cref="KeptBytes"/> of each stream, and the count of everything read.</summary>
        private sealed class Capture
        {
            private readonly object _sync = new object();
            private readonly MemoryStream[] _kept = { new MemoryStream(), new MemoryStream() };
            private long _total;

            public bool Flooded
            {
                get
                {
                    lock (_sync) return _total > MaximumOutputBytes;
                }
            }

            /// <summary>Reads <paramref name="stream"/> to its end on a thread of its own, keeping the start of it.</summary>
            public Thread Drain(Stream stream, int index)
            {
                var thread = new Thread(() =>
                {
                    var buffer = new byte[16 * 1024];
                    try
                    {
                        int read;
                        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) Add(index, buffer, read);
                    }
                    catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is InvalidOperationException)
                    {
                    }
                })
                {
                    IsBackground = true,
                    Name = "MlfTools child output",
                };
                thread.Start();
                return thread;
            }

            private void Add(int index, byte[] buffer, int count)
            {
                lock (_sync)
                {
                    _total += count;
                    var kept = _kept[index];
                    int room = (int)Math.Min(count, KeptBytes - kept.Length);
                    if (room > 0) kept.Write(buffer, 0, room);
                }
            }

            public string Text()
            {
                lock (_sync)
                {
                    return string.Join("\n", _kept.Select(k => Encoding.UTF8.GetString(k.GetBuffer(), 0, (int)k.Length)));
                }
            }
        }
    }
}
