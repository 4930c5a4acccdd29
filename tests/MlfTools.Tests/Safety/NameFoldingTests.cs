using System;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// Member names that are not UTF-8, or that are one name on macOS and Windows (Unicode normalization, case folding),
    /// are refused like names that differ only in case; a model_name that cannot be a file name is refused alike by read,
    /// test and join.
    /// </summary>
    public class NameFoldingTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [ToolFact("python3")]
        public void Two_names_that_are_not_UTF8_are_refused_instead_of_read_as_one()
        {
            string archive = _temp.File("latin1.tar");
            // Raw bytes 0xE9 and 0xE8 in the names (Latin-1 é and è), as an old tar on a Latin-1 system writes them.
            ExternalTool.Python(@"
import io, sys, tarfile
with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT, encoding='utf-8', errors='surrogateescape') as tar:
    for name, data in (('./metadata.json', sys.argv[2].encode()), ('./extra/caf\udce9.txt', b'one'), ('./extra/caf\udce8.txt', b'two')):
        info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
", archive, TestArchive.Metadata(7));

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, error.ErrorId);
            Assert.Contains("not valid UTF-8", error.Message);
        }

        [Theory]
        [InlineData("extra/caf\u00E9.txt", "extra/cafe\u0301.txt")]       // é as one code point, and as e + combining acute
        [InlineData("extra/\u212A.txt", "extra/k.txt")]                    // Kelvin sign and k
        [InlineData("extra/\u00C5ngstr\u00F6m/a.txt", "extra/\u212Bngstr\u00F6m/b.txt")] // Å and the Angstrom sign, as folders
        public void Names_equal_after_normalization_or_case_folding_collide(string first, string second)
        {
            string archive = new TestArchive()
                .File("./metadata.json", TestArchive.Metadata(7))
                .File("./" + first, "one")
                .File("./" + second, "two")
                .WriteTar(_temp.File("names.tar"));

            var error = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));
            Assert.Equal(MlfErrorIds.UnsafeArchiveEntry, error.ErrorId);
            Assert.Contains("Windows and macOS would write them as one", error.Message);
        }

        [Fact]
        public void Names_that_only_look_alike_are_read()
        {
            string archive = new TestArchive()
                .File("./metadata.json", TestArchive.Metadata(7))
                .File("./extra/caf\u00E9.txt", "one")
                .File("./extra/cafe.txt", "two")
                .WriteTar(_temp.File("names.tar"));
            Assert.Equal("default", Assert.Single(MlfReader.ReadModules(archive)).Name);
        }

        [Theory]
        [InlineData("a:b", "':'")]
        [InlineData("CON", "device name")]
        [InlineData("nul.x", "device name")]
        public void A_model_name_that_cannot_be_a_file_name_is_refused_by_read_test_and_join(string name, string reason)
        {
            string archive = new TestArchive().File("./metadata.json", TestArchive.Metadata(5, name)).WriteTar(_temp.File("named.tar"));

            var read = Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive));
            Assert.Equal(MlfErrorIds.InvalidModuleName, read.ErrorId);
            Assert.Contains(reason, read.Message);

            var finding = Assert.Single(MlfArchiveValidator.Validate(archive), f => f.Id == MlfErrorIds.InvalidModuleName);
            Assert.Equal(FindingSeverity.Error, finding.Level);
            Assert.Contains(reason, finding.Message);

            var names = Assert.Throws<MlfException>(() => MlfReader.ReadModuleNames(archive));
            Assert.Equal(MlfErrorIds.InvalidModuleName, names.ErrorId);
        }

        [Fact]
        public void Module_names_equal_after_normalization_are_duplicates_in_a_join()
        {
            string one = new TestArchive().File("./metadata.json", TestArchive.Metadata(7, "caf\u00E9")).WriteTar(_temp.File("one.tar"));
            string two = new TestArchive().File("./metadata.json", TestArchive.Metadata(7, "cafe\u0301")).WriteTar(_temp.File("two.tar"));
            var modules = MlfReader.ReadModules(one).Concat(MlfReader.ReadModules(two)).ToList();

            var error = Assert.Throws<MlfException>(() => JoinPlanner.PlanUnchecked(modules, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.DuplicateModuleName, error.ErrorId);
        }
    }
}
