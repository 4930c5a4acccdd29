using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace MlfTools.Tar
{
    /// <summary>
    /// Walks tar headers one member at a time. Over a seekable stream it seeks past member data that nobody
    /// reads; over a forward-only stream (gzip) it reads and discards it. Handles ustar prefixes, GNU long
    /// names (L/K) and PAX extended (x) and global (g) headers.
    /// </summary>
    internal sealed class TarStreamReader
    {
        private const int MaxExtendedHeaderSize = 1 << 20;

        private readonly Stream _stream;
        private readonly long _streamLength;
        private readonly Dictionary<string, string> _globalPax = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly byte[] _block = new byte[TarHeaderFields.BlockSize];
        private long _position;
        private long _currentDataEnd;
        private long _currentPaddedEnd;

        public TarStreamReader(Stream stream)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            if (stream.CanSeek)
            {
                _position = stream.Position;
                _streamLength = stream.Length;
            }
            else
            {
                _streamLength = -1;
            }
            _currentDataEnd = _currentPaddedEnd = _position;
        }

        public TarEntry Current { get; private set; }

        /// <summary>Returns the next member, or null at the end of the archive.</summary>
        public TarEntry GetNextEntry(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            MoveTo(_currentPaddedEnd);
            Current = null;

            string longName = null;
            string longLink = null;
            Dictionary<string, string> pax = null;
            while (true)
            {
                if (!ReadHeaderBlock())
                {
                    if (longName != null || longLink != null || pax != null)
                    {
                        throw new TarFormatException("the archive ends after an extended header, before its member");
                    }
                    return null;
                }
                if (TarHeaderFields.IsZeroBlock(_block))
                {
                    return null;
                }
                if (!TarHeaderFields.ChecksumMatches(_block))
                {
                    throw new TarFormatException(_position == TarHeaderFields.BlockSize
                        ? "not a tar archive (the first header's checksum does not match)"
                        : $"corrupt tar header at offset {_position - TarHeaderFields.BlockSize} (checksum mismatch)");
                }

                char typeFlag = (char)_block[156];
                long size = TarHeaderFields.ReadNumber(_block, 124, 12, "size");
                switch (typeFlag)
                {
                    case 'L':
                        longName = ReadExtendedText(size);
                        continue;
                    case 'K':
                        longLink = ReadExtendedText(size);
                        continue;
                    case 'x':
                    case 'X':
                        pax = PaxRecords.Parse(ReadExtendedData(size));
                        continue;
                    case 'g':
                        foreach (var record in PaxRecords.Parse(ReadExtendedData(size)))
                        {
                            _globalPax[record.Key] = record.Value;
                        }
                        continue;
                    case 'V':
                        SkipData(size);
                        continue;
                    case 'S':
                        throw Sparse(longName ?? TarHeaderFields.ReadString(_block, 0, 100), "old GNU format, type 'S'");
                    case 'M':
                        throw new TarFormatException($"member '{longName ?? TarHeaderFields.ReadString(_block, 0, 100)}' continues from another volume (type 'M'); MlfTools reads single-volume archives only");
                }

                var entry = BuildEntry(typeFlag, size, longName, longLink, pax);
                RefuseSparse(entry.Name, pax);
                if (entry.Type == TarEntryType.Directory && entry.Size != 0)
                {
                    // GNU tar and Python's tarfile read the data of such a member as further members, which a reader that
                    // skips it would never see: refused, so that everyone agrees on what the archive holds.
                    throw new TarFormatException($"the directory member '{entry.Name}' has a size of {entry.Size} bytes; GNU tar and Python's tarfile read those bytes as further members, which MlfTools would not check, so the archive is refused");
                }
                BeginData(entry);
                Current = entry;
                return entry;
            }
        }

        /// <summary>
        /// Refuses GNU sparse members in PAX form (formats 0.0, 0.1 and 1.0, told by their GNU.sparse.* records): their data
        /// is a sparse map plus the non-empty pieces, not the file, and readers that do not expand them see another file.
        /// </summary>
        private void RefuseSparse(string name, Dictionary<string, string> pax)
        {
            foreach (var records in new[] { pax, _globalPax })
            {
                if (records == null) continue;
                foreach (var record in records)
                {
                    if (!record.Key.StartsWith("GNU.sparse.", StringComparison.Ordinal)) continue;
                    string format = records.ContainsKey("GNU.sparse.major") ? "PAX format 1.0"
                        : records.ContainsKey("GNU.sparse.map") ? "PAX format 0.1"
                        : "PAX format 0.0";
                    string realName = records.TryGetValue("GNU.sparse.name", out string sparseName) ? sparseName : name;
                    throw Sparse(realName, format);
                }
            }
        }

        private static TarFormatException Sparse(string name, string format) =>
            new TarFormatException($"member '{name}' is a GNU sparse file ({format}), which MlfTools does not expand; MLF archives never need one. Create the archive again without tar's --sparse (-S) option");

        /// <summary>A read-only view of the current member's data. Reading is optional: the next GetNextEntry skips whatever is left.</summary>
        public Stream OpenCurrentData()
        {
            if (Current == null) throw new InvalidOperationException("There is no current tar member.");
            return new TarEntryStream(this, Current.DataOffset, Current.Size);
        }

        private TarEntry BuildEntry(char typeFlag, long headerSize, string longName, string longLink, Dictionary<string, string> pax)
        {
            string name = TarHeaderFields.ReadString(_block, 0, 100);
            if (TarHeaderFields.IsPosixUstar(_block))
            {
                string prefix = TarHeaderFields.ReadString(_block, 345, 155);
                if (prefix.Length > 0) name = prefix + "/" + name;
            }
            if (longName != null) name = longName;
            string linkName = longLink ?? TarHeaderFields.ReadString(_block, 157, 100);

            long size = headerSize;
            var mtime = TarHeaderFields.FromUnixSeconds(TarHeaderFields.ReadNumber(_block, 136, 12, "mtime"));
            foreach (var records in new[] { _globalPax, pax })
            {
                if (records == null) continue;
                if (records.TryGetValue("path", out string paxPath)) name = paxPath;
                if (records.TryGetValue("linkpath", out string paxLink)) linkName = paxLink;
                if (records.TryGetValue("size", out string paxSize)) size = PaxRecords.ParseSize(paxSize);
                if (records.TryGetValue("mtime", out string paxTime)) mtime = PaxRecords.ParseTime(paxTime);
            }

            var type = ToEntryType(typeFlag);
            if (type == TarEntryType.File && name.EndsWith("/", StringComparison.Ordinal) && typeFlag == '\0')
            {
                type = TarEntryType.Directory;
            }

            return new TarEntry
            {
                Name = name,
                Type = type,
                TypeFlag = typeFlag,
                LinkName = linkName,
                Size = size,
                HeaderHash = TarHeaderFields.HashBlock(_block),
                Mode = (int)(TarHeaderFields.ReadNumber(_block, 100, 8, "mode") & 0xFFF),
                ModificationTime = mtime,
            };
        }

        private static TarEntryType ToEntryType(char typeFlag)
        {
            switch (typeFlag)
            {
                case '1': return TarEntryType.HardLink;
                case '2': return TarEntryType.SymbolicLink;
                case '3': return TarEntryType.CharacterDevice;
                case '4': return TarEntryType.BlockDevice;
                case '5':
                case 'D': return TarEntryType.Directory;
                case '6': return TarEntryType.Fifo;
                default: return TarEntryType.File; // '0', '\0', '7' and, as POSIX asks, any unknown type
            }
        }

        private void BeginData(TarEntry entry)
        {
            if (entry.Size < 0) throw new TarFormatException($"negative size for member '{entry.Name}'");
            entry.DataOffset = _position;
            _currentDataEnd = Offset(_position, entry.Size);
            _currentPaddedEnd = Offset(_currentDataEnd, Padding(entry.Size));
            if (_streamLength >= 0 && _currentDataEnd > _streamLength)
            {
                throw new TarFormatException($"the archive is truncated inside member '{entry.Name}'");
            }
        }

        /// <summary>A position past the largest possible stream comes from a size field that lies: a format error, not an arithmetic one.</summary>
        private static long Offset(long position, long count)
        {
            if (count > long.MaxValue - position) throw new TarFormatException($"a size of {count} bytes reaches past the end of any possible archive");
            return position + count;
        }

        private static long Padding(long size) => (TarHeaderFields.BlockSize - (size % TarHeaderFields.BlockSize)) % TarHeaderFields.BlockSize;

        private bool ReadHeaderBlock()
        {
            int read = ReadFully(_block, 0, TarHeaderFields.BlockSize);
            if (read == 0) return false;
            if (read < TarHeaderFields.BlockSize) throw new TarFormatException("the archive is truncated inside a header");
            return true;
        }

        private string ReadExtendedText(long size)
        {
            byte[] data = ReadExtendedData(size);
            return TarHeaderFields.ReadString(data, 0, data.Length);
        }

        private byte[] ReadExtendedData(long size)
        {
            if (size < 0 || size > MaxExtendedHeaderSize) throw new TarFormatException($"extended header of {size} bytes is larger than {MaxExtendedHeaderSize}");
            var data = new byte[size];
            if (ReadFully(data, 0, data.Length) < data.Length) throw new TarFormatException("the archive is truncated inside an extended header");
            SkipBytes(Padding(size));
            return data;
        }

        private void SkipData(long size)
        {
            SkipBytes(Offset(size, Padding(size)));
        }

        private void SkipBytes(long count)
        {
            MoveTo(Offset(_position, count));
        }

        private void MoveTo(long target)
        {
            if (target == _position) return;
            if (_stream.CanSeek)
            {
                if (_streamLength >= 0 && target > _streamLength)
                {
                    // Padding after the last member may be missing in truncated-but-readable archives.
                    target = _streamLength;
                }
                _stream.Position = target;
                _position = target;
                return;
            }
            if (target < _position) throw new InvalidOperationException("Cannot move backwards in a forward-only tar stream.");
            var scratch = new byte[81920];
            while (_position < target)
            {
                int chunk = (int)Math.Min(scratch.Length, target - _position);
                int read = _stream.Read(scratch, 0, chunk);
                if (read <= 0)
                {
                    if (target <= _currentPaddedEnd && _position >= _currentDataEnd) return; // missing final padding
                    throw new TarFormatException("the archive is truncated inside a member");
                }
                _position += read;
            }
        }

        private int ReadFully(byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int read = _stream.Read(buffer, offset + total, count - total);
                if (read <= 0) break;
                total += read;
            }
            _position += total;
            return total;
        }

        /// <summary>Reads one member's data; seekable when the archive stream is.</summary>
        private sealed class TarEntryStream : Stream
        {
            private readonly TarStreamReader _reader;
            private readonly long _dataOffset;
            private readonly long _length;
            private long _offsetInEntry;

            public TarEntryStream(TarStreamReader reader, long dataOffset, long length)
            {
                _reader = reader;
                _dataOffset = dataOffset;
                _length = length;
            }

            public override bool CanRead => true;
            public override bool CanSeek => _reader._stream.CanSeek;
            public override bool CanWrite => false;
            public override long Length => _length;

            public override long Position
            {
                get => _offsetInEntry;
                set => Seek(value, SeekOrigin.Begin);
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                long remaining = _length - _offsetInEntry;
                if (remaining <= 0 || count == 0) return 0;
                if (count > remaining) count = (int)remaining;
                long absolute = _dataOffset + _offsetInEntry;
                if (_reader._position != absolute) _reader.MoveTo(absolute);
                int read = _reader._stream.Read(buffer, offset, count);
                if (read <= 0) throw new TarFormatException("the archive is truncated inside a member");
                _reader._position += read;
                _offsetInEntry += read;
                return read;
            }

            public override long Seek(long offset, SeekOrigin origin)
            {
                long target = origin == SeekOrigin.Begin ? offset : origin == SeekOrigin.Current ? _offsetInEntry + offset : _length + offset;
                if (target < 0) throw new IOException("Cannot seek before the start of a tar member.");
                if (!CanSeek)
                {
                    if (target < _offsetInEntry) throw new NotSupportedException("This tar member can only be read forwards.");
                    long clamped = Math.Min(target, _length);
                    _reader.MoveTo(_dataOffset + clamped);
                }
                _offsetInEntry = target;
                return target;
            }

            public override void Flush() { }
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
