using System;

namespace MlfTools.Tar
{
    /// <summary>One member as its tar headers describe it, after GNU long names, ustar prefixes and PAX records are applied.</summary>
    internal sealed class TarEntry
    {
        public string Name { get; set; }
        public TarEntryType Type { get; set; }
        public char TypeFlag { get; set; }
        public string LinkName { get; set; }
        public long Size { get; set; }
        public int Mode { get; set; }
        public DateTimeOffset ModificationTime { get; set; }

        /// <summary>Offset of the member's data from the start of the tar stream.</summary>
        public long DataOffset { get; set; }

        /// <summary>A hash of the member's own 512-byte header block, to tell later whether the same header still sits before <see cref="DataOffset"/>.</summary>
        public ulong HeaderHash { get; set; }

        public override string ToString() => Name;
    }
}
