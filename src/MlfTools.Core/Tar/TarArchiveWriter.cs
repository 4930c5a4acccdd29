using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace MlfTools.Tar
{
    /// <summary>
    /// Writes a tar archive the way Python's <c>tarfile</c> (3.11) writes one with <c>format=USTAR_FORMAT</c>:
    /// uid/gid 0, owner and group "root", mode 0755 for directories and 0644 for files, integer mtimes, names
    /// longer than 100 bytes split into ustar prefix and name. A member that ustar cannot hold (a name with
    /// no split that fits, a size of 8 GiB or more, an mtime before 1970 or after the year 2242) is written
    /// as Python's <c>PAX_FORMAT</c> writes it: a "././@PaxHeader" extended header, then the ustar header
    /// with what Python puts in the fields it overrides.
    /// </summary>
    /// <remarks>
    /// Non-device members get NUL-filled devmajor/devminor fields, as the Python 3.11 tarfile writes them (and as
    /// two of the real samples have them); older Pythons wrote "0000000\0" there. A non-ASCII name that fits is
    /// stored as UTF-8 in the ustar fields, like Python on a UTF-8 file system; only the PAX fallback puts it in
    /// a "path" record. The final record padding counts from where this writer started writing, not from the
    /// start of the output stream.
    /// </remarks>
    internal sealed class TarArchiveWriter : IDisposable
    {
        private const int BlockSize = TarHeaderFields.BlockSize;
        private const int RecordSize = BlockSize * 20;
        private const int NameLength = 100;
        private const int PrefixLength = 155;
        private const int CopyBufferSize = 1 << 20;
        private const int DirectoryMode = 0x1ED; // 0755
        private const int FileMode = 0x1A4;      // 0644
        private const string PaxHeaderName = "././@PaxHeader";

        /// <summary>8 ** 11: the first value that does not fit a 12-byte octal field (11 digits and a NUL).</summary>
        private const long TwelveByteFieldLimit = 8589934592L;

        private static readonly byte[] Zeros = new byte[RecordSize];
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);
        private static readonly byte[] UstarMagicAndVersion = Encoding.ASCII.GetBytes("ustar\0" + "00");
        private static readonly byte[] Root = Encoding.ASCII.GetBytes("root");
        private static readonly byte[] Empty = new byte[0];

        private readonly Stream _output;
        private readonly bool _leaveOpen;
        private readonly byte[] _header = new byte[BlockSize];
        private byte[] _copyBuffer;
        private bool _finished;
        private bool _faulted;
        private bool _disposed;

        public TarArchiveWriter(Stream output, bool leaveOpen = false)
        {
            _output = output ?? throw new ArgumentNullException(nameof(output));
            if (!output.CanWrite) throw new ArgumentException("The output stream is not writable.", nameof(output));
            _leaveOpen = leaveOpen;
        }

        /// <summary>Bytes written to the output so far, headers, data, padding and (after Finish) the end-of-archive blocks included.</summary>
        public long BytesWritten { get; private set; }

        /// <summary>Writes a directory member; a "/" is appended to the name as Python does ("." becomes "./").</summary>
        public void WriteDirectory(string name, DateTimeOffset modificationTime)
        {
            CheckName(name);
            EnsureWritable();
            string memberName = name.EndsWith("/", StringComparison.Ordinal) ? name : name + "/";
            WriteHeaders(memberName, '5', DirectoryMode, 0, ToUnixSeconds(modificationTime));
        }

        /// <summary>Writes a regular file member with exactly <paramref name="size"/> bytes copied from <paramref name="data"/>.</summary>
        /// <exception cref="EndOfStreamException"><paramref name="data"/> ends before <paramref name="size"/> bytes; the archive is then unusable.</exception>
        public void WriteFile(string name, long size, DateTimeOffset modificationTime, Stream data)
        {
            CheckName(name);
            if (size < 0) throw new ArgumentOutOfRangeException(nameof(size), size, "The size of a tar member cannot be negative.");
            if (data == null && size > 0) throw new ArgumentNullException(nameof(data));
            EnsureWritable();

            WriteHeaders(name, '0', FileMode, size, ToUnixSeconds(modificationTime));
            if (size == 0) return;

            _faulted = true; // until every byte and the padding are out
            // A big member's data goes out in copy-buffer-sized writes. Handing over what is buffered before it (this header,
            // earlier small members) lets a buffered output (FileStream, our gzip stream) take those writes straight,
            // instead of copying every byte through its own buffer. The bytes written are the same.
            if (size >= CopyBufferSize) _output.Flush();
            CopyData(data, size, name);
            WriteZeros(Padding(size));
            _faulted = false;
        }

        /// <summary>Writes the two zero blocks that end the archive and pads it with zeros to a multiple of 10240 bytes.</summary>
        public void Finish()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(TarArchiveWriter));
            if (_faulted) throw new InvalidOperationException("A member could not be written completely; the archive cannot be finished.");
            if (_finished) return;
            _finished = true;
            WriteZeros(2 * BlockSize);
            long remainder = BytesWritten % RecordSize;
            if (remainder > 0) WriteZeros(RecordSize - remainder);
            _output.Flush();
        }

        /// <summary>Finishes the archive unless a member failed half-way (then nothing more is written), and closes the output unless asked to leave it open.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            try
            {
                if (!_finished && !_faulted) Finish();
            }
            finally
            {
                _disposed = true;
                if (!_leaveOpen) _output.Dispose();
            }
        }

        /// <summary>Integer seconds since 1970, truncated towards zero as Python's int() does.</summary>
        internal static long ToUnixSeconds(DateTimeOffset time)
        {
            long ticks = time.UtcTicks - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
            return ticks / TimeSpan.TicksPerSecond;
        }

        /// <summary>The length field of a PAX record "LEN key=value\n": LEN counts its own digits, found as a fixed point.</summary>
        internal static int PaxRecordLength(int keywordAndValueBytes)
        {
            int bare = keywordAndValueBytes + 3; // ' ', '=' and '\n'
            int length = 0;
            while (true)
            {
                int next = bare + DecimalDigits(length);
                if (next == length) return length;
                length = next;
            }
        }

        /// <summary>
        /// The ustar (prefix, name) split Python's tarfile makes for a name longer than 100 bytes: the first cut at a "/",
        /// scanning from the left, where the prefix fits 155 bytes and the rest fits 100. Null when no cut fits.
        /// </summary>
        internal static string[] SplitUstarName(string name)
        {
            string[] components = name.Split('/');
            for (int i = 1; i < components.Length; i++)
            {
                string prefix = string.Join("/", components, 0, i);
                string rest = string.Join("/", components, i, components.Length - i);
                if (StrictUtf8.GetByteCount(prefix) <= PrefixLength && StrictUtf8.GetByteCount(rest) <= NameLength)
                {
                    return new[] { prefix, rest };
                }
            }
            return null;
        }

        private void WriteHeaders(string memberName, char typeFlag, int mode, long size, long mtime)
        {
            byte[] nameBytes = StrictUtf8.GetBytes(memberName);
            string ustarName = memberName;
            string prefix = string.Empty;
            bool nameFits = nameBytes.Length <= NameLength;
            if (!nameFits)
            {
                string[] split = SplitUstarName(memberName);
                if (split != null)
                {
                    prefix = split[0];
                    ustarName = split[1];
                    nameFits = true;
                }
            }
            bool sizeFits = size < TwelveByteFieldLimit;
            bool mtimeFits = mtime >= 0 && mtime < TwelveByteFieldLimit;

            if (nameFits && sizeFits && mtimeFits)
            {
                BuildHeader(StrictUtf8.GetBytes(ustarName), mode, size, mtime, typeFlag, Root, StrictUtf8.GetBytes(prefix));
                WriteBlock(_header, BlockSize);
                return;
            }

            // What Python's PAX format writes for this member: records for the fields ustar cannot hold, in the
            // order path, size, mtime; the ustar name as ASCII with '?' for other characters, cut to 100 bytes,
            // no prefix; a 0 in each numeric field that overflowed.
            var records = new List<KeyValuePair<string, byte[]>>();
            bool ascii = IsAscii(memberName);
            if (!ascii || memberName.Length > NameLength) records.Add(Record("path", nameBytes));
            if (!sizeFits) records.Add(Record("size", size.ToString(CultureInfo.InvariantCulture)));
            if (!mtimeFits) records.Add(Record("mtime", mtime.ToString(CultureInfo.InvariantCulture)));
            WritePaxHeader(records);

            byte[] asciiName = AsciiWithReplacement(memberName);
            BuildHeader(asciiName, mode, sizeFits ? size : 0, mtimeFits ? mtime : 0, typeFlag, Root, Empty);
            WriteBlock(_header, BlockSize);
        }

        private void WritePaxHeader(List<KeyValuePair<string, byte[]>> records)
        {
            using (var payload = new MemoryStream())
            {
                foreach (var record in records)
                {
                    byte[] keyword = Encoding.ASCII.GetBytes(record.Key);
                    int length = PaxRecordLength(keyword.Length + record.Value.Length);
                    byte[] lengthText = Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture));
                    payload.Write(lengthText, 0, lengthText.Length);
                    payload.WriteByte((byte)' ');
                    payload.Write(keyword, 0, keyword.Length);
                    payload.WriteByte((byte)'=');
                    payload.Write(record.Value, 0, record.Value.Length);
                    payload.WriteByte((byte)'\n');
                }
                BuildHeader(Encoding.ASCII.GetBytes(PaxHeaderName), 0, payload.Length, 0, 'x', Empty, Empty);
                WriteBlock(_header, BlockSize);
                byte[] data = payload.ToArray();
                WriteBlock(data, data.Length);
                WriteZeros(Padding(data.Length));
            }
        }

        /// <summary>Fills <see cref="_header"/> with one ustar header block, the checksum included.</summary>
        private void BuildHeader(byte[] name, int mode, long size, long mtime, char typeFlag, byte[] owner, byte[] prefix)
        {
            Array.Clear(_header, 0, BlockSize);
            PutBytes(name, 0, NameLength);
            PutOctal(mode, 100, 8);
            PutOctal(0, 108, 8);   // uid
            PutOctal(0, 116, 8);   // gid
            PutOctal(size, 124, 12);
            PutOctal(mtime, 136, 12);
            for (int i = 148; i < 156; i++) _header[i] = (byte)' ';
            _header[156] = (byte)typeFlag;
            // linkname (157, 100 bytes) stays NUL.
            PutBytes(UstarMagicAndVersion, 257, 8);
            PutBytes(owner, 265, 32); // uname
            PutBytes(owner, 297, 32); // gname
            // devmajor (329) and devminor (337) stay NUL: neither member type is a device.
            PutBytes(prefix, 345, PrefixLength);

            // Summed with the checksum field as eight spaces; written as six octal digits, a NUL, and the last space left as it was.
            int sum = 0;
            for (int i = 0; i < BlockSize; i++) sum += _header[i];
            string digits = Convert.ToString(sum, 8).PadLeft(6, '0');
            for (int i = 0; i < 6; i++) _header[148 + i] = (byte)digits[i];
            _header[154] = 0;
        }

        private void PutBytes(byte[] value, int offset, int length)
        {
            if (value.Length > length) throw new InvalidOperationException($"a {value.Length}-byte value does not fit a {length}-byte tar header field");
            Buffer.BlockCopy(value, 0, _header, offset, value.Length);
        }

        /// <summary>Zero-padded octal with length - 1 digits, then a NUL.</summary>
        private void PutOctal(long value, int offset, int length)
        {
            int digits = length - 1;
            for (int i = digits - 1; i >= 0; i--)
            {
                _header[offset + i] = (byte)('0' + (int)(value & 7));
                value >>= 3;
            }
            if (value != 0) throw new InvalidOperationException("a number does not fit its tar header field");
            _header[offset + digits] = 0;
        }

        private void CopyData(Stream data, long size, string name)
        {
            if (_copyBuffer == null) _copyBuffer = new byte[CopyBufferSize];
            long remaining = size;
            while (remaining > 0)
            {
                int chunk = (int)Math.Min(_copyBuffer.Length, remaining);
                int read = data.Read(_copyBuffer, 0, chunk);
                if (read <= 0)
                {
                    throw new EndOfStreamException($"The data of tar member '{name}' ended after {size - remaining} of {size} bytes.");
                }
                WriteBlock(_copyBuffer, read);
                remaining -= read;
            }
        }

        private void WriteBlock(byte[] buffer, int count)
        {
            _output.Write(buffer, 0, count);
            BytesWritten += count;
        }

        private void WriteZeros(long count)
        {
            while (count > 0)
            {
                int chunk = (int)Math.Min(Zeros.Length, count);
                WriteBlock(Zeros, chunk);
                count -= chunk;
            }
        }

        private void EnsureWritable()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(TarArchiveWriter));
            if (_finished) throw new InvalidOperationException("The tar archive is already finished.");
            if (_faulted) throw new InvalidOperationException("A member could not be written completely; the archive cannot take more members.");
        }

        private static void CheckName(string name)
        {
            if (name == null) throw new ArgumentNullException(nameof(name));
            if (name.Length == 0) throw new ArgumentException("A tar member name cannot be empty.", nameof(name));
            if (name.IndexOf('\0') >= 0) throw new ArgumentException("A tar member name cannot contain NUL.", nameof(name));
            try
            {
                StrictUtf8.GetByteCount(name);
            }
            catch (EncoderFallbackException e)
            {
                throw new ArgumentException($"The tar member name '{name}' is not valid UTF-16 (unpaired surrogate).", nameof(name), e);
            }
        }

        private static KeyValuePair<string, byte[]> Record(string keyword, string value) => Record(keyword, Encoding.ASCII.GetBytes(value));

        private static KeyValuePair<string, byte[]> Record(string keyword, byte[] value) => new KeyValuePair<string, byte[]>(keyword, value);

        private static bool IsAscii(string text)
        {
            foreach (char c in text)
            {
                if (c > 0x7F) return false;
            }
            return true;
        }

        /// <summary>ASCII bytes with one '?' per non-ASCII code point (a surrogate pair counts once), cut to 100 bytes.</summary>
        private static byte[] AsciiWithReplacement(string text)
        {
            var bytes = new List<byte>(Math.Min(text.Length, NameLength));
            for (int i = 0; i < text.Length && bytes.Count < NameLength; i++)
            {
                char c = text[i];
                if (c <= 0x7F)
                {
                    bytes.Add((byte)c);
                    continue;
                }
                bytes.Add((byte)'?');
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            }
            return bytes.ToArray();
        }

        private static int DecimalDigits(int value)
        {
            int digits = 1;
            while (value >= 10)
            {
                value /= 10;
                digits++;
            }
            return digits;
        }

        private static long Padding(long size) => (BlockSize - (size % BlockSize)) % BlockSize;
    }
}
