using System;
using System.IO;
using System.IO.Compression;

namespace MlfTools.Archive
{
    /// <summary>
    /// A write-only stream that gzips what is written to it (RFC 1952): a 10-byte header with no optional fields,
    /// MTIME from the given time, XFL 0 and OS 255 (unknown); raw deflate from <see cref="DeflateStream"/>; then
    /// the CRC-32 and the length mod 2^32 of the uncompressed data. Nothing depends on the clock or the machine,
    /// so the same input, time and level give the same bytes on the same runtime (the deflate output itself
    /// comes from the runtime's zlib and may differ between runtimes).
    /// </summary>
    /// <remarks>
    /// The gzip member is complete only once the stream is disposed. <see cref="Flush"/> hands buffered data to the
    /// compressor but does not force a deflate sync point, which would change the output.
    /// </remarks>
    internal sealed class GzipOutputStream : Stream
    {
        private const int DefaultBufferSize = 1 << 20;
        private const byte OsUnknown = 255;
        private static readonly byte[] EmptyDeflateStream = { 0x03, 0x00 };

        private readonly Stream _output;
        private readonly bool _leaveOpen;
        private readonly CountingStream _compressed;
        private readonly DeflateStream _deflate;
        private readonly byte[] _buffer;
        private int _buffered;
        private uint _crc;
        private long _length;
        private bool _disposed;

        public GzipOutputStream(Stream output, CompressionLevel level, DateTimeOffset modificationTime, bool leaveOpen = false)
            : this(output, level, modificationTime, leaveOpen, DefaultBufferSize)
        {
        }

        internal GzipOutputStream(Stream output, CompressionLevel level, DateTimeOffset modificationTime, bool leaveOpen, int bufferSize)
        {
            _output = output ?? throw new ArgumentNullException(nameof(output));
            if (!output.CanWrite) throw new ArgumentException("The output stream is not writable.", nameof(output));
            if (bufferSize <= 0) throw new ArgumentOutOfRangeException(nameof(bufferSize));
            _leaveOpen = leaveOpen;
            _buffer = new byte[bufferSize];

            byte[] header = Header(modificationTime);
            _output.Write(header, 0, header.Length);
            _compressed = new CountingStream(_output);
            _deflate = new DeflateStream(_compressed, level, leaveOpen: true);
        }

        /// <summary>The gzip MTIME for a time: whole seconds since 1970, or 0 (no time) when it does not fit 32 unsigned bits.</summary>
        public static uint MtimeField(DateTimeOffset time)
        {
            long seconds = time.ToUnixTimeSeconds();
            return seconds < 0 || seconds > uint.MaxValue ? 0u : (uint)seconds;
        }

        /// <summary>Uncompressed bytes written so far.</summary>
        public long UncompressedLength => _length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => !_disposed;
        public override long Length => throw new NotSupportedException();

        /// <summary>Uncompressed bytes written so far; cannot be set.</summary>
        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset > buffer.Length - count) throw new ArgumentOutOfRangeException(nameof(count));
            if (_disposed) throw new ObjectDisposedException(nameof(GzipOutputStream));

            _length += count;
            if (_buffered == 0 && count >= _buffer.Length)
            {
                Compress(buffer, offset, count);
                return;
            }
            while (count > 0)
            {
                int chunk = Math.Min(count, _buffer.Length - _buffered);
                Buffer.BlockCopy(buffer, offset, _buffer, _buffered, chunk);
                _buffered += chunk;
                offset += chunk;
                count -= chunk;
                if (_buffered == _buffer.Length) FlushBuffer();
            }
        }

        public override void WriteByte(byte value)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(GzipOutputStream));
            _length++;
            _buffer[_buffered++] = value;
            if (_buffered == _buffer.Length) FlushBuffer();
        }

        public override void Flush()
        {
            if (_disposed) throw new ObjectDisposedException(nameof(GzipOutputStream));
            FlushBuffer();
            _output.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (!disposing || _disposed)
            {
                base.Dispose(disposing);
                return;
            }
            _disposed = true;
            try
            {
                FlushBuffer();
                _deflate.Dispose(); // writes the final deflate block
                if (_compressed.Count == 0)
                {
                    // DeflateStream writes nothing at all when it was given nothing; gzip needs a deflate stream
                    // even then: one final, empty, fixed-Huffman block, as zlib writes it.
                    _output.Write(EmptyDeflateStream, 0, EmptyDeflateStream.Length);
                }
                var trailer = new byte[8];
                PutUInt32(trailer, 0, _crc);
                PutUInt32(trailer, 4, unchecked((uint)_length));
                _output.Write(trailer, 0, trailer.Length);
                _output.Flush();
            }
            finally
            {
                if (!_leaveOpen) _output.Dispose();
                base.Dispose(disposing);
            }
        }

        private void FlushBuffer()
        {
            if (_buffered == 0) return;
            Compress(_buffer, 0, _buffered);
            _buffered = 0;
        }

        private void Compress(byte[] data, int offset, int count)
        {
            _crc = Crc32.Update(_crc, data, offset, count);
            _deflate.Write(data, offset, count);
        }

        private static byte[] Header(DateTimeOffset modificationTime)
        {
            var header = new byte[10];
            header[0] = 0x1F;
            header[1] = 0x8B;
            header[2] = 8; // deflate
            header[3] = 0; // no FTEXT, FHCRC, FEXTRA, FNAME or FCOMMENT
            PutUInt32(header, 4, MtimeField(modificationTime));
            header[8] = 0; // XFL
            header[9] = OsUnknown;
            return header;
        }

        /// <summary>Passes writes through and counts the bytes.</summary>
        private sealed class CountingStream : Stream
        {
            private readonly Stream _inner;

            public CountingStream(Stream inner) => _inner = inner;

            public long Count { get; private set; }

            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => Count; set => throw new NotSupportedException(); }

            public override void Write(byte[] buffer, int offset, int count)
            {
                _inner.Write(buffer, offset, count);
                Count += count;
            }

            public override void Flush() => _inner.Flush();
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }

        private static void PutUInt32(byte[] target, int offset, uint value)
        {
            target[offset] = (byte)value;
            target[offset + 1] = (byte)(value >> 8);
            target[offset + 2] = (byte)(value >> 16);
            target[offset + 3] = (byte)(value >> 24);
        }
    }
}
