using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using MlfTools.Elf;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// What one archive's compiled code may cost: symbol names, all the names read, the size of an object read whole.
    /// Past a limit every reader (reading a .tgz, the check, the memory report, the join) refuses with ArchiveTooLarge,
    /// quickly and within bounded memory, whatever the container.
    /// </summary>
    public class ObjectCodeLimitTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;

        public ObjectCodeLimitTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose() => _temp.Dispose();

        /// <summary>
        /// An ELF64 little-endian relocatable object with <paramref name="count"/> global symbols (defined in section 1),
        /// symbol i named from offset <paramref name="nameOffset"/>(i) of <paramref name="strings"/>.
        /// </summary>
        internal static byte[] ObjectWithSymbols(int count, byte[] strings, Func<int, uint> nameOffset)
        {
            const int header = 64, entry = 24, section = 64;
            long symbols = (long)(count + 1) * entry;
            long sectionTable = header;
            long stringsAt = sectionTable + 3 * section;
            long symbolsAt = stringsAt + strings.Length + (8 - strings.Length % 8) % 8;
            var data = new byte[symbolsAt + symbols];
            void U16(long at, int v) { data[at] = (byte)v; data[at + 1] = (byte)(v >> 8); }
            void U32(long at, uint v) { U16(at, (int)(v & 0xFFFF)); U16(at + 2, (int)(v >> 16)); }
            void U64(long at, ulong v) { U32(at, (uint)v); U32(at + 4, (uint)(v >> 32)); }
            new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1 }.CopyTo(data, 0);
            U16(16, 1); U16(18, 62); U32(20, 1); U64(40, (ulong)sectionTable); U16(52, header); U16(58, section); U16(60, 3); U16(62, 0);
            long s1 = sectionTable + section, s2 = sectionTable + 2 * section;
            U32(s1 + 4, 3); U64(s1 + 24, (ulong)stringsAt); U64(s1 + 32, (ulong)strings.Length); U64(s1 + 48, 1);
            U32(s2 + 4, 2); U64(s2 + 24, (ulong)symbolsAt); U64(s2 + 32, (ulong)symbols); U32(s2 + 40, 1); U32(s2 + 44, 1); U64(s2 + 48, 8); U64(s2 + 56, entry);
            strings.CopyTo(data, stringsAt);
            for (int i = 0; i < count; i++)
            {
                long at = symbolsAt + (long)(i + 1) * entry;
                U32(at, nameOffset(i));
                data[at + 4] = 0x12; // STB_GLOBAL, STT_FUNC
                U16(at + 6, 1);
            }
            return data;
        }

        /// <summary>One run of 'a' with a NUL after it: name i starts i bytes in, so every name is a little shorter than the run.</summary>
        private static byte[] Run(int length)
        {
            var strings = new byte[length + 2];
            Array.Fill(strings, (byte)'a', 1, length);
            return strings;
        }

        private TestArchive WithObject(byte[] elf) =>
            new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "graph").Replace("\"c -keys=cpu\"", "\"llvm -keys=cpu\""))
                .File("codegen/host/lib/default_lib0.o", elf);

        [Fact]
        public void Five_thousand_symbols_with_one_MB_names_are_refused_quickly_as_ArchiveTooLarge()
        {
            // The attack: a 21 KB .tar.gz whose object names 5,000 globals from one 1 MB run of bytes (5 GB of names).
            byte[] elf = ObjectWithSymbols(5000, Run(1 << 20), i => (uint)(1 + i));
            var clock = Stopwatch.StartNew();
            string tgz = WithObject(elf).WriteTarGz(_temp.File("names.tgz"));
            Assert.True(new FileInfo(tgz).Length < 100_000);
            var read = Assert.Throws<MlfException>(() => MlfReader.ReadModules(tgz));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, read.ErrorId);
            Assert.Contains("'codegen/host/lib/default_lib0.o'", read.Message);
            Assert.Contains("symbol name", read.Message);
            Assert.Contains(MlfArchiveValidator.Validate(tgz), f => f.Id == MlfErrorIds.ArchiveTooLarge && f.Message.Contains("symbol name"));

            string tar = WithObject(elf).WriteTar(_temp.File("names.tar"));
            Assert.Contains(MlfArchiveValidator.Validate(tar), f => f.Id == MlfErrorIds.ArchiveTooLarge && f.Message.Contains("symbol name"));
            var module = MlfReader.ReadModules(tar).Single();
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(module)).ErrorId);
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { module }, new MlfJoinOptions())).ErrorId);
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { module.WithName("kws") }, new MlfJoinOptions())).ErrorId);
            _output.WriteLine($"{clock.ElapsedMilliseconds} ms");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        }

        [Fact]
        public void Names_each_under_the_limit_but_too_many_in_all_are_refused_as_ArchiveTooLarge()
        {
            // Each name just under the per-name limit, read from one run: more bytes of names in all than the limit allows.
            int length = ObjectCodeLimits.MaximumSymbolNameBytes - 100;
            int count = (int)(ObjectCodeLimits.MaximumSymbolBytes / length) + 10;
            byte[] elf = ObjectWithSymbols(count, Run(length), i => (uint)(1 + i % 50));
            var error = Assert.Throws<ObjectCodeTooLargeException>(() => ObjectCode.FindGlobalDefinitions(elf));
            Assert.Contains("symbol", error.Message);

            // Names of the same lengths, half as many, are read (50 different ones).
            int fewer = (int)(ObjectCodeLimits.MaximumSymbolBytes / length) / 2;
            Assert.Equal(50, ObjectCode.FindGlobalDefinitions(ObjectWithSymbols(fewer, Run(length), i => (uint)(1 + i % 50))).Count);
        }

        [Fact]
        public void Names_are_budgeted_over_all_the_objects_of_an_archive()
        {
            // Each object alone is within the limit; all of them together name more than it allows.
            int length = ObjectCodeLimits.MaximumSymbolNameBytes - 100;
            int perObject = (int)(ObjectCodeLimits.MaximumSymbolBytes / length) / 4;
            byte[] elf = ObjectWithSymbols(perObject, Run(length), i => (uint)(1 + i % 50));
            ObjectCode.FindGlobalDefinitions(elf);
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "graph").Replace("\"c -keys=cpu\"", "\"llvm -keys=cpu\""));
            for (int i = 0; i < 6; i++) archive.File($"codegen/host/lib/default_lib{i}.o", elf);
            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive.WriteTarGz(_temp.File("many.tgz"))));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
            string tar = archive.WriteTar(_temp.File("many.tar"));
            Assert.Contains(MlfArchiveValidator.Validate(tar), f => f.Id == MlfErrorIds.ArchiveTooLarge);
        }

        /// <summary>A .tar whose one member claims <paramref name="size"/> bytes, left sparse: nothing of it is written.</summary>
        private string SparseTar(string file, string member, long size, bool gzip)
        {
            byte[] metadata = Encoding.UTF8.GetBytes(TestArchive.Metadata(7, "default", "graph").Replace("\"c -keys=cpu\"", "\"llvm -keys=cpu\""));
            byte[] head = new TestArchive().File("metadata.json", metadata).ToTarBytes();
            int end = TarImage.Parse(head).EndOfMembers;
            var header = new byte[512];
            Encoding.ASCII.GetBytes(member).CopyTo(header, 0);
            Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
            Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
            Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
            header[156] = (byte)'0';
            Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
            Array.Fill(header, (byte)' ', 148, 8);
            int sum = header.Sum(b => b);
            Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
            string path = _temp.File(file);
            using (var output = File.Create(path))
            {
                Stream target = gzip ? new GZipStream(output, CompressionLevel.Fastest) : output;
                target.Write(head, 0, end);
                target.Write(header);
                if (gzip)
                {
                    // Only the header: the limit is applied before the data is read.
                    target.Dispose();
                }
                else
                {
                    long padded = (size + 511) / 512 * 512;
                    output.SetLength(end + 512 + padded + 1024);
                }
            }
            return path;
        }

        [Theory]
        [InlineData(ObjectCodeLimits.MaximumBytes + 1, "268,435,457 bytes")]
        [InlineData(int.MaxValue - 100, "2,147,483,547 bytes")] // near 2 GiB: a raw OutOfMemoryException or ArgumentOutOfRangeException once
        public void An_object_over_the_size_limit_is_ArchiveTooLarge_in_a_tar_and_in_a_tgz_alike(long size, string sizeText)
        {
            const string member = "codegen/host/lib/default_lib0.o";

            var fromTgz = Assert.Throws<MlfException>(() => MlfReader.ReadModules(SparseTar("big.tgz", member, size, gzip: true)));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, fromTgz.ErrorId);
            Assert.Contains(member, fromTgz.Message);

            string tar = SparseTar("big.tar", member, size, gzip: false);
            var module = MlfReader.ReadModules(tar).Single();
            foreach (var refused in new Action[]
            {
                () => JoinPlanner.Plan(new[] { module }, new MlfJoinOptions()),
                () => JoinPlanner.Plan(new[] { module.WithName("kws") }, new MlfJoinOptions()),
                () => ModuleMemoryReports.ForModule(module),
            })
            {
                var error = Assert.Throws<MlfException>(refused);
                Assert.Equal(MlfErrorIds.ArchiveTooLarge, error.ErrorId);
                Assert.Contains(member, error.Message);
                Assert.Contains(sizeText, error.Message);
            }
            Assert.Contains(MlfArchiveValidator.Validate(tar), f => f.Id == MlfErrorIds.ArchiveTooLarge && f.Message.Contains(member));
        }
    }
}
