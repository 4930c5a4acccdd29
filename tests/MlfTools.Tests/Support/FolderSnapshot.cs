using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace MlfTools.Tests.Support
{
    /// <summary>Everything under a folder, hidden entries included: "dir/" lines for folders, "path size sha256" for files.</summary>
    internal static class FolderSnapshot
    {
        public static List<string> Take(string folder)
        {
            var lines = new List<string>();
            foreach (string entry in Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(folder, entry).Replace(Path.DirectorySeparatorChar, '/');
                if (Directory.Exists(entry))
                {
                    lines.Add(relative + "/");
                    continue;
                }
                using var stream = File.OpenRead(entry);
                lines.Add($"{relative} {stream.Length} {Convert.ToHexString(SHA256.HashData(stream))}");
            }
            lines.Sort(StringComparer.Ordinal);
            return lines;
        }

        /// <summary>Regular files by '/'-separated relative path, with their bytes.</summary>
        public static Dictionary<string, byte[]> Files(string folder) =>
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes, StringComparer.Ordinal);
    }
}
