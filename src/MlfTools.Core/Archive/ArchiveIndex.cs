using System;
using System.Collections.Generic;

namespace MlfTools.Archive
{
    /// <summary>What one pass over an archive learnt: every member, plus the few members whose content the model needs.</summary>
    internal sealed class ArchiveIndex
    {
        public ArchiveIndex(string sourcePath, ArchiveKind kind, MlfArchiveLimits limits, bool defersContentErrors = false)
        {
            SourcePath = sourcePath;
            Kind = kind;
            Limits = limits;
            DefersContentErrors = defersContentErrors;
        }

        public string SourcePath { get; }

        /// <summary>Length of the archive file when it was read (-1 for a folder): a later pass refuses a file that changed since.</summary>
        public long SourceLength { get; set; } = -1;

        /// <summary>Last write time (UTC ticks) of the archive file when it was read.</summary>
        public long SourceWriteTime { get; set; }
        public ArchiveKind Kind { get; }

        /// <summary>The limits the archive was read under; a later pass over its gzip data keeps to them too.</summary>
        public MlfArchiveLimits Limits { get; }

        /// <summary>True when every unreadable metadata file, graph config or params file went to <see cref="DeferredErrors"/> (a validating scan).</summary>
        public bool DefersContentErrors { get; }

        /// <summary>What the symbols of the objects whose facts the scan keeps (<see cref="Facts"/>) count against, all of them together.</summary>
        public Elf.SymbolBudget SymbolBudget { get; } = new Elf.SymbolBudget();

        /// <summary>Members in archive order; a path that occurs twice keeps its last occurrence (tar semantics).</summary>
        public List<ArchiveMember> Members { get; } = new List<ArchiveMember>();

        /// <summary>Raw bytes of each metadata.json, by member path.</summary>
        public Dictionary<string, byte[]> MetadataFiles { get; } = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        public Dictionary<string, MlfGraphConfig> GraphConfigs { get; } = new Dictionary<string, MlfGraphConfig>(StringComparer.Ordinal);

        public Dictionary<string, MlfParameters> Parameters { get; } = new Dictionary<string, MlfParameters>(StringComparer.Ordinal);

        /// <summary>
        /// Why a params file or graph config inside a folder could not be read. Such a file only matters when it
        /// turns out to be a module's own (per-module layout); an extra file that merely looks like one is kept.
        /// With <see cref="DefersContentErrors"/>, also the files at the root and metadata.json.
        /// </summary>
        public Dictionary<string, MlfException> DeferredErrors { get; } = new Dictionary<string, MlfException>(StringComparer.Ordinal);

        /// <summary>Hashes and symbols worked out while indexing (gzip archives only: they cannot be revisited cheaply).</summary>
        public Dictionary<string, MemberFacts> Facts { get; } = new Dictionary<string, MemberFacts>(StringComparer.Ordinal);

        private Dictionary<string, ArchiveMember> _byPath;

        public ArchiveMember Find(string path)
        {
            if (_byPath == null)
            {
                _byPath = new Dictionary<string, ArchiveMember>(StringComparer.Ordinal);
                foreach (var member in Members) _byPath[member.Path] = member;
            }
            return _byPath.TryGetValue(path, out var found) ? found : null;
        }
    }
}
