using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// The stages before a join writes anything: reading an archive (New-MlfModule, Get-MlfMemoryReport, the join's
    /// inputs) and planning the join. Cancelled anywhere, they end in OperationCanceledException, never in an
    /// MlfException or a half-built result, and they write nothing.
    /// </summary>
    public class ReadAndPlanCancellationTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;

        public ReadAndPlanCancellationTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _temp.Dispose();

        /// <summary>
        /// Every sample as it is, and gzipped. Not the 3 MB one gzipped: indexing a .tar.gz also hashes every member and
        /// scans the code for symbols, so each of its attempts would cost a large part of a second.
        /// </summary>
        public static IEnumerable<object[]> SamplesAsTarAndGzip()
        {
            foreach (string name in SampleArchives.Names)
            {
                yield return new object[] { name, false };
                if (name != "v7-aot-crt-mlp.tar") yield return new object[] { name, true };
            }
        }

        /// <summary>
        /// Cancelled before the k-th read of the archive, for every k: the scan stops with OperationCanceledException,
        /// unless the token was cancelled after the scan's last check (the last reads find the end of the archive);
        /// so the reads whose cancellation still completes the scan are a run at the very end.
        /// </summary>
        [SampleTheory]
        [MemberData(nameof(SamplesAsTarAndGzip))]
        public void Reading_cancelled_at_any_read_ends_in_OperationCanceledException(string sample, bool gzip)
        {
            byte[] archive = File.ReadAllBytes(TestPaths.Sample(sample));
            if (gzip) archive = Gzip(archive);
            string name = sample + (gzip ? ".gz" : "");

            int reads;
            int members;
            using (var clean = new ReadHookStream(new MemoryStream(archive, writable: false), _ => { }))
            {
                members = ArchiveScanner.ScanStream(name, clean).Members.Count;
                reads = clean.Reads;
            }

            var completed = new List<int>();
            for (int k = 0; k <= reads; k++)
            {
                using var cancel = new CancellationTokenSource();
                if (k == 0) cancel.Cancel();
                int at = k;
                using var stream = new ReadHookStream(new MemoryStream(archive, writable: false), n => { if (n == at) cancel.Cancel(); });
                try
                {
                    var index = ArchiveScanner.ScanStream(name, stream, cancellationToken: cancel.Token);
                    Assert.Equal(members, index.Members.Count);
                    completed.Add(k);
                }
                catch (OperationCanceledException)
                {
                }
            }
            _output.WriteLine($"{name}: {reads} reads, {members} members; cancelled at {reads + 1 - completed.Count} of {reads + 1} points, completed when cancelled at reads {string.Join(", ", completed)}");
            Assert.DoesNotContain(0, completed);
            Assert.True(completed.Count < 4 && completed.SequenceEqual(Enumerable.Range(reads + 1 - completed.Count, completed.Count)),
                $"cancellation was missed at reads {string.Join(", ", completed)} of {reads}");
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Reading_with_a_cancelled_token_writes_nothing_and_throws_OperationCanceledException(string sample)
        {
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();
            var before = AtomicWriteCase.Snapshot(_temp.Path);
            Assert.ThrowsAny<OperationCanceledException>(() => MlfReader.ReadModules(TestPaths.Sample(sample), cancel.Token));
            Assert.Equal(before, AtomicWriteCase.Snapshot(_temp.Path));
        }

        /// <summary>
        /// Planning gives no progress reports to cancel at, so the token is cancelled by a timer after delays spread over
        /// a clean plan's duration: each attempt ends in OperationCanceledException or a plan equal to the clean one.
        /// </summary>
        [SampleTheory]
        [InlineData(false)]
        [InlineData(true)]
        public void Planning_cancelled_at_any_moment_ends_in_OperationCanceledException_or_a_whole_plan(bool gzipInputs)
        {
            var modules = new[] { ("v7-aot-crt-mlp.tar", "mlp"), ("v5-aot-sine.tar", "sine") }.Select(s =>
            {
                string path = TestPaths.Sample(s.Item1);
                if (gzipInputs)
                {
                    path = _temp.File(s.Item1 + ".gz");
                    File.WriteAllBytes(path, Gzip(File.ReadAllBytes(TestPaths.Sample(s.Item1))));
                }
                return MlfReader.ReadModules(path).Single().WithName(s.Item2);
            }).ToArray();

            using (var cancelled = new CancellationTokenSource())
            {
                cancelled.Cancel();
                Assert.ThrowsAny<OperationCanceledException>(() => JoinPlanner.Plan(modules, new MlfJoinOptions(), cancelled.Token));
            }

            var clock = Stopwatch.StartNew();
            var clean = JoinPlanner.Plan(modules, new MlfJoinOptions());
            double planMs = Math.Max(1, clock.Elapsed.TotalMilliseconds);
            int cancelledCount = 0, attempts = 0;
            for (double delay = 0.25; delay < planMs * 1.5; delay *= 1.25)
            {
                attempts++;
                using var cancel = new CancellationTokenSource();
                // Disposing a Timer does not wait for a callback already running: it may fire after the source is disposed.
                using var timer = new Timer(_ =>
                {
                    try { cancel.Cancel(); }
                    catch (ObjectDisposedException) { }
                }, null, TimeSpan.FromMilliseconds(delay), Timeout.InfiniteTimeSpan);
                try
                {
                    var plan = JoinPlanner.Plan(modules, new MlfJoinOptions(), cancel.Token);
                    Assert.Equal(clean.MemberOrder, plan.MemberOrder);
                }
                catch (OperationCanceledException)
                {
                    cancelledCount++;
                }
            }
            _output.WriteLine($"clean plan {planMs:F1} ms; {cancelledCount} of {attempts} timed cancellations stopped the plan");
            Assert.DoesNotContain(Directory.GetFiles(_temp.Path), p => !p.EndsWith(".gz", StringComparison.Ordinal));
        }

        private static byte[] Gzip(byte[] data)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data, 0, data.Length);
            return output.ToArray();
        }
    }
}
