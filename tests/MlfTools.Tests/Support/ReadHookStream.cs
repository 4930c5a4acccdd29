using System;
using System.IO;

namespace MlfTools.Tests.Support
{
    /// <summary>A seekable pass-through over an input stream that numbers each read (from 1) and calls a hook first.</summary>
    internal sealed class ReadHookStream : Stream
    {
        private readonly Stream _inner;
        private readonly Action<int> _beforeRead;

        public ReadHookStream(Stream inner, Action<int> beforeRead)
        {
            _inner = inner;
            _beforeRead = beforeRead;
        }

        public int Reads { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => _inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => _inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            _beforeRead(++Reads);
            return _inner.Read(buffer, offset, count);
        }

        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
