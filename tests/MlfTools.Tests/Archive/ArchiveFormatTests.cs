using System;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>The same module read from every container real users have: TVM's tarfile output, GNU tar formats, gzip, folders.</summary>
    public class ArchiveFormatTests
    {
        private static readonly string LongFolder = string.Join("/", Enumerable.Repeat("deeply_nested_folder_name", 6));
        private static readonly string LongFileName = new string('n', 120) + ".txt";

        [SampleToolFact("python3")]
        public void Reads_an_archive_written_by_python_tarfile_exactly_as_TVM_writes_it()
        {
            using var temp = new TempFolder();
            string staged = Stage(temp, "v7-graph-magicwand.tar", withLongNames: true);
            string tar = temp.File("tvm-style.tar");
            TvmStyleTar.Pack(staged, tar);

            AssertSameAsSample(tar, "v7-graph-magicwand.tar", extraFiles: 2);
            var module = MlfReader.ReadModules(tar).Single();
            Assert.Contains(module.Files, f => f.Path == LongFolder + "/" + LongFileName && f.Kind == MlfFileKind.Other);
        }

        [SampleToolTheory("tar")]
        [InlineData("ustar")]
        [InlineData("gnu")]
        [InlineData("pax")]
        [InlineData("oldgnu")]
        public void Reads_archives_written_by_GNU_tar_in_each_format(string format)
        {
            using var temp = new TempFolder();
            bool longFileNames = format != "ustar"; // ustar cannot hold a 120-character file name, only long paths via its prefix
            string staged = Stage(temp, "v5-aot-sine.tar", withLongNames: true, longFileName: longFileNames);
            string tar = temp.File(format + ".tar");
            ExternalTool.Run("tar", staged, "--format=" + format, "-cf", tar, ".");

            AssertSameAsSample(tar, "v5-aot-sine.tar", extraFiles: longFileNames ? 2 : 1);
            var files = MlfReader.ReadModules(tar).Single().Files;
            Assert.Contains(files, f => f.Path == LongFolder + "/short.txt");
            if (longFileNames) Assert.Contains(files, f => f.Path == LongFolder + "/" + LongFileName);
        }

        [SampleToolFact("tar")]
        public void Reads_GNU_tar_output_without_dot_slash_prefixes_and_without_directory_members()
        {
            using var temp = new TempFolder();
            string staged = Stage(temp, "v4-graph-yesno.tar", withLongNames: false);
            string tar = temp.File("files-only.tar");
            var files = Directory.GetFiles(staged, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(staged, f)).ToArray();
            ExternalTool.Run("tar", staged, new[] { "--no-recursion", "-cf", tar }.Concat(files).ToArray());
            Assert.DoesNotContain(ExternalTool.Run("tar", temp.Path, "-tf", tar).Split('\n'), n => n.StartsWith("./", StringComparison.Ordinal));

            AssertSameAsSample(tar, "v4-graph-yesno.tar", extraFiles: 0);
        }

        [SampleTheory]
        [InlineData("model.tar.gz")]
        [InlineData("model.tgz")]
        [InlineData("gzip-without-extension.tar")]
        public void Reads_gzip_compressed_archives_whatever_their_extension(string fileName)
        {
            using var temp = new TempFolder();
            string path = temp.File(fileName);
            using (var output = File.Create(path))
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
            using (var input = File.OpenRead(TestPaths.Sample("v7-aot-crt-mlp.tar")))
            {
                input.CopyTo(gzip);
            }
            AssertSameAsSample(path, "v7-aot-crt-mlp.tar", extraFiles: 0);
        }

        [SampleTheory]
        [InlineData("v4-graph-yesno.tar")]
        [InlineData("v7-aot-crt-mlp.tar")]
        public void Reads_an_extracted_archive_folder(string sample)
        {
            using var temp = new TempFolder();
            string folder = temp.File("extracted");
            Directory.CreateDirectory(folder);
            TarFile.ExtractToDirectory(TestPaths.Sample(sample), folder, overwriteFiles: false);

            AssertSameAsSample(folder, sample, extraFiles: 0);
        }

        /// <summary>Extracts a sample into a folder of its own, optionally adding members with long paths and names.</summary>
        private static string Stage(TempFolder temp, string sample, bool withLongNames, bool longFileName = true)
        {
            string staged = temp.File("staged");
            Directory.CreateDirectory(staged);
            TarFile.ExtractToDirectory(TestPaths.Sample(sample), staged, overwriteFiles: false);
            if (withLongNames)
            {
                string deep = Path.Combine(staged, LongFolder.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(deep);
                File.WriteAllText(Path.Combine(deep, "short.txt"), "long path, short name");
                if (longFileName) File.WriteAllText(Path.Combine(deep, LongFileName), "long name");
            }
            return staged;
        }

        private static void AssertSameAsSample(string path, string sample, int extraFiles)
        {
            var expected = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();
            var actual = MlfReader.ReadModules(path).Single();
            Assert.Equal(expected.Name, actual.Name);
            Assert.Equal(expected.FormatVersion, actual.FormatVersion);
            Assert.Equal(expected.Executors, actual.Executors);
            Assert.Equal(expected.ExportDateTime, actual.ExportDateTime);
            Assert.Equal(expected.Files.Count + extraFiles, actual.Files.Count);
            foreach (var file in expected.Files)
            {
                Assert.Contains(actual.Files, f => f.Path == file.Path && f.Size == file.Size && f.Kind == file.Kind);
            }
            Assert.Equal(expected.Parameters.TotalBytes, actual.Parameters.TotalBytes);
            Assert.Equal(expected.GraphConfig?.EntryCount, actual.GraphConfig?.EntryCount);
            Assert.Equal(expected.RuntimeVersion, actual.RuntimeVersion);
        }
    }
}
