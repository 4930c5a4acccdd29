using System;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>Reproducible bytes, gzip output, atomic writes, and output that other tools extract cleanly.</summary>
    public class JoinOutputTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private static MlfModule[] TwoModules() => new[] { JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"), JoinedArchive.Sample("v5-aot-sine.tar", "sine") };

        [SampleTheory]
        [InlineData("a.tar")]
        [InlineData("a.tar.gz")]
        [InlineData("a.tgz")]
        public void The_same_inputs_give_the_same_bytes(string name)
        {
            string first = JoinedArchive.Write(_temp.File("1-" + name), null, TwoModules());
            Thread.Sleep(1100);
            string second = JoinedArchive.Write(_temp.File("2-" + name), null, TwoModules());
            Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        }

        [SampleFact]
        public void Without_a_timestamp_members_carry_the_newest_input_time()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), null, TwoModules());
            var newest = JoinedArchive.Headers(TestPaths.Sample("v7-aot-crt-mlp.tar")).Concat(JoinedArchive.Headers(TestPaths.Sample("v5-aot-sine.tar")))
                .Max(h => h.ModificationTime.ToUnixTimeSeconds());
            Assert.All(JoinedArchive.Headers(joined), h => Assert.Equal(newest, h.ModificationTime.ToUnixTimeSeconds()));
        }

        [SampleFact]
        public void Gzip_output_carries_the_timestamp_in_its_header_and_holds_the_same_tar()
        {
            var time = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
            string tgz = JoinedArchive.Write(_temp.File("out.tgz"), new MlfJoinOptions { Timestamp = time }, TwoModules());
            string tar = JoinedArchive.Write(_temp.File("out.tar"), new MlfJoinOptions { Timestamp = time }, TwoModules());
            var bytes = File.ReadAllBytes(tgz);
            Assert.Equal(new byte[] { 0x1F, 0x8B, 0x08 }, bytes.Take(3));
            Assert.Equal(time.ToUnixTimeSeconds(), BitConverter.ToUInt32(bytes, 4));
            using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(tgz), System.IO.Compression.CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            gzip.CopyTo(inflated);
            Assert.Equal(File.ReadAllBytes(tar), inflated.ToArray());
        }

        [SampleToolFact("tar", "python3")]
        public void GNU_tar_and_pythons_data_filter_extract_the_output_cleanly()
        {
            string joined = JoinedArchive.Write(_temp.File("out.tar"), null, TwoModules());
            string byTar = _temp.File("by-tar");
            Directory.CreateDirectory(byTar);
            ExternalTool.Run("tar", byTar, "-xf", joined);
            Assert.True(File.Exists(Path.Combine(byTar, "codegen", "host", "src", "mlp_lib1.c")));

            string byPython = _temp.File("by-python");
            ExternalTool.Python("import sys, tarfile\nwith tarfile.open(sys.argv[1]) as t:\n    t.extractall(sys.argv[2], filter='data')", joined, byPython);
            var expected = IndependentArchive.Read(joined).Files;
            foreach (var file in expected)
            {
                Assert.Equal(file.Value, File.ReadAllBytes(Path.Combine(byPython, file.Key.Replace('/', Path.DirectorySeparatorChar))));
            }
        }

        [SampleFact]
        public void Reading_the_output_back_gives_the_same_modules()
        {
            var inputs = TwoModules();
            var read = MlfReader.ReadModules(JoinedArchive.Write(_temp.File("out.tar"), null, inputs));
            foreach (var input in inputs)
            {
                var output = read.Single(m => m.Name == input.Name);
                Assert.Equal(input.Executors, output.Executors);
                Assert.Equal(input.Targets, output.Targets);
                Assert.Equal(input.ExportDateTime, output.ExportDateTime);
                Assert.Equal(input.RuntimeVersion, output.RuntimeVersion);
                Assert.Equal(input.Parameters.TotalBytes, output.Parameters.TotalBytes);
                // Extra files are shared by every module of a flat multi-module archive, so compare the MLF files.
                var mlfKinds = new[] { MlfFileKind.Source, MlfFileKind.Header, MlfFileKind.Parameters, MlfFileKind.Graph, MlfFileKind.Relay, MlfFileKind.Metadata };
                Assert.Equal(input.Files.Where(f => mlfKinds.Contains(f.Kind)).Select(f => f.Kind).OrderBy(k => k, StringComparer.Ordinal),
                    output.Files.Where(f => mlfKinds.Contains(f.Kind)).Select(f => f.Kind).OrderBy(k => k, StringComparer.Ordinal));
            }
        }

        [SampleFact]
        public void Cancelling_midway_leaves_no_destination_and_no_temporary_file()
        {
            var plan = JoinPlanner.Plan(TwoModules(), new MlfJoinOptions());
            using var cancel = new CancellationTokenSource();
            string destination = _temp.File("out.tar");
            int calls = 0;
            Assert.ThrowsAny<OperationCanceledException>(() => JoinWriter.Write(plan, destination, overwrite: false, p => { if (++calls == 3) cancel.Cancel(); }, cancel.Token));
            Assert.Empty(Directory.GetFiles(_temp.Path));
        }

        [SampleFact]
        public void An_input_that_changes_after_planning_fails_the_write_cleanly_and_keeps_the_old_destination()
        {
            string copy = _temp.File("sine-copy.tar");
            File.Copy(TestPaths.Sample("v5-aot-sine.tar"), copy);
            var module = MlfReader.ReadModules(copy).Single().WithName("sine");
            var plan = JoinPlanner.Plan(new[] { module }, new MlfJoinOptions());
            string destination = _temp.File("out.tar");
            File.WriteAllText(destination, "previous");
            using (var file = File.OpenWrite(copy)) file.SetLength(4096);

            var error = Assert.Throws<MlfException>(() => JoinWriter.Write(plan, destination, overwrite: true));
            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
            Assert.Equal("previous", File.ReadAllText(destination));
            Assert.Equal(new[] { copy, destination }.OrderBy(p => p), Directory.GetFiles(_temp.Path).OrderBy(p => p));
        }

        [SampleFact]
        public void A_gzip_input_is_joined_like_its_tar()
        {
            string tgz = _temp.File("sine.tgz");
            using (var output = File.Create(tgz))
            using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
            using (var input = File.OpenRead(TestPaths.Sample("v5-aot-sine.tar")))
            {
                input.CopyTo(gzip);
            }
            var time = new MlfJoinOptions { Timestamp = DateTimeOffset.FromUnixTimeSeconds(1700000000) };
            string fromTgz = JoinedArchive.Write(_temp.File("a.tar"), time, MlfReader.ReadModules(tgz).Single().WithName("sine"));
            string fromTar = JoinedArchive.Write(_temp.File("b.tar"), time, JoinedArchive.Sample("v5-aot-sine.tar", "sine"));
            Assert.Equal(File.ReadAllBytes(fromTar), File.ReadAllBytes(fromTgz));
        }
    }
}

namespace MlfTools.Tests.Join
{
    public class GzipInputFactsTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [SampleFact]
        public void Indexing_a_tgz_records_hashes_and_symbols_so_a_join_needs_only_one_more_pass()
        {
            string tgz = _temp.File("sine.tgz");
            using (var output = File.Create(tgz))
            using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
            using (var input = File.OpenRead(TestPaths.Sample("v5-aot-sine.tar")))
            {
                input.CopyTo(gzip);
            }
            var module = MlfReader.ReadModules(tgz).Single();
            var facts = module.Archive.Facts;
            Assert.Equal(module.Files.Count, facts.Count);
            Assert.Contains("tvmgen_default_run_model", facts["codegen/host/src/default_lib0.c"].Symbols!);
            Assert.Equal(Archive.MemberFacts.Hash(IndependentArchive.Read(TestPaths.Sample("v5-aot-sine.tar")).Files["parameters/default.params"]),
                facts["parameters/default.params"].Sha256);
        }
    }
}
