using System;
using System.IO;

namespace MlfTools.Tests.Support
{
    public enum StreamCall
    {
        Write,
        Flush,
    }

    /// <summary>
    /// Passes everything through to the inner stream, numbering each write and each flush (from 1, separately) and
    /// calling <see cref="BeforeCall"/> first: a test counts calls with it, or throws or cancels at a chosen one.
    /// </summary>
    internal sealed class ScriptedStream : Stream
    {
        private readonly Stream _inner;
        private readonly Action<StreamCall, int> _beforeCall;

        public ScriptedStream(Stream inner, Action<StreamCall, int> beforeCall)
        {
            _inner = inner;
            _beforeCall = beforeCall;
        }

        public int Writes { get; private set; }
        public int Flushes { get; private set; }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _beforeCall(StreamCall.Write, ++Writes);
            _inner.Write(buffer, offset, count);
        }

        public override void WriteByte(byte value) => Write(new[] { value }, 0, 1);

        public override void Flush()
        {
            _beforeCall(StreamCall.Flush, ++Flushes);
            _inner.Flush();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
