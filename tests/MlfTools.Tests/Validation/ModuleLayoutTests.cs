using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>The module folder that every build assembles in out/MlfTools, and its manifest.</summary>
    public class ModuleLayoutTests
    {
        private static string ModuleFile(string relative) => Path.Combine(TestPaths.ModuleFolder, relative.Replace('/', Path.DirectorySeparatorChar));

        private static string Manifest => File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "MlfTools.psd1"));

        [Fact]
        public void The_built_module_folder_holds_what_ships()
        {
            foreach (string file in new[] { "MlfTools.psd1", "MlfTools.dll", "MlfTools.Core.dll", "MlfTools.format.ps1xml", "LICENSE", "dependencies/Newtonsoft.Json.dll" })
            {
                Assert.True(File.Exists(ModuleFile(file)), $"out/MlfTools/{file} is missing");
            }
            // Third-party assemblies live only in dependencies/, where just our resolver loads them from.
            var rootAssemblies = Directory.GetFiles(TestPaths.ModuleFolder, "*.dll").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal);
            Assert.Equal(new[] { "MlfTools.Core.dll", "MlfTools.dll" }, rootAssemblies);
            Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "MlfTools.psd1")), File.ReadAllText(ModuleFile("MlfTools.psd1")));
        }

        [Fact]
        public void The_manifest_exports_exactly_the_cmdlets_the_assembly_declares()
        {
            var cmdlets = CmdletMetadata.Read(ModuleFile("MlfTools.dll"));
            Assert.NotEmpty(cmdlets);
            var exported = Regex.Match(Manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value
                .Split(',').Select(s => s.Trim().Trim('\'', '"')).Where(s => s.Length > 0).OrderBy(s => s, StringComparer.Ordinal);
            Assert.Equal(cmdlets.Select(c => c.CommandName).OrderBy(s => s, StringComparer.Ordinal), exported);
            Assert.DoesNotContain("*", Manifest.Substring(Manifest.IndexOf("CmdletsToExport", StringComparison.Ordinal)).Split('\n')[0]);
        }

        [Fact]
        public void Cmdlet_classes_are_named_for_their_command_in_the_Commands_namespace()
        {
            foreach (var cmdlet in CmdletMetadata.Read(ModuleFile("MlfTools.dll")))
            {
                Assert.Equal($"MlfTools.Commands.{cmdlet.Verb}{cmdlet.Noun}Command", cmdlet.FullTypeName);
            }
        }

        [Theory]
        [InlineData(@"CompatiblePSEditions\s*=\s*@\('Core',\s*'Desktop'\)")]
        [InlineData(@"PowerShellVersion\s*=\s*'5\.1'")]
        [InlineData(@"DotNetFrameworkVersion\s*=\s*'4\.7\.2'")]
        [InlineData(@"RootModule\s*=\s*'MlfTools\.dll'")]
        [InlineData(@"FunctionsToExport\s*=\s*@\(\)")]
        public void The_manifest_declares_editions_versions_and_exports(string pattern)
        {
            Assert.Matches(pattern, Manifest);
        }

        [Fact]
        public void The_manifest_invents_no_urls()
        {
            Assert.DoesNotMatch("https?://", Manifest);
        }
    }
}
