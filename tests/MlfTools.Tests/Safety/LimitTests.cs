using System;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using MlfTools.Archive;
using MlfTools.Format;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>The limits against bombs, each proven with a bomb made on the spot and a small limit.</summary>
    public class LimitTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void A_gzip_archive_that_expands_past_the_limit_is_ArchiveTooLarge_and_reading_stops_there()
        {
            const long zeros = 256L << 20;
            string bomb = GzipBomb(_temp.File("bomb.tgz"), zeros);
            long compressed = new FileInfo(bomb).Length;
            Assert.True(compressed < zeros / 500, $"the bomb is {compressed} bytes compressed");

            using var file = new CountingStream(File.OpenRead(bomb));
            var error = Assert.Throws<MlfException>(() => ArchiveScanner.ScanStream(bomb, file, new MlfArchiveLimits { MaximumExpandedSize = 1 << 20 }));

            Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
            Assert.Equal(bomb, error.Target);
            Assert.Contains("1 MiB", error.Message);
            Assert.Contains("-MaximumExpandedSize", error.Message);
            Assert.True(file.BytesRead < compressed / 4, $"read {file.BytesRead} of {compressed} compressed bytes before stopping");
        }

        [Fact]
        public void The_expansion_limit_applies_through_the_reader_and_a_generous_one_reads_the_same_archive()
        {
            string bomb = GzipBomb(_temp.File("bomb.tar.gz"), 8L << 20);

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(bomb, new MlfArchiveLimits { MaximumExpandedSize = 4L << 20 }));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);

            var module = Assert.Single(MlfReader.ReadModules(bomb, new MlfArchiveLimits { MaximumExpandedSize = 9L << 20 }));
            Assert.Equal(8L << 20, module.Files.Single(f => f.Path == "zeros.bin").Size);
            Assert.Single(MlfReader.ReadModules(bomb));
        }

        [Theory]
        [InlineData(1000, 1000, false)]
        [InlineData(1000, 1001, true)]
        [InlineData(1, 2, true)]
        public void The_expansion_stream_passes_exactly_the_limit_and_stops_one_byte_past_it(int limit, int available, bool refused)
        {
            using var limited = new ExpansionLimitStream(new MemoryStream(new byte[available]), limit, "x.tgz");
            var sink = new MemoryStream();

            if (refused)
            {
                Assert.Equal(MlfErrorIds.ArchiveTooLarge, Assert.Throws<MlfException>(() => limited.CopyTo(sink)).ErrorId);
                Assert.True(sink.Length <= limit);
            }
            else
            {
                limited.CopyTo(sink);
                Assert.Equal(available, sink.Length);
            }
        }

        [Fact]
        public void More_members_than_the_limit_is_ArchiveTooLarge_for_a_tar_and_for_a_folder()
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(5));
            string folder = _temp.File("folder");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(5));
            for (int i = 0; i < 20; i++)
            {
                archive.File($"samples/{i}.h", "x");
                File.WriteAllText(Path.Combine(folder, $"{i}.h"), "x");
            }
            string tar = archive.WriteTar(_temp.File("many.tar"));
            var limits = new MlfArchiveLimits { MaximumMemberCount = 10 };

            foreach (string path in new[] { tar, folder })
            {
                var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(path, limits));
                Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
                Assert.Contains("more than 10 files and folders", error.Message);
                Assert.Single(MlfReader.ReadModules(path, new MlfArchiveLimits { MaximumMemberCount = 22 }));
            }
        }

        [Fact]
        public void Every_header_counts_against_the_member_limit_also_one_that_repeats_a_name()
        {
            // tar extracts each copy in turn, so a million headers of one name are a million members of work.
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(5));
            for (int i = 0; i < 20; i++) archive.File("samples/again.h", "x");
            string tar = archive.WriteTar(_temp.File("repeated.tar"));
            string tgz = archive.WriteTarGz(_temp.File("repeated.tgz"));

            foreach (string path in new[] { tar, tgz })
            {
                var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(path, new MlfArchiveLimits { MaximumMemberCount = 20 }));
                Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
                Assert.Contains("more than 20 files and folders", error.Message);
                Assert.Single(MlfReader.ReadModules(path, new MlfArchiveLimits { MaximumMemberCount = 21 }));
            }
        }

        [Fact]
        public void Metadata_larger_than_the_JSON_limit_is_MetadataInvalid_without_being_read()
        {
            string padded = TestArchive.Metadata(5).TrimEnd('}') + ", \"padding\": \"" + new string('p', 4 << 20) + "\"}";
            var tar = new TestArchive(TarEntryFormat.Ustar).File("metadata.json", padded).ToTarBytes();
            using var stream = new CountingStream(new MemoryStream(tar));

            var error = Assert.Throws<MlfException>(() => ArchiveScanner.ScanStream("big.tar", stream, new MlfArchiveLimits { MaximumJsonSize = 1 << 20 }));

            Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
            Assert.Contains("more than the 1 MiB", error.Message);
            Assert.True(stream.BytesRead < 64 * 1024, $"read {stream.BytesRead} bytes");
            Assert.NotNull(ArchiveScanner.ScanStream("big.tar", new MemoryStream(tar), new MlfArchiveLimits { MaximumJsonSize = 5 << 20 }).MetadataFiles["metadata.json"]);
        }

        [Fact]
        public void A_graph_config_larger_than_the_JSON_limit_is_GraphConfigInvalid_in_a_tar_and_in_a_folder()
        {
            string graph = "{\"nodes\": [], \"padding\": \"" + new string('g', 3000) + "\"}";
            string tar = new TestArchive().File("metadata.json", TestArchive.Metadata(7)).File("executor-config/graph/default.graph", graph).WriteTar(_temp.File("graph.tar"));
            string folder = _temp.File("graph-folder");
            Directory.CreateDirectory(Path.Combine(folder, "executor-config", "graph"));
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(7));
            File.WriteAllText(Path.Combine(folder, "executor-config", "graph", "default.graph"), graph);

            foreach (string path in new[] { tar, folder })
            {
                var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(path, new MlfArchiveLimits { MaximumJsonSize = 2000 }));
                Assert.Equal(MlfErrorIds.GraphConfigInvalid, error.ErrorId);
                Assert.Contains("2,000 bytes", error.Message);
            }
        }

        [Fact]
        public void The_default_limits_are_16_GiB_expanded_64_MiB_of_JSON_and_100000_members()
        {
            var limits = new MlfArchiveLimits();
            Assert.Equal(16L * 1024 * 1024 * 1024, limits.MaximumExpandedSize);
            Assert.Equal(64L * 1024 * 1024, limits.MaximumJsonSize);
            Assert.Equal(100000, limits.MaximumMemberCount);
            Assert.Throws<ArgumentOutOfRangeException>(() => limits.MaximumExpandedSize = 0);
            Assert.Throws<ArgumentOutOfRangeException>(() => limits.MaximumJsonSize = -1);
            Assert.Throws<ArgumentOutOfRangeException>(() => limits.MaximumMemberCount = 0);
        }

        [Theory]
        [InlineData("count beyond int", "more than its size allows")]
        [InlineData("name too long", "cannot be real")]
        [InlineData("name past the end", "more than remain")]
        [InlineData("negative ndim", "claims -1 dimensions")]
        [InlineData("too many dimensions", "claims 65 dimensions")]
        [InlineData("negative dimension", "negative or overflowing shape")]
        [InlineData("shape overflows with element size", "negative or overflowing shape")]
        [InlineData("negative data size", "negative data size")]
        [InlineData("data size past the end", "only")]
        public void Params_whose_numbers_overflow_or_exceed_the_member_are_ParamsInvalid(string lie, string reason)
        {
            var (bytes, claimedLength) = LyingParams(lie);
            var error = Assert.Throws<MlfException>(() => ParamsReader.Read(new MemoryStream(bytes), claimedLength, "parameters/default.params", "lie.tar"));

            Assert.Equal(MlfErrorIds.ParamsInvalid, error.ErrorId);
            Assert.Contains(reason, error.Message);
        }

        [Fact]
        public void A_graph_whose_entries_add_up_past_2_to_the_63_is_GraphConfigInvalid()
        {
            // Entries of 2^61 bytes each (2^58 float64 elements): three add up to less than 2^63, four do not.
            var three = GraphConfigReader.Read(GraphOfHugeEntries(3), "executor-config/graph/default.graph", "g.tar");
            Assert.Equal(3L << 61, three.EntryBytes.Sum());

            var error = Assert.Throws<MlfException>(() => GraphConfigReader.Read(GraphOfHugeEntries(4), "executor-config/graph/default.graph", "g.tar"));

            Assert.Equal(MlfErrorIds.GraphConfigInvalid, error.ErrorId);
            Assert.Contains("2^63", error.Message);
        }

        private static byte[] GraphOfHugeEntries(int count)
        {
            var ids = Enumerable.Range(0, count).ToList();
            string nodes = string.Join(", ", ids.Select(i => $"{{\"op\": \"null\", \"name\": \"n{i}\"}}"));
            string json = $"{{\"nodes\": [{nodes}], \"arg_nodes\": [{string.Join(", ", ids)}], \"node_row_ptr\": [{string.Join(", ", Enumerable.Range(0, count + 1))}], " +
                $"\"attrs\": {{\"storage_id\": [\"list_int\", [{string.Join(", ", ids)}]], \"shape\": [\"list_shape\", [{string.Join(", ", ids.Select(_ => "[" + (1L << 58) + "]"))}]], " +
                $"\"dltype\": [\"list_str\", [{string.Join(", ", ids.Select(_ => "\"float64\""))}]]}}}}";
            return Encoding.UTF8.GetBytes(json);
        }

        /// <summary>A params file with one lie, and the member length to claim for it.</summary>
        private static (byte[] Bytes, long Length) LyingParams(string lie)
        {
            using var buffer = new MemoryStream();
            using var writer = new BinaryWriter(buffer);
            writer.Write(ParamsReader.FileMagic);
            writer.Write(0UL);
            if (lie == "count beyond int")
            {
                // Only a member of about 100 GiB could hold 2^31 tensors; the claim is refused before a list that size is made.
                writer.Write((ulong)int.MaxValue + 1);
                return (buffer.ToArray(), 200L << 30);
            }
            writer.Write(1UL);
            if (lie == "name too long")
            {
                writer.Write(70000UL);
                writer.Write(new byte[70000]);
            }
            else if (lie == "name past the end")
            {
                writer.Write(ulong.MaxValue);
                writer.Write(new byte[100]);
                return (buffer.ToArray(), buffer.Length);
            }
            else
            {
                writer.Write(2UL);
                writer.Write(Encoding.UTF8.GetBytes("p0"));
            }
            writer.Write(1UL);
            writer.Write(ParamsReader.ArrayMagic);
            writer.Write(0UL);
            writer.Write(1);
            writer.Write(0);
            long[] shape = lie switch
            {
                "negative dimension" => new[] { 4L, -2L },
                "shape overflows with element size" => new[] { 1L << 31, 1L << 31, 4L },
                _ => new[] { 4L },
            };
            writer.Write(lie == "negative ndim" ? -1 : lie == "too many dimensions" ? 65 : shape.Length);
            writer.Write((byte)2);
            writer.Write((byte)32);
            writer.Write((ushort)1);
            foreach (long dim in shape) writer.Write(dim);
            writer.Write(lie == "negative data size" ? -16L : lie == "data size past the end" ? 16L : 16L);
            writer.Write(new byte[lie == "data size past the end" ? 8 : 16]);
            writer.Write(new byte[64]); // room, so a refusal is about the lie and not about the file ending
            return (buffer.ToArray(), lie == "data size past the end" ? buffer.Length - 64 : buffer.Length);
        }

        /// <summary>A .tgz of metadata.json and a member of <paramref name="zeros"/> zero bytes, written without holding them.</summary>
        private static string GzipBomb(string path, long zeros)
        {
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.SmallestSize);
            using var writer = new TarWriter(gzip, TarEntryFormat.Pax);
            var metadata = new PaxTarEntry(TarEntryType.RegularFile, "./metadata.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(TestArchive.Metadata(5))) };
            writer.WriteEntry(metadata);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "./zeros.bin") { DataStream = new ZeroStream(zeros) });
            return path;
        }

        private sealed class ZeroStream : Stream
        {
            private readonly long _length;
            private long _position;

            public ZeroStream(long length) => _length = length;

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = (int)Math.Min(count, _length - _position);
                Array.Clear(buffer, offset, n);
                _position += n;
                return n;
            }

            public override bool CanRead => true;
            public override bool CanSeek => true;
            public override bool CanWrite => false;
            public override long Length => _length;
            public override long Position { get => _position; set => _position = value; }
            public override long Seek(long offset, SeekOrigin origin) => _position = origin == SeekOrigin.Begin ? offset : origin == SeekOrigin.Current ? _position + offset : _length + offset;
            public override void Flush() { }
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
