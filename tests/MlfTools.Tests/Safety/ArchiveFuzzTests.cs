using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// Seeded fuzzing of everything that reads an archive: each mutant of a real sample (see <see cref="ArchiveMutator"/>)
    /// is read as New-MlfModule reads it, reported as Get-MlfMemoryReport reports it, joined into a fresh folder, and the
    /// joined archive read back. Every failure must be an MlfException with one of the ids of <see cref="MlfErrorIds"/>;
    /// no other exception, no hang, nothing written but the joined archive, the mutant itself unchanged.
    /// </summary>
    /// <remarks>
    /// MLFTOOLS_FUZZ_ITERATIONS (default 300), MLFTOOLS_FUZZ_SEED (default 20240611) and MLFTOOLS_FUZZ_FIRST (default 0)
    /// choose the mutants; a failure names the seed and iteration that replay it. MLFTOOLS_FUZZ_SAVE names a folder where
    /// failing mutants are kept; MLFTOOLS_FUZZ_TIMEOUT_SECONDS (default 30) is how long one mutant may take.
    /// tests/fuzz.sh runs this test with a large count.
    /// </remarks>
    public class ArchiveFuzzTests : IDisposable
    {
        private const int DefaultIterations = 300;
        private const int DefaultSeed = 20240611;

        private static readonly HashSet<string> KnownIds = new HashSet<string>(
            typeof(MlfErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string))
                .Select(f => (string)f.GetRawConstantValue()!),
            StringComparer.Ordinal);

        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;

        public ArchiveFuzzTests(ITestOutputHelper output) => _output = output;

        public void Dispose() => _temp.Dispose();

        [SampleFact]
        public void Mutated_samples_fail_only_with_our_error_ids_and_write_nothing_else()
        {
            int iterations = Setting("MLFTOOLS_FUZZ_ITERATIONS", DefaultIterations);
            int seed = Setting("MLFTOOLS_FUZZ_SEED", DefaultSeed);
            int first = Setting("MLFTOOLS_FUZZ_FIRST", 0);
            var timeout = TimeSpan.FromSeconds(Setting("MLFTOOLS_FUZZ_TIMEOUT_SECONDS", 30));
            string? save = Environment.GetEnvironmentVariable("MLFTOOLS_FUZZ_SAVE");

            var samples = SampleArchives.Names.ToDictionary(n => n, n => File.ReadAllBytes(TestPaths.Sample(n)));
            AddMultiModuleBases(samples);
            var lightBases = samples.Keys.Where(n => n != "v7-aot-crt-mlp.tar").OrderBy(n => n, StringComparer.Ordinal).ToArray();
            var partner = MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single().WithName("partner");
            string inputs = Directory.CreateDirectory(_temp.File("in")).FullName;
            string outputs = Directory.CreateDirectory(_temp.File("out")).FullName;
            string canary = _temp.File("escape");

            var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var findings = new List<string>();
            var clock = Stopwatch.StartNew();
            var slowest = (Time: TimeSpan.Zero, Iteration: -1);
            for (int iteration = first; iteration < first + iterations; iteration++)
            {
                var random = new Random(Mix(seed, iteration));
                // The 3 MB sample costs ten times what the others do: one mutant in ten starts from it.
                string sample = random.Next(10) == 0 ? "v7-aot-crt-mlp.tar" : lightBases[random.Next(lightBases.Length)];
                Mutant mutant;
                try
                {
                    mutant = ArchiveMutator.Mutate(random, sample, samples[sample], canary);
                }
                catch (Exception ex)
                {
                    throw new InvalidOperationException($"The mutator itself failed at seed {seed}, iteration {iteration}.", ex);
                }
                var join = new JoinChoice(
                    Rename: random.Next(2) == 0,
                    Layout: random.Next(10) < 3 ? MlfLayout.PerModule : MlfLayout.Flat,
                    Partner: random.Next(4) == 0 ? partner : null);
                string destinationName = random.Next(5) == 0 ? "joined.tar.gz" : "joined.tar";

                string input = Path.Combine(inputs, "mutant" + (mutant.IsGzip ? ".tar.gz" : ".tar"));
                File.WriteAllBytes(input, mutant.Bytes);
                // One mutant in ten is read as an extracted folder instead, when its members can be laid out safely.
                string? folder = !mutant.IsGzip && random.Next(10) == 0 ? ExtractedFolder(mutant.Bytes, Path.Combine(inputs, "mutant")) : null;
                if (folder != null) mutant.Steps.Add("extracted to a folder");
                string destination = Path.Combine(outputs, destinationName);
                var before = Listing(_temp.Path);

                string replay = $"seed {seed}, iteration {iteration} (replay: MLFTOOLS_FUZZ_SEED={seed} MLFTOOLS_FUZZ_FIRST={iteration} MLFTOOLS_FUZZ_ITERATIONS=1)";
                string? finding = null;
                var run = Task.Run(() => Exercise(folder ?? input, destination, join));
                var mutantClock = Stopwatch.StartNew();
                bool hung = false;
                try
                {
                    bool done = run.Wait(timeout);
                    if (mutantClock.Elapsed > slowest.Time) slowest = (mutantClock.Elapsed, iteration);
                    if (done) Count(outcomes, run.Result);
                    else
                    {
                        hung = true;
                        finding = $"no result after {timeout.TotalSeconds:F0} s (a hang or a runaway loop)";
                    }
                }
                catch (AggregateException ex)
                {
                    finding = ex.InnerException!.ToString();
                }

                if (finding == null && !hung)
                {
                    finding = CheckNothingElseWritten(before, Listing(_temp.Path), input, mutant, destination, canary, run.Result);
                }
                if (finding != null)
                {
                    string saved = "";
                    if (!string.IsNullOrEmpty(save))
                    {
                        Directory.CreateDirectory(save);
                        string path = Path.Combine(save, $"fuzz-{seed}-{iteration}{(mutant.IsGzip ? ".tar.gz" : ".tar")}");
                        File.WriteAllBytes(path, mutant.Bytes);
                        saved = $"\n  saved as {path}";
                    }
                    findings.Add($"{replay}\n  mutant: {mutant}\n  join: {join} into {destinationName}\n  {finding}{saved}");
                    Count(outcomes, "FINDING");
                }
                if (hung) break;
                foreach (string file in Directory.GetFiles(outputs)) File.Delete(file);
                File.Delete(input);
                if (folder != null) Directory.Delete(folder, recursive: true);
            }

            _output.WriteLine($"{iterations} mutants from seed {seed} (first iteration {first}) in {clock.Elapsed.TotalSeconds:F1} s; the slowest took {slowest.Time.TotalSeconds:F1} s (iteration {slowest.Iteration})");
            foreach (var outcome in outcomes) _output.WriteLine($"{outcome.Value,7}  {outcome.Key}");
            foreach (string finding in findings.Take(30)) _output.WriteLine("FINDING " + finding);
            Assert.True(findings.Count == 0, $"{findings.Count} of {iterations} mutants broke the rules; the first:\n{findings.FirstOrDefault()}");
        }

        /// <summary>How a mutant is joined: its modules renamed or not, the layout, and a clean module joined with them or not.</summary>
        private sealed record JoinChoice(bool Rename, MlfLayout Layout, MlfModule? Partner)
        {
            public override string ToString() =>
                $"{(Rename ? "renamed" : "as it is")}, {Layout} layout{(Partner != null ? ", with a clean module" : "")}";
        }

        /// <summary>
        /// Joined archives of several modules (flat and per-module) as further bases: metadata with "modules", module
        /// folders, shared files. Made by our own join from the samples.
        /// </summary>
        private void AddMultiModuleBases(Dictionary<string, byte[]> bases)
        {
            var modules = new[] { ("v5-aot-sine.tar", "sine"), ("v7-graph-magicwand.tar", "wand") }
                .Select(s => MlfReader.ReadModules(TestPaths.Sample(s.Item1)).Single().WithName(s.Item2))
                .Append(MlfReader.ReadModules(TestPaths.Sample("v5-graph-llvm-conv1d.tar")).Single())
                .ToArray();
            foreach (var layout in new[] { MlfLayout.Flat, MlfLayout.PerModule })
            {
                string path = _temp.File($"joined-{layout}.tar");
                JoinWriter.Write(JoinPlanner.Plan(modules, new MlfJoinOptions { Layout = layout }), path, overwrite: false);
                bases[Path.GetFileName(path)] = File.ReadAllBytes(path);
                File.Delete(path);
            }
        }

        /// <summary>
        /// The regular files and folders of a tar written out as a folder, or null when the tar cannot be followed or a
        /// member name is anything but a plain relative path (the test must not be the one that writes outside).
        /// </summary>
        private static string? ExtractedFolder(byte[] tar, string folder)
        {
            var image = TarImage.Parse(tar);
            if (image.Members.Count == 0) return null;
            var plain = new System.Text.RegularExpressions.Regex(@"^(\./)?([A-Za-z0-9_.-]+/)*[A-Za-z0-9_.-]*$");
            foreach (var member in image.Members)
            {
                if (!plain.IsMatch(member.Name) || member.Name.Split('/').Contains("..")) return null;
                if (!member.IsFile && member.TypeFlag != '5') return null;
            }
            Directory.CreateDirectory(folder);
            try
            {
                foreach (var member in image.Members)
                {
                    string path = Path.Combine(folder, member.Name.Replace('/', Path.DirectorySeparatorChar));
                    if (member.TypeFlag == '5' || member.Name.EndsWith("/", StringComparison.Ordinal))
                    {
                        Directory.CreateDirectory(path);
                        continue;
                    }
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllBytes(path, image.Data(member));
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // A file and a folder of the same name: no folder can hold this archive.
                Directory.Delete(folder, recursive: true);
                return null;
            }
            return folder;
        }

        /// <summary>What one mutant led to, stage by stage, e.g. "read ok, report ok, join SymbolCollision".</summary>
        private static string Exercise(string input, string destination, JoinChoice choice)
        {
            IReadOnlyList<MlfModule> modules;
            try
            {
                modules = MlfReader.ReadModules(input);
            }
            catch (MlfException ex)
            {
                return "read " + Id(ex);
            }

            foreach (var module in modules) TouchProperties(module, depth: 4);

            var reportIds = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var options in new[]
            {
                new MemoryReportOptions { Total = true, Budgets = new MemoryBudgets { WorkspaceBytes = 1, ConstantsBytes = 1, IoBytes = 1 } },
                new MemoryReportOptions { ByFunction = true },
            })
            {
                var session = new MemoryReportSession(options, item => TouchProperties(item, depth: 2), ex => reportIds.Add(Id(ex)));
                session.AddArchive(modules);
                foreach (var module in modules) session.AddModule(module);
                session.Complete();
                foreach (var finding in session.Findings) reportIds.Add(Id(finding.ToException()));
            }
            string report = reportIds.Count == 0 ? "report ok" : "report " + string.Join("+", reportIds);

            var joined = new List<MlfModule>();
            try
            {
                joined.AddRange(choice.Rename ? modules.Select((m, k) => m.WithName("fz" + k)) : modules);
                if (choice.Partner != null) joined.Add(choice.Partner);
                var plan = JoinPlanner.Plan(joined, new MlfJoinOptions { Layout = choice.Layout });
                JoinWriter.Write(plan, destination, overwrite: false);
            }
            catch (MlfException ex)
            {
                return $"read ok, {report}, join {Id(ex)}";
            }

            try
            {
                var back = MlfReader.ReadModules(destination);
                if (back.Count != joined.Count) throw new InvalidOperationException($"the joined archive holds {back.Count} modules, not {joined.Count}");
            }
            catch (MlfException ex)
            {
                throw new InvalidOperationException("the joined archive cannot be read back: " + ex.ErrorId + ": " + ex.Message, ex);
            }
            return $"read ok, {report}, join ok";
        }

        /// <summary>
        /// Reads every public property of an output object, and of what its properties hold, as PowerShell's formatting
        /// and Select-Object * would: a property that throws on a damaged archive is as bad as a reader that does.
        /// </summary>
        private static void TouchProperties(object? value, int depth)
        {
            if (value == null || depth == 0 || value is string || value.GetType().IsPrimitive) return;
            _ = value.ToString();
            if (value is System.Collections.IEnumerable items)
            {
                int count = 0;
                foreach (object? item in items)
                {
                    if (++count > 1000) break;
                    TouchProperties(item, depth - 1);
                }
                if (!(value is System.Collections.IDictionary)) return;
            }
            if (value.GetType().Namespace?.StartsWith("MlfTools", StringComparison.Ordinal) != true) return;
            foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                object? content;
                try
                {
                    content = property.GetValue(value);
                }
                catch (TargetInvocationException ex)
                {
                    throw new InvalidOperationException($"{value.GetType().Name}.{property.Name} threw {ex.InnerException!.GetType().Name}", ex.InnerException);
                }
                TouchProperties(content, depth - 1);
            }
        }

        /// <summary>The id of an MlfException, after checking that it is one of ours and says something.</summary>
        private static string Id(MlfException ex)
        {
            if (!KnownIds.Contains(ex.ErrorId)) throw new InvalidOperationException($"error id '{ex.ErrorId}' is not in MlfErrorIds", ex);
            if (string.IsNullOrWhiteSpace(ex.Message)) throw new InvalidOperationException($"an {ex.ErrorId} error without a message", ex);
            return ex.ErrorId;
        }

        private static string? CheckNothingElseWritten(SortedDictionary<string, long> before, SortedDictionary<string, long> after, string input, Mutant mutant,
            string destination, string canary, string outcome)
        {
            if (!File.ReadAllBytes(input).AsSpan().SequenceEqual(mutant.Bytes)) return "the input archive was modified";
            if (Directory.Exists(canary)) return $"something was written under {canary}, outside the destination folder";
            var added = after.Keys.Except(before.Keys).ToList();
            var removed = before.Keys.Except(after.Keys).ToList();
            var changed = before.Keys.Intersect(after.Keys).Where(k => before[k] != after[k]).ToList();
            string expected = Path.GetRelativePath(Path.GetDirectoryName(Path.GetDirectoryName(destination))!, destination);
            bool joined = outcome.EndsWith("join ok", StringComparison.Ordinal);
            var unexpected = added.Where(a => !(joined && a == expected)).ToList();
            if (unexpected.Count > 0 || removed.Count > 0 || changed.Count > 0)
            {
                return $"the folders changed: added {string.Join(", ", unexpected)}; removed {string.Join(", ", removed)}; changed {string.Join(", ", changed)} (outcome: {outcome})";
            }
            if (joined && !added.Contains(expected)) return "the join reported success but wrote no archive";
            return null;
        }

        /// <summary>Every file and folder under the root with its size (-1 for a folder).</summary>
        private static SortedDictionary<string, long> Listing(string root)
        {
            var listing = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                listing[Path.GetRelativePath(root, entry.FullName)] = entry is FileInfo file ? file.Length : -1;
            }
            return listing;
        }

        private static void Count(SortedDictionary<string, int> outcomes, string outcome) =>
            outcomes[outcome] = outcomes.TryGetValue(outcome, out int n) ? n + 1 : 1;

        /// <summary>A well-spread seed for one iteration (SplitMix64), the same on every runtime.</summary>
        private static int Mix(int seed, int iteration)
        {
            ulong z = ((ulong)(uint)seed << 32) | (uint)iteration;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }

        private static int Setting(string name, int fallback) =>
            int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : fallback;
    }
}
