using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Join;
using MlfTools.CSource;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// Hostile inputs get bounded work: a C source too big to scan is refused with ArchiveTooLarge on every path that
    /// reads it (read of a .tgz, join, test), the scan and the module listing stop at Ctrl+C, and many modules are
    /// read in one pass. (How the time grows with the input is measured by bench/ScanBench, not timed here.)
    /// </summary>
    public class BoundedWorkTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>A C source of more file-scope tokens than the scan keeps: 2.2 MiB, a few KiB compressed.</summary>
        private static string TooManyTokens() =>
            new StringBuilder().Insert(0, "x;", CSourceLimits.MaximumTokens / 2 + 1000).ToString();

        private TestArchive WithSource(string source) =>
            new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "aot")).File("codegen/host/src/default_lib0.c", source);

        [Fact]
        public void A_tgz_whose_C_source_has_too_many_tokens_is_ArchiveTooLarge_naming_the_file()
        {
            string tgz = WithSource(TooManyTokens()).WriteTarGz(_temp.File("tokens.tgz"));
            Assert.True(new FileInfo(tgz).Length < 100_000);

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(tgz));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
            Assert.Contains("'codegen/host/src/default_lib0.c'", error.Message);
            Assert.Contains("2,097,152 tokens", error.Message);
        }

        [Fact]
        public void Join_and_Test_refuse_a_C_source_with_too_many_tokens_in_a_tar()
        {
            string tar = WithSource(TooManyTokens()).WriteTar(_temp.File("tokens.tar"));
            var module = MlfReader.ReadModules(tar).Single();
            var other = MlfReader.ReadModules(WithSource("int tvmgen_default_run(void) { return 0; }\n").WriteTar(_temp.File("small.tar"))).Single();

            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { module.WithName("a"), other.WithName("b") }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
            Assert.Contains("default_lib0.c", error.Message);

            var finding = Assert.Single(MlfArchiveValidator.Validate(tar), f => f.Id == MlfErrorIds.ArchiveTooLarge);
            Assert.Contains("default_lib0.c", finding.Message);
        }

        [Fact]
        public void A_C_source_over_the_size_limit_is_refused_before_it_is_read()
        {
            // A sparse file: 1 byte over the limit without writing 64 MiB.
            string folder = _temp.File("folder");
            string src = Path.Combine(folder, "codegen", "host", "src");
            Directory.CreateDirectory(src);
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(7, "default", "aot"));
            using (var big = File.Create(Path.Combine(src, "default_lib0.c"))) big.SetLength(CSourceLimits.MaximumBytes + 1);
            var module = MlfReader.ReadModules(folder).Single();

            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { module.WithName("a") }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
            Assert.Contains("67,108,865 bytes", error.Message);
            Assert.Contains(MlfArchiveValidator.Validate(folder), f => f.Id == MlfErrorIds.ArchiveTooLarge && f.Message.Contains("default_lib0.c"));
        }

        [Fact]
        public void The_symbol_scan_stops_when_cancelled()
        {
            string source = new StringBuilder().Insert(0, "int a; ", 100_000).ToString();
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => CSymbolScanner.FindSymbols(source, cancelled.Token));
            Assert.ThrowsAny<OperationCanceledException>(() => CLexer.Tokenize(source, false, cancelled.Token));
            Assert.Single(CSymbolScanner.FindSymbols(source).GlobalDefinitions);
        }

        [Fact]
        public void Building_the_modules_of_a_read_archive_stops_when_cancelled()
        {
            var json = new StringBuilder("{\"modules\": {");
            for (int i = 0; i < 300; i++) json.Append(i == 0 ? "" : ", ").Append($"\"m{i}\": ").Append(Entry($"m{i}"));
            json.Append("}, \"version\": 7}");
            string tar = new TestArchive().File("metadata.json", json.ToString()).WriteTar(_temp.File("many.tar"));
            var index = ArchiveScanner.Scan(tar, new MlfArchiveLimits(), CancellationToken.None);
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();

            Assert.ThrowsAny<OperationCanceledException>(() => MlfReader.ReadModules(index, cancelled.Token));
            Assert.Equal(300, MlfReader.ReadModules(index).Count);
        }

        /// <summary>The "modules" entry of a minimal version-7 metadata.json for module <paramref name="name"/>.</summary>
        private static string Entry(string name)
        {
            var top = System.Text.Json.Nodes.JsonNode.Parse(TestArchive.Metadata(7, name, "aot"))!;
            return top["modules"]![name]!.ToJsonString();
        }
    }
}
