using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.IO.Compression;
using MlfTools.Elf;
using MlfTools.Format;
using MlfTools.IO;
using MlfTools.CSource;
using MlfTools.Tar;

namespace MlfTools.Archive
{
    /// <summary>
    /// One pass over a .tar, .tar.gz/.tgz or extracted folder: lists every member, refuses unsafe ones, and
    /// reads only metadata.json, graph configs and the headers of .params files. In a .tar or a folder
    /// everything else is seeked over, never read. The safe-member rules (<see cref="MemberPaths"/>) and the
    /// limits (<see cref="MlfArchiveLimits"/>) are applied here, so every reader of archives inherits them.
    /// </summary>
    internal static class ArchiveScanner
    {
        private const long MaxCodeBytesForFacts = 256L * 1024 * 1024;
        private const int FileBufferSize = 64 * 1024;

        // A .tar is read header by header with a seek between them: a large read buffer would pull in (and
        // throw away) that much member data at every header, so the archive file itself is read in small pieces.

        public static ArchiveIndex Scan(string path, CancellationToken cancellationToken = default) =>
            Scan(path, new MlfArchiveLimits(), cancellationToken);

        /// <summary>
        /// Indexes an archive or folder within <paramref name="limits"/>. With <paramref name="deferContentErrors"/>, a
        /// metadata file, graph config or params file that cannot be read is recorded in <see cref="ArchiveIndex.DeferredErrors"/>
        /// instead of failing the scan, wherever it sits: for a caller that reports every problem of an archive.
        /// </summary>
        public static ArchiveIndex Scan(string path, MlfArchiveLimits limits, CancellationToken cancellationToken = default, bool deferContentErrors = false)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            limits = limits ?? new MlfArchiveLimits();
            return ReadArchive(path,
                folder => ScanDirectory(folder, limits, cancellationToken, deferContentErrors),
                file => ScanStream(path, file, limits, cancellationToken, deferContentErrors));
        }

        /// <summary>
        /// Reads what <paramref name="path"/> names, a folder or an archive file (opened for seeking, with a small buffer),
        /// and turns a failure to read it into our errors: PathNotFound, InvalidArchive (not tar, corrupt gzip, truncated)
        /// or ArchiveReadFailed.
        /// </summary>
        internal static T ReadArchive<T>(string path, Func<string, T> readFolder, Func<FileStream, T> readFile)
        {
            try
            {
                if (Directory.Exists(path)) return readFolder(path);
                if (!File.Exists(path))
                {
                    throw new MlfException(MlfErrorIds.PathNotFound, $"Cannot find '{path}'. Give the path of an MLF archive (.tar, .tar.gz, .tgz) or of an extracted archive folder.", path);
                }
                // Opening a FIFO waits for a writer, in a call Ctrl+C cannot interrupt; a device may never end. Where the file
                // type is unknown (macOS), such files show a length of 0, which no archive has.
                if (SpecialFiles.KindOf(path, followLinks: true) is string special) throw InvalidArchive(path, $"it is {special}, not a file", null);
                if (new FileInfo(path).Length == 0) throw InvalidArchive(path, "the file is empty", null);
                using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, SeekingBufferSize))
                {
                    return readFile(file);
                }
            }
            catch (TarFormatException ex)
            {
                throw InvalidArchive(path, ex.Message, ex);
            }
            catch (InvalidDataException ex)
            {
                throw CorruptGzip(path, ex);
            }
            catch (EndOfStreamException ex)
            {
                throw InvalidArchive(path, "it is truncated", ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new MlfException(MlfErrorIds.ArchiveReadFailed, $"Cannot read '{path}': {ex.Message}", path, ex);
            }
        }

        private const int SeekingBufferSize = 512;

        /// <summary>Scans an opened archive file (seekable), telling gzip from tar by the first two bytes.</summary>
        internal static ArchiveIndex ScanStream(string path, Stream file, MlfArchiveLimits limits = null, CancellationToken cancellationToken = default, bool deferContentErrors = false)
        {
            limits = limits ?? new MlfArchiveLimits();
            // What a later pass compares to refuse a file that changed since (InputChanged); a stream that is no file has no such later pass.
            bool isFile = file is FileStream;
            long length = isFile ? file.Length : -1;
            long written = isFile ? File.GetLastWriteTimeUtc(path).Ticks : 0;
            var index = IsGzip(file)
                ? ScanGzip(path, file, limits, cancellationToken, deferContentErrors)
                : ScanTar(path, file, ArchiveKind.Tar, limits, cancellationToken, deferContentErrors);
            index.SourceLength = length;
            index.SourceWriteTime = written;
            return index;
        }

        /// <summary>The decompressed tar stream of a gzip file, stopped at the expansion limit.</summary>
        internal static Stream OpenGzip(Stream file, string path, MlfArchiveLimits limits, int bufferSize) =>
            new BufferedStream(new ExpansionLimitStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true), limits.MaximumExpandedSize, path), bufferSize);

        internal static bool IsGzip(Stream file)
        {
            var magic = new byte[2];
            int read = file.Read(magic, 0, 2);
            file.Position = 0;
            if (read == 0) throw new TarFormatException("the file is empty");
            return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        }

        private static ArchiveIndex ScanGzip(string path, Stream file, MlfArchiveLimits limits, CancellationToken cancellationToken, bool deferContentErrors)
        {
            using (var gzip = OpenGzip(file, path, limits, FileBufferSize))
            {
                var index = ScanTar(path, gzip, ArchiveKind.GzipTar, limits, cancellationToken, deferContentErrors);
                ReadToEnd(gzip, cancellationToken);
                return index;
            }
        }

        /// <summary>
        /// Reads decompressed data to the end of the file, past the end of the tar archive: the gzip decoder checks the
        /// CRC-32 and length in the trailer of every gzip member only when it gets there (and throws InvalidDataException
        /// when they do not match). The expansion limit still applies.
        /// </summary>
        internal static void ReadToEnd(Stream gzip, CancellationToken cancellationToken)
        {
            var scratch = new byte[FileBufferSize];
            while (gzip.Read(scratch, 0, scratch.Length) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        /// <summary>InvalidArchive for gzip data the decoder refused: .NET reports a CRC-32 or length mismatch in the trailer with the same words as damaged deflate data.</summary>
        internal static MlfException CorruptGzip(string path, Exception inner) =>
            InvalidArchive(path, "its gzip data is corrupt: a CRC-32 or length check in a gzip trailer failed, or the compressed data is damaged (" + inner.Message + ")", inner);

        private static ArchiveIndex ScanTar(string path, Stream stream, ArchiveKind kind, MlfArchiveLimits limits, CancellationToken cancellationToken, bool deferContentErrors)
        {
            var index = new ArchiveIndex(path, kind, limits, deferContentErrors);
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            var reader = new TarStreamReader(stream);
            TarEntry entry;
            int headers = 0;
            while ((entry = reader.GetNextEntry(cancellationToken)) != null)
            {
                // Every header counts, also one that repeats an earlier member's name (tar extracts each of them in turn).
                if (++headers > limits.MaximumMemberCount) throw TooManyMembers(path, limits);
                string memberPath = MemberPaths.OfEntry(entry, path);
                if (memberPath.Length == 0) continue;
                bool isDirectory = entry.Type == TarEntryType.Directory;
                var member = new ArchiveMember(memberPath, isDirectory, isDirectory ? 0 : entry.Size, entry.DataOffset, entry.ModificationTime, entry.Mode, entry.HeaderHash);
                Record(index, positions, member);
                if (isDirectory) continue;
                using (var data = reader.OpenCurrentData())
                {
                    if (kind == ArchiveKind.GzipTar) CaptureWithFacts(index, memberPath, data, entry.Size, cancellationToken);
                    else Capture(index, memberPath, data, entry.Size);
                }
            }
            MemberPaths.RefuseCollisions(index.Members, path);
            return index;
        }

        /// <summary>
        /// A .tar.gz can only be read from the start, so the one pass that indexes it also hashes every member and
        /// reads the symbols of C sources and objects: a later join then needs just one more pass, to copy.
        /// </summary>
        private static void CaptureWithFacts(ArchiveIndex index, string memberPath, Stream data, long size, CancellationToken cancellationToken)
        {
            using (var hashing = new MemberFacts.HashingStream(data))
            {
                string kind = ContentKind(memberPath);
                if (kind == MlfFileKind.Source && MemberFacts.DefinesSymbols(kind, memberPath)) CSourceLimits.CheckSize(size, index.SourcePath, memberPath);
                // Object code is read whole in a .tar as here: over the limit, it is refused alike, before its data is read.
                if (kind == MlfFileKind.Object) ObjectCodeLimits.CheckSize(size, index.SourcePath, memberPath);
                if (MemberFacts.IsCode(kind, memberPath) && size <= MaxCodeBytesForFacts)
                {
                    try
                    {
                        index.Facts[memberPath] = MemberFacts.OfCode(kind, ReadSmall(hashing, size, MaxCodeBytesForFacts, memberPath, index.SourcePath, MlfErrorIds.InvalidArchive, "code file"),
                            index.SymbolBudget, cancellationToken: cancellationToken);
                    }
                    catch (CSourceTooLargeException)
                    {
                        throw CSourceLimits.TooManyTokens(index.SourcePath, memberPath);
                    }
                    catch (ObjectCodeTooLargeException ex)
                    {
                        throw ObjectCodeLimits.TooLarge(index.SourcePath, memberPath, ex.Why);
                    }
                    return;
                }
                Capture(index, memberPath, hashing, size);
                index.Facts[memberPath] = MemberFacts.OfData(hashing.Finish());
            }
        }

        private static ArchiveIndex ScanDirectory(string root, MlfArchiveLimits limits, CancellationToken cancellationToken, bool deferContentErrors)
        {
            var index = new ArchiveIndex(root, ArchiveKind.Directory, limits, deferContentErrors);
            var entries = new List<(FileSystemInfo Info, string Relative)>();
            CollectFolder(new DirectoryInfo(root), string.Empty, root, entries, limits, cancellationToken);
            entries.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (info, relative) in entries)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string memberPath = MemberPaths.Normalize(relative, root);
                if (info is DirectoryInfo)
                {
                    Record(index, positions, new ArchiveMember(memberPath, true, 0, -1, info.LastWriteTimeUtc));
                    continue;
                }
                var fileInfo = (FileInfo)info;
                Record(index, positions, new ArchiveMember(memberPath, false, fileInfo.Length, -1, fileInfo.LastWriteTimeUtc));
                if (NeedsContent(memberPath))
                {
                    using (var data = new FileStream(fileInfo.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize))
                    {
                        Capture(index, memberPath, data, data.Length);
                    }
                }
            }
            MemberPaths.RefuseCollisions(index.Members, root);
            return index;
        }

        /// <summary>Lists a folder tree without following links: a link anywhere in it is refused.</summary>
        private static void CollectFolder(DirectoryInfo folder, string relativeFolder, string root, List<(FileSystemInfo, string)> entries,
            MlfArchiveLimits limits, CancellationToken cancellationToken)
        {
            foreach (var info in folder.EnumerateFileSystemInfos())
            {
                cancellationToken.ThrowIfCancellationRequested();
                string relative = relativeFolder.Length == 0 ? info.Name : relativeFolder + "/" + info.Name;
                if ((info.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    throw MemberPaths.Unsafe(relative, root, "it is a symbolic link or junction");
                }
                if (!(info is DirectoryInfo) && SpecialFiles.KindOf(info.FullName) is string special)
                {
                    // Opening a FIFO would wait forever, and a device reads as anything or nothing: never copy one as a file.
                    throw MemberPaths.Unsafe(relative, root, $"it is {special}, not a regular file");
                }
                if (entries.Count >= limits.MaximumMemberCount) throw TooManyMembers(root, limits);
                entries.Add((info, relative));
                if (info is DirectoryInfo subfolder) CollectFolder(subfolder, relative, root, entries, limits, cancellationToken);
            }
        }

        private static void Record(ArchiveIndex index, Dictionary<string, int> positions, ArchiveMember member)
        {
            if (positions.TryGetValue(member.Path, out int at))
            {
                index.Members[at] = member;
            }
            else
            {
                if (index.Members.Count >= index.Limits.MaximumMemberCount) throw TooManyMembers(index.SourcePath, index.Limits);
                positions[member.Path] = index.Members.Count;
                index.Members.Add(member);
            }
        }

        private static MlfException TooManyMembers(string path, MlfArchiveLimits limits) =>
            ArchiveTooLargeError.Create(path, $"it holds more than {Text.ByteCount.Number(limits.MaximumMemberCount)} files and folders", "read it with tar instead");

        private static bool NeedsContent(string memberPath)
        {
            string kind = ContentKind(memberPath);
            return kind == MlfFileKind.Metadata || kind == MlfFileKind.Graph || kind == MlfFileKind.Parameters;
        }

        /// <summary>The kind of a member at the root or inside one module folder (the per-module layout).</summary>
        private static string ContentKind(string memberPath)
        {
            string kind = MlfFileKind.Classify(memberPath);
            int slash = memberPath.IndexOf('/');
            if (kind == MlfFileKind.Other && slash > 0) kind = MlfFileKind.Classify(memberPath.Substring(slash + 1));
            return kind;
        }

        private static void Capture(ArchiveIndex index, string memberPath, Stream data, long size)
        {
            if (MlfFileKind.Classify(memberPath) != MlfFileKind.Other && !index.DefersContentErrors)
            {
                CaptureContent(index, memberPath, data, size);
                return;
            }
            try
            {
                CaptureContent(index, memberPath, data, size);
            }
            catch (MlfException ex) when (ex.ErrorId == MlfErrorIds.ParamsInvalid || ex.ErrorId == MlfErrorIds.GraphConfigInvalid || ex.ErrorId == MlfErrorIds.MetadataInvalid)
            {
                index.DeferredErrors[memberPath] = ex;
            }
        }

        private static void CaptureContent(ArchiveIndex index, string memberPath, Stream data, long size)
        {
            switch (ContentKind(memberPath))
            {
                case MlfFileKind.Metadata:
                    index.MetadataFiles[memberPath] = ReadSmall(data, size, index.Limits.MaximumJsonSize, memberPath, index.SourcePath, MlfErrorIds.MetadataInvalid, "metadata file");
                    break;
                case MlfFileKind.Graph:
                    byte[] graph = ReadSmall(data, size, index.Limits.MaximumJsonSize, memberPath, index.SourcePath, MlfErrorIds.GraphConfigInvalid, "graph executor config");
                    index.GraphConfigs[memberPath] = GraphConfigReader.Read(graph, memberPath, index.SourcePath);
                    break;
                case MlfFileKind.Parameters:
                    index.Parameters[memberPath] = ParamsReader.Read(data, size, memberPath, index.SourcePath);
                    break;
            }
        }

        private static byte[] ReadSmall(Stream data, long size, long limit, string memberPath, string archivePath, string errorId, string what)
        {
            if (size > limit)
            {
                throw new MlfException(errorId, $"The {what} '{memberPath}' in '{archivePath}' is {Text.ByteCount.Number(size)} bytes, more than the {Text.ByteCount.Describe(limit)} MlfTools reads into memory; it cannot be a real MLF {what}.", archivePath);
            }
            var buffer = new byte[size];
            int total = 0;
            while (total < buffer.Length)
            {
                int read = data.Read(buffer, total, buffer.Length - total);
                if (read <= 0) throw new TarFormatException($"the archive is truncated inside member '{memberPath}'");
                total += read;
            }
            return buffer;
        }

        private static MlfException InvalidArchive(string path, string why, Exception inner) =>
            new MlfException(MlfErrorIds.InvalidArchive, $"'{path}' is not a readable MLF archive: {why}. Give a .tar, .tar.gz or .tgz written by TVM, or an extracted archive folder.", path, inner);
    }
}
