using System;

namespace MlfTools
{
    /// <summary>
    /// How much MlfTools takes from one archive before it calls it a bomb. The defaults are far above any real MLF
    /// archive (a few MB, a few hundred members) and far below what would exhaust a machine.
    /// </summary>
    public sealed class MlfArchiveLimits
    {
        public const long DefaultMaximumExpandedSize = 16L << 30;
        public const long DefaultMaximumJsonSize = 64L << 20;
        public const int DefaultMaximumMemberCount = 100000;

        private long _maximumExpandedSize = DefaultMaximumExpandedSize;
        private long _maximumJsonSize = DefaultMaximumJsonSize;
        private int _maximumMemberCount = DefaultMaximumMemberCount;

        /// <summary>Bytes of tar data a .tar.gz/.tgz may decompress to; beyond it reading stops with ArchiveTooLarge.</summary>
        public long MaximumExpandedSize
        {
            get => _maximumExpandedSize;
            set => _maximumExpandedSize = Positive(value, nameof(MaximumExpandedSize));
        }

        /// <summary>Largest metadata.json or graph config read into memory; a larger one is MetadataInvalid or GraphConfigInvalid.</summary>
        public long MaximumJsonSize
        {
            get => _maximumJsonSize;
            set => _maximumJsonSize = Positive(value, nameof(MaximumJsonSize));
        }

        /// <summary>Most distinct members (files and folders) an archive or folder may hold; beyond it reading stops with ArchiveTooLarge.</summary>
        public int MaximumMemberCount
        {
            get => _maximumMemberCount;
            set => _maximumMemberCount = (int)Positive(value, nameof(MaximumMemberCount));
        }

        private static long Positive(long value, string name)
        {
            if (value <= 0) throw new ArgumentOutOfRangeException(name, value, "A limit must be greater than zero.");
            return value;
        }
    }
}
