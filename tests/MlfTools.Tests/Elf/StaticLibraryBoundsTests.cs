using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using MlfTools.Elf;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Elf
{
    /// <summary>
    /// What a static library may hold at its end (what GNU ar and ld accept), and what reading one may cost: linear in
    /// its members, stopped by Ctrl+C, and refused with ArchiveTooLarge past the member limit.
    /// </summary>
    public class StaticLibraryBoundsTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();
        private readonly ITestOutputHelper _output;

        public StaticLibraryBoundsTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose() => _temp.Dispose();

        private byte[] Library()
        {
            File.WriteAllText(_temp.File("a.c"), "int tvmgen_default_a(void) { return 1; }\n");
            File.WriteAllText(_temp.File("b.c"), "int tvmgen_default_b(void) { return 2; }\n");
            File.WriteAllText(_temp.File("main.c"), "int tvmgen_default_a(void); int tvmgen_default_b(void);\nint main(void) { return tvmgen_default_a() + tvmgen_default_b() - 3; }\n");
            ExternalTool.Run("gcc", _temp.Path, "-c", "a.c", "b.c");
            ExternalTool.Run("ar", _temp.Path, "rcs", "lib.a", "a.o", "b.o");
            return File.ReadAllBytes(_temp.File("lib.a"));
        }

        /// <summary>
        /// binutils reads the next member header with one 60-byte read; a short read is the end of the archive
        /// (bfd_error_no_more_archived_files), a full one that is not a header is a malformed archive. So fewer than 60
        /// trailing bytes, whatever they are, are accepted by ar, nm and ld alike; 60 or more are refused by ar.
        /// </summary>
        [ToolTheory("gcc", "ar")]
        [InlineData("\n", true)]
        [InlineData("\0", true)]
        [InlineData("59 bytes", true)]
        [InlineData("60 bytes", false)]
        [InlineData("200 bytes", false)]
        public void Trailing_bytes_are_accepted_exactly_when_GNU_ar_accepts_them(string trailing, bool accepted)
        {
            byte[] library = Library();
            byte[] tail = trailing.EndsWith(" bytes", StringComparison.Ordinal)
                ? Enumerable.Range(0, int.Parse(trailing.Split(' ')[0])).Select(i => (byte)(i * 37 + 11)).ToArray()
                : Encoding.ASCII.GetBytes(trailing);
            byte[] data = library.Concat(tail).ToArray();
            File.WriteAllBytes(_temp.File("t.a"), data);

            // The oracle: GNU ar lists it, and ld links a program from it.
            var (exitCode, error) = ExternalTool.RunAllowingFailure("ar", _temp.Path, "t", "t.a");
            _output.WriteLine($"ar t: {exitCode} {error}");
            Assert.Equal(accepted, exitCode == 0);
            if (accepted) ExternalTool.Run("gcc", _temp.Path, "-o", "main", "main.c", "t.a");

            if (accepted)
            {
                Assert.Equal(ObjectCode.FindGlobalDefinitions(library), ObjectCode.FindGlobalDefinitions(data));
                Assert.Equal(new[] { "a.o", "b.o" }, StaticLibrary.Read(data).Files.Select(m => m.Name));
            }
            else
            {
                Assert.Contains("member header", Assert.Throws<InvalidDataException>(() => ObjectCode.FindGlobalDefinitions(data)).Message);
            }
        }

        /// <summary>
        /// A GNU library of <paramref name="count"/> empty members with long names, each "/offset" into one "//" table,
        /// which comes first or (as no ar writes it, but a reader meets it) <paramref name="tableLast"/>.
        /// </summary>
        private static byte[] LongNameLibrary(int count, bool tableLast = false)
        {
            var names = new StringBuilder();
            var offsets = new int[count];
            for (int i = 0; i < count; i++)
            {
                offsets[i] = names.Length;
                names.Append("member_with_a_long_name_").Append(i).Append(".o/\n");
            }
            var data = new MemoryStream();
            void Header(string name, long size)
            {
                string header = name.PadRight(16) + "0".PadRight(12) + "0".PadRight(6) + "0".PadRight(6) + "644".PadRight(8) + size.ToString().PadRight(10) + "`\n";
                data.Write(Encoding.ASCII.GetBytes(header));
            }
            data.Write(Encoding.ASCII.GetBytes(StaticLibrary.Magic));
            byte[] table = Encoding.ASCII.GetBytes(names.ToString());
            void Table()
            {
                Header("//", table.Length);
                data.Write(table);
                if (table.Length % 2 != 0) data.WriteByte((byte)'\n');
            }
            if (!tableLast) Table();
            for (int i = 0; i < count; i++) Header("/" + offsets[i], 0);
            if (tableLast) Table();
            return data.ToArray();
        }

        [Fact]
        public void Member_names_are_resolved_in_time_linear_in_the_members()
        {
            // 90,000 members took minutes when each name searched the member list for the long-name table, here at its end.
            byte[] data = LongNameLibrary(90_000, tableLast: true);
            var clock = Stopwatch.StartNew();
            var library = StaticLibrary.Read(data);
            Assert.Equal("member_with_a_long_name_89999.o", library.Files.Last().Name);
            _output.WriteLine($"{clock.ElapsedMilliseconds} ms");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"reading took {clock.Elapsed}");
        }

        [Fact]
        public void Reading_a_library_stops_when_cancelled()
        {
            byte[] data = LongNameLibrary(1000);
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => StaticLibrary.Read(data, cancelled.Token));
            Assert.ThrowsAny<OperationCanceledException>(() => ObjectCode.FindGlobalDefinitions(data, cancellationToken: cancelled.Token));
        }

        [Fact]
        public void A_library_of_more_members_than_the_limit_is_refused_as_too_large()
        {
            byte[] data = LongNameLibrary(ObjectCodeLimits.MaximumLibraryMembers + 1);
            var error = Assert.Throws<ObjectCodeTooLargeException>(() => StaticLibrary.Read(data));
            Assert.Contains("members", error.Message);
            Assert.Equal(ObjectCodeLimits.MaximumLibraryMembers, StaticLibrary.Read(LongNameLibrary(ObjectCodeLimits.MaximumLibraryMembers - 1)).Members.Count);

            // In an archive: ArchiveTooLarge naming the library, from reading a .tgz and from checking a .tar.
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "aot").Replace("\"c -keys=cpu\"", "\"llvm -keys=cpu\""))
                .File("codegen/host/lib/default_lib0.a", data);
            var read = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive.WriteTarGz(_temp.File("members.tgz"))));
            Assert.Equal(MlfErrorIds.ArchiveTooLarge, read.ErrorId);
            Assert.Contains("'codegen/host/lib/default_lib0.a'", read.Message);
            Assert.Contains(MlfArchiveValidator.Validate(archive.WriteTar(_temp.File("members.tar"))), f => f.Id == MlfErrorIds.ArchiveTooLarge && f.Message.Contains("members"));
        }
    }
}
