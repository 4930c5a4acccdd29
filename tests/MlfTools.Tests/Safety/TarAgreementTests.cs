using System;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// Archives that GNU tar and Python's tarfile would read as holding other members than a reader that skips data
    /// sees: a directory member with a size, and GNU sparse members. Each is refused with InvalidArchive naming the member.
    /// </summary>
    public class TarAgreementTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>
        /// "./src/" as a directory whose size covers a whole tar of its own: a second metadata.json and a link to /etc/passwd,
        /// which GNU tar lists as members of the outer archive.
        /// </summary>
        private string DirectoryHidingMembers()
        {
            byte[] hidden = TarImage.Concat(
                TarImage.Entry("./metadata.json", '0', Encoding.UTF8.GetBytes(TestArchive.Metadata(7, "evil"))),
                TarImage.Entry("./passwd", '2', Array.Empty<byte>(), "/etc/passwd"));
            byte[] tar = TarImage.Concat(
                TarImage.Entry("./metadata.json", '0', Encoding.UTF8.GetBytes(TestArchive.Metadata(7))),
                TarImage.Entry("./src/", '5', hidden),
                new byte[2 * TarImage.Block]);
            string path = _temp.File("hidden.tar");
            File.WriteAllBytes(path, tar);
            return path;
        }

        [ToolFact("tar")]
        public void GNU_tar_reads_the_data_of_a_sized_directory_member_as_further_members()
        {
            string listing = ExternalTool.Run("tar", _temp.Path, "-tvf", DirectoryHidingMembers());
            Assert.Contains("./passwd -> /etc/passwd", listing);
            Assert.Equal(2, listing.Split('\n').Count(l => l.EndsWith("./metadata.json", StringComparison.Ordinal)));
        }

        [Fact]
        public void A_directory_member_with_a_size_is_refused_naming_it()
        {
            string archive = DirectoryHidingMembers();
            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));
            Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
            Assert.Contains("'./src/'", error.Message);
            Assert.Contains("further members", error.Message);

            var finding = Assert.Single(MlfArchiveValidator.Validate(archive));
            Assert.Equal(MlfErrorIds.InvalidArchive, finding.Id);
        }

        [Fact]
        public void An_empty_directory_member_is_still_read()
        {
            string archive = _temp.File("fine.tar");
            File.WriteAllBytes(archive, TarImage.Concat(
                TarImage.Entry("./metadata.json", '0', Encoding.UTF8.GetBytes(TestArchive.Metadata(7))),
                TarImage.Entry("./src/", '5', Array.Empty<byte>()),
                new byte[2 * TarImage.Block]));
            Assert.Equal("default", Assert.Single(MlfReader.ReadModules(archive)).Name);
        }

        /// <summary>A 1 MiB file with two short runs of data and holes elsewhere, archived by GNU tar with -S.</summary>
        private string SparseArchive(params string[] formatOptions)
        {
            string folder = _temp.File("tree-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(7));
            using (var sparse = new FileStream(Path.Combine(folder, "s.bin"), FileMode.CreateNew))
            {
                sparse.SetLength(1 << 20);
                sparse.Position = 300_000;
                sparse.Write(Encoding.ASCII.GetBytes(new string('a', 4096)));
                sparse.Position = 900_000;
                sparse.Write(Encoding.ASCII.GetBytes(new string('b', 4096)));
            }
            string archive = _temp.File("sparse-" + Guid.NewGuid().ToString("N") + ".tar");
            ExternalTool.Run("tar", folder, new[] { "-c", "-S", "-f", archive }.Concat(formatOptions).Concat(new[] { "metadata.json", "s.bin" }).ToArray());
            return archive;
        }

        [ToolTheory("tar")]
        [InlineData("PAX format 1.0", "--format=pax", "--sparse-version=1.0")]
        [InlineData("PAX format 0.1", "--format=pax", "--sparse-version=0.1")]
        [InlineData("PAX format 0.0", "--format=pax", "--sparse-version=0.0")]
        [InlineData("old GNU format, type 'S'", "--format=gnu")]
        public void A_GNU_sparse_member_is_refused_naming_the_file(string format, params string[] options)
        {
            string archive = SparseArchive(options);
            // GNU tar itself gives the file back whole: the archive is fine, we just do not expand it.
            string check = _temp.File("gnu-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(check);
            ExternalTool.Run("tar", check, "-xf", archive);
            Assert.Equal(1 << 20, new FileInfo(Path.Combine(check, "s.bin")).Length);

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));
            Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
            Assert.Contains("'s.bin' is a GNU sparse file (" + format + ")", error.Message);
            Assert.Contains("--sparse", error.Message);
        }
    }
}
