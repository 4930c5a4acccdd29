using System;
using System.Collections.Generic;
using System.Linq;

namespace MlfTools.Validation
{
    /// <summary>Collects the findings of one archive; the severity comes from the id, so an id never changes severity.</summary>
    internal sealed class Findings
    {
        private static readonly Dictionary<string, FindingSeverity> Severities = new Dictionary<string, FindingSeverity>(StringComparer.Ordinal)
        {
            [ArchiveFindingIds.InvalidArchive] = FindingSeverity.Error,
            [ArchiveFindingIds.UnsafeArchiveEntry] = FindingSeverity.Error,
            [ArchiveFindingIds.ArchiveReadFailed] = FindingSeverity.Error,
            [ArchiveFindingIds.MetadataMissing] = FindingSeverity.Error,
            [ArchiveFindingIds.MetadataInvalid] = FindingSeverity.Error,
            [ArchiveFindingIds.UnsupportedMlfVersion] = FindingSeverity.Error,
            [ArchiveFindingIds.UnknownMetadataKey] = FindingSeverity.Information,
            [ArchiveFindingIds.ModuleNameMismatch] = FindingSeverity.Warning,
            [ArchiveFindingIds.MissingFile] = FindingSeverity.Error,
            [ArchiveFindingIds.MissingIrText] = FindingSeverity.Warning,
            [ArchiveFindingIds.UnexpectedFilePath] = FindingSeverity.Warning,
            [ArchiveFindingIds.ParamsInvalid] = FindingSeverity.Error,
            [ArchiveFindingIds.GraphConfigInvalid] = FindingSeverity.Error,
            [ArchiveFindingIds.ParamsMismatch] = FindingSeverity.Error,
            [ArchiveFindingIds.MetadataMismatch] = FindingSeverity.Warning,
            [ArchiveFindingIds.UndefinedFunction] = FindingSeverity.Error,
            [ArchiveFindingIds.UnregisteredFunction] = FindingSeverity.Error,
            [ArchiveFindingIds.RegistryCountMismatch] = FindingSeverity.Error,
            [ArchiveFindingIds.FunctionRegistryInvalid] = FindingSeverity.Error,
            [ArchiveFindingIds.InvalidModuleName] = FindingSeverity.Error,
            [ArchiveFindingIds.DuplicateModuleName] = FindingSeverity.Error,
            [ArchiveFindingIds.OperatorModuleMix] = FindingSeverity.Error,
            [ArchiveFindingIds.SymbolCollision] = FindingSeverity.Error,
            [ArchiveFindingIds.DuplicateFunction] = FindingSeverity.Error,
            [ArchiveFindingIds.ConflictingFunctionTypes] = FindingSeverity.Error,
            [ArchiveFindingIds.UnprefixedSymbols] = FindingSeverity.Information,
            [ArchiveFindingIds.LibraryIndexMissing] = FindingSeverity.Error,
            [ArchiveFindingIds.InvalidObjectCode] = FindingSeverity.Error,
        };

        /// <summary>Most findings of one id an archive lists; the rest are counted (so a hostile archive cannot make millions).</summary>
        public const int ListedPerId = 100;

        private readonly List<ArchiveFinding> _list = new List<ArchiveFinding>();
        private readonly Dictionary<string, int> _counts = new Dictionary<string, int>(StringComparer.Ordinal);

        public Findings(string archivePath)
        {
            ArchivePath = archivePath;
        }

        public string ArchivePath { get; }

        /// <summary>The findings, then, for an id past <see cref="ListedPerId"/>, one that counts those left out.</summary>
        public IReadOnlyList<ArchiveFinding> All
        {
            get
            {
                var omitted = _counts.Where(c => c.Value > ListedPerId).ToList();
                if (omitted.Count == 0) return _list;
                return _list.Concat(omitted.Select(c => new ArchiveFinding(SeverityOf(c.Key), c.Key, null, ArchivePath, null,
                    $"{Text.ByteCount.Number(c.Value - ListedPerId)} more {c.Key} findings are not listed: Test-MlfArchive lists at most {ListedPerId} of one kind per archive. Correct the ones listed and check the archive again."))).ToList();
            }
        }

        public bool HasErrors => _list.Any(f => f.Level == FindingSeverity.Error);

        /// <summary>The severity of an id; a reader error id not listed here (the archive could not be read) is an Error.</summary>
        public static FindingSeverity SeverityOf(string id) => Severities.TryGetValue(id, out var severity) ? severity : FindingSeverity.Error;

        /// <summary>Every finding id with its severity.</summary>
        public static IReadOnlyDictionary<string, FindingSeverity> KnownIds => Severities;

        public void Add(string id, string module, string member, string message)
        {
            _counts.TryGetValue(id, out int count);
            _counts[id] = count + 1;
            if (count < ListedPerId) _list.Add(new ArchiveFinding(SeverityOf(id), id, module, ArchivePath, member, message));
        }

        /// <summary>A failure of a reader as a finding with the reader's own id.</summary>
        public void Add(MlfException failure, string module = null, string member = null) => Add(failure.ErrorId, module, member, failure.Message);
    }
}
