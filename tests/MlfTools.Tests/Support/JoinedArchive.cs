using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using MlfTools.Join;

namespace MlfTools.Tests.Support
{
    /// <summary>Joins modules into a file and reads the result back with System.Formats.Tar, for assertions.</summary>
    internal static class JoinedArchive
    {
        public static string Write(string destination, MlfJoinOptions? options, params MlfModule[] modules)
        {
            JoinWriter.Write(JoinPlanner.Plan(modules, options ?? new MlfJoinOptions()), destination, overwrite: false);
            return destination;
        }

        public static MlfModule Sample(string fileName, string? newName = null)
        {
            var module = MlfReader.ReadModules(TestPaths.Sample(fileName)).Single();
            return newName == null ? module : module.WithName(newName);
        }

        /// <summary>Every member header in order, as .NET's own tar reader sees it.</summary>
        public static List<TarEntry> Headers(string path)
        {
            var entries = new List<TarEntry>();
            using var file = File.OpenRead(path);
            Stream stream = path.EndsWith(".tar") ? file : new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(stream);
            TarEntry? entry;
            while ((entry = reader.GetNextEntry(copyData: true)) != null) entries.Add(entry);
            return entries;
        }
    }
}
