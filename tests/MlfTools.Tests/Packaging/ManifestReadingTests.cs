using System;
using System.Collections.Generic;
using System.IO;
using MlfTools.ModulePackage;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Packaging
{
    /// <summary>How the packager reads MlfTools.psd1 and CHANGELOG.md.</summary>
    public class ManifestReadingTests
    {
        [Fact]
        public void The_real_manifest_reads_as_PowerShell_would_read_it()
        {
            var manifest = PowerShellDataFile.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "MlfTools.psd1")));

            Assert.Equal("MlfTools.dll", manifest["RootModule"]);
            Assert.Equal("5.1", manifest["PowerShellVersion"]);
            Assert.Equal(new[] { "Core", "Desktop" }, PowerShellDataFile.Strings(manifest["CompatiblePSEditions"]));
            Assert.Equal(new[] { "New-MlfModule", "Join-MlfArchive", "Get-MlfMemoryReport" }, PowerShellDataFile.Strings(manifest["CmdletsToExport"]).GetRange(0, 3));
            Assert.Empty((List<object?>)manifest["FunctionsToExport"]!);
            var psData = (Dictionary<string, object?>)((Dictionary<string, object?>)manifest["privatedata"]!)["PSDATA"]!;
            Assert.Contains("TVM", PowerShellDataFile.Strings(psData["Tags"]));
        }

        [Fact]
        public void Strings_arrays_tables_and_constants_read_like_PowerShell_data()
        {
            const string text = @"
<# block
   comment #>
@{
    # a comment
    Single = 'it''s'
    Double = ""say """"hi""""""
    'Quoted Key' = 1; Number = -2.5
    List = 'a', 'b',
        'c'
    Array = @(
        'x'
        'y', 'z'
    )
    Empty = @()
    Nested = @{ Flag = $true; Off = $FALSE; Nothing = $null }
    Here = @'
line one
line two
'@
}";
            var data = PowerShellDataFile.Parse(text);

            Assert.Equal("it's", data["single"]);
            Assert.Equal("say \"hi\"", data["Double"]);
            Assert.Equal(1L, data["Quoted Key"]);
            Assert.Equal(-2.5, data["Number"]);
            Assert.Equal(new[] { "a", "b", "c" }, PowerShellDataFile.Strings(data["List"]));
            Assert.Equal(new[] { "x", "y", "z" }, PowerShellDataFile.Strings(data["Array"]));
            Assert.Empty((List<object?>)data["Empty"]!);
            var nested = (Dictionary<string, object?>)data["Nested"]!;
            Assert.Equal(true, nested["Flag"]);
            Assert.Equal(false, nested["Off"]);
            Assert.Null(nested["Nothing"]);
            Assert.Equal("line one\nline two", data["Here"]);
        }

        [Theory]
        [InlineData("@{ A = \"$env:USERNAME\" }")]
        [InlineData("@{ A = $PSScriptRoot }")]
        [InlineData("@{ A = (Get-Date) }")]
        [InlineData("@{ A = 'open }")]
        [InlineData("'not a table'")]
        public void Anything_PowerShell_would_have_to_evaluate_is_refused(string text)
        {
            Assert.Throws<FormatException>(() => PowerShellDataFile.Parse(text));
        }

        [Fact]
        public void The_changelog_section_of_a_version_is_its_text_with_wrapped_lines_joined()
        {
            const string changelog = "# Changelog\n\n## 0.2.0 (unreleased)\n\n- New thing that\n  wraps.\n- Other.\n\n## 0.1.0 - 2024-01-01\n\n- First.\n";

            Assert.Equal("- New thing that wraps.\n- Other.", ChangelogSection.For(changelog, "0.2.0"));
            Assert.Equal("- First.", ChangelogSection.For(changelog, "0.1.0"));
            Assert.Throws<InvalidOperationException>(() => ChangelogSection.For(changelog, "0.1"));
            Assert.Throws<InvalidOperationException>(() => ChangelogSection.For(changelog, "0.3.0"));
        }
    }
}
