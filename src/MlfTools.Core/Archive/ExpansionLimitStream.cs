using System;
using System.IO;
using MlfTools.IO;

namespace MlfTools.Archive
{
    /// <summary>
    /// Passes decompressed bytes through and stops with ArchiveTooLarge once more than the limit came out, so a
    /// gzip bomb costs at most the limit in reading time and never fills memory or disk.
    /// </summary>
    internal sealed class ExpansionLimitStream : ForwardReadStream
    {
        private readonly Stream _inner;
        private readonly long _limit;
        private readonly string _archivePath;
        private long _total;

        public ExpansionLimitStream(Stream inner, long limit, string archivePath)
        {
            _inner = inner;
            _limit = limit;
            _archivePath = archivePath;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Asking for one byte more than the limit allows tells "exactly at the limit" from "past it".
            long allowed = _limit - _total + 1;
            int read = _inner.Read(buffer, offset, (int)Math.Min(count, allowed));
            _total += read;
            if (_total > _limit) throw ArchiveTooLargeError.Create(_archivePath, $"its gzip data expands to more than {Text.ByteCount.Describe(_limit)}", "Expand-MlfArchive -MaximumExpandedSize raises the limit");
            return read;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
