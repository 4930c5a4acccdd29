using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace MlfTools.ModulePackage
{
    /// <summary>Packs a built module folder into &lt;Name&gt;.&lt;Version&gt;.nupkg for the PowerShell Gallery.</summary>
    public static class ModulePackager
    {
        /// <summary>
        /// Writes &lt;outputFolder&gt;/&lt;Name&gt;.nuspec and packs it with NuGet (dotnet pack of <paramref name="packProject"/>);
        /// returns the package's path. The module's name is its folder's name, its manifest &lt;Name&gt;.psd1 in it.
        /// </summary>
        public static string Pack(string moduleFolder, string changelogPath, string outputFolder, string packProject)
        {
            moduleFolder = Path.GetFullPath(moduleFolder);
            outputFolder = Path.GetFullPath(outputFolder);
            string name = Path.GetFileName(moduleFolder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            string manifestPath = Path.Combine(moduleFolder, name + ".psd1");
            if (!File.Exists(manifestPath)) throw new InvalidOperationException($"'{manifestPath}' is missing; build the module first.");

            var manifest = PowerShellDataFile.Parse(File.ReadAllText(manifestPath));
            var nuspec = GalleryNuspec.Create(name, manifest, ReleaseNotes(manifest, changelogPath), FilesOf(moduleFolder));
            string version = nuspec.Root!.Element(GalleryNuspec.Nuspec + "metadata")!.Element(GalleryNuspec.Nuspec + "version")!.Value;

            Directory.CreateDirectory(outputFolder);
            string nuspecPath = Path.Combine(outputFolder, name + ".nuspec");
            nuspec.Save(nuspecPath);
            string package = Path.Combine(outputFolder, $"{name}.{version}.nupkg");
            if (File.Exists(package)) File.Delete(package);

            // The packing project's intermediate files go under the output folder, so concurrent packs never share them.
            string staging = Path.Combine(outputFolder, ".nuspec-pack") + Path.DirectorySeparatorChar;
            RunDotnet("pack", Path.GetFullPath(packProject), "-c", "Release", "--nologo",
                "-p:NuspecPath=" + nuspecPath,
                "-p:ModuleFolder=" + moduleFolder + Path.DirectorySeparatorChar,
                "-p:PackageFolder=" + outputFolder + Path.DirectorySeparatorChar,
                "-p:BaseIntermediateOutputPath=" + staging + "obj" + Path.DirectorySeparatorChar,
                "-p:OutputPath=" + staging + "bin" + Path.DirectorySeparatorChar);
            if (!File.Exists(package)) throw new InvalidOperationException($"dotnet pack ran but '{package}' is not there.");
            return package;
        }

        public static string ReleaseNotes(IReadOnlyDictionary<string, object?> manifest, string changelogPath) =>
            ChangelogSection.For(File.ReadAllText(changelogPath), (string)manifest["ModuleVersion"]!);

        /// <summary>Every file under the module folder, relative, '/'-separated.</summary>
        public static IEnumerable<string> FilesOf(string moduleFolder) =>
            Directory.GetFiles(moduleFolder, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(moduleFolder, f).Replace(Path.DirectorySeparatorChar, '/'));

        private static void RunDotnet(params string[] arguments)
        {
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is string host && File.Exists(host) ? host : "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            var output = new StringBuilder();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start dotnet.");
            process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(" ", arguments)} failed with exit code {process.ExitCode}:\n{output}");
        }
    }
}
