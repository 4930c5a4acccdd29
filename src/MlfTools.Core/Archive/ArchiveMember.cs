using System;

namespace MlfTools.Archive
{
    /// <summary>A file or directory of an archive or extracted folder, with where to find its bytes again.</summary>
    internal sealed class ArchiveMember
    {
        public ArchiveMember(string path, bool isDirectory, long size, long dataOffset, DateTimeOffset modificationTime, int mode = -1, ulong headerHash = 0)
        {
            HeaderHash = headerHash;
            Path = path;
            IsDirectory = isDirectory;
            Size = size;
            DataOffset = dataOffset;
            ModificationTime = modificationTime;
            Mode = mode;
        }

        /// <summary>Relative, '/' separated, no leading "./"; empty for the root.</summary>
        public string Path { get; }
        public bool IsDirectory { get; }
        public long Size { get; }

        /// <summary>Offset of the data in the tar stream; -1 for members of a folder.</summary>
        public long DataOffset { get; }
        public DateTimeOffset ModificationTime { get; }

        /// <summary>The permission bits of a tar member (0 to 0xFFF, special bits included); -1 for members of a folder.</summary>
        public int Mode { get; }

        /// <summary>The hash of the member's tar header block (<see cref="Tar.TarHeaderFields.HashBlock"/>); 0 for members of a folder.</summary>
        public ulong HeaderHash { get; }

        public override string ToString() => Path;
    }
}
