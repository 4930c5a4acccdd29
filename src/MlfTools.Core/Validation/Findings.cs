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
        };

        private readonly List<ArchiveFinding> _list = new List<ArchiveFinding>();

        public Findings(string archivePath)
        {
            ArchivePath = archivePath;
        }

        public string ArchivePath { get; }

        public IReadOnlyList<ArchiveFinding> All => _list;

        public bool HasErrors => _list.Any(f => f.Level == FindingSeverity.Error);

        /// <summary>The severity of an id; a reader error id not listed here (the archive could not be read) is an Error.</summary>
        public static FindingSeverity SeverityOf(string id) => Severities.TryGetValue(id, out var severity) ? severity : FindingSeverity.Error;

        /// <summary>Every finding id with its severity.</summary>
        public static IReadOnlyDictionary<string, FindingSeverity> KnownIds => Severities;

        public void Add(string id, string module, string member, string message) =>
            _list.Add(new ArchiveFinding(SeverityOf(id), id, module, ArchivePath, member, message));

        /// <summary>A failure of a reader as a finding with the reader's own id.</summary>
        public void Add(MlfException failure, string module = null, string member = null) => Add(failure.ErrorId, module, member, failure.Message);
    }
}
