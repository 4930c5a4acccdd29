using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace MlfTools.Tests.Support
{
    /// <summary>Builds small archives for tests with System.Formats.Tar, including members no honest archive would hold.</summary>
    internal sealed class TestArchive
    {
        private readonly List<Action<TarWriter>> _writes = new List<Action<TarWriter>>();
        private readonly TarEntryFormat _format;

        public TestArchive(TarEntryFormat format = TarEntryFormat.Pax)
        {
            _format = format;
        }

        public TestArchive File(string name, string text) => File(name, Encoding.UTF8.GetBytes(text));

        public TestArchive File(string name, byte[] data)
        {
            _writes.Add(writer =>
            {
                var entry = NewEntry(TarEntryType.RegularFile, name);
                entry.DataStream = new MemoryStream(data);
                writer.WriteEntry(entry);
            });
            return this;
        }

        public TestArchive Directory(string name)
        {
            _writes.Add(writer => writer.WriteEntry(NewEntry(TarEntryType.Directory, name)));
            return this;
        }

        public TestArchive Link(string name, string target, bool hard = false)
        {
            _writes.Add(writer =>
            {
                var entry = NewEntry(hard ? TarEntryType.HardLink : TarEntryType.SymbolicLink, name);
                entry.LinkName = target;
                writer.WriteEntry(entry);
            });
            return this;
        }

        public TestArchive Special(string name, TarEntryType type)
        {
            _writes.Add(writer => writer.WriteEntry(NewEntry(type, name)));
            return this;
        }

        public byte[] ToTarBytes()
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarWriter(buffer, _format, leaveOpen: true))
            {
                foreach (var write in _writes) write(writer);
            }
            return buffer.ToArray();
        }

        public string WriteTar(string path)
        {
            System.IO.File.WriteAllBytes(path, ToTarBytes());
            return path;
        }

        public string WriteTarGz(string path)
        {
            using (var file = System.IO.File.Create(path))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                gzip.Write(ToTarBytes());
            }
            return path;
        }

        private TarEntry NewEntry(TarEntryType type, string name) =>
            _format switch
            {
                TarEntryFormat.Ustar => new UstarTarEntry(type, name),
                TarEntryFormat.Gnu => new GnuTarEntry(type, name),
                TarEntryFormat.V7 => new V7TarEntry(type, name),
                _ => new PaxTarEntry(type, name),
            };

        /// <summary>A minimal valid full-model metadata.json of the given version.</summary>
        public static string Metadata(int version, string name = "default", string executor = "graph", string extraKeys = "")
        {
            string target = version >= 6 ? "[\"c -keys=cpu\"]" : "{\"1\": \"c -keys=cpu\"}";
            string executorsKey = version <= 4 ? "runtimes" : "executors";
            string entry = $"\"export_datetime\": \"2022-03-04 05:06:07Z\", \"memory\": {{\"functions\": {{\"main\": [], \"operator_functions\": []}}}}, " +
                           $"\"model_name\": \"{name}\", \"style\": \"full-model\", \"target\": {target}, \"{executorsKey}\": [\"{executor}\"]{extraKeys}";
            return version >= 7
                ? $"{{\"modules\": {{\"{name}\": {{{entry}}}}}, \"version\": {version}}}"
                : $"{{{entry}, \"version\": {version}}}";
        }
    }
}
