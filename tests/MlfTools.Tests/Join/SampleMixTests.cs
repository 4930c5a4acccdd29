using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// The real mix a team collects over a year: every pair of the eight shared samples (TVM 0.7 to 0.13, graph and
    /// AOT, four C runtimes or none), renamed and joined; every sample joined alone and checked by our own validator;
    /// and all of them in one archive, compiled with gcc and linked symbols counted with nm.
    /// </summary>
    public class SampleMixTests : IDisposable
    {
        /// <summary>All eight shared samples (SampleArchives.Names lists the five that older tests were written for).</summary>
        public static readonly string[] Eight =
        {
            "v2-graph-kws-onefile.tar",
            "v4-graph-yesno.tar",
            "v5-aot-sine.tar",
            "v5-graph-llvm-conv1d.tar",
            "v6-aot-kws.tar",
            "v7-aot-crt-mlp.tar",
            "v7-aot-muriscvnn-aww.tar",
            "v7-graph-magicwand.tar",
        };

        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;

        public SampleMixTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose() => _temp.Dispose();

        public static IEnumerable<object[]> Pairs()
        {
            for (int i = 0; i < Eight.Length; i++)
            {
                for (int j = i + 1; j < Eight.Length; j++) yield return new object[] { Eight[i], Eight[j] };
            }
        }

        public static IEnumerable<object[]> EachOfEight() => Eight.Select(s => new object[] { s });

        [SampleTheory]
        [MemberData(nameof(Pairs))]
        public void Every_pair_of_the_eight_samples_renamed_joins_and_keeps_one_runtime(string first, string second)
        {
            var a = JoinedArchive.Sample(first, "first");
            var b = JoinedArchive.Sample(second, "second");
            bool runtimesDiffer = a.HasRuntime && b.HasRuntime && a.RuntimeVersion != b.RuntimeVersion;
            var options = new MlfJoinOptions { RuntimeFrom = runtimesDiffer ? "first" : null };

            if (runtimesDiffer)
            {
                // Without -RuntimeFrom the two runtimes conflict, and the message names both versions and the way out.
                var conflict = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { a, b }, new MlfJoinOptions()));
                Assert.Equal(MlfErrorIds.RuntimeConflict, conflict.ErrorId);
                Assert.Contains("TVM " + a.RuntimeVersion, conflict.Message);
                Assert.Contains("TVM " + b.RuntimeVersion, conflict.Message);
                Assert.Contains("-RuntimeFrom first", conflict.Message);
            }

            if (first == "v6-aot-kws.tar" && second == "v7-graph-magicwand.tar")
            {
                // kws brings the only runtime, TVM 0.9.dev's, which never defines the struct TVMConstantInfo that magicwand's
                // code (2023) builds an array of: gcc refuses it (RuntimeChoiceTests compiles it), and so does the join.
                var tooOld = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { a, b }, options));
                Assert.Equal(MlfErrorIds.RuntimeMissingDeclaration, tooOld.ErrorId);
                Assert.Contains("uses TVMConstantInfo", tooOld.Message);
                return;
            }

            var plan = JoinPlanner.Plan(new[] { a, b }, options);
            string joined = _temp.File($"{Path.GetFileNameWithoutExtension(first)}+{Path.GetFileNameWithoutExtension(second)}.tar");
            JoinWriter.Write(plan, joined, overwrite: false);

            if (runtimesDiffer)
            {
                string warning = Assert.Single(plan.Warnings, w => w.StartsWith("-RuntimeFrom first", StringComparison.Ordinal));
                Assert.Contains("TVM " + a.RuntimeVersion, warning);
                Assert.Contains("TVM " + b.RuntimeVersion, warning);
            }
            else
            {
                Assert.DoesNotContain(plan.Warnings, w => w.StartsWith("-RuntimeFrom", StringComparison.Ordinal));
            }

            // Our own validator finds no error in what the join wrote.
            var errors = MlfArchiveValidator.Validate(joined).Where(f => f.Level == FindingSeverity.Error).Select(f => $"{f.Id}: {f.Message}").ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));

            // The runtime is exactly that of the module it comes from, byte for byte, and every module's metadata names it.
            var output = IndependentArchive.Read(joined);
            string? keptSample = a.HasRuntime ? first : b.HasRuntime ? second : null;
            var expectedRuntime = keptSample == null ? new Dictionary<string, byte[]>() : RuntimeFiles(IndependentArchive.Read(TestPaths.Sample(keptSample)));
            var actualRuntime = RuntimeFiles(output);
            Assert.Equal(expectedRuntime.Keys.OrderBy(k => k, StringComparer.Ordinal), actualRuntime.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (path, bytes) in expectedRuntime) Assert.True(bytes.AsSpan().SequenceEqual(actualRuntime[path]), path);
            string? keptVersion = keptSample == null ? null : (keptSample == first ? a : b).RuntimeVersion;
            foreach (string name in new[] { "first", "second" })
            {
                var entry = output.ModuleEntry(name);
                if (!entry.TryGetProperty("external_dependencies", out var dependencies)) continue;
                Assert.Equal(keptVersion, dependencies.EnumerateArray().Single(d => d.GetProperty("short_name").GetString() == "tvm_standalone_crt").GetProperty("version_spec").GetString());
            }
        }

        [SampleTheory]
        [MemberData(nameof(EachOfEight))]
        public void Every_sample_joined_alone_as_it_is_and_renamed_passes_our_validator(string sample)
        {
            var modules = new List<(string Label, MlfModule Module)> { ("as it is", JoinedArchive.Sample(sample)) };
            var original = JoinedArchive.Sample(sample);
            if (!original.Files.Any(f => f.Kind == MlfFileKind.Object)) modules.Add(("renamed", JoinedArchive.Sample(sample, "kws")));
            foreach (var (label, module) in modules)
            {
                string joined = JoinedArchive.Write(_temp.File($"{label.Replace(' ', '-')}-{sample}"), null, module);
                var errors = MlfArchiveValidator.Validate(joined).Where(f => f.Level == FindingSeverity.Error).Select(f => $"{f.Id}: {f.Message}").ToList();
                Assert.True(errors.Count == 0, $"{sample} {label}:\n" + string.Join("\n", errors));
                // A version 1 to 3 module has no style; version 7 requires it, so the join writes the one TVM would have.
                var entry = IndependentArchive.Read(joined).ModuleEntry(module.Name);
                Assert.Equal("full-model", entry.GetProperty("style").GetString());
            }
        }

        [SampleToolFact("gcc", "nm", "tar")]
        public void All_samples_in_one_archive_compile_wherever_their_originals_did_and_define_no_global_twice()
        {
            var samples = Eight.ToList();
            var modules = samples.Select((s, i) => JoinedArchive.Sample(s, "m" + i)).ToArray();
            // The newest runtime (TVM 0.13, of the mlp model) for all: magicwand's code needs its metadata types.
            string newest = modules[samples.IndexOf("v7-aot-crt-mlp.tar")].Name;
            var plan = JoinPlanner.Plan(modules, new MlfJoinOptions { RuntimeFrom = newest });
            string joined = _temp.File("all.tar");
            JoinWriter.Write(plan, joined, overwrite: false);
            var errors = MlfArchiveValidator.Validate(joined).Where(f => f.Level == FindingSeverity.Error).Select(f => $"{f.Id}: {f.Message}").ToList();
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            string joinedTree = Extract(joined, "all");
            string fallbackRuntime = Path.Combine(Extract(TestPaths.Sample("v7-aot-crt-mlp.tar"), "crt"), "runtime", "include");

            var objects = new List<string>();
            for (int i = 0; i < samples.Count; i++)
            {
                string original = Extract(TestPaths.Sample(samples[i]), "original-" + i);
                string ownRuntime = Path.Combine(original, "runtime", "include");
                string runtimeInclude = Directory.Exists(ownRuntime) ? ownRuntime : fallbackRuntime;
                string sources = Path.Combine(original, "codegen", "host", "src");
                if (!Directory.Exists(sources)) continue; // LLVM builds ship objects only: those are checked by nm below
                foreach (string source in Directory.GetFiles(sources, "*.c").OrderBy(s => s, StringComparer.Ordinal))
                {
                    string fileName = Path.GetFileName(source);
                    var (exitCode, stderr) = Compile(source, Path.Combine(original, "codegen", "host", "include"), runtimeInclude, _temp.File($"original-{i}-{fileName}.o"));
                    if (exitCode != 0)
                    {
                        _output.WriteLine($"{samples[i]} {fileName}: the original does not compile with gcc here, so its joined copy is not compiled either ({FirstLine(stderr)})");
                        continue;
                    }
                    string joinedName = Regex.Replace(fileName, @"^(?:default_)?lib", $"m{i}_lib");
                    string joinedSource = Path.Combine(joinedTree, "codegen", "host", "src", joinedName);
                    string joinedObject = _temp.File($"joined-{joinedName}.o");
                    var joinedResult = Compile(joinedSource, Path.Combine(joinedTree, "codegen", "host", "include"), Path.Combine(joinedTree, "runtime", "include"), joinedObject);
                    Assert.True(joinedResult.ExitCode == 0, $"{joinedName} (from {samples[i]} {fileName}) does not compile in the joined archive: {joinedResult.StandardError}");
                    objects.Add(joinedObject);
                }
            }
            Assert.True(objects.Count >= 10, $"only {objects.Count} joined sources compiled");
            string joinedLib = Path.Combine(joinedTree, "codegen", "host", "lib");
            if (Directory.Exists(joinedLib)) objects.AddRange(Directory.GetFiles(joinedLib, "*.o"));

            var definers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (string obj in objects)
            {
                foreach (string line in ExternalTool.Run("nm", _temp.Path, "-g", "--defined-only", obj).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length < 3 || parts[1] is "W" or "V" or "w" or "v") continue;
                    if (!definers.TryGetValue(parts[2], out var list)) definers[parts[2]] = list = new List<string>();
                    list.Add(Path.GetFileName(obj));
                }
            }
            var twice = definers.Where(d => d.Value.Count > 1).Select(d => $"{d.Key}: {string.Join(", ", d.Value)}").ToList();
            Assert.True(twice.Count == 0, "defined more than once:\n" + string.Join("\n", twice));
            _output.WriteLine($"{samples.Count} samples, {objects.Count} objects, {definers.Count} global symbols, none defined twice");
        }

        private static Dictionary<string, byte[]> RuntimeFiles(IndependentArchive archive) =>
            archive.Files.Where(f => f.Key.StartsWith("runtime/", StringComparison.Ordinal) || f.Key.StartsWith("templates/", StringComparison.Ordinal))
                .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

        private string Extract(string archive, string name)
        {
            string folder = _temp.File(name);
            Directory.CreateDirectory(folder);
            ExternalTool.Run("tar", folder, "-xf", archive);
            return folder;
        }

        /// <summary>gcc -c as a firmware build would, with an implicit declaration an error (as GCC 14 makes it).</summary>
        private (int ExitCode, string StandardError) Compile(string source, string include, string runtimeInclude, string output) =>
            ExternalTool.RunAllowingFailure("gcc", _temp.Path, "-c", "-O1", "-fno-common", "-Werror=implicit-function-declaration",
                "-I", include, "-I", runtimeInclude, "-o", output, source);

        private static string FirstLine(string text) => text.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.Ordinal)) ?? text.Trim();
    }
}
