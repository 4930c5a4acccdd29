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

        /// <summary>The about topics the module ships: about_MlfTools and the background topics its cmdlet pages point to.</summary>
        public static readonly string[] Topics = { "about_MlfTools", "about_MlfTools_CProgram", "about_MlfTools_Format", "about_MlfTools_Join", "about_MlfTools_LinkedReport", "about_MlfTools_MemoryReport", "about_MlfTools_Safety" };

        private static string TopicFile(string name) => Path.Combine(TestPaths.RepositoryRoot, "module", "en-US", name + ".help.txt");

        private static string MemoryTopic => File.ReadAllText(TopicFile("about_MlfTools_MemoryReport"));

        [Fact]
        public void The_topic_has_the_shape_Get_Help_expects_and_ships_with_the_module()
        {
            foreach (string name in Topics)
            {
                var lines = File.ReadAllText(TopicFile(name)).Replace("\r\n", "\n").Split('\n');

                Assert.Equal("TOPIC", lines[0]);
                Assert.Equal("    " + name, lines[1]);
                Assert.Contains("SHORT DESCRIPTION", lines);
                Assert.Contains("LONG DESCRIPTION", lines);
                Assert.Contains("SEE ALSO", lines);
                Assert.Equal(File.ReadAllBytes(TopicFile(name)), File.ReadAllBytes(Path.Combine(TestPaths.ModuleFolder, "en-US", name + ".help.txt")));
            }
        }

        [Fact]
        public void Every_about_topic_in_the_module_folder_is_known_here()
        {
            var shipped = Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "module", "en-US"), "about_*.help.txt")
                .Select(f => Path.GetFileName(f).Replace(".help.txt", string.Empty)).OrderBy(n => n, System.StringComparer.Ordinal);
            Assert.Equal(Topics.OrderBy(n => n, System.StringComparer.Ordinal), shipped);
        }

        [Fact]
        public void The_cmdlet_pages_point_to_the_background_topics()
        {
            Assert.Contains("about_MlfTools_Join", File.ReadAllText(Path.Combine(HelpExpectations.DocsFolder, "Join-MlfArchive.md")));
            Assert.Contains("about_MlfTools_MemoryReport", File.ReadAllText(Path.Combine(HelpExpectations.DocsFolder, "Get-MlfMemoryReport.md")));
            Assert.Contains("about_MlfTools_Format", File.ReadAllText(Path.Combine(HelpExpectations.DocsFolder, "Test-MlfArchive.md")));
            Assert.Contains("about_MlfTools_Safety", File.ReadAllText(Path.Combine(HelpExpectations.DocsFolder, "Expand-MlfArchive.md")));
            Assert.Contains("about_MlfTools_MemoryReport", Topic);
        }

        [Fact]
        public void The_topic_shows_how_C_calls_an_AOT_model_and_a_system_lib_graph_model()
        {
            string c = File.ReadAllText(TopicFile("about_MlfTools_CProgram"));
            foreach (string call in new[] { "struct tvmgen_kws_inputs", "struct tvmgen_kws_outputs", "tvmgen_kws_run(&kws_in, &kws_out)", "tvmgen_<m>_run_model(void* input, void* output)", "TVMGraphExecutor_Create" })
            {
                Assert.Contains(call, c);
            }
            Assert.Contains("about_MlfTools_CProgram", Topic);
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
            string topic = MemoryTopic;
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
