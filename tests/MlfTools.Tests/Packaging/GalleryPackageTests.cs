using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using MlfTools.ModulePackage;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Packaging
{
    /// <summary>Packs out/MlfTools once, as build.ps1 -Task Package does, into a folder of its own.</summary>
    public sealed class PackedModule : IDisposable
    {
        private readonly TempFolder _output = new TempFolder();

        public PackedModule()
        {
            PackagePath = ModulePackager.Pack(TestPaths.ModuleFolder, Path.Combine(TestPaths.RepositoryRoot, "CHANGELOG.md"), _output.Path,
                Path.Combine(TestPaths.RepositoryRoot, "tools", "NuspecPack", "NuspecPack.csproj"));
            using var zip = ZipFile.OpenRead(PackagePath);
            Entries = zip.Entries.ToDictionary(e => e.FullName, e =>
            {
                using var stream = e.Open();
                using var bytes = new MemoryStream();
                stream.CopyTo(bytes);
                return bytes.ToArray();
            });
            Nuspec = XDocument.Parse(System.Text.Encoding.UTF8.GetString(Entries["MlfTools.nuspec"]).TrimStart('\uFEFF'));
        }

        public string PackagePath { get; }

        public Dictionary<string, byte[]> Entries { get; }

        public XDocument Nuspec { get; }

        public string Metadata(string name) =>
            Nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata").Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value
            ?? throw new Xunit.Sdk.XunitException($"the nuspec has no <{name}>");

        public void Dispose() => _output.Dispose();
    }

    /// <summary>The PowerShell Gallery package: what is inside and what its nuspec says, against the manifest, the changelog and the module folder.</summary>
    public class GalleryPackageTests : IClassFixture<PackedModule>
    {
        private static readonly string[] NuGetParts = { "MlfTools.nuspec", "[Content_Types].xml", "_rels/.rels" };

        private readonly PackedModule _package;

        public GalleryPackageTests(PackedModule package)
        {
            _package = package;
        }

        private static Dictionary<string, object?> Manifest => PowerShellDataFile.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "MlfTools.psd1")));

        [Fact]
        public void The_package_is_named_for_the_module_and_its_version()
        {
            Assert.Equal($"MlfTools.{Manifest["ModuleVersion"]}.nupkg", Path.GetFileName(_package.PackagePath));
            Assert.Equal("MlfTools", _package.Metadata("id"));
            Assert.Equal((string)Manifest["ModuleVersion"]!, _package.Metadata("version"));
        }

        [Fact]
        public void Every_file_of_the_module_folder_is_inside_at_its_own_path_and_nothing_else()
        {
            var moduleFiles = Directory.GetFiles(TestPaths.ModuleFolder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(TestPaths.ModuleFolder, f).Replace(Path.DirectorySeparatorChar, '/'));

            Assert.Contains("MlfTools.psd1", moduleFiles.Keys);
            Assert.Contains("en-US/MlfTools.dll-Help.xml", moduleFiles.Keys);
            Assert.Contains("dependencies/Newtonsoft.Json.dll", moduleFiles.Keys);
            foreach (var (relative, full) in moduleFiles)
            {
                Assert.True(_package.Entries.TryGetValue(relative, out var bytes), $"the package lacks {relative}");
                Assert.Equal(File.ReadAllBytes(full), bytes);
            }
            var others = _package.Entries.Keys.Except(moduleFiles.Keys).Except(NuGetParts).ToList();
            Assert.All(others, e => Assert.Matches(@"^package/services/metadata/core-properties/[^/]+\.psmdcp$", e));
        }

        [Fact]
        public void The_licence_is_the_Apache_2_file_inside_the_package()
        {
            var license = _package.Nuspec.Descendants().Single(e => e.Name.LocalName == "license");

            Assert.Equal("file", license.Attribute("type")!.Value);
            Assert.Equal("LICENSE", license.Value);
            Assert.Equal(File.ReadAllBytes(Path.Combine(TestPaths.RepositoryRoot, "LICENSE")), _package.Entries["LICENSE"]);
            Assert.Contains("Apache License", System.Text.Encoding.UTF8.GetString(_package.Entries["LICENSE"]));
            Assert.Contains("Version 2.0", System.Text.Encoding.UTF8.GetString(_package.Entries["LICENSE"]));
            Assert.Equal("false", _package.Metadata("requireLicenseAcceptance"));
        }

        [Fact]
        public void Authors_description_and_copyright_come_from_the_manifest()
        {
            var manifest = Manifest;

            Assert.Equal((string)manifest["Author"]!, _package.Metadata("authors"));
            Assert.Equal((string)manifest["CompanyName"]!, _package.Metadata("owners"));
            Assert.Equal((string)manifest["Description"]!, _package.Metadata("description"));
            Assert.Equal((string)manifest["Copyright"]!, _package.Metadata("copyright"));
        }

        [Fact]
        public void Tags_hold_the_manifest_tags_and_the_ones_the_Gallery_searches_by()
        {
            var tags = _package.Metadata("tags").Split(' ');
            var psData = (Dictionary<string, object?>)((Dictionary<string, object?>)Manifest["PrivateData"]!)["PSData"]!;

            Assert.Equal("PSModule", tags[0]);
            foreach (string tag in PowerShellDataFile.Strings(psData["Tags"])) Assert.Contains(tag, tags);
            Assert.Contains("PSEdition_Core", tags);
            Assert.Contains("PSEdition_Desktop", tags);
            Assert.Contains("PSIncludes_Cmdlet", tags);
            var cmdlets = CmdletMetadata.Read(Path.Combine(TestPaths.ModuleFolder, "MlfTools.dll")).Select(c => c.CommandName).ToList();
            Assert.NotEmpty(cmdlets);
            foreach (string cmdlet in cmdlets)
            {
                Assert.Contains("PSCmdlet_" + cmdlet, tags);
                Assert.Contains("PSCommand_" + cmdlet, tags);
            }
            Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        [Fact]
        public void Release_notes_are_the_current_version_section_of_the_changelog()
        {
            string changelog = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "CHANGELOG.md"));
            string version = (string)Manifest["ModuleVersion"]!;
            var section = Regex.Match(changelog, @"^## \[?" + Regex.Escape(version) + @"\b[^\n]*\n(?<body>.*?)(?=^## |\z)", RegexOptions.Singleline | RegexOptions.Multiline);

            Assert.True(section.Success, $"CHANGELOG.md has no section for {version}");
            Assert.Equal(Words(section.Groups["body"].Value), Words(_package.Metadata("releaseNotes")));
            Assert.Contains("New-MlfModule", _package.Metadata("releaseNotes"));
        }

        [Fact]
        public void The_package_invents_no_urls()
        {
            string nuspec = System.Text.Encoding.UTF8.GetString(_package.Entries["MlfTools.nuspec"]);
            var names = _package.Nuspec.Descendants().Select(e => e.Name.LocalName).ToList();

            Assert.DoesNotContain("projectUrl", names);
            Assert.DoesNotContain("iconUrl", names);
            // NuGet itself writes this placeholder beside a licence file, for clients older than licence files.
            Assert.Equal(new[] { "https://aka.ms/deprecateLicenseUrl" }, Regex.Matches(nuspec, @"https?://[^<""\s]+").Select(m => m.Value).Where(u => !u.StartsWith("http://schemas.", StringComparison.Ordinal)));
        }

        private static string Words(string text) => Regex.Replace(text, @"\s+", " ").Trim();
    }
}
