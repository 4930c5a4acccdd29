using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// The test oracle: reads an archive with .NET's own System.Formats.Tar and System.Text.Json, and walks
    /// .params and graph configs with code written here, so expectations never come from MlfTools itself.
    /// </summary>
    internal sealed class IndependentArchive
    {
        private IndependentArchive(Dictionary<string, byte[]> files)
        {
            Files = files;
        }

        /// <summary>Regular files by path without "./", with their bytes.</summary>
        public Dictionary<string, byte[]> Files { get; }

        public static IndependentArchive Read(string tarPath)
        {
            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            using var stream = File.OpenRead(tarPath);
            using var reader = new TarReader(stream);
            TarEntry? entry;
            while ((entry = reader.GetNextEntry()) != null)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                string name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name.Substring(2) : entry.Name;
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                files[name] = data.ToArray();
            }
            return new IndependentArchive(files);
        }

        public JsonElement Metadata => JsonDocument.Parse(Files["metadata.json"]).RootElement;

        /// <summary>The module entry: modules[name] in v7, else the whole file.</summary>
        public JsonElement ModuleEntry(string name = "default") =>
            Metadata.TryGetProperty("modules", out var modules) ? modules.GetProperty(name) : Metadata;

        public byte[] FileWithSuffix(string folder, params string[] names) =>
            names.Select(n => folder + n).Where(Files.ContainsKey).Select(p => Files[p]).FirstOrDefault()
            ?? throw new KeyNotFoundException($"none of {string.Join(", ", names)} in {folder}");

        /// <summary>(count, total data bytes) of a .params file, walked field by field.</summary>
        public static (int Count, long TotalBytes, List<(string Name, long Bytes)> Tensors) WalkParams(byte[] bytes)
        {
            using var reader = new BinaryReader(new MemoryStream(bytes));
            if (reader.ReadUInt64() != 0xF7E58D4F05049CB7UL) throw new InvalidDataException("params magic");
            reader.ReadUInt64();
            var names = new List<string>();
            ulong count = reader.ReadUInt64();
            for (ulong i = 0; i < count; i++)
            {
                names.Add(System.Text.Encoding.UTF8.GetString(reader.ReadBytes((int)reader.ReadUInt64())));
            }
            if (reader.ReadUInt64() != count) throw new InvalidDataException("array count");
            var tensors = new List<(string, long)>();
            foreach (string name in names)
            {
                reader.ReadUInt64(); reader.ReadUInt64(); reader.ReadInt32(); reader.ReadInt32();
                int ndim = reader.ReadInt32();
                reader.ReadBytes(4);
                for (int d = 0; d < ndim; d++) reader.ReadInt64();
                long size = reader.ReadInt64();
                reader.BaseStream.Seek(size, SeekOrigin.Current);
                tensors.Add((name, size));
            }
            return (tensors.Count, tensors.Sum(t => t.Item2), tensors);
        }

        /// <summary>Per storage id the largest entry, summed: what the graph executor allocates (all on one device here).</summary>
        public static long GraphStorageBytes(byte[] graphJson)
        {
            var attrs = JsonDocument.Parse(graphJson).RootElement.GetProperty("attrs");
            var ids = attrs.GetProperty("storage_id")[1].EnumerateArray().Select(e => e.GetInt32()).ToList();
            var shapes = attrs.GetProperty("shape")[1].EnumerateArray().Select(s => s.EnumerateArray().Select(d => d.GetInt64()).ToList()).ToList();
            var types = attrs.GetProperty("dltype")[1].EnumerateArray().Select(e => e.GetString()!).ToList();
            var pools = new Dictionary<int, long>();
            for (int i = 0; i < ids.Count; i++)
            {
                int bits = int.Parse(new string(types[i].SkipWhile(c => !char.IsDigit(c)).ToArray()));
                long bytes = shapes[i].Aggregate(1L, (a, b) => a * b) * ((bits + 7) / 8);
                pools[ids[i]] = Math.Max(pools.GetValueOrDefault(ids[i]), bytes);
            }
            return pools.Values.Sum();
        }
    }
}
