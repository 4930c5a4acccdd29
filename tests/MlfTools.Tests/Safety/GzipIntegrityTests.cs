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
    /// The CRC-32 and length (ISIZE) in the trailer of a gzip file are checked on every path, whether or not reading
    /// reaches the trailer on its own: a damaged .tgz is InvalidArchive for read, test, expand and join.
    /// </summary>
    public class GzipIntegrityTests : IDisposable
    {
        private const string Marker = "MARKER-IN-A-STORED-BLOCK";

        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>A valid archive gzipped at the stored level (no compression), so a flipped data byte still decodes.</summary>
        private string StoredTgz(string name)
        {
            byte[] tar = new TestArchive()
                .File("./metadata.json", TestArchive.Metadata(7))
                .File("./extra/notes.txt", Marker + new string('n', 4000))
                .ToTarBytes();
            string path = _temp.File(name);
            using (var file = File.Create(path))
            using (var gzip = new GZipStream(file, CompressionLevel.NoCompression))
            {
                gzip.Write(tar);
            }
            return path;
        }

        private static void Flip(string path, Func<byte[], int> at)
        {
            byte[] bytes = File.ReadAllBytes(path);
            bytes[at(bytes)] ^= 0x01;
            File.WriteAllBytes(path, bytes);
        }

        private static int MarkerOffset(byte[] bytes)
        {
            int at = bytes.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Marker));
            Assert.True(at > 0, "the marker is not stored as it is");
            return at + 3;
        }

        private static void AssertCorrupt(MlfException error)
        {
            Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
            Assert.Contains("CRC-32", error.Message);
        }

        [Fact]
        public void A_flipped_data_byte_is_refused_by_read_test_and_expand()
        {
            string archive = StoredTgz("flipped.tgz");
            Flip(archive, MarkerOffset);

            AssertCorrupt(Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive)));
            AssertCorrupt(Assert.Throws<MlfException>(() => ArchiveExtractor.Plan(archive)));
            var finding = Assert.Single(MlfArchiveValidator.Validate(archive));
            Assert.Equal(MlfErrorIds.InvalidArchive, finding.Id);
            Assert.Contains("CRC-32", finding.Message);
        }

        [Fact]
        public void A_wrong_CRC_is_refused()
        {
            string archive = StoredTgz("crc.tgz");
            Flip(archive, bytes => bytes.Length - 8);
            AssertCorrupt(Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive)));
        }

        [Fact]
        public void A_wrong_length_is_refused()
        {
            string archive = StoredTgz("isize.tgz");
            Flip(archive, bytes => bytes.Length - 4);
            AssertCorrupt(Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive)));
        }

        [Fact]
        public void A_wrong_CRC_followed_by_zero_padding_is_named_as_such()
        {
            string archive = StoredTgz("padded.tgz");
            Flip(archive, bytes => bytes.Length - 8);
            File.AppendAllText(archive, new string('\0', 1024));
            AssertCorrupt(Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive)));
        }

        [Fact]
        public void Zero_padding_after_a_valid_gzip_file_is_accepted_as_gzip_and_tar_accept_it()
        {
            string archive = StoredTgz("padded-ok.tgz");
            File.AppendAllText(archive, new string('\0', 1024));
            Assert.Equal("default", Assert.Single(MlfReader.ReadModules(archive)).Name);
        }

        [Fact]
        public void A_byte_flipped_after_reading_stops_the_join_before_anything_is_published()
        {
            string archive = StoredTgz("later.tgz");
            var plan = JoinPlanner.PlanUnchecked(MlfReader.ReadModules(archive), new MlfJoinOptions());
            var written = File.GetLastWriteTimeUtc(archive);
            Flip(archive, MarkerOffset);
            File.SetLastWriteTimeUtc(archive, written);

            AssertCorrupt(Assert.Throws<MlfException>(() => JoinWriter.Write(plan, _temp.File("out.tar"), overwrite: false)));
            Assert.False(File.Exists(_temp.File("out.tar")));
            Assert.Empty(Directory.GetFiles(_temp.Path, ".out.tar.*"));
        }

        [Fact]
        public void A_byte_flipped_after_planning_stops_the_extraction_before_the_folder_appears()
        {
            string archive = StoredTgz("later.tgz");
            var plan = ArchiveExtractor.Plan(archive);
            var written = File.GetLastWriteTimeUtc(archive);
            Flip(archive, MarkerOffset);
            File.SetLastWriteTimeUtc(archive, written);

            AssertCorrupt(Assert.Throws<MlfException>(() => ArchiveExtractor.Extract(plan, _temp.File("out"), MlfExistingFolder.Refuse)));
            Assert.False(Directory.Exists(_temp.File("out")));
        }
    }
}
