using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace MlfTools.ModulePackage
{
    /// <summary>
    /// The nuspec of a module package as the PowerShell Gallery expects it: identity, authors, description, copyright and
    /// tags from the manifest (with the PSModule, PSIncludes_Cmdlet, PSCmdlet_ and PSCommand_ tags the Gallery searches
    /// by), release notes from the changelog, the licence as a file inside the package, and every file of the module
    /// folder at its own path. URLs appear only when the manifest gives them.
    /// </summary>
    public static class GalleryNuspec
    {
        public static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";

        public const string LicenseFileName = "LICENSE";

        public static XDocument Create(string moduleName, IReadOnlyDictionary<string, object?> manifest, string releaseNotes, IEnumerable<string> relativeFiles)
        {
            var psData = PSData(manifest);
            var files = relativeFiles.Select(f => f.Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (!files.Contains(LicenseFileName)) throw new InvalidOperationException($"The module folder has no {LicenseFileName} file; the package carries its licence as that file.");

            var metadata = new XElement(Nuspec + "metadata",
                new XElement(Nuspec + "id", moduleName),
                new XElement(Nuspec + "version", Version(manifest, psData)),
                new XElement(Nuspec + "authors", Required(manifest, "Author")),
                new XElement(Nuspec + "owners", Text(manifest, "CompanyName") ?? Required(manifest, "Author")),
                new XElement(Nuspec + "requireLicenseAcceptance", psData.TryGetValue("RequireLicenseAcceptance", out var accept) && accept is true ? "true" : "false"),
                new XElement(Nuspec + "license", new XAttribute("type", "file"), LicenseFileName),
                Optional("projectUrl", Text(psData, "ProjectUri")),
                Optional("iconUrl", Text(psData, "IconUri")),
                new XElement(Nuspec + "description", Required(manifest, "Description")),
                new XElement(Nuspec + "releaseNotes", releaseNotes),
                Optional("copyright", Text(manifest, "Copyright")),
                new XElement(Nuspec + "tags", string.Join(" ", Tags(manifest, psData))));

            return new XDocument(
                new XDeclaration("1.0", "utf-8", null),
                new XElement(Nuspec + "package",
                    metadata,
                    new XElement(Nuspec + "files", files.Select(f =>
                        new XElement(Nuspec + "file",
                            new XAttribute("src", f.Replace('/', Path.DirectorySeparatorChar)),
                            // NuGet places a file without target at the package root (an empty target loses LICENSE).
                            f.Contains('/') ? new XAttribute("target", f.Substring(0, f.LastIndexOf('/'))) : null)))));
        }

        /// <summary>
        /// PSModule, the manifest's tags, a PSEdition_ tag per compatible edition, then PSIncludes_Cmdlet and a
        /// PSCmdlet_ and PSCommand_ tag per exported cmdlet, as the Gallery generates them.
        /// </summary>
        public static List<string> Tags(IReadOnlyDictionary<string, object?> manifest, IReadOnlyDictionary<string, object?>? psData = null)
        {
            psData ??= PSData(manifest);
            var tags = new List<string> { "PSModule" };
            void Add(string tag)
            {
                if (tag.Any(char.IsWhiteSpace)) throw new InvalidOperationException($"The tag '{tag}' holds a space; nuspec tags are separated by spaces.");
                if (!tags.Contains(tag, StringComparer.OrdinalIgnoreCase)) tags.Add(tag);
            }
            foreach (string tag in PowerShellDataFile.Strings(psData.GetValueOrDefault("Tags"))) Add(tag);
            foreach (string edition in PowerShellDataFile.Strings(manifest.GetValueOrDefault("CompatiblePSEditions"))) Add("PSEdition_" + edition);
            var cmdlets = PowerShellDataFile.Strings(manifest.GetValueOrDefault("CmdletsToExport"));
            if (cmdlets.Any(c => c.Contains('*'))) throw new InvalidOperationException("CmdletsToExport holds a wildcard; the Gallery's command tags need the cmdlets listed by name.");
            if (cmdlets.Count > 0) Add("PSIncludes_Cmdlet");
            foreach (string cmdlet in cmdlets)
            {
                Add("PSCmdlet_" + cmdlet);
                Add("PSCommand_" + cmdlet);
            }
            return tags;
        }

        private static string Version(IReadOnlyDictionary<string, object?> manifest, IReadOnlyDictionary<string, object?> psData)
        {
            string version = Required(manifest, "ModuleVersion");
            string? prerelease = Text(psData, "Prerelease");
            return string.IsNullOrEmpty(prerelease) ? version : version + "-" + prerelease;
        }

        private static IReadOnlyDictionary<string, object?> PSData(IReadOnlyDictionary<string, object?> manifest) =>
            manifest.GetValueOrDefault("PrivateData") is Dictionary<string, object?> privateData && privateData.GetValueOrDefault("PSData") is Dictionary<string, object?> psData
                ? psData
                : new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

        private static string? Text(IReadOnlyDictionary<string, object?> table, string key) =>
            table.GetValueOrDefault(key) is string text && text.Trim().Length > 0 ? text.Trim() : null;

        private static string Required(IReadOnlyDictionary<string, object?> manifest, string key) =>
            Text(manifest, key) ?? throw new InvalidOperationException($"The manifest has no {key}; the Gallery needs it.");

        private static XElement? Optional(string name, string? value) => value == null ? null : new XElement(Nuspec + name, value);
    }
}
