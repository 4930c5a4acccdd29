using System;
using System.IO;
using System.Threading.Tasks;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>A FIFO where a folder input should hold a file is UnsafeArchiveEntry: never a hang, never a 0-byte copy.</summary>
    public class SpecialFileTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private string Folder(string fifoPath)
        {
            string folder = _temp.File("model");
            Directory.CreateDirectory(Path.Combine(folder, "codegen", "host", "src"));
            if (fifoPath != "metadata.json") File.WriteAllText(Path.Combine(folder, "metadata.json"), TestArchive.Metadata(7, "default", "aot"));
            ExternalTool.Run("mkfifo", folder, fifoPath);
            return folder;
        }

        /// <summary>Runs <paramref name="read"/> with a deadline, so that a regression hangs no test run.</summary>
        private static MlfException Refused(Action read)
        {
            var attempt = Task.Run(() => Assert.Throws<MlfException>(read));
            Assert.True(attempt.Wait(TimeSpan.FromSeconds(60)), "reading the folder hung on the FIFO");
            return attempt.Result;
        }

        [ToolFact("mkfifo")]
        public void A_FIFO_as_a_source_file_is_UnsafeArchiveEntry_for_read_test_and_join()
        {
            string folder = Folder("codegen/host/src/default_lib0.c");

            var error = Refused(() => MlfReader.ReadModules(folder));
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, error.ErrorId);
            Assert.Contains("'codegen/host/src/default_lib0.c'", error.Message);
            Assert.Contains("FIFO", error.Message);
            var findings = Task.Run(() => MlfArchiveValidator.Validate(folder));
            Assert.True(findings.Wait(TimeSpan.FromSeconds(60)));
            Assert.Contains(findings.Result, f => f.Id == MlfErrorIds.UnsafeArchiveEntry);
        }

        [ToolFact("mkfifo")]
        public void A_FIFO_given_as_the_archive_is_InvalidArchive_at_once_for_every_reader()
        {
            // Opening a FIFO for reading waits for a writer, in a system call that Ctrl+C does not interrupt.
            string fifo = _temp.File("model.tar");
            ExternalTool.Run("mkfifo", _temp.Path, fifo);

            foreach (var read in new Action[]
            {
                () => MlfReader.ReadModules(fifo),
                () => MlfReader.ReadModuleNames(fifo),
                () => MlfTools.ArchiveExtractor.Plan(fifo),
            })
            {
                var error = Refused(read);
                Assert.Equal(MlfErrorIds.InvalidArchive, error.ErrorId);
                Assert.Contains($"'{fifo}' is not a readable MLF archive: it is a FIFO (named pipe), not a file", error.Message);
            }
            var findings = Task.Run(() => MlfArchiveValidator.Validate(fifo));
            Assert.True(findings.Wait(TimeSpan.FromSeconds(60)), "Test-MlfArchive's reader hung on the FIFO");
            Assert.Contains(findings.Result, f => f.Id == MlfErrorIds.InvalidArchive && f.Message.Contains("FIFO"));
        }

        [ToolFact("mkfifo")]
        public void A_FIFO_as_metadata_json_is_UnsafeArchiveEntry_also_when_only_the_names_are_listed()
        {
            string folder = Folder("metadata.json");
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, Refused(() => MlfReader.ReadModuleNames(folder)).ErrorId);
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, Refused(() => MlfReader.ReadModules(folder)).ErrorId);
        }
    }
}
