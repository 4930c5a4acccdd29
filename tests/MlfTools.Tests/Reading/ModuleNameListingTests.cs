using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// MlfReader.ReadModuleNames, which tab completion of -ModuleName calls: the names ReadModules gives, read from the
    /// root metadata.json alone.
    /// </summary>
    public class ModuleNameListingTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Each_sample_lists_the_names_the_full_reader_gives(string sample)
        {
            var names = MlfReader.ReadModuleNames(TestPaths.Sample(sample));

            Assert.Equal(MlfReader.ReadModules(TestPaths.Sample(sample)).Select(m => m.Name), names);
            var metadata = IndependentArchive.Read(TestPaths.Sample(sample)).Metadata;
            string expected = metadata.TryGetProperty("modules", out var modules)
                ? modules.EnumerateObject().Single().Name
                : metadata.GetProperty("model_name").GetString()!;
            Assert.Equal(expected, Assert.Single(names));
        }

        [SampleFact]
        public void A_joined_archive_lists_its_modules_in_metadata_order_as_tar_and_as_gzip()
        {
            var modules = new[] { JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"), JoinedArchive.Sample("v5-aot-sine.tar", "sine") };
            string tar = JoinedArchive.Write(_temp.File("joined.tar"), null, modules);
            string tgz = JoinedArchive.Write(_temp.File("joined.tgz"), null, modules);
            var expected = IndependentArchive.Read(tar).Metadata.GetProperty("modules").EnumerateObject().Select(p => p.Name).ToList();

            Assert.Equal(new[] { "sine", "wand" }, expected);
            Assert.Equal(expected, MlfReader.ReadModuleNames(tar));
            Assert.Equal(expected, MlfReader.ReadModuleNames(tgz));
        }

        [SampleFact]
        public void A_per_module_layout_lists_the_names_of_its_top_level_metadata()
        {
            string tar = JoinedArchive.Write(_temp.File("per-module.tar"), new MlfJoinOptions { Layout = MlfLayout.PerModule },
                JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"), JoinedArchive.Sample("v5-aot-sine.tar", "sine"));

            Assert.Equal(MlfReader.ReadModules(tar).Select(m => m.Name), MlfReader.ReadModuleNames(tar));
            Assert.Equal(new[] { "sine", "wand" }, MlfReader.ReadModuleNames(tar));
        }

        [Fact]
        public void Members_after_metadata_json_are_never_read()
        {
            // The archive is cut off inside the member that follows metadata.json: the full reader must fail on it,
            // the listing stops before it.
            byte[] whole = new TestArchive()
                .File("./metadata.json", TestArchive.Metadata(7, "kws"))
                .File("./codegen/host/src/kws_lib0.c", new string('x', 4000))
                .ToTarBytes();
            string cut = _temp.File("cut.tar");
            File.WriteAllBytes(cut, whole.AsSpan(0, whole.Length - 3000).ToArray());

            Assert.Equal(MlfErrorIds.InvalidArchive, Assert.Throws<MlfException>(() => MlfReader.ReadModules(cut)).ErrorId);
            Assert.Equal(new[] { "kws" }, MlfReader.ReadModuleNames(cut));
        }

        [Fact]
        public void Gzip_data_after_metadata_json_is_never_decompressed()
        {
            byte[] tar = new TestArchive()
                .File("./metadata.json", TestArchive.Metadata(6, "vww"))
                .File("./parameters/default.params", RandomBytes(200_000))
                .ToTarBytes();
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar);
            string cut = _temp.File("cut.tgz");
            File.WriteAllBytes(cut, compressed.ToArray().AsSpan(0, (int)compressed.Length / 2).ToArray());

            Assert.Throws<MlfException>(() => MlfReader.ReadModules(cut));
            Assert.Equal(new[] { "vww" }, MlfReader.ReadModuleNames(cut));
        }

        [Fact]
        public void A_folder_lists_from_its_metadata_json_without_walking_the_tree()
        {
            string folder = _temp.File("extracted");
            Directory.CreateDirectory(Path.Combine(folder, "codegen"));
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(5, "person_detect"));
            // A link anywhere in the tree makes the full reader refuse the folder; the listing never sees it.
            File.CreateSymbolicLink(Path.Combine(folder, "codegen", "link.c"), "/etc/hostname");

            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, Assert.Throws<MlfException>(() => MlfReader.ReadModules(folder)).ErrorId);
            Assert.Equal(new[] { "person_detect" }, MlfReader.ReadModuleNames(folder));
        }

        [Fact]
        public void A_relative_path_resolves_against_the_process_directory_and_a_v4_archive_gives_its_model_name()
        {
            string tar = new TestArchive().File("metadata.json", TestArchive.Metadata(4, "yes_no")).WriteTar(_temp.File("v4.tar"));

            Assert.Equal(new[] { "yes_no" }, MlfReader.ReadModuleNames(Path.GetRelativePath(Environment.CurrentDirectory, tar)));
        }

        [Fact]
        public void The_first_root_metadata_json_answers_and_nested_ones_are_not_the_root()
        {
            string tar = new TestArchive()
                .File("./kws/metadata.json", TestArchive.Metadata(7, "nested"))
                .File("./metadata.json", TestArchive.Metadata(7, "kws"))
                .WriteTar(_temp.File("nested.tar"));

            Assert.Equal(new[] { "kws" }, MlfReader.ReadModuleNames(tar));
        }

        [Fact]
        public void Names_PowerShell_must_quote_are_listed_as_written_and_selectable_by_the_full_reader()
        {
            string Entry(string name) => $"\"{name}\": {{\"export_datetime\": \"2022-03-04 05:06:07Z\", \"memory\": {{}}, \"target\": [\"c\"], \"executors\": [\"aot\"]}}";
            string tar = new TestArchive()
                .File("./metadata.json", $"{{\"modules\": {{{Entry("my model")}, {Entry("a[1]")}, {Entry("it's")}}}, \"version\": 7}}")
                .WriteTar(_temp.File("odd-names.tar"));

            Assert.Equal(new[] { "my model", "a[1]", "it's" }, MlfReader.ReadModuleNames(tar));
            var selected = MlfModuleSelection.Apply(MlfReader.ReadModules(tar), new[] { "a`[1`]" }, null);
            Assert.Equal("a[1]", Assert.Single(selected).Name);
        }

        [Theory]
        [InlineData("missing", MlfErrorIds.PathNotFound)]
        [InlineData("no-metadata", MlfErrorIds.MetadataMissing)]
        [InlineData("not-json", MlfErrorIds.MetadataInvalid)]
        [InlineData("future-version", MlfErrorIds.UnsupportedMlfVersion)]
        [InlineData("random-bytes", MlfErrorIds.InvalidArchive)]
        [InlineData("empty-file", MlfErrorIds.InvalidArchive)]
        [InlineData("traversal-before-metadata", MlfErrorIds.UnsafeArchiveEntry)]
        [InlineData("link-before-metadata", MlfErrorIds.UnsafeArchiveEntry)]
        [InlineData("folder-without-metadata", MlfErrorIds.MetadataMissing)]
        public void A_bad_input_is_the_error_the_full_reader_gives(string input, string errorId)
        {
            string path = _temp.File(input + ".tar");
            switch (input)
            {
                case "missing":
                    break;
                case "no-metadata":
                    new TestArchive().File("./codegen/host/src/default_lib0.c", "int x;").WriteTar(path);
                    break;
                case "not-json":
                    new TestArchive().File("./metadata.json", "{not json").WriteTar(path);
                    break;
                case "future-version":
                    new TestArchive().File("./metadata.json", "{\"version\": 99}").WriteTar(path);
                    break;
                case "random-bytes":
                    File.WriteAllBytes(path, RandomBytes(3000));
                    break;
                case "empty-file":
                    File.WriteAllBytes(path, Array.Empty<byte>());
                    break;
                case "traversal-before-metadata":
                    new TestArchive().File("../evil.txt", "x").File("./metadata.json", TestArchive.Metadata(7)).WriteTar(path);
                    break;
                case "link-before-metadata":
                    new TestArchive().Link("./model-link", "/etc/passwd").File("./metadata.json", TestArchive.Metadata(7)).WriteTar(path);
                    break;
                case "folder-without-metadata":
                    Directory.CreateDirectory(path);
                    break;
            }

            var listing = Assert.Throws<MlfException>(() => MlfReader.ReadModuleNames(path));
            var reading = Assert.Throws<MlfException>(() => MlfReader.ReadModules(path));

            Assert.Equal(errorId, listing.ErrorId);
            Assert.Equal(reading.ErrorId, listing.ErrorId);
            Assert.Equal(path, listing.Target);
        }

        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            new Random(count).NextBytes(bytes);
            return bytes;
        }
    }
}
