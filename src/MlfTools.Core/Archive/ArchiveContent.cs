using System;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Threading;
using MlfTools.Tar;

namespace MlfTools.Archive
{
    /// <summary>
    /// Opens the data of members of one indexed archive. A .tar is read by seeking straight to each member and
    /// a folder by opening each file; a .tar.gz can only be read forwards, so members are best asked for in
    /// archive order (asking for an earlier one starts the decompression over).
    /// </summary>
    internal sealed class ArchiveContent : IDisposable
    {
        private const int BufferSize = 1 << 20;

        private readonly ArchiveIndex _index;
        private FileStream _file;
        private Stream _gzip;
        private TarStreamReader _forwardReader;
        private long _forwardPosition = -1;

        public ArchiveContent(ArchiveIndex index)
        {
            _index = index;
        }

        /// <summary>A read-only stream over the member's bytes, valid until the next call.</summary>
        public Stream Open(ArchiveMember member, CancellationToken cancellationToken)
        {
            try
            {
                switch (_index.Kind)
                {
                    case ArchiveKind.Directory:
                        return OpenFolderFile(member);
                    case ArchiveKind.Tar:
                        if (_file == null) _file = OpenFile();
                        if (member.DataOffset + member.Size > _file.Length) throw Changed(null, $"member '{member.Path}' now reaches past its end");
                        CheckHeader(member);
                        return new ReadOnlyWindowStream(_file, member.DataOffset, member.Size);
                    default:
                        return OpenForward(member, cancellationToken);
                }
            }
            catch (TarFormatException ex)
            {
                throw Changed(ex, ex.Message);
            }
            catch (InvalidDataException ex)
            {
                throw ArchiveScanner.CorruptGzip(_index.SourcePath, ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new MlfException(MlfErrorIds.ArchiveReadFailed, $"Cannot read '{member.Path}' from '{_index.SourcePath}': {ex.Message}", _index.SourcePath, ex);
            }
        }

        /// <summary>The member's bytes (for sources and objects that must be scanned whole).</summary>
        public byte[] ReadAll(ArchiveMember member, CancellationToken cancellationToken)
        {
            if (member.Size > int.MaxValue)
            {
                throw new MlfException(MlfErrorIds.InvalidArchive, $"'{member.Path}' in '{_index.SourcePath}' is larger than 2 GiB; no real MLF source or object is.", _index.SourcePath);
            }
            return Guard(member, () =>
            {
                using (var stream = Open(member, cancellationToken))
                {
                    var buffer = new byte[member.Size];
                    int total = 0;
                    while (total < buffer.Length)
                    {
                        int read = stream.Read(buffer, total, buffer.Length - total);
                        if (read <= 0) throw new EndOfStreamException("the member ends early");
                        total += read;
                    }
                    return buffer;
                }
            });
        }

        /// <summary>SHA-256 of the member's bytes, streamed.</summary>
        public string Hash(ArchiveMember member, CancellationToken cancellationToken) =>
            Guard(member, () =>
            {
                using (var stream = Open(member, cancellationToken))
                using (var sha = SHA256.Create())
                {
                    return Convert.ToBase64String(sha.ComputeHash(stream));
                }
            });

        /// <summary>Runs a read of a member, turning a failure of the archive itself into an MlfException.</summary>
        public T Guard<T>(ArchiveMember member, Func<T> read)
        {
            try
            {
                return read();
            }
            catch (TarFormatException ex)
            {
                throw Changed(ex, ex.Message);
            }
            catch (InvalidDataException ex)
            {
                throw ArchiveScanner.CorruptGzip(_index.SourcePath, ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new MlfException(MlfErrorIds.ArchiveReadFailed, $"Cannot read '{member.Path}' from '{_index.SourcePath}': {ex.Message}", _index.SourcePath, ex);
            }
        }

        private Stream OpenForward(ArchiveMember member, CancellationToken cancellationToken)
        {
            if (_forwardReader == null || member.DataOffset <= _forwardPosition)
            {
                _gzip?.Dispose();
                _file?.Dispose();
                _file = OpenFile();
                _gzip = ArchiveScanner.OpenGzip(_file, _index.SourcePath, _index.Limits, BufferSize);
                _forwardReader = new TarStreamReader(_gzip);
                _forwardPosition = -1;
            }
            TarEntry entry;
            while ((entry = _forwardReader.GetNextEntry(cancellationToken)) != null)
            {
                if (entry.DataOffset == member.DataOffset)
                {
                    if (entry.HeaderHash != member.HeaderHash) throw Changed(null, $"another tar header now sits before the data of '{member.Path}'");
                    _forwardPosition = entry.DataOffset;
                    return _forwardReader.OpenCurrentData();
                }
                if (entry.DataOffset > member.DataOffset) break;
            }
            throw Changed(null, $"member '{member.Path}' is no longer where it was");
        }

        /// <summary>
        /// Reads <see cref="ArchiveKind.GzipTar"/> data to its very end, so that the CRC-32 and length in the trailer of every
        /// gzip member are checked even when the last member asked for sits before the end. Nothing to do for a .tar or a folder.
        /// </summary>
        public void VerifyToEnd(CancellationToken cancellationToken)
        {
            if (_index.Kind != ArchiveKind.GzipTar || _forwardReader == null) return;
            try
            {
                while (_forwardReader.GetNextEntry(cancellationToken) != null)
                {
                }
                ArchiveScanner.ReadToEnd(_gzip, cancellationToken);
            }
            catch (TarFormatException ex)
            {
                throw Changed(ex, ex.Message);
            }
            catch (InvalidDataException ex)
            {
                throw ArchiveScanner.CorruptGzip(_index.SourcePath, ex);
            }
            catch (IOException ex)
            {
                throw new MlfException(MlfErrorIds.ArchiveReadFailed, $"Cannot read '{_index.SourcePath}': {ex.Message}", _index.SourcePath, ex);
            }
        }

        /// <summary>The archive file, refused when its length or modification time differ from when it was read.</summary>
        private FileStream OpenFile()
        {
            var file = new FileStream(_index.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
            try
            {
                CheckUnchanged(_index, file.Length);
            }
            catch
            {
                file.Dispose();
                throw;
            }
            return file;
        }

        /// <summary>
        /// Refuses an archive file whose length or modification time differ from when it was read (InputChanged): a
        /// writer calls it for every input before publishing, also for inputs none of whose bytes it copied.
        /// </summary>
        public static void VerifyUnchanged(ArchiveIndex index)
        {
            if (index.SourceLength < 0) return;
            long length;
            try
            {
                length = new FileInfo(index.SourcePath).Length;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new MlfException(MlfErrorIds.InputChanged,
                    $"'{index.SourcePath}' changed after it was read (it cannot be found or read any more: {ex.Message}). Nothing was written from it; read it again (New-MlfModule) and run the command again.",
                    index.SourcePath, ex);
            }
            CheckUnchanged(index, length);
        }

        private static void CheckUnchanged(ArchiveIndex index, long length)
        {
            if (index.SourceLength < 0) return;
            if (length != index.SourceLength)
            {
                throw Changed(index, null, $"it was {Text.ByteCount.Number(index.SourceLength)} bytes and is now {Text.ByteCount.Number(length)}");
            }
            if (File.GetLastWriteTimeUtc(index.SourcePath).Ticks != index.SourceWriteTime) throw Changed(index, null, "its modification time is not the same");
        }

        /// <summary>A file of a folder input, refused when its size or modification time differ from when the folder was read.</summary>
        private Stream OpenFolderFile(ArchiveMember member)
        {
            string path = Path.Combine(_index.SourcePath, member.Path.Replace('/', Path.DirectorySeparatorChar));
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
            long length = file.Length;
            if (length != member.Size || File.GetLastWriteTimeUtc(path) != member.ModificationTime.UtcDateTime)
            {
                file.Dispose();
                throw Changed(null, length != member.Size
                    ? $"'{member.Path}' was {Text.ByteCount.Number(member.Size)} bytes and is now {Text.ByteCount.Number(length)}"
                    : $"the modification time of '{member.Path}' is not the same");
            }
            return new ReadOnlyWindowStream(file, 0, member.Size, ownsInner: true);
        }

        /// <summary>Re-reads the member's own tar header, just before its data, and refuses the archive when it is not the one read before.</summary>
        private void CheckHeader(ArchiveMember member)
        {
            var header = new byte[TarHeaderFields.BlockSize];
            long at = member.DataOffset - TarHeaderFields.BlockSize;
            if (at < 0) throw Changed(null, $"member '{member.Path}' is no longer where it was");
            _file.Position = at;
            int total = 0;
            while (total < header.Length)
            {
                int read = _file.Read(header, total, header.Length - total);
                if (read <= 0) break;
                total += read;
            }
            if (total < header.Length || TarHeaderFields.HashBlock(header) != member.HeaderHash)
            {
                throw Changed(null, $"the tar header of '{member.Path}' is not the one read before");
            }
        }

        private MlfException Changed(Exception inner, string what) => Changed(_index, inner, what);

        private static MlfException Changed(ArchiveIndex index, Exception inner, string what) =>
            new MlfException(MlfErrorIds.InputChanged,
                $"'{index.SourcePath}' changed after it was read ({what}), so its content is no longer what was checked. Nothing was written from it; read it again (New-MlfModule) and run the command again.",
                index.SourcePath, inner);

        public void Dispose()
        {
            _gzip?.Dispose();
            _file?.Dispose();
        }

        /// <summary>A bounded read-only view of a region of a seekable file.</summary>
        private sealed class ReadOnlyWindowStream : Stream
        {
            private readonly Stream _inner;
            private readonly long _start;
            private readonly long _length;
            private readonly bool _ownsInner;
            private long _position;

            public ReadOnlyWindowStream(Stream inner, long start, long length, bool ownsInner = false)
            {
                _inner = inner;
                _start = start;
                _length = length;
                _ownsInner = ownsInner;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing && _ownsInner) _inner.Dispose();
                base.Dispose(disposing);
            }

            public override bool CanRead => true;
            public override bool CanSeek => true;
            public override bool CanWrite => false;
            public override long Length => _length;
            public override long Position { get => _position; set => _position = value; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                long remaining = _length - _position;
                if (remaining <= 0) return 0;
                if (count > remaining) count = (int)remaining;
                _inner.Position = _start + _position;
                int read = _inner.Read(buffer, offset, count);
                if (read <= 0) throw new TarFormatException("the archive is shorter than it was when it was read");
                _position += read;
                return read;
            }

            public override long Seek(long offset, SeekOrigin origin)
            {
                _position = origin == SeekOrigin.Begin ? offset : origin == SeekOrigin.Current ? _position + offset : _length + offset;
                return _position;
            }

            public override void Flush() { }
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
