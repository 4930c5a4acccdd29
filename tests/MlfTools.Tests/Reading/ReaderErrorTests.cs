using System;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>Every way an input can be bad gives an MlfException with its stable id and the offending path or member.</summary>
    public class ReaderErrorTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private MlfException ReadFails(string path) => Assert.Throws<MlfException>(() => MlfReader.ReadModules(path));

        private string Tar(TestArchive archive, string name = "input.tar") => archive.WriteTar(_temp.File(name));

        [Fact]
        public void A_missing_path_is_PathNotFound()
        {
            var error = ReadFails(_temp.File("nope.tar"));
            Assert.Equal(MlfErrorIds.PathNotFound, error.ErrorId);
            Assert.Equal(_temp.File("nope.tar"), error.Target);
        }

        [Theory]
        [InlineData("")]
        [InlineData("this is plainly a text file and not an archive at all, but it is long enough to fill a header block? no.")]
        public void A_file_that_is_not_a_tar_or_gzip_is_InvalidArchive(string text)
        {
            string path = _temp.File("text.tar");
            File.WriteAllText(path, text);
            var error = ReadFails(path);
            Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
            Assert.Equal(path, error.Target);
        }

        [Fact]
        public void Random_bytes_of_header_size_are_InvalidArchive()
        {
            string path = _temp.File("random.tar");
            var bytes = new byte[4096];
            new Random(7).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
            Assert.Equal(MlfErrorIds.InvalidArchive, ReadFails(path).ErrorId);
        }

        [SampleTheory]
        [InlineData(1000)]
        [InlineData(5000)]
        [InlineData(20000)]
        public void A_truncated_archive_is_InvalidArchive(int keptBytes)
        {
            string path = _temp.File("truncated.tar");
            File.WriteAllBytes(path, File.ReadAllBytes(TestPaths.Sample("v7-graph-magicwand.tar")).Take(keptBytes).ToArray());
            Assert.Equal(MlfErrorIds.InvalidArchive, ReadFails(path).ErrorId);
        }

        [SampleFact]
        public void A_truncated_gzip_archive_is_InvalidArchive()
        {
            string gz = new TestArchive().File("metadata.json", TestArchive.Metadata(5)).File("codegen/host/src/default_lib0.c", new string('x', 200000)).WriteTarGz(_temp.File("full.tgz"));
            string path = _temp.File("cut.tgz");
            var bytes = File.ReadAllBytes(gz);
            File.WriteAllBytes(path, bytes.Take(bytes.Length / 2).ToArray());
            Assert.Equal(MlfErrorIds.InvalidArchive, ReadFails(path).ErrorId);
        }

        [Fact]
        public void Corrupt_gzip_data_is_InvalidArchive()
        {
            string gz = new TestArchive().File("metadata.json", TestArchive.Metadata(5)).WriteTarGz(_temp.File("ok.tgz"));
            var bytes = File.ReadAllBytes(gz);
            for (int i = 12; i < bytes.Length - 8; i++) bytes[i] ^= 0x5A;
            string path = _temp.File("corrupt.tgz");
            File.WriteAllBytes(path, bytes);
            Assert.Equal(MlfErrorIds.InvalidArchive, ReadFails(path).ErrorId);
        }

        [Fact]
        public void A_corrupted_header_checksum_is_InvalidArchive()
        {
            var bytes = new TestArchive(TarEntryFormat.Ustar).File("metadata.json", TestArchive.Metadata(5)).File("x.c", "int x;").ToTarBytes();
            int secondHeader = 512 + ((Encoding.UTF8.GetByteCount(TestArchive.Metadata(5)) + 511) / 512) * 512;
            bytes[secondHeader + 3] ^= 0x01;
            string path = _temp.File("checksum.tar");
            File.WriteAllBytes(path, bytes);
            var error = ReadFails(path);
            Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
            Assert.Contains("checksum", error.Message);
        }

        [Fact]
        public void An_archive_without_metadata_is_MetadataMissing()
        {
            var error = ReadFails(Tar(new TestArchive().File("./codegen/host/src/default_lib0.c", "int x;")));
            Assert.Equal(MlfErrorIds.MetadataMissing, error.ErrorId);
        }

        [Fact]
        public void A_folder_without_metadata_is_MetadataMissing()
        {
            Directory.CreateDirectory(_temp.File("empty-model"));
            Assert.Equal(MlfErrorIds.MetadataMissing, ReadFails(_temp.File("empty-model")).ErrorId);
        }

        [Theory]
        [InlineData("{not json")]
        [InlineData("[1, 2, 3]")]
        [InlineData("{\"version\": 5} trailing")]
        [InlineData("{\"version\": \"5\", \"model_name\": \"default\"}")]
        [InlineData("{\"version\": 5}")]
        [InlineData("{\"version\": 7, \"modules\": {}}")]
        [InlineData("{\"version\": 7, \"modules\": {\"a\": 5}}")]
        [InlineData("{\"version\": 5, \"model_name\": \"default\", \"export_datetime\": \"2021-12-14 16:30:04Z\", \"memory\": {}, \"target\": {\"1\": \"c\"}}")]
        [InlineData("{\"version\": 5, \"model_name\": \"default\", \"export_datetime\": \"2021-12-14T16:30:04\", \"memory\": {}, \"target\": {\"1\": \"c\"}, \"executors\": [\"aot\"]}")]
        [InlineData("{\"version\": 5, \"model_name\": \"default\", \"export_datetime\": \"2021-12-14 16:30:04Z\", \"memory\": {}, \"target\": 3, \"executors\": [\"aot\"]}")]
        [InlineData("{\"version\": 5, \"model_name\": \"default\", \"export_datetime\": \"2021-12-14 16:30:04Z\", \"target\": [\"c\"], \"executors\": [\"aot\"]}")]
        [InlineData("{\"version\": 5, \"model_name\": \"default\", \"export_datetime\": \"2021-12-14 16:30:04Z\", \"memory\": {}, \"target\": [\"c\"], \"executors\": \"aot\"}")]
        public void Malformed_metadata_or_missing_keys_are_MetadataInvalid(string json)
        {
            var error = ReadFails(Tar(new TestArchive().File("metadata.json", json)));
            Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
            Assert.Equal(_temp.File("input.tar"), error.Target);
        }

        [Fact]
        public void Deeply_nested_metadata_is_refused_not_a_stack_overflow()
        {
            string json = "{\"version\": 5, \"x\": " + new string('[', 100000) + new string(']', 100000) + "}";
            Assert.Equal(MlfErrorIds.MetadataInvalid, ReadFails(Tar(new TestArchive().File("metadata.json", json))).ErrorId);
        }

        [Theory]
        [InlineData("{\"version\": 8, \"modules\": {}}")]
        [InlineData("{\"version\": 99}")]
        [InlineData("{\"version\": 0}")]
        [InlineData("{\"version\": 123456789012345678901234567890}")]
        public void Unknown_or_future_versions_are_UnsupportedMlfVersion(string json)
        {
            var error = ReadFails(Tar(new TestArchive().File("metadata.json", json)));
            Assert.Equal(MlfErrorIds.UnsupportedMlfVersion, error.ErrorId);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        public void Params_that_lie_are_ParamsInvalid(int lie)
        {
            var tensor = new ParamsWriter.Tensor("p0", 2, 32, new long[] { 4, 4 });
            byte[] params_ = lie switch
            {
                0 => new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 },
                1 => ParamsWriter.Write(new[] { tensor with { DeclaredBytes = 1L << 40 } }),
                2 => ParamsWriter.Write(new[] { tensor with { DataBytesWritten = 10 } }),
                3 => ParamsWriter.Write(new[] { tensor }, arrayCountOverride: 2),
                _ => ParamsWriter.Write(new[] { tensor with { Shape = new[] { 1L << 40, 1L << 40 } } }),
            };
            var error = ReadFails(Tar(new TestArchive().File("metadata.json", TestArchive.Metadata(5)).File("parameters/default.params", params_)));
            Assert.Equal(MlfErrorIds.ParamsInvalid, error.ErrorId);
            Assert.Equal(_temp.File("input.tar"), error.Target);
            Assert.Contains("parameters/default.params", error.Message);
        }

        [Fact]
        public void A_params_file_claiming_billions_of_names_is_refused_without_allocating_them()
        {
            var bytes = new byte[40];
            BitConverter.GetBytes(0xF7E58D4F05049CB7UL).CopyTo(bytes, 0);
            BitConverter.GetBytes(ulong.MaxValue / 2).CopyTo(bytes, 16);
            var error = ReadFails(Tar(new TestArchive().File("metadata.json", TestArchive.Metadata(5)).File("parameters/default.params", bytes)));
            Assert.Equal(MlfErrorIds.ParamsInvalid, error.ErrorId);
            Assert.Contains("more than its size allows", error.Message);
        }

        [Theory]
        [InlineData("{\"nodes\": 5}")]
        [InlineData("not json")]
        [InlineData("{\"nodes\": [], \"arg_nodes\": [], \"attrs\": {}}")]
        [InlineData("{\"nodes\": [{\"op\": \"null\", \"name\": \"x\"}], \"arg_nodes\": [0], \"node_row_ptr\": [0, 1], \"attrs\": {\"storage_id\": [\"list_int\", [0]], \"shape\": [\"list_shape\", [[1]]], \"dltype\": [\"list_str\", [\"complex64\"]]}}")]
        [InlineData("{\"nodes\": [{\"op\": \"null\", \"name\": \"x\"}], \"arg_nodes\": [0], \"node_row_ptr\": [0, 1], \"attrs\": {\"storage_id\": [\"list_int\", [0, 1]], \"shape\": [\"list_shape\", [[1]]], \"dltype\": [\"list_str\", [\"float32\"]]}}")]
        [InlineData("{\"nodes\": [{\"op\": \"null\", \"name\": \"x\"}], \"arg_nodes\": [3], \"node_row_ptr\": [0, 1], \"attrs\": {\"storage_id\": [\"list_int\", [0]], \"shape\": [\"list_shape\", [[1]]], \"dltype\": [\"list_str\", [\"float32\"]]}}")]
        [InlineData("{\"nodes\": [{\"op\": \"null\", \"name\": \"x\"}], \"arg_nodes\": [0], \"node_row_ptr\": [0, 1], \"attrs\": {\"storage_id\": [\"list_int\", [0]], \"shape\": [\"list_shape\", [[-1]]], \"dltype\": [\"list_str\", [\"float32\"]]}}")]
        public void Broken_graph_configs_are_GraphConfigInvalid(string graph)
        {
            var error = ReadFails(Tar(new TestArchive()
                .File("metadata.json", TestArchive.Metadata(7))
                .File("executor-config/graph/default.graph", graph)));
            Assert.Equal(MlfErrorIds.GraphConfigInvalid, error.ErrorId);
            Assert.Equal(_temp.File("input.tar"), error.Target);
            Assert.Contains("executor-config/graph/default.graph", error.Message);
        }

        [Theory]
        [InlineData("../evil.txt")]
        [InlineData("./codegen/../../evil.txt")]
        [InlineData("/etc/passwd")]
        [InlineData("C:/Windows/evil.txt")]
        [InlineData("codegen\\..\\..\\evil.txt")]
        public void Members_that_escape_the_root_are_UnsafeArchiveEntry(string name)
        {
            var error = ReadFails(Tar(new TestArchive().File("metadata.json", TestArchive.Metadata(5)).File(name, "x")));
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, error.ErrorId);
            Assert.Equal(_temp.File("input.tar"), error.Target);
            Assert.Contains(name, error.Message);
        }

        [Fact]
        public void Symbolic_links_are_UnsafeArchiveEntry()
        {
            var error = ReadFails(Tar(new TestArchive().File("metadata.json", TestArchive.Metadata(5)).Link("src/relay.txt", "/etc/passwd")));
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, error.ErrorId);
            Assert.Contains("link", error.Message);
        }

        [Fact]
        public void Hard_links_are_UnsafeArchiveEntry()
        {
            var error = ReadFails(Tar(new TestArchive().File("metadata.json", TestArchive.Metadata(5)).Link("copy.json", "metadata.json", hard: true)));
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, error.ErrorId);
        }

        [Theory]
        [InlineData(TarEntryType.CharacterDevice)]
        [InlineData(TarEntryType.BlockDevice)]
        [InlineData(TarEntryType.Fifo)]
        public void Device_and_fifo_entries_are_UnsafeArchiveEntry(TarEntryType type)
        {
            var error = ReadFails(Tar(new TestArchive().File("metadata.json", TestArchive.Metadata(5)).Special("dev/thing", type)));
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, error.ErrorId);
        }

        [Fact]
        public void A_symbolic_link_inside_a_folder_is_UnsafeArchiveEntry()
        {
            string folder = _temp.File("model");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(5));
            File.CreateSymbolicLink(Path.Combine(folder, "leak"), "/etc");
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, ReadFails(folder).ErrorId);
        }

        [Fact]
        public void A_huge_metadata_member_is_refused_before_it_is_read()
        {
            string path = _temp.File("huge.tar");
            var header = new TestArchive(TarEntryFormat.Ustar).File("metadata.json", new byte[1]).ToTarBytes().Take(512).ToArray();
            // Rewrite the size field to 100 MiB and fix the checksum; the data itself is never written.
            Encoding.ASCII.GetBytes(Convert.ToString(100L << 20, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
            Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
            Encoding.ASCII.GetBytes(Convert.ToString(header.Sum(b => (long)b), 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
            using (var file = File.Create(path))
            {
                file.Write(header);
                file.SetLength(512 + (100L << 20) + 1024);
            }
            var error = ReadFails(path);
            Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
            Assert.Contains("MiB", error.Message);
        }
    }
}
