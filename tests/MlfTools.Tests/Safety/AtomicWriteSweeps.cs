using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>An IOException that a test made happen, so it can be told from any other.</summary>
    internal sealed class InjectedFault : IOException
    {
        public InjectedFault(string what) : base("injected fault: " + what)
        {
        }
    }

    /// <summary>How many calls a clean run of a write makes: the range every sweep covers.</summary>
    internal sealed class WriteCallCounts
    {
        public int Writes { get; init; }
        public int Flushes { get; init; }
        public int ProgressReports { get; init; }
        public int FilesCreated { get; init; }
        public int FoldersCreated { get; init; }
        public int Renames { get; init; }
        public override string ToString() =>
            $"{Writes} writes, {Flushes} flushes, {ProgressReports} progress reports, {FilesCreated} files created, {FoldersCreated} folders created, {Renames} renames";
    }

    /// <summary>
    /// Runs an <see cref="AtomicWriteCase"/> once cleanly, then again failing or cancelling at every write, every flush,
    /// every progress report and the rename, asserting after each attempt that the output folder is exactly as it was
    /// (no destination, or the old file or folder byte for byte; no temporary file or folder), the inputs are untouched (size and time after
    /// each attempt; <see cref="Run"/> compares their hashes around all sweeps), and the outcome is WriteFailed
    /// (faults) or OperationCanceledException (cancellation).
    /// </summary>
    internal static class AtomicWriteSweeps
    {
        /// <summary>
        /// Sweeps one write: sticky faults at every write and flush, each file and folder creation and each rename failing; with <paramref name="full"/>
        /// also one-shot faults and cancellation at every write, flush, progress report and the rename. Returns the clean
        /// run's counts, how long it all took and how many attempts were made.
        /// </summary>
        public static (WriteCallCounts Counts, TimeSpan Elapsed, int Attempts) Run(AtomicWriteCase write, bool full)
        {
            var hashes = write.HashInputs();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (counts, complete) = CountCalls(write);
            FailAtEach(write, StreamCall.Write, counts.Writes, sticky: true);
            FailAtEach(write, StreamCall.Flush, counts.Flushes, sticky: true);
            FailCreate(write, counts.FilesCreated, folders: false);
            FailCreate(write, counts.FoldersCreated, folders: true);
            FailRename(write, counts.Renames);
            int attempts = 1 + counts.Writes + counts.Flushes + counts.FilesCreated + counts.FoldersCreated + counts.Renames;
            if (full)
            {
                FailAtEach(write, StreamCall.Write, counts.Writes, sticky: false);
                FailAtEach(write, StreamCall.Flush, counts.Flushes, sticky: false);
                attempts += counts.Writes + counts.Flushes;
                CancelAtEach(write, StreamCall.Write, counts.Writes);
                CancelAtEach(write, StreamCall.Flush, counts.Flushes);
                CancelAtEachProgressReport(write, counts.ProgressReports);
                CancelDuringRename(write, complete);
                attempts += counts.Writes + counts.Flushes + counts.ProgressReports + 1 + 1;
            }
            Assert.Equal(hashes, write.HashInputs());
            return (counts, clock.Elapsed, attempts);
        }

        /// <summary>A clean run: it must succeed; its output is what an interrupted run must never leave, and what a too-late cancellation must leave whole.</summary>
        public static (WriteCallCounts Counts, SortedDictionary<string, string> Output) CountCalls(AtomicWriteCase write)
        {
            write.ResetOutput();
            var files = new ScriptedOutputFiles();
            int progress = 0;
            write.Run(files, CancellationToken.None, () => progress++);
            var output = AtomicWriteCase.Snapshot(write.OutputFolder);
            Assert.True(File.Exists(write.Destination) || Directory.Exists(write.Destination), $"{write}: the clean run wrote nothing");
            Assert.Equal(new[] { Path.GetFileName(write.Destination) }, output.Keys.Where(k => !k.Contains(Path.DirectorySeparatorChar)));
            var counts = new WriteCallCounts
            {
                Writes = files.Writes,
                Flushes = files.Flushes,
                ProgressReports = progress,
                FilesCreated = files.Created,
                FoldersCreated = files.FoldersCreated,
                Renames = files.Renames,
            };
            Assert.True(counts.Writes > 0 && counts.Renames > 0, $"{write}: the clean run did not go through the substituted file operations ({counts})");
            return (counts, output);
        }

        /// <summary>
        /// The N-th write (or flush) throws. Sticky: so does every later one, as on a full disk; else only that one,
        /// so that the writer's clean-up (finishing a gzip stream, closing the file) gets through.
        /// </summary>
        public static void FailAtEach(AtomicWriteCase write, StreamCall call, int count, bool sticky)
        {
            string inputs = write.InputStamps();
            for (int n = 1; n <= count; n++)
            {
                int at = n;
                bool failing = false;
                var files = new ScriptedOutputFiles((c, i) =>
                {
                    if (c == call && i == at)
                    {
                        failing = sticky;
                        throw new InjectedFault($"{c} {i}");
                    }
                    if (failing) throw new InjectedFault($"{c} {i}");
                });
                string what = $"{call} {n} of {count} fails{(sticky ? " and every later call too" : "")}";
                var error = Attempt(write, inputs, what, () => write.Run(files, CancellationToken.None, () => { }));
                AssertWriteFailed(write, error, what);
            }
        }

        /// <summary>The token is cancelled at the N-th write (or flush), which then goes ahead.</summary>
        public static void CancelAtEach(AtomicWriteCase write, StreamCall call, int count)
        {
            string inputs = write.InputStamps();
            for (int n = 1; n <= count; n++)
            {
                int at = n;
                using var cancel = new CancellationTokenSource();
                var files = new ScriptedOutputFiles((c, i) =>
                {
                    if (c == call && i == at) cancel.Cancel();
                });
                var error = Attempt(write, inputs, $"cancel at {call} {n} of {count}", () => write.Run(files, cancel.Token, () => { }));
                AssertCancelled(write, error, $"cancel at {call} {n} of {count}");
            }
        }

        /// <summary>The token is cancelled at the N-th progress report, and before anything happens at all (N = 0).</summary>
        public static void CancelAtEachProgressReport(AtomicWriteCase write, int count)
        {
            string inputs = write.InputStamps();
            for (int n = 0; n <= count; n++)
            {
                using var cancel = new CancellationTokenSource();
                if (n == 0) cancel.Cancel();
                int reports = 0;
                int at = n;
                var error = Attempt(write, inputs, $"cancel at progress report {n} of {count}", () =>
                    write.Run(new ScriptedOutputFiles(), cancel.Token, () => { if (++reports == at) cancel.Cancel(); }));
                AssertCancelled(write, error, $"cancel at progress report {n} of {count}");
            }
        }

        /// <summary>Creating the N-th file (or folder) fails as a read-only folder makes it fail.</summary>
        public static void FailCreate(AtomicWriteCase write, int count, bool folders)
        {
            string inputs = write.InputStamps();
            string kind = folders ? "folder" : "file";
            for (int n = 1; n <= count; n++)
            {
                int created = 0;
                int at = n;
                Action<string> fail = path => { if (++created == at) throw new UnauthorizedAccessException($"injected fault: create {kind} {path}"); };
                var files = folders ? new ScriptedOutputFiles { BeforeCreateFolder = fail } : new ScriptedOutputFiles { BeforeCreate = fail };
                var error = Attempt(write, inputs, $"creating {kind} {n} of {count} fails", () => write.Run(files, CancellationToken.None, () => { }));
                var mlf = error as MlfException;
                Assert.True(mlf != null && mlf.ErrorId == MlfErrorIds.WriteFailed && mlf.InnerException is UnauthorizedAccessException,
                    $"{write}, creating {kind} {n} fails: expected a WriteFailed MlfException, got {error}");
            }
        }

        /// <summary>
        /// The N-th rename fails, once: the one into place, and when an old folder is replaced, also the one that
        /// moves it aside (then the old folder must be put back). Nothing was published, so nothing may be left.
        /// </summary>
        public static void FailRename(AtomicWriteCase write, int count)
        {
            string inputs = write.InputStamps();
            for (int n = 1; n <= count; n++)
            {
                int renames = 0;
                int at = n;
                var files = new ScriptedOutputFiles { BeforeRename = (from, to) => { if (++renames == at) throw new InjectedFault($"rename {at}"); } };
                string what = $"rename {n} of {count} fails";
                var error = Attempt(write, inputs, what, () => write.Run(files, CancellationToken.None, () => { }));
                AssertWriteFailed(write, error, what);
            }
        }

        /// <summary>
        /// Cancelled while the finished file is renamed into place: too late to undo, so the write completes and the
        /// destination is the whole result, never a part of it.
        /// </summary>
        public static void CancelDuringRename(AtomicWriteCase write, SortedDictionary<string, string> completeOutput)
        {
            string inputs = write.InputStamps();
            write.ResetOutput();
            using var cancel = new CancellationTokenSource();
            var files = new ScriptedOutputFiles { BeforeRename = (from, to) => cancel.Cancel() };
            write.Run(files, cancel.Token, () => { });
            Assert.Equal(completeOutput, AtomicWriteCase.Snapshot(write.OutputFolder));
            Assert.Equal(inputs, write.InputStamps());
        }

        /// <summary>Runs one attempt from a reset output folder; asserts it failed and left the folder and the inputs as they were.</summary>
        private static Exception Attempt(AtomicWriteCase write, string inputs, string what, Action run)
        {
            write.ResetOutput();
            var before = AtomicWriteCase.Snapshot(write.OutputFolder);
            Exception? error = null;
            try
            {
                run();
            }
            catch (Exception ex)
            {
                error = ex;
            }
            Assert.True(error != null, $"{write}, {what}: the write succeeded");
            var after = AtomicWriteCase.Snapshot(write.OutputFolder);
            Assert.True(before.SequenceEqual(after),
                $"{write}, {what}: the output folder changed.\nbefore: {string.Join(", ", before.Keys)}\nafter:  {string.Join(", ", after.Keys)}\nerror: {error}");
            Assert.True(inputs == write.InputStamps(), $"{write}, {what}: an input changed");
            return error!;
        }

        private static void AssertWriteFailed(AtomicWriteCase write, Exception error, string what)
        {
            var mlf = error as MlfException;
            Assert.True(mlf != null && mlf.ErrorId == MlfErrorIds.WriteFailed, $"{write}, {what}: expected a WriteFailed MlfException, got {error}");
            Assert.Equal(Path.GetFullPath(write.Destination), mlf!.Target);
            Assert.True(Chain(error).Any(e => e is InjectedFault), $"{write}, {what}: WriteFailed does not carry the injected fault: {error}");
        }

        private static void AssertCancelled(AtomicWriteCase write, Exception error, string what) =>
            Assert.True(error is OperationCanceledException, $"{write}, {what}: expected OperationCanceledException, got {error}");

        private static IEnumerable<Exception> Chain(Exception error)
        {
            for (var e = error; e != null; e = e.InnerException) yield return e;
        }
    }
}
