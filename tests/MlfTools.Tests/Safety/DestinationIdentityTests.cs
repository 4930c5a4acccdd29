using System;
using System.IO;
using System.Security.Cryptography;
using MlfTools.Expand;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// A destination that reaches an input through a symbolic link, or that lies in a folder input, is refused with
    /// DestinationIsInput before anything is written, and the input keeps its bytes.
    /// </summary>
    public class DestinationIdentityTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>r/real/&lt;file&gt; holds an archive, r/link is a link to r/real.</summary>
        private (string Real, string Link) LinkedFolder(string archiveName)
        {
            string real = _temp.File("r/real");
            Directory.CreateDirectory(real);
            MlfTree.Version7().WriteTar(Path.Combine(real, archiveName));
            string link = _temp.File("r/link");
            Directory.CreateSymbolicLink(link, real);
            return (real, link);
        }

        private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

        [UnixFact]
        public void A_join_destination_that_is_the_input_through_a_linked_folder_is_refused()
        {
            var (real, link) = LinkedFolder("in.tar");
            string input = Path.Combine(real, "in.tar");
            string destination = Path.Combine(link, "in.tar");
            string before = Hash(input);

            var early = Assert.Throws<MlfException>(() => JoinWriter.CheckDestination(destination, new[] { input }, overwrite: true));
            Assert.Equal(MlfErrorIds.DestinationIsInput, early.ErrorId);
            Assert.Contains("through a link", early.Message);

            // The writer checks too, for callers that skip CheckDestination.
            var plan = JoinPlanner.PlanUnchecked(MlfReader.ReadModules(input), new MlfJoinOptions());
            var late = Assert.Throws<MlfException>(() => JoinWriter.Write(plan, destination, overwrite: true));
            Assert.Equal(MlfErrorIds.DestinationIsInput, late.ErrorId);
            Assert.Equal(before, Hash(input));
            Assert.Equal(new[] { "in.tar" }, Array.ConvertAll(Directory.GetFileSystemEntries(real), Path.GetFileName));
        }

        [UnixFact]
        public void A_join_destination_that_is_a_link_to_the_input_file_is_refused()
        {
            var (real, _) = LinkedFolder("in.tar");
            string input = Path.Combine(real, "in.tar");
            string destination = _temp.File("out.tar");
            File.CreateSymbolicLink(destination, input);

            var error = Assert.Throws<MlfException>(() => JoinWriter.CheckDestination(destination, new[] { input }, overwrite: true));
            Assert.Equal(MlfErrorIds.DestinationIsInput, error.ErrorId);
        }

        [UnixFact]
        public void Expanding_into_a_linked_folder_that_holds_the_archive_is_refused_and_the_archive_stays()
        {
            string real = _temp.File("r/real/sub");
            Directory.CreateDirectory(real);
            string archive = MlfTree.Version7().WriteTar(Path.Combine(real, "a.tar"));
            Directory.CreateSymbolicLink(_temp.File("r/link"), _temp.File("r/real"));
            string destination = _temp.File("r/link/sub");
            string before = Hash(archive);

            var early = Assert.Throws<MlfException>(() => ArchiveExtractor.CheckDestination(destination, archive, MlfExistingFolder.Replace));
            Assert.Equal(MlfErrorIds.DestinationIsInput, early.ErrorId);
            var plan = ArchiveExtractor.Plan(archive);
            var late = Assert.Throws<MlfException>(() => ArchiveExtractor.Extract(plan, destination, MlfExistingFolder.Replace));
            Assert.Equal(MlfErrorIds.DestinationIsInput, late.ErrorId);
            Assert.Equal(before, Hash(archive));
        }

        [UnixFact]
        public void Expanding_into_a_link_to_the_folder_that_holds_the_archive_is_refused()
        {
            string real = _temp.File("models");
            Directory.CreateDirectory(real);
            string archive = MlfTree.Version7().WriteTar(Path.Combine(real, "a.tar"));
            string destination = _temp.File("out");
            Directory.CreateSymbolicLink(destination, real);

            var error = Assert.Throws<MlfException>(() => ArchiveExtractor.CheckDestination(destination, archive, MlfExistingFolder.Replace));
            Assert.Equal(MlfErrorIds.DestinationIsInput, error.ErrorId);
            Assert.True(File.Exists(archive));
        }

        [Fact]
        public void A_join_destination_inside_a_folder_input_is_refused()
        {
            string folder = MlfTree.Version7().WriteFolder(_temp.File("model"));
            string destination = Path.Combine(folder, "joined.tar");

            var error = Assert.Throws<MlfException>(() => JoinWriter.CheckDestination(destination, new[] { folder }, overwrite: false));
            Assert.Equal(MlfErrorIds.DestinationIsInput, error.ErrorId);
            Assert.Contains("inside the folder", error.Message);
            var plan = JoinPlanner.PlanUnchecked(MlfReader.ReadModules(folder), new MlfJoinOptions());
            Assert.Equal(MlfErrorIds.DestinationIsInput, Assert.Throws<MlfException>(() => JoinWriter.Write(plan, destination, overwrite: false)).ErrorId);
            Assert.False(File.Exists(destination));
        }

        [UnixFact]
        public void A_join_destination_inside_a_folder_input_reached_through_a_link_is_refused()
        {
            string folder = MlfTree.Version7().WriteFolder(_temp.File("model"));
            string link = _temp.File("alias");
            Directory.CreateSymbolicLink(link, folder);

            var error = Assert.Throws<MlfException>(() => JoinWriter.CheckDestination(Path.Combine(link, "joined.tar"), new[] { folder }, overwrite: false));
            Assert.Equal(MlfErrorIds.DestinationIsInput, error.ErrorId);
        }

        [Fact]
        public void A_destination_beside_the_input_is_allowed()
        {
            string folder = MlfTree.Version7().WriteFolder(_temp.File("model"));
            JoinWriter.CheckDestination(_temp.File("model.tar"), new[] { folder }, overwrite: false);
            JoinWriter.CheckDestination(_temp.File("model-joined.tar"), new[] { MlfTree.Version7().WriteTar(_temp.File("in.tar")) }, overwrite: false);
        }

        [Fact]
        public void A_destination_with_a_NUL_character_is_PathNotFound_not_an_ArgumentException()
        {
            var join = Assert.Throws<MlfException>(() => JoinWriter.CheckDestination(_temp.File("a\0b.tar"), Array.Empty<string>(), overwrite: false));
            Assert.Equal(MlfErrorIds.PathNotFound, join.ErrorId);
            var expand = Assert.Throws<MlfException>(() => ArchiveExtractor.CheckDestination(_temp.File("a\0b"), null, MlfExistingFolder.Refuse));
            Assert.Equal(MlfErrorIds.PathNotFound, expand.ErrorId);
        }
    }
}
