using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// Join-MlfArchive's write, interrupted at every point a real join of two samples passes through: every write
    /// and flush of the output fails (WriteFailed) or is where the join is cancelled, every progress report cancels,
    /// and the rename fails or is cancelled. Nothing may be left but what was there before.
    /// </summary>
    public class JoinFaultInjectionTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;

        public JoinFaultInjectionTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _temp.Dispose();

        public static IEnumerable<object[]> Cases()
        {
            foreach (bool renamed in new[] { true, false })
            foreach (string destination in new[] { "joined.tar", "joined.tar.gz" })
            foreach (bool existing in new[] { false, true })
            {
                yield return new object[] { renamed, destination, existing };
            }
        }

        [SampleTheory]
        [MemberData(nameof(Cases))]
        public void A_join_interrupted_anywhere_leaves_no_trace(bool renamed, string destinationName, bool existing)
        {
            var write = JoinCase(("v5-aot-sine.tar", "sine"), ("v7-graph-magicwand.tar", "wand"), renamed, destinationName, existing);
            var (counts, elapsed, attempts) = AtomicWriteSweeps.Run(write, full: true);
            _output.WriteLine($"{write}: {counts}; {attempts} attempts in {elapsed.TotalSeconds:F1} s");
        }

        /// <summary>
        /// The 3 MB sample: a 2 MB member that bypasses the output buffer, and 86 runtime files. Into a .tar.gz every
        /// attempt compresses up to its failure point, so there only sticky faults are swept (every write and flush still);
        /// one-shot faults and cancellation do not depend on the output's size and are swept over the smaller join above.
        /// </summary>
        [SampleTheory]
        [InlineData("joined.tar", true)]
        [InlineData("joined.tar.gz", false)]
        public void A_large_join_interrupted_anywhere_leaves_no_trace(string destinationName, bool full)
        {
            var write = JoinCase(("v7-aot-crt-mlp.tar", "mlp"), ("v5-aot-sine.tar", "sine"), renamed: false, destinationName, existing: false);
            var (counts, elapsed, attempts) = AtomicWriteSweeps.Run(write, full);
            _output.WriteLine($"{write}: {counts}; {attempts} attempts in {elapsed.TotalSeconds:F1} s");
        }

        /// <summary>
        /// Two samples joined. Renamed: both 'default' modules get new names, so C sources and headers are rewritten
        /// on the way. Not renamed: each sample is first joined alone under a new name, then the two are joined as
        /// they are, so every member is copied.
        /// </summary>
        private AtomicWriteCase JoinCase((string Sample, string Name) first, (string Sample, string Name) second, bool renamed, string destinationName, bool existing)
        {
            string inputs = _temp.File("inputs");
            Directory.CreateDirectory(inputs);
            var sources = new[] { first, second };
            var paths = new List<string>();
            foreach (var (sample, newName) in sources)
            {
                string copy = Path.Combine(inputs, sample);
                if (renamed)
                {
                    File.Copy(TestPaths.Sample(sample), copy);
                }
                else
                {
                    copy = Path.Combine(inputs, newName + ".tar");
                    JoinedArchive.Write(copy, null, JoinedArchive.Sample(sample, newName));
                }
                paths.Add(copy);
            }
            var modules = paths.Select((p, i) =>
            {
                var module = MlfReader.ReadModules(p).Single();
                return renamed ? module.WithName(sources[i].Item2) : module;
            }).ToArray();
            Assert.Equal(renamed, modules.All(m => m.IsRenamed));

            string destination = _temp.File(Path.Combine("out", destinationName));
            string name = $"join of {string.Join(" + ", paths.Select(Path.GetFileName))} {(renamed ? "renamed" : "as they are")} into {destinationName}{(existing ? " over an existing file" : "")}";
            return new AtomicWriteCase(name, destination, paths,
                // As Join-MlfArchive does: a fresh layout each attempt, its content checks running during the write.
                (files, token, onProgress) => JoinWriter.Write(JoinPlanner.PlanUnchecked(modules, new MlfJoinOptions()), destination, overwrite: existing, _ => onProgress(), token, files))
            {
                PutExisting = existing ? path => File.WriteAllText(path, "the archive that was there before") : null,
            };
        }
    }
}
