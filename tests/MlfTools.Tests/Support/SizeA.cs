using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MlfTools.Tests.Support
{
    /// <summary>GNU size -A (binutils) as the oracle for section sizes.</summary>
    internal static class SizeA
    {
        /// <summary>The sections `tool -A` lists for an object given as bytes; null when the tool is not on PATH.</summary>
        public static List<(string Name, long Size)>? Sections(string tool, byte[] objectBytes)
        {
            if (!ExternalTool.IsOnPath(tool)) return null;
            string file = Path.Combine(Path.GetTempPath(), "sizea-" + Guid.NewGuid().ToString("N") + ".o");
            File.WriteAllBytes(file, objectBytes);
            try
            {
                return Sections(tool, file);
            }
            finally
            {
                File.Delete(file);
            }
        }

        public static List<(string Name, long Size)> Sections(string tool, params string[] objectFiles)
        {
            var sections = new List<(string, long)>();
            foreach (string line in ExternalTool.Run(tool, Path.GetTempPath(), new[] { "-A" }.Concat(objectFiles).ToArray()).Split('\n'))
            {
                var parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 3 && parts[0].StartsWith(".") && long.TryParse(parts[1], out long size)) sections.Add((parts[0], size));
            }
            return sections;
        }

        /// <summary>The sum of the sections named <paramref name="prefix"/> or <paramref name="prefix"/>.something.</summary>
        public static long Total(IEnumerable<(string Name, long Size)> sections, string prefix) =>
            sections.Where(s => s.Name == prefix || s.Name.StartsWith(prefix + ".", StringComparison.Ordinal)).Sum(s => s.Size);
    }
}
