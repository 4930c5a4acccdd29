using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MlfTools.Tar;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// TarArchiveWriter against its reference, Python's tarfile: byte for byte where Python writes the same members, and
    /// by reading the output back with GNU tar, Python and our TarStreamReader.
    /// </summary>
    public class TarArchiveWriterTests
    {
        private const long T0 = 1700000000;
        private const long OctalLimit = 8589934592L; // 8 ** 11

        private static readonly string LongDir1 = "./src/" + new string('a', 60);
        private static readonly string LongDir2 = LongDir1 + "/" + new string('b', 45);
        private static readonly string LongFile = LongDir2 + "/" + new string('c', 30) + ".txt";
        private static readonly string UnsplittableFile = "./" + new string('x', 130);
        private static readonly string UnsplittableDir = "./" + new string('d', 160); // "./ddd…/" has no cut with a prefix of at most 155 bytes
        private static readonly string DirWithEmptyUstarName = "./" + new string('e', 130); // "./eee…" in the prefix, "" in the name field

        /// <summary>Members every format holds the same way: short ASCII names, sizes and mtimes that fit.</summary>
        private static List<Member> PlainMembers() => new List<Member>
        {
            Member.Dir(".", T0),
            Member.Dir("./codegen", T0 + 1),
            Member.Dir("./codegen/host", T0 + 2),
            Member.Dir("./codegen/host/src", T0 + 3),
            Member.File("./codegen/host/src/default_lib0.c", T0 + 4, Encoding.UTF8.GetBytes("int main(void) { return 0; }\n")),
            Member.File("./codegen/host/src/default_lib1.c", T0 + 5, RandomBytes(1000, 1)),
            Member.File("./metadata.json", T0 + 6, Encoding.UTF8.GetBytes("{\"version\": 7}")),
            Member.File("./empty.txt", T0 + 7, new byte[0]),
            Member.File("./block.bin", T0 + 8, RandomBytes(512, 2)),
            Member.File("./multi.bin", T0 + 9, RandomBytes(3 * 1024 * 1024 + 7, 3)),
            Member.File("./" + new string('h', 98), T0 + 10, RandomBytes(10, 4)), // exactly 100 bytes: no split
        };

        /// <summary>Names ustar holds only through its prefix field, and a non-ASCII name that fits the name field.</summary>
        private static List<Member> SplitMembers() => new List<Member>
        {
            Member.Dir("./src", T0 + 20),
            Member.Dir(LongDir1, T0 + 21),
            Member.Dir(LongDir2, T0 + 22),
            Member.File(LongFile, T0 + 23, RandomBytes(700, 5)),
            Member.File("./" + new string('h', 99), T0 + 24, RandomBytes(10, 6)), // 101 bytes: ".", then the rest
            Member.File("./données.txt", T0 + 25, Encoding.UTF8.GetBytes("é")),
            Member.Dir(DirWithEmptyUstarName, T0 + 26),
            Member.File(DirWithEmptyUstarName + "/inner.txt", T0 + 27, Encoding.UTF8.GetBytes("inner\n")), // splits after the long folder
        };

        /// <summary>Members ustar cannot hold at all, so a PAX extended header comes first.</summary>
        private static List<Member> PaxMembers() => new List<Member>
        {
            Member.File(UnsplittableFile, T0 + 30, RandomBytes(1234, 7)),
            Member.Dir(UnsplittableDir, T0 + 31),
            Member.File(UnsplittableDir + "/inner.txt", T0 + 32, Encoding.UTF8.GetBytes("inner\n")),
            Member.File("./before1970.txt", -86400, Encoding.UTF8.GetBytes("old\n")),
        };

        /// <summary>
        /// Every member, in tree order as tarfile.add writes them: GNU tar sets a folder's mtime once it meets a member
        /// outside that folder, so a file extracted into the folder after that would leave the folder's mtime at "now".
        /// </summary>
        private static List<Member> AllMembers()
        {
            var all = PlainMembers();
            all.AddRange(SplitMembers());
            all.AddRange(PaxMembers());
            return all;
        }

        [ToolFact("python3")]
        public void Ustar_members_are_byte_identical_to_python_tarfile_USTAR_FORMAT()
        {
            var members = PlainMembers();
            members.AddRange(SplitMembers());
            using var temp = new TempFolder();

            byte[] ours = WriteOurs(members);
            byte[] python = WritePython(temp, members, "ustar");

            AssertSameBytes(python, ours);
            Assert.Equal(0, ours.Length % 10240);
        }

        [ToolFact("python3")]
        public void Members_ustar_cannot_hold_are_byte_identical_to_python_tarfile_PAX_FORMAT()
        {
            // Python's PAX format writes a member with a short ASCII name and fitting numbers exactly as its USTAR
            // format does, so for this set of members its whole PAX_FORMAT output is what we must write.
            var members = PlainMembers();
            members.AddRange(PaxMembers());
            using var temp = new TempFolder();

            byte[] ours = WriteOurs(members);
            byte[] python = WritePython(temp, members, "pax");

            AssertSameBytes(python, ours);
            Assert.Equal(4, CountPaxHeaders(ours));
        }

        [ToolFact("python3")]
        public void A_mixed_archive_is_byte_identical_to_python_writing_ustar_and_falling_back_to_pax_per_member()
        {
            // Python's PAX_FORMAT would put a long but splittable name in a PAX record rather than the ustar prefix,
            // so the reference here switches tarfile's format per member: USTAR, or PAX where USTAR raises.
            var members = AllMembers();
            using var temp = new TempFolder();

            byte[] ours = WriteOurs(members);
            byte[] python = WritePython(temp, members, "fallback");

            AssertSameBytes(python, ours);
            Assert.Equal(4, CountPaxHeaders(ours));
        }

        [ToolFact("python3")]
        public void Headers_at_the_edges_of_ustar_are_byte_identical_to_python()
        {
            var cases = new List<HeaderCase>
            {
                new HeaderCase("./almost8GiB.bin", false, OctalLimit - 1, T0, pax: false),
                new HeaderCase("./8GiB.bin", false, OctalLimit, T0, pax: true),
                new HeaderCase("./minus1.txt", false, 5, -1, pax: true),
                new HeaderCase("./epoch.txt", false, 5, 0, pax: false),
                new HeaderCase("./year1900.txt", false, 5, -2208988800, pax: true),
                new HeaderCase("./last-octal-second.txt", false, 5, OctalLimit - 1, pax: false),
                new HeaderCase("./first-too-late.txt", false, 5, OctalLimit, pax: true),
                new HeaderCase("./" + new string('p', 150), true, 0, T0, pax: false), // splits into a 152-byte prefix and an empty name
                new HeaderCase("./" + new string('q', 155), true, 0, T0, pax: true),
                new HeaderCase("./" + new string('é', 60), false, 3, T0, pax: true),      // 122 bytes, no split: path record, '?' in ustar
                new HeaderCase("./" + string.Concat(Enumerable.Repeat("\U0001F600", 30)), false, 3, T0, pax: true), // one '?' per code point
                new HeaderCase("./" + new string('é', 44), false, 3, -1, pax: true),      // 90-byte path: a 99-byte record
                new HeaderCase("./" + new string('é', 44) + "a", false, 3, -1, pax: true), // 91 bytes: the length jumps to 101
                new HeaderCase("./" + new string('é', 45), false, 3, -1, pax: true),      // 92 bytes: 102
                new HeaderCase(LongFile, false, OctalLimit, -5, pax: true),                // splittable, but PAX anyway: path, size, mtime
                new HeaderCase("./" + new string('s', 95) + "/" + new string('t', 99), false, 1, T0, pax: false),
            };
            using var temp = new TempFolder();
            string manifest = temp.File("headers.json");
            File.WriteAllText(manifest, JsonSerializer.Serialize(cases.Select(c => new { name = c.Name, dir = c.IsDirectory, size = c.Size, mtime = c.Mtime })));
            string[] lines = ExternalTool.Python(HeaderScript, manifest).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(cases.Count, lines.Length);

            for (int i = 0; i < cases.Count; i++)
            {
                var c = cases[i];
                string[] parts = lines[i].Split(' ');
                Assert.True((parts[0] == "pax") == c.ExpectPax, $"{c.Name}: Python wrote it as {parts[0]}");
                byte[] python = Convert.FromHexString(parts[1]);
                byte[] ours = OurHeader(c);
                AssertSameBytes(python, ours.Take(python.Length).ToArray(), c.Name);
            }
        }

        [ToolFact("tar")]
        public void GNU_tar_extracts_our_output_with_the_same_contents_and_mtimes()
        {
            var members = AllMembers();
            using var temp = new TempFolder();
            string tar = temp.File("ours.tar");
            File.WriteAllBytes(tar, WriteOurs(members));
            string target = temp.File("gnu");
            Directory.CreateDirectory(target);

            ExternalTool.Run("tar", target, "-xf", tar);

            AssertExtracted(target, members);
            string listing = ExternalTool.Run("tar", temp.Path, "-tf", tar);
            Assert.Equal(members.Select(m => m.IsDirectory ? m.Name + "/" : m.Name), listing.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        [PythonTarFilterFact]
        public void Python_extracts_our_output_with_the_data_filter()
        {
            var members = AllMembers();
            using var temp = new TempFolder();
            string tar = temp.File("ours.tar");
            File.WriteAllBytes(tar, WriteOurs(members));
            string target = temp.File("python");

            ExternalTool.Python("import sys, tarfile\nwith tarfile.open(sys.argv[1]) as t: t.extractall(sys.argv[2], filter='data')", tar, target);

            AssertExtracted(target, members);
        }

        [Fact]
        public void Our_reader_reads_back_names_sizes_mtimes_and_data()
        {
            var members = AllMembers();
            members.Add(Member.File("./far-future.txt", OctalLimit + 12345, Encoding.UTF8.GetBytes("later\n")));
            byte[] tar = WriteOurs(members);

            var read = ReadWithOurReader(tar);

            Assert.Equal(members.Count, read.Count);
            for (int i = 0; i < members.Count; i++)
            {
                var m = members[i];
                var r = read[i];
                Assert.Equal(m.IsDirectory ? m.Name + "/" : m.Name, r.Name);
                Assert.Equal(m.IsDirectory ? TarEntryType.Directory : TarEntryType.File, r.Type);
                Assert.Equal(m.IsDirectory ? 0x1ED : 0x1A4, r.Mode);
                Assert.Equal(m.Data.Length, r.Size);
                Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(m.Mtime), r.ModificationTime);
                Assert.Equal(m.Data, r.Data);
            }
        }

        [Fact]
        public void Bytes_written_counts_everything_and_an_empty_archive_is_one_record()
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarArchiveWriter(buffer, leaveOpen: true))
            {
                writer.WriteDirectory(".", DateTimeOffset.FromUnixTimeSeconds(T0));
                Assert.Equal(512, writer.BytesWritten);
                writer.WriteFile("./a", 513, DateTimeOffset.FromUnixTimeSeconds(T0), new MemoryStream(new byte[600]));
                Assert.Equal(512 + 512 + 1024, writer.BytesWritten);
                writer.Finish();
                Assert.Equal(10240, writer.BytesWritten);
                writer.Finish(); // idempotent
            }
            Assert.Equal(10240, buffer.Length);

            using var empty = new MemoryStream();
            new TarArchiveWriter(empty, leaveOpen: true).Dispose();
            Assert.Equal(new byte[10240], empty.ToArray());
        }

        [Fact]
        public void Mtimes_are_truncated_to_whole_seconds()
        {
            var time = DateTimeOffset.FromUnixTimeSeconds(T0).AddTicks(9_999_999);
            using var buffer = new MemoryStream();
            using (var writer = new TarArchiveWriter(buffer, leaveOpen: true))
            {
                writer.WriteFile("./a", 0, time, Stream.Null);
            }
            Assert.Equal(Encoding.ASCII.GetBytes(Convert.ToString(T0, 8).PadLeft(11, '0') + "\0"), buffer.ToArray().Skip(136).Take(12).ToArray());
            Assert.Equal(-1, TarArchiveWriter.ToUnixSeconds(DateTimeOffset.FromUnixTimeSeconds(-1)));
            Assert.Equal(0, TarArchiveWriter.ToUnixSeconds(DateTimeOffset.FromUnixTimeSeconds(0).AddTicks(-1))); // toward zero, like Python's int()
        }

        /// <summary>
        /// What is buffered (headers, small members) is handed over before a big member's data, so a buffered output
        /// (FileStream, our gzip stream) can take the data's copy-buffer-sized writes without copying them through its buffer.
        /// </summary>
        [Fact]
        public void A_big_members_data_follows_a_flush_in_whole_copy_buffers()
        {
            var sink = new RecordingSink();
            using (var writer = new TarArchiveWriter(sink, leaveOpen: true))
            {
                var time = DateTimeOffset.FromUnixTimeSeconds(T0);
                writer.WriteFile("./small", 100, time, new MemoryStream(new byte[100]));
                Assert.DoesNotContain("flush", sink.Events);
                writer.WriteFile("./big", (3 << 20) + 5, time, new UnfilledStream((3 << 20) + 5));
            }
            int flush = sink.Events.IndexOf("flush");
            Assert.True(flush > 0);
            Assert.Equal(new[] { "flush", "write 1048576", "write 1048576", "write 1048576", "write 5" }, sink.Events.Skip(flush).Take(5));
        }

        [Fact]
        public void A_data_stream_that_ends_early_fails_and_leaves_no_finished_archive()
        {
            using var buffer = new MemoryStream();
            var writer = new TarArchiveWriter(buffer, leaveOpen: true);
            Assert.Throws<EndOfStreamException>(() => writer.WriteFile("./short", 1000, DateTimeOffset.FromUnixTimeSeconds(T0), new MemoryStream(new byte[999])));
            Assert.Throws<InvalidOperationException>(() => writer.WriteFile("./next", 0, DateTimeOffset.FromUnixTimeSeconds(T0), Stream.Null));
            Assert.Throws<InvalidOperationException>(() => writer.Finish());
            long before = buffer.Length;
            writer.Dispose();
            Assert.Equal(before, buffer.Length); // no end-of-archive blocks that would make the torn member look whole
        }

        [Fact]
        public void Rejects_names_no_tar_can_hold()
        {
            using var writer = new TarArchiveWriter(new MemoryStream());
            var time = DateTimeOffset.FromUnixTimeSeconds(T0);
            Assert.Throws<ArgumentException>(() => writer.WriteDirectory("", time));
            Assert.Throws<ArgumentException>(() => writer.WriteDirectory("a\0b", time));
            Assert.Throws<ArgumentException>(() => writer.WriteFile("bad\uD800", 0, time, Stream.Null));
            Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteFile("./a", -1, time, Stream.Null));
        }

        [Theory]
        [InlineData(1, 5)]
        [InlineData(5, 9)]
        [InlineData(6, 11)]     // 10 would need two digits, and then the record is 11 bytes
        [InlineData(94, 99)]
        [InlineData(95, 101)]   // 100 is never a record length: 98 + 3 digits
        [InlineData(96, 102)]
        [InlineData(993, 999)]
        [InlineData(994, 1001)]
        public void Pax_record_lengths_count_their_own_digits(int keywordAndValueBytes, int expected)
        {
            // keyword and value bytes + ' ' + '=' + '\n' + the digits of the total
            Assert.Equal(expected, TarArchiveWriter.PaxRecordLength(keywordAndValueBytes));
        }

        [SampleTheory]
        [InlineData("v4-graph-yesno.tar")]
        [InlineData("v5-aot-sine.tar")]
        [InlineData("v5-graph-llvm-conv1d.tar")]
        [InlineData("v7-aot-crt-mlp.tar")]
        [InlineData("v7-graph-magicwand.tar")]
        public void Sample_archives_copied_member_by_member_read_back_identically(string sample)
        {
            byte[] original = File.ReadAllBytes(TestPaths.Sample(sample));
            byte[] copy = CopyThroughOurWriter(original);

            var before = ReadWithOurReader(original);
            var after = ReadWithOurReader(copy);
            Assert.Equal(before.Count, after.Count);
            for (int i = 0; i < before.Count; i++)
            {
                Assert.Equal(before[i].Name, after[i].Name);
                Assert.Equal(before[i].Type, after[i].Type);
                Assert.Equal(before[i].Size, after[i].Size);
                Assert.Equal(before[i].ModificationTime.ToUnixTimeSeconds(), after[i].ModificationTime.ToUnixTimeSeconds());
                Assert.Equal(before[i].Data, after[i].Data);
            }
        }

        [SampleToolTheory("python3")]
        [InlineData("v4-graph-yesno.tar")]
        [InlineData("v5-aot-sine.tar")]
        [InlineData("v5-graph-llvm-conv1d.tar")]
        [InlineData("v7-aot-crt-mlp.tar")]
        [InlineData("v7-graph-magicwand.tar")]
        public void Sample_archives_copied_member_by_member_are_byte_identical_to_python_copying_them(string sample)
        {
            using var temp = new TempFolder();
            byte[] ours = CopyThroughOurWriter(File.ReadAllBytes(TestPaths.Sample(sample)));
            string python = temp.File("python.tar");
            ExternalTool.Python(SampleCopyScript, TestPaths.Sample(sample), python);

            AssertSameBytes(File.ReadAllBytes(python), ours);
        }

        // ---- helpers ----

        private const string WriteScript = @"
import json, sys, tarfile
manifest, out, mode = sys.argv[1:4]
with open(manifest, encoding='utf-8') as f:
    members = json.load(f)
fmt = tarfile.PAX_FORMAT if mode == 'pax' else tarfile.USTAR_FORMAT
with tarfile.open(out, 'w', format=fmt, encoding='utf-8') as tar:
    for m in members:
        info = tarfile.TarInfo(m['name'])
        info.type = tarfile.DIRTYPE if m['dir'] else tarfile.REGTYPE
        info.mode = 0o755 if m['dir'] else 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = 'root'
        info.mtime = m['mtime']
        info.size = m['size']
        if mode == 'fallback':
            try:
                info.tobuf(tarfile.USTAR_FORMAT, 'utf-8', 'surrogateescape')
                tar.format = tarfile.USTAR_FORMAT
            except ValueError:
                tar.format = tarfile.PAX_FORMAT
        if m['dir']:
            tar.addfile(info)
        else:
            with open(m['path'], 'rb') as data:
                tar.addfile(info, data)
";

        private const string HeaderScript = @"
import json, sys, tarfile
with open(sys.argv[1], encoding='utf-8') as f:
    cases = json.load(f)
for c in cases:
    info = tarfile.TarInfo(c['name'])
    info.type = tarfile.DIRTYPE if c['dir'] else tarfile.REGTYPE
    info.mode = 0o755 if c['dir'] else 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = 'root'
    info.mtime = c['mtime']
    info.size = c['size']
    try:
        print('ustar', info.tobuf(tarfile.USTAR_FORMAT, 'utf-8', 'surrogateescape').hex())
    except ValueError:
        print('pax', info.tobuf(tarfile.PAX_FORMAT, 'utf-8', 'surrogateescape').hex())
";

        private const string SampleCopyScript = @"
import sys, tarfile
src, out = sys.argv[1:3]
with tarfile.open(src) as s, tarfile.open(out, 'w', format=tarfile.USTAR_FORMAT, encoding='utf-8') as t:
    for m in s.getmembers():
        info = tarfile.TarInfo(m.name)
        info.type = tarfile.DIRTYPE if m.isdir() else tarfile.REGTYPE
        info.mode = 0o755 if m.isdir() else 0o644
        info.uid = info.gid = 0
        info.uname = info.gname = 'root'
        info.mtime = int(m.mtime)
        info.size = 0 if m.isdir() else m.size
        t.addfile(info, None if m.isdir() else s.extractfile(m))
";

        private sealed class Member
        {
            public string Name { get; private set; } = string.Empty;
            public bool IsDirectory { get; private set; }
            public long Mtime { get; private set; }
            public byte[] Data { get; private set; } = new byte[0];

            public static Member Dir(string name, long mtime) => new Member { Name = name, IsDirectory = true, Mtime = mtime };

            public static Member File(string name, long mtime, byte[] data) => new Member { Name = name, Mtime = mtime, Data = data };
        }

        private sealed class HeaderCase
        {
            public HeaderCase(string name, bool isDirectory, long size, long mtime, bool pax)
            {
                Name = name;
                IsDirectory = isDirectory;
                Size = size;
                Mtime = mtime;
                ExpectPax = pax;
            }

            public string Name { get; }
            public bool IsDirectory { get; }
            public long Size { get; }
            public long Mtime { get; }
            public bool ExpectPax { get; }
        }

        private sealed class ReadMember
        {
            public string Name { get; set; } = string.Empty;
            public TarEntryType Type { get; set; }
            public int Mode { get; set; }
            public long Size { get; set; }
            public DateTimeOffset ModificationTime { get; set; }
            public byte[] Data { get; set; } = new byte[0];
        }

        private static byte[] RandomBytes(int count, int seed)
        {
            var bytes = new byte[count];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        private static byte[] WriteOurs(IEnumerable<Member> members)
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarArchiveWriter(buffer, leaveOpen: true))
            {
                foreach (var m in members)
                {
                    var time = DateTimeOffset.FromUnixTimeSeconds(m.Mtime);
                    if (m.IsDirectory) writer.WriteDirectory(m.Name, time);
                    else writer.WriteFile(m.Name, m.Data.Length, time, new MemoryStream(m.Data));
                }
            }
            return buffer.ToArray();
        }

        private static byte[] WritePython(TempFolder temp, IList<Member> members, string mode)
        {
            var manifest = new List<object>();
            for (int i = 0; i < members.Count; i++)
            {
                var m = members[i];
                string path = temp.File("data" + i);
                if (!m.IsDirectory) File.WriteAllBytes(path, m.Data);
                manifest.Add(new { name = m.Name, dir = m.IsDirectory, mtime = m.Mtime, size = m.Data.Length, path });
            }
            string manifestPath = temp.File("manifest.json");
            File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest));
            string output = temp.File("python-" + mode + ".tar");
            ExternalTool.Python(WriteScript, manifestPath, output, mode);
            return File.ReadAllBytes(output);
        }

        /// <summary>The first bytes our writer emits for one member, its data generated rather than held (sizes reach 8 GiB).</summary>
        private static byte[] OurHeader(HeaderCase c)
        {
            var sink = new CapturingSink(4096);
            using (var writer = new TarArchiveWriter(sink))
            {
                var time = DateTimeOffset.FromUnixTimeSeconds(c.Mtime);
                if (c.IsDirectory) writer.WriteDirectory(c.Name, time);
                else writer.WriteFile(c.Name, c.Size, time, new UnfilledStream(c.Size));
                Assert.True(writer.BytesWritten >= c.Size + 512, "all the data went through");
            }
            Assert.Equal(0, sink.Total % 10240);
            return sink.Captured;
        }

        private static byte[] CopyThroughOurWriter(byte[] tar)
        {
            using var output = new MemoryStream();
            using (var writer = new TarArchiveWriter(output, leaveOpen: true))
            {
                var reader = new TarStreamReader(new MemoryStream(tar));
                TarEntry? entry;
                while ((entry = reader.GetNextEntry()) != null)
                {
                    if (entry.Type == TarEntryType.Directory) writer.WriteDirectory(entry.Name, entry.ModificationTime);
                    else writer.WriteFile(entry.Name, entry.Size, entry.ModificationTime, reader.OpenCurrentData());
                }
            }
            return output.ToArray();
        }

        private static List<ReadMember> ReadWithOurReader(byte[] tar)
        {
            var result = new List<ReadMember>();
            var reader = new TarStreamReader(new MemoryStream(tar));
            TarEntry? entry;
            while ((entry = reader.GetNextEntry()) != null)
            {
                using var data = new MemoryStream();
                reader.OpenCurrentData().CopyTo(data);
                result.Add(new ReadMember
                {
                    Name = entry.Name,
                    Type = entry.Type,
                    Mode = entry.Mode,
                    Size = entry.Size,
                    ModificationTime = entry.ModificationTime,
                    Data = data.ToArray(),
                });
            }
            return result;
        }

        private static void AssertExtracted(string root, IEnumerable<Member> members)
        {
            foreach (var m in members)
            {
                string path = Path.Combine(root, m.Name);
                var expected = DateTimeOffset.FromUnixTimeSeconds(m.Mtime).UtcDateTime;
                if (m.IsDirectory)
                {
                    Assert.True(Directory.Exists(path), $"{m.Name} was not extracted as a folder");
                    Assert.Equal(expected, Directory.GetLastWriteTimeUtc(path));
                }
                else
                {
                    Assert.True(File.Exists(path), $"{m.Name} was not extracted as a file");
                    Assert.Equal(m.Data, File.ReadAllBytes(path));
                    Assert.Equal(expected, File.GetLastWriteTimeUtc(path));
                }
            }
        }

        private static int CountPaxHeaders(byte[] tar)
        {
            int count = 0;
            for (int offset = 0; offset + 512 <= tar.Length; offset += 512)
            {
                if (tar[offset + 156] == (byte)'x' && Encoding.ASCII.GetString(tar, offset, 14) == "././@PaxHeader") count++;
            }
            return count;
        }

        private static void AssertSameBytes(byte[] expected, byte[] actual, string? what = null)
        {
            int limit = Math.Min(expected.Length, actual.Length);
            for (int i = 0; i < limit; i++)
            {
                if (expected[i] != actual[i])
                {
                    int block = i / 512 * 512;
                    Assert.Fail($"{what ?? "archive"}: first difference at byte {i} (block at {block}, offset {i - block} in it): " +
                                $"Python 0x{expected[i]:x2}, ours 0x{actual[i]:x2}\nPython block: {Convert.ToHexString(expected, block, Math.Min(512, expected.Length - block))}\nours block:   {Convert.ToHexString(actual, block, Math.Min(512, actual.Length - block))}");
                }
            }
            Assert.Equal(expected.Length, actual.Length);
        }

        /// <summary>Keeps the first bytes written and counts the rest.</summary>
        private sealed class CapturingSink : Stream
        {
            private readonly MemoryStream _captured = new MemoryStream();
            private readonly int _limit;

            public CapturingSink(int limit) => _limit = limit;

            public byte[] Captured => _captured.ToArray();
            public long Total { get; private set; }

            public override void Write(byte[] buffer, int offset, int count)
            {
                int keep = (int)Math.Max(0, Math.Min(count, _limit - _captured.Length));
                _captured.Write(buffer, offset, keep);
                Total += count;
            }

            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => Total;
            public override long Position { get => Total; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }

        /// <summary>A stream of a given length whose reads leave the buffer as it was: data nobody looks at, without the cost of producing it.</summary>
        private sealed class RecordingSink : Stream
        {
            public List<string> Events { get; } = new List<string>();

            public override void Write(byte[] buffer, int offset, int count) => Events.Add("write " + count);
            public override void Flush() => Events.Add("flush");
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }

        private sealed class UnfilledStream : Stream
        {
            private readonly long _length;
            private long _position;

            public UnfilledStream(long length) => _length = length;

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = (int)Math.Min(count, _length - _position);
                _position += n;
                return n;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => _length;
            public override long Position { get => _position; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
