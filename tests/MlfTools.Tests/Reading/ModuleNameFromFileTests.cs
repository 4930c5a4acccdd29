using System;
using System.IO;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>New-MlfModule -NameFromFile: the module name a file or folder name gives, and the errors for names that stay invalid.</summary>
    public class ModuleNameFromFileTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [Theory]
        [InlineData("kws.tar", "kws")]
        [InlineData("aww-v2.tar", "aww_v2")]
        [InlineData("Person Detect.TAR", "person_detect")]
        [InlineData("vww.tar.gz", "vww")]
        [InlineData("vww.TGZ", "vww")]
        [InlineData("kws.v2.tar", "kws_v2")]
        [InlineData("model.tar.tar", "model_tar")]
        [InlineData("model.zip", "model_zip")]
        [InlineData("kws_small.tgz", "kws_small")]
        [InlineData("Modèle.tar", "mod_le")]
        [InlineData("k\U0001F600s.tar", "k_s")] // one '_' for a character outside the BMP, not one per UTF-16 unit
        public void A_file_name_gives_its_base_name_lowercased_with_other_characters_as_underscores(string fileName, string expected)
        {
            string path = _temp.File(fileName);
            File.WriteAllText(path, "not read");

            Assert.Equal(expected, MlfModuleNames.FromPath(path));
        }

        [Theory]
        [InlineData("kws-build")]
        [InlineData("kws.tar")]
        public void A_folder_gives_its_whole_name(string folderName)
        {
            string folder = Directory.CreateDirectory(_temp.File(folderName)).FullName;

            Assert.Equal(MlfModuleNames.FromText(folderName), MlfModuleNames.FromPath(folder));
            Assert.Equal(MlfModuleNames.FromText(folderName), MlfModuleNames.FromPath(folder + Path.DirectorySeparatorChar));
        }

        [Theory]
        [InlineData("2024-kws.tar", "'2024_kws'", "starts with a digit")]
        [InlineData(".tar", "an empty module name", "at least one letter")]
        [InlineData("-kws.tar", "'_kws'", "starts with '_'")]
        [InlineData("kws (1).tar", "'kws__1_'", "ends in '_'")]
        [InlineData("con.tar", "'con'", "Windows reserves 'con' for a device")]
        [InlineData("LPT1.tgz", "'lpt1'", "Windows reserves 'lpt1' for a device")]
        public void A_name_that_stays_invalid_is_InvalidModuleName_saying_why_and_how_to_fix_it(string fileName, string gives, string why)
        {
            string path = _temp.File(fileName);

            var error = Assert.Throws<MlfException>(() => MlfModuleNames.FromPath(path));

            Assert.Equal(MlfErrorIds.InvalidModuleName, error.ErrorId);
            Assert.Equal(path, error.Target);
            Assert.Contains($"'{fileName}' gives {gives}", error.Message);
            Assert.Contains(why, error.Message);
            Assert.Contains("Rename the file", error.Message);
            Assert.Contains("-Name instead of -NameFromFile", error.Message);
        }

        [Fact]
        public void Every_name_it_accepts_is_a_valid_new_name()
        {
            foreach (string fileName in new[] { "a.tar", "A1.tar", "x_y-z.tgz", "tvm.model.tar.gz" })
            {
                string name = MlfModuleNames.FromPath(_temp.File(fileName));
                Assert.True(MlfModuleNames.IsValidNewName(name), $"{fileName} gave '{name}'");
            }
        }
    }
}
