using System;
using System.IO;
using System.Threading;
using MlfTools.IO;
using MlfTools.Tar;

namespace MlfTools.Archive
{
    /// <summary>
    /// Reads just the archive's root metadata.json: from a folder, that one file; from a .tar, the headers up to it
    /// (seeking over member data); from a .tar.gz, the stream up to it. Nothing after it is read, so listing the
    /// modules of a 1 GiB archive costs about as much as listing those of a 40 KiB one.
    /// </summary>
    internal static class RootMetadataReader
    {
        private const string MetadataPath = "metadata.json";
        private const int SeekingBufferSize = 512;
        private const int GzipBufferSize = 64 * 1024;

        public static byte[] Read(string path, CancellationToken cancellationToken) =>
            ArchiveScanner.ReadArchive(path, ReadFromFolder, file =>
            {
                if (!ArchiveScanner.IsGzip(file)) return ReadFromTar(path, file, cancellationToken);
                using (var gzip = ArchiveScanner.OpenGzip(file, path, new MlfArchiveLimits(), GzipBufferSize))
                {
                    return ReadFromTar(path, gzip, cancellationToken);
                }
            });

        private static byte[] ReadFromFolder(string folder)
        {
            string file = Path.Combine(folder, MetadataPath);
            if (!File.Exists(file)) throw MlfReader.MetadataMissing(folder);
            if ((File.GetAttributes(file) & FileAttributes.ReparsePoint) != 0)
            {
                throw MemberPaths.Unsafe(MetadataPath, folder, "it is a symbolic link or junction");
            }
            if (SpecialFiles.KindOf(file) is string special) throw MemberPaths.Unsafe(MetadataPath, folder, $"it is {special}, not a regular file");
            using (var data = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, SeekingBufferSize))
            {
                return ReadAll(data, data.Length, folder);
            }
        }

        private static byte[] ReadFromTar(string path, Stream stream, CancellationToken cancellationToken)
        {
            var reader = new TarStreamReader(stream);
            TarEntry entry;
            while ((entry = reader.GetNextEntry(cancellationToken)) != null)
            {
                // Every member on the way is judged as the full reader judges it, so an archive New-MlfModule
                // refuses does not list modules here either.
                string memberPath = MemberPaths.OfEntry(entry, path);
                if (entry.Type != TarEntryType.File || memberPath != MetadataPath) continue;
                using (var data = reader.OpenCurrentData())
                {
                    return ReadAll(data, entry.Size, path);
                }
            }
            throw MlfReader.MetadataMissing(path);
        }

        private static byte[] ReadAll(Stream data, long size, string archivePath)
        {
            if (size > MlfArchiveLimits.DefaultMaximumJsonSize)
            {
                throw new MlfException(MlfErrorIds.MetadataInvalid,
                    $"The metadata file '{MetadataPath}' in '{archivePath}' is {size} bytes, more than the {MlfArchiveLimits.DefaultMaximumJsonSize / (1024 * 1024)} MiB MlfTools accepts; it cannot be a real MLF metadata file.",
                    archivePath);
            }
            var buffer = new byte[size];
            int total = 0;
            while (total < buffer.Length)
            {
                int read = data.Read(buffer, total, buffer.Length - total);
                if (read <= 0) throw new TarFormatException($"the archive is truncated inside member '{MetadataPath}'");
                total += read;
            }
            return buffer;
        }
    }
}
