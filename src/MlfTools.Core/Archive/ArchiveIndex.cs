using System;
using System.Collections.Generic;

namespace MlfTools.Archive
{
    /// <summary>What one pass over an archive learnt: every member, plus the few members whose content the model needs.</summary>
    internal sealed class ArchiveIndex
    {
        public ArchiveIndex(string sourcePath, ArchiveKind kind)
        {
            SourcePath = sourcePath;
            Kind = kind;
        }

        public string SourcePath { get; }
        public ArchiveKind Kind { get; }

        /// <summary>Members in archive order; a path that occurs twice keeps its last occurrence (tar semantics).</summary>
        public List<ArchiveMember> Members { get; } = new List<ArchiveMember>();

        /// <summary>Raw bytes of each metadata.json, by member path.</summary>
        public Dictionary<string, byte[]> MetadataFiles { get; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        public Dictionary<string, MlfGraphConfig> GraphConfigs { get; } = new Dictionary<string, MlfGraphConfig>(StringComparer.Ordinal);

        public Dictionary<string, MlfParameters> Parameters { get; } = new Dictionary<string, MlfParameters>(StringComparer.Ordinal);
    }
}
