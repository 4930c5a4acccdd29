using System;
using System.IO;
using System.Linq;
using MlfTools.Expand;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Expand
{
    /// <summary>Nothing the user had in a destination folder is lost unless the folder is replaced in so many words.</summary>
    public class ExistingFolderTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private string Archive() =>
            new TestArchive().File("./metadata.json", TestArchive.Metadata(5)).File("./samples/note.txt", "new").WriteTar(_temp.File("model.tar"));

        /// <summary>A firmware source folder: the user's main.c, a file the archive also has, and one in a folder of its own.</summary>
        private string UserFolder()
        {
            string folder = _temp.File("fwsrc");
            Directory.CreateDirectory(Path.Combine(folder, "samples"));
            Directory.CreateDirectory(Path.Combine(folder, "board"));
            File.WriteAllText(Path.Combine(folder, "main.c"), "int main(void) { return 0; }\n");
            File.WriteAllText(Path.Combine(folder, "samples", "note.txt"), "old");
            File.WriteAllText(Path.Combine(folder, "board", "startup.s"), "reset:\n");
            return folder;
        }

        [Fact]
        public void Merge_overwrites_the_files_the_archive_holds_and_keeps_every_other_file()
        {
            string folder = UserFolder();
            Assert.Empty(ArchiveExtractor.Extract(ArchiveExtractor.Plan(Archive()), folder, MlfExistingFolder.Merge));

            Assert.Equal("int main(void) { return 0; }\n", File.ReadAllText(Path.Combine(folder, "main.c")));
            Assert.Equal("reset:\n", File.ReadAllText(Path.Combine(folder, "board", "startup.s")));
            Assert.Equal("new", File.ReadAllText(Path.Combine(folder, "samples", "note.txt")));
            Assert.True(File.Exists(Path.Combine(folder, "metadata.json")));
            Assert.Equal(new[] { "fwsrc", "model.tar" }, Directory.EnumerateFileSystemEntries(_temp.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void Merge_refuses_a_file_of_the_archive_where_the_folder_has_a_folder_before_writing_anything()
        {
            string folder = UserFolder();
            Directory.CreateDirectory(Path.Combine(folder, "metadata.json"));
            var plan = ArchiveExtractor.Plan(Archive());
            var before = FolderSnapshot.Take(_temp.Path);

            var error = Assert.Throws<MlfException>(() => ArchiveExtractor.Extract(plan, folder, MlfExistingFolder.Merge));

            Assert.Equal(MlfErrorIds.DestinationExists, error.ErrorId);
            Assert.Contains("-ReplaceFolder", error.Message);
            Assert.Equal(before, FolderSnapshot.Take(_temp.Path));
        }

        [Fact]
        public void Replace_deletes_exactly_the_files_FilesNotInArchive_names()
        {
            string folder = UserFolder();
            var plan = ArchiveExtractor.Plan(Archive());
            Assert.Equal(new[] { "board/startup.s", "main.c" }, ArchiveExtractor.FilesNotInArchive(plan, folder));

            ArchiveExtractor.Extract(plan, folder, MlfExistingFolder.Replace);

            Assert.False(File.Exists(Path.Combine(folder, "main.c")));
            Assert.False(Directory.Exists(Path.Combine(folder, "board")));
            Assert.Equal("new", File.ReadAllText(Path.Combine(folder, "samples", "note.txt")));
            Assert.Empty(ArchiveExtractor.FilesNotInArchive(plan, folder));
        }

        [Fact]
        public void Refuse_leaves_an_existing_folder_as_it_was_and_names_both_ways_on()
        {
            string folder = UserFolder();
            var plan = ArchiveExtractor.Plan(Archive());
            var before = FolderSnapshot.Take(_temp.Path);
            var error = Assert.Throws<MlfException>(() => ArchiveExtractor.Extract(plan, folder, MlfExistingFolder.Refuse));
            Assert.Equal(MlfErrorIds.DestinationExists, error.ErrorId);
            Assert.Contains("-Force to write into it", error.Message);
            Assert.Contains("-ReplaceFolder", error.Message);
            Assert.Equal(before, FolderSnapshot.Take(_temp.Path));
        }
    }
}
