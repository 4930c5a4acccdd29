using System;
using System.IO;
using System.Linq;
using MlfTools.Expand;
using MlfTools.IO;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// Leftovers of killed writes (".&lt;name&gt;.&lt;id&gt;.tmp" and ".old" beside the destination) are removed by the next
    /// write to the same destination once they are a day old, and only ours; a replaced folder that cannot be deleted is
    /// named in a warning. (SIGTERM itself is proven in Pester: it needs a process to signal.)
    /// </summary>
    public class TemporaryCleanupTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private string Aged(string path, bool folder, double days)
        {
            if (folder)
            {
                Directory.CreateDirectory(path);
                File.WriteAllText(Path.Combine(path, "part.c"), "x");
                Directory.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-days));
            }
            else
            {
                File.WriteAllText(path, "partial");
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-days));
            }
            return path;
        }

        [Fact]
        public void A_join_removes_its_own_temporaries_older_than_a_day_and_nothing_else()
        {
            string stale = Aged(_temp.File(".out.tar.0123456789ab.tmp"), folder: false, days: 2);
            string fresh = Aged(_temp.File(".out.tar.ba9876543210.tmp"), folder: false, days: 0.5);
            string otherDestination = Aged(_temp.File(".other.tar.0123456789ab.tmp"), folder: false, days: 2);
            string notOurs = Aged(_temp.File(".out.tar.notours.tmp"), folder: false, days: 2);

            var removed = JoinWriter.RemoveStaleTemporaries(_temp.File("out.tar"));

            Assert.Equal(new[] { stale }, removed);
            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(fresh) && File.Exists(otherDestination) && File.Exists(notOurs));
        }

        [Fact]
        public void An_extraction_removes_its_own_temporary_and_replaced_folders_older_than_a_day()
        {
            string staleTemporary = Aged(_temp.File(".model.0123456789ab.tmp"), folder: true, days: 3);
            string staleOld = Aged(_temp.File(".model.0123456789ac.old"), folder: true, days: 3);
            string fresh = Aged(_temp.File(".model.0123456789ad.old"), folder: true, days: 0);
            string file = Aged(_temp.File(".model.0123456789ae.tmp"), folder: false, days: 3);

            var removed = ArchiveExtractor.RemoveStaleTemporaries(_temp.File("model"));

            Assert.Equal(new[] { staleTemporary, staleOld }.OrderBy(p => p, StringComparer.Ordinal), removed.OrderBy(p => p, StringComparer.Ordinal));
            Assert.False(Directory.Exists(staleTemporary) || Directory.Exists(staleOld));
            Assert.True(Directory.Exists(fresh) && File.Exists(file));
        }

        [UnixFact]
        public void Stale_cleanup_never_follows_a_link()
        {
            string target = _temp.File("keep");
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "precious.txt"), "x");
            string link = _temp.File(".model.0123456789ab.old");
            Directory.CreateSymbolicLink(link, target);
            File.SetLastWriteTimeUtc(link, DateTime.UtcNow.AddDays(-3));

            ArchiveExtractor.RemoveStaleTemporaries(_temp.File("model"));
            Assert.True(File.Exists(Path.Combine(target, "precious.txt")));
        }

        private sealed class OldFolderStays : OutputFiles
        {
            public override void DeleteDirectoryTree(string path)
            {
                if (Path.GetFileName(path).EndsWith(".old", StringComparison.Ordinal)) throw new IOException("a file in it is open");
                base.DeleteDirectoryTree(path);
            }
        }

        [Fact]
        public void A_replaced_folder_that_cannot_be_deleted_is_named_in_a_warning()
        {
            string archive = MlfTree.Version7().WriteTar(_temp.File("in.tar"));
            string destination = _temp.File("model");
            Directory.CreateDirectory(destination);
            File.WriteAllText(Path.Combine(destination, "old.txt"), "old");

            var warnings = ArchiveExtractor.Extract(ArchiveExtractor.Plan(archive), destination, MlfExistingFolder.Replace, null, default, new OldFolderStays());

            string leftover = Assert.Single(Directory.GetDirectories(_temp.Path, ".model.*.old"));
            string warning = Assert.Single(warnings);
            Assert.Contains(leftover, warning);
            Assert.True(File.Exists(Path.Combine(destination, "metadata.json")));
        }

        [Fact]
        public void A_replaced_folder_that_was_deleted_gives_no_warning()
        {
            string archive = MlfTree.Version7().WriteTar(_temp.File("in.tar"));
            string destination = _temp.File("model");
            Directory.CreateDirectory(destination);

            Assert.Empty(ArchiveExtractor.Extract(ArchiveExtractor.Plan(archive), destination, MlfExistingFolder.Replace));
            Assert.Empty(Directory.GetDirectories(_temp.Path, ".model.*"));
        }
    }
}
