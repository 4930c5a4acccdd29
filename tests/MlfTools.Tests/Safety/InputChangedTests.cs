using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using MlfTools.Expand;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// An input that changed between reading and writing (a .tar replaced, a folder file that grew or was rewritten, a tar
    /// header that moved) stops the join or extraction with InputChanged, and nothing is published.
    /// </summary>
    public class InputChangedTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private static MlfException JoinFails(string input, string destination, Action change)
        {
            var plan = JoinPlanner.PlanUnchecked(MlfReader.ReadModules(input), new MlfJoinOptions());
            change();
            var error = Assert.Throws<MlfException>(() => JoinWriter.Write(plan, destination, overwrite: false));
            Assert.False(File.Exists(destination));
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(destination)!, ".*.tmp"));
            return error;
        }

        [Fact]
        public void A_tar_replaced_by_a_larger_file_after_reading_stops_the_join()
        {
            string input = MlfTree.Version7().WriteTar(_temp.File("in.tar"));
            var error = JoinFails(input, _temp.File("out.tar"), () =>
                MlfTree.Version7().Text("extra/big.bin", new string('x', 100_000)).WriteTar(input));

            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
            Assert.Contains("changed after it was read", error.Message);
        }

        [Fact]
        public void A_tar_that_grew_at_its_end_stops_the_join()
        {
            string input = MlfTree.Version7().WriteTar(_temp.File("in.tar"));
            var error = JoinFails(input, _temp.File("out.tar"), () => File.AppendAllText(input, new string('\0', 10240)));
            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
        }

        [Fact]
        public void Another_header_at_a_members_offset_stops_the_join_even_with_the_same_size_and_time()
        {
            string input = MlfTree.Version7().WriteTar(_temp.File("in.tar"));
            var written = File.GetLastWriteTimeUtc(input);
            var error = JoinFails(input, _temp.File("out.tar"), () =>
            {
                var image = TarImage.Parse(File.ReadAllBytes(input));
                // The params file: the join copies it as it is (metadata.json, last in the archive, it writes anew).
                var member = image.Members.Single(m => m.Name.EndsWith(".params", StringComparison.Ordinal));
                byte[] bytes = image.Bytes;
                TarImage.WriteOctal(bytes, member.Header + TarImage.Field.Mtime, TarImage.Field.MtimeLength, 1600000000);
                TarImage.FixChecksum(bytes, member.Header);
                File.WriteAllBytes(input, bytes);
                File.SetLastWriteTimeUtc(input, written);
            });
            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
            Assert.Contains("tar header", error.Message);
        }

        [Fact]
        public void A_folder_file_that_grew_after_reading_stops_the_join_instead_of_being_cut()
        {
            string folder = MlfTree.Version7().Text("extra/notes.txt", "first").WriteFolder(_temp.File("model"));
            var error = JoinFails(folder, _temp.File("out.tar"), () => File.AppendAllText(Path.Combine(folder, "extra", "notes.txt"), " and more"));
            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
            Assert.Contains("extra/notes.txt", error.Message);
        }

        [Fact]
        public void A_folder_file_rewritten_with_the_same_size_stops_the_join()
        {
            string folder = MlfTree.Version7().Text("extra/notes.txt", "first").WriteFolder(_temp.File("model"));
            string notes = Path.Combine(folder, "extra", "notes.txt");
            var error = JoinFails(folder, _temp.File("out.tar"), () =>
            {
                var read = File.GetLastWriteTimeUtc(notes);
                File.WriteAllText(notes, "FIRST");
                File.SetLastWriteTimeUtc(notes, read.AddSeconds(-5));
            });
            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
        }

        [Fact]
        public void A_tgz_replaced_after_reading_stops_the_join()
        {
            string input = _temp.File("in.tgz");
            new TestArchive().File("./metadata.json", TestArchive.Metadata(7)).WriteTarGz(input);
            var plan = JoinPlanner.PlanUnchecked(MlfReader.ReadModules(input), new MlfJoinOptions());
            new TestArchive().File("./metadata.json", TestArchive.Metadata(7)).File("./extra.txt", "more").WriteTarGz(input);

            var error = Assert.Throws<MlfException>(() => JoinWriter.Write(plan, _temp.File("out.tar"), overwrite: false));
            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
            Assert.False(File.Exists(_temp.File("out.tar")));
        }

        [Fact]
        public void An_archive_replaced_between_planning_and_extracting_stops_the_extraction()
        {
            string input = MlfTree.Version7().WriteTar(_temp.File("in.tar"));
            var plan = ArchiveExtractor.Plan(input);
            MlfTree.Version7().Text("extra/big.bin", new string('x', 100_000)).WriteTar(input);

            var error = Assert.Throws<MlfException>(() => ArchiveExtractor.Extract(plan, _temp.File("out"), MlfExistingFolder.Refuse));
            Assert.Equal(MlfErrorIds.InputChanged, error.ErrorId);
            Assert.Equal(new[] { "in.tar" }, Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName));
        }
    }
}
