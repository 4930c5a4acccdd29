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
        private TarReader _forwardReader;
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
                        return new FileStream(Path.Combine(_index.SourcePath, member.Path.Replace('/', Path.DirectorySeparatorChar)),
                            FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
                    case ArchiveKind.Tar:
                        if (_file == null) _file = OpenFile();
                        if (member.DataOffset + member.Size > _file.Length) throw Changed(null);
                        return new ReadOnlyWindowStream(_file, member.DataOffset, member.Size);
                    default:
                        return OpenForward(member, cancellationToken);
                }
            }
            catch (TarFormatException ex)
            {
                throw Changed(ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
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
                throw Changed(ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
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
                _forwardReader = new TarReader(_gzip);
                _forwardPosition = -1;
            }
            TarEntry entry;
            while ((entry = _forwardReader.GetNextEntry(cancellationToken)) != null)
            {
                if (entry.DataOffset == member.DataOffset)
                {
                    _forwardPosition = entry.DataOffset;
                    return _forwardReader.OpenCurrentData();
                }
                if (entry.DataOffset > member.DataOffset) break;
            }
            throw Changed(null);
        }

        private FileStream OpenFile() =>
            new FileStream(_index.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);

        private MlfException Changed(Exception inner) =>
            new MlfException(MlfErrorIds.InvalidArchive,
                $"'{_index.SourcePath}' changed after it was read: a member is no longer where it was. Read it again with New-MlfModule.", _index.SourcePath, inner);

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
            private long _position;

            public ReadOnlyWindowStream(Stream inner, long start, long length)
            {
                _inner = inner;
                _start = start;
                _length = length;
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
