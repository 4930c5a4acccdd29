using System.IO;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Help
{
    /// <summary>about_MlfTools: the topic Get-Help about_MlfTools shows, shipped as en-US/about_MlfTools.help.txt.</summary>
    public class AboutTopicTests
    {
        private static string Topic => File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "module", "en-US", "about_MlfTools.help.txt"));

        [Fact]
        public void The_topic_has_the_shape_Get_Help_expects_and_ships_with_the_module()
        {
            var lines = Topic.Replace("\r\n", "\n").Split('\n');

            Assert.Equal("TOPIC", lines[0]);
            Assert.Equal("    about_MlfTools", lines[1]);
            Assert.Contains("SHORT DESCRIPTION", lines);
            Assert.Contains("LONG DESCRIPTION", lines);
            Assert.Contains("SEE ALSO", lines);
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "module", "en-US", "about_MlfTools.help.txt")),
                File.ReadAllBytes(Path.Combine(TestPaths.ModuleFolder, "en-US", "about_MlfTools.help.txt")));
        }

        [Theory]
        [InlineData("Model Library Format")]
        [InlineData("VERSIONS")]
        [InlineData("NAMES")]
        [InlineData("tvmgen_")]
        [InlineData("MEMORY FIGURES")]
        [InlineData("CONSUMERS")]
        [InlineData("exactly one module")]
        [InlineData("tvmc")]
        public void The_topic_covers(string subject)
        {
            Assert.Contains(subject, Topic);
        }

        [Fact]
        public void Every_memory_figure_is_explained_with_where_it_comes_from()
        {
            string topic = Topic;
            foreach (var property in typeof(MemoryReport).GetProperties().Where(p => p.Name.EndsWith("Bytes") || p.Name == "ParameterCount"))
            {
                Assert.Contains(property.Name, topic);
            }
            foreach (string source in new[] { "workspace_size_bytes", "constants_size_bytes", "io_size_bytes", "memory.sids", ".params", "graph config" })
            {
                Assert.Contains(source, topic);
            }
        }

        [Fact]
        public void Every_cmdlet_is_named_in_the_topic()
        {
            foreach (var cmdlet in HelpExpectations.Cmdlets) Assert.Contains(cmdlet.CommandName, Topic);
        }
    }
}
