using System;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Tests.Support;
using Xunit;
using OurTarReader = MlfTools.Tar.TarStreamReader;

namespace MlfTools.Tests
{
    /// <summary>The tar header walker on its own: extended headers, numeric encodings, forward-only streams.</summary>
    public class TarStreamReaderTests
    {
        [SampleFact]
        public void Python_pax_mtime_with_fractional_seconds_is_kept()
        {
            using var stream = File.OpenRead(TestPaths.Sample("v4-graph-yesno.tar"));
            var reader = new OurTarReader(stream);
            var root = reader.GetNextEntry()!;
            Assert.Equal("./", root.Name);
            // The sample's first PAX header says mtime=1626818616.8093216.
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1626818616).AddTicks(8093216), root.ModificationTime);
        }

        [Fact]
        public void Pax_path_and_size_override_the_ustar_fields_and_global_headers_apply_to_later_members()
        {
            var global = new PaxGlobalExtendedAttributesTarEntry(new System.Collections.Generic.Dictionary<string, string> { ["mtime"] = "1700000000.5" });
            var entry = new PaxTarEntry(TarEntryType.RegularFile, new string('p', 150) + "/" + new string('f', 130)) { DataStream = new MemoryStream(Encoding.ASCII.GetBytes("hello")) };
            using var buffer = new MemoryStream();
            using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(global);
                writer.WriteEntry(entry);
            }
            buffer.Position = 0;
            var reader = new OurTarReader(buffer);
            var read = reader.GetNextEntry()!;
            Assert.Equal(new string('p', 150) + "/" + new string('f', 130), read.Name);
            Assert.Equal(5, read.Size);
            using var data = new StreamReader(reader.OpenCurrentData());
            Assert.Equal("hello", data.ReadToEnd());
            Assert.Null(reader.GetNextEntry());
        }

        [Fact]
        public void Gnu_base256_sizes_are_decoded()
        {
            var bytes = new TestArchive(TarEntryFormat.Ustar).File("a.bin", new byte[700]).File("b.txt", "after").ToTarBytes();
            // Re-encode a.bin's size (700) in GNU base-256 and fix the checksum.
            var size = new byte[12];
            size[0] = 0x80;
            size[10] = 700 >> 8;
            size[11] = 700 & 0xFF;
            size.CopyTo(bytes, 124);
            Encoding.ASCII.GetBytes("        ").CopyTo(bytes, 148);
            Encoding.ASCII.GetBytes(Convert.ToString(bytes.Take(512).Sum(b => (long)b), 8).PadLeft(6, '0') + "\0 ").CopyTo(bytes, 148);

            var reader = new OurTarReader(new MemoryStream(bytes));
            Assert.Equal(700, reader.GetNextEntry()!.Size);
            Assert.Equal("b.txt", reader.GetNextEntry()!.Name);
        }

        [Fact]
        public void A_forward_only_stream_is_walked_by_reading_and_members_can_be_skipped_or_read()
        {
            var bytes = new TestArchive(TarEntryFormat.Gnu)
                .File(new string('L', 200) + ".c", new byte[3000])
                .File("second.txt", "second")
                .ToTarBytes();
            var reader = new OurTarReader(new ForwardOnlyStream(bytes));
            var first = reader.GetNextEntry()!;
            Assert.Equal(new string('L', 200) + ".c", first.Name);
            using (var partial = reader.OpenCurrentData()) partial.ReadByte();
            var second = reader.GetNextEntry()!;
            using var text = new StreamReader(reader.OpenCurrentData());
            Assert.Equal("second", text.ReadToEnd());
            Assert.Equal("second.txt", second.Name);
        }

        private sealed class ForwardOnlyStream : MemoryStream
        {
            public ForwardOnlyStream(byte[] bytes) : base(bytes) { }
            public override bool CanSeek => false;
            public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
            public override long Length => throw new NotSupportedException();
            public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        }
    }
}
