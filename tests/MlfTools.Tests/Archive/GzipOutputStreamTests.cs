using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using MlfTools.Archive;
using MlfTools.Tar;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>GzipOutputStream and its CRC-32: checked by gzip, Python and .NET's own decompressor, and against known values.</summary>
    public class GzipOutputStreamTests
    {
        private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1700000000);

        public static IEnumerable<object[]> Inputs() => new[]
        {
            new object[] { "empty", 0 },
            new object[] { "one-byte", 1 },
            new object[] { "small", 1000 },
            new object[] { "multi-MiB", 5 * 1024 * 1024 + 3 },
        };

        [Theory]
        [InlineData("", 0x00000000u)]
        [InlineData("a", 0xE8B7BE43u)]
        [InlineData("123456789", 0xCBF43926u)]
        [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
        public void Crc32_of_known_vectors(string text, uint expected)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            Assert.Equal(expected, Crc32.Compute(bytes, 0, bytes.Length));
        }

        [Fact]
        public void Crc32_agrees_with_the_bitwise_definition_at_every_length_and_alignment_and_when_continued()
        {
            byte[] data = RandomBytes(300, 11);
            for (int offset = 0; offset < 9; offset++)
            {
                for (int count = 0; count <= 70; count++)
                {
                    Assert.Equal(BitwiseCrc32(data, offset, count), Crc32.Compute(data, offset, count));
                }
            }
            uint whole = Crc32.Compute(data, 0, data.Length);
            for (int split = 0; split <= data.Length; split += 13)
            {
                Assert.Equal(whole, Crc32.Update(Crc32.Compute(data, 0, split), data, split, data.Length - split));
            }
        }

        [Theory]
        [MemberData(nameof(Inputs))]
        public void Decompresses_to_the_input_with_dotnet_and_has_the_rfc1952_header_and_trailer(string label, int size)
        {
            byte[] input = Input(size);
            byte[] gz = Compress(input, Time, ChunkPattern);

            Assert.Equal(new byte[] { 0x1F, 0x8B, 8, 0 }, gz.Take(4).ToArray());
            Assert.Equal(1700000000u, BitConverter.ToUInt32(gz, 4));
            Assert.Equal(0, gz[8]);
            Assert.Equal(255, gz[9]);
            Assert.Equal(BitwiseCrc32(input, 0, input.Length), BitConverter.ToUInt32(gz, gz.Length - 8));
            Assert.Equal((uint)input.Length, BitConverter.ToUInt32(gz, gz.Length - 4));

            using var decompressed = new MemoryStream();
            using (var gzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress))
            {
                gzip.CopyTo(decompressed);
            }
            Assert.True(input.SequenceEqual(decompressed.ToArray()), $"{label}: round trip differs");
        }

        [ToolFact("gzip")]
        public void Gzip_tests_and_decompresses_the_output()
        {
            using var temp = new TempFolder();
            foreach (object[] row in Inputs())
            {
                string label = (string)row[0];
                byte[] input = Input((int)row[1]);
                string path = temp.File(label + ".gz");
                File.WriteAllBytes(path, Compress(input, Time, ChunkPattern));

                ExternalTool.Run("gzip", temp.Path, "-t", path);
                ExternalTool.Run("gzip", temp.Path, "-d", path);
                Assert.True(input.SequenceEqual(File.ReadAllBytes(temp.File(label))), $"{label}: gzip -d gives other bytes");
            }
        }

        [ToolFact("python3")]
        public void Python_gzip_decompresses_the_output_and_reads_its_mtime()
        {
            using var temp = new TempFolder();
            foreach (object[] row in Inputs())
            {
                string label = (string)row[0];
                byte[] input = Input((int)row[1]);
                string path = temp.File(label + ".gz");
                File.WriteAllBytes(path, Compress(input, Time, ChunkPattern));
                string output = temp.File(label + ".out");

                string mtime = ExternalTool.Python(
                    "import gzip, sys\n" +
                    "data = open(sys.argv[1], 'rb').read()\n" +
                    "open(sys.argv[2], 'wb').write(gzip.decompress(data))\n" +
                    "with gzip.open(sys.argv[1]) as f:\n" +
                    "    f.read()\n" +
                    "    print(f.mtime)\n",
                    path, output);

                Assert.True(input.SequenceEqual(File.ReadAllBytes(output)), $"{label}: Python's gzip.decompress gives other bytes");
                Assert.Equal("1700000000", mtime.Trim());
            }
        }

        [Fact]
        public void Same_input_and_time_give_the_same_bytes_however_the_input_is_written()
        {
            byte[] input = Input(5 * 1024 * 1024 + 3);
            byte[] first = Compress(input, Time, ChunkPattern);
            byte[] second = Compress(input, Time, ChunkPattern);
            byte[] oneWrite = Compress(input, Time, new[] { input.Length });
            byte[] smallWrites = Compress(input, Time, new[] { 1, 7, 512, 4093 });

            Assert.Equal(first, second);
            Assert.Equal(first, oneWrite);
            Assert.Equal(first, smallWrites);
            Assert.NotEqual(first, Compress(input, Time.AddSeconds(1), ChunkPattern));
        }

        [Fact]
        public void Empty_input_gives_one_empty_final_deflate_block()
        {
            // DeflateStream writes nothing for no input; a gzip member still needs a deflate stream.
            byte[] gz = Compress(new byte[0], Time, ChunkPattern);
            Assert.Equal("1f8b080000f1536500ff" + "0300" + "00000000" + "00000000", Convert.ToHexString(gz).ToLowerInvariant());
        }

        [Fact]
        public void Mtime_is_whole_unix_seconds_or_zero_outside_32_bits()
        {
            Assert.Equal(1700000000u, GzipOutputStream.MtimeField(Time.AddMilliseconds(999)));
            Assert.Equal(0u, GzipOutputStream.MtimeField(DateTimeOffset.FromUnixTimeSeconds(0)));
            Assert.Equal(0u, GzipOutputStream.MtimeField(DateTimeOffset.FromUnixTimeSeconds(-1)));
            Assert.Equal(uint.MaxValue, GzipOutputStream.MtimeField(DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue)));
            Assert.Equal(0u, GzipOutputStream.MtimeField(DateTimeOffset.FromUnixTimeSeconds(uint.MaxValue + 1L)));

            byte[] old = Compress(new byte[] { 1 }, new DateTimeOffset(1960, 1, 1, 0, 0, 0, TimeSpan.Zero), ChunkPattern);
            Assert.Equal(0u, BitConverter.ToUInt32(old, 4));
        }

        [Fact]
        public void Is_write_only_and_refuses_writes_after_dispose()
        {
            var gzip = new GzipOutputStream(new MemoryStream(), CompressionLevel.Optimal, Time);
            Assert.False(gzip.CanRead);
            Assert.False(gzip.CanSeek);
            Assert.True(gzip.CanWrite);
            Assert.Throws<NotSupportedException>(() => gzip.Read(new byte[1], 0, 1));
            gzip.Write(new byte[10], 0, 10);
            Assert.Equal(10, gzip.Position);
            gzip.Dispose();
            Assert.False(gzip.CanWrite);
            Assert.Throws<ObjectDisposedException>(() => gzip.Write(new byte[1], 0, 1));
            gzip.Dispose(); // twice is fine
        }

        [ToolFact("tar", "gzip")]
        public void A_tar_written_through_it_is_a_valid_tar_gz()
        {
            using var temp = new TempFolder();
            string path = temp.File("module.tar.gz");
            byte[] data = Input(2 * 1024 * 1024 + 17);
            using (var file = File.Create(path))
            using (var gzip = new GzipOutputStream(file, CompressionLevel.Optimal, Time))
            using (var tar = new TarArchiveWriter(gzip))
            {
                tar.WriteDirectory(".", Time);
                tar.WriteDirectory("./parameters", Time);
                tar.WriteFile("./parameters/default.params", data.Length, Time, new MemoryStream(data));
            }

            ExternalTool.Run("gzip", temp.Path, "-t", path);
            string listing = ExternalTool.Run("tar", temp.Path, "-tzf", path);
            Assert.Equal(new[] { "./", "./parameters/", "./parameters/default.params" }, listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            string target = temp.File("x");
            Directory.CreateDirectory(target);
            ExternalTool.Run("tar", target, "-xzf", path);
            Assert.True(data.SequenceEqual(File.ReadAllBytes(Path.Combine(target, "parameters", "default.params"))));
        }

        // ---- helpers ----

        /// <summary>Write sizes that straddle the 1 MiB buffer: tiny, block-sized, exactly and just over a buffer.</summary>
        private static readonly int[] ChunkPattern = { 1, 511, 512, 1 << 20, 3, (1 << 20) + 5, 65536 };

        private static byte[] Compress(byte[] input, DateTimeOffset time, int[] chunks)
        {
            using var output = new MemoryStream();
            using (var gzip = new GzipOutputStream(output, CompressionLevel.Optimal, time, leaveOpen: true))
            {
                int offset = 0;
                for (int i = 0; offset < input.Length; i++)
                {
                    int count = Math.Min(chunks[i % chunks.Length], input.Length - offset);
                    gzip.Write(input, offset, count);
                    offset += count;
                }
            }
            return output.ToArray();
        }

        /// <summary>Random bytes, long zero runs and repeated text, so deflate meets stored, fixed and dynamic blocks.</summary>
        private static byte[] Input(int size)
        {
            var result = new byte[size];
            byte[] random = RandomBytes(size, 5);
            byte[] text = Encoding.ASCII.GetBytes("static const float weights[] = { 0.125f, -3.5f, 42.0f };\n");
            for (int i = 0; i < size; i++)
            {
                int region = (i / (512 * 1024)) % 3;
                result[i] = region == 0 ? random[i] : region == 1 ? (byte)0 : text[i % text.Length];
            }
            return result;
        }

        private static byte[] RandomBytes(int count, int seed)
        {
            var bytes = new byte[count];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        private static uint BitwiseCrc32(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFFu;
            for (int i = offset; i < offset + count; i++)
            {
                crc ^= data[i];
                for (int bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
            return ~crc;
        }
    }
}
