using System.IO;
using System.Linq;
using System.Management.Automation;
using MlfTools.Expand;
using MlfTools.IO;
using MlfTools.Text;

namespace MlfTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Extracts an MLF archive into a new folder, refusing unsafe members before anything is written.</para>
    /// </summary>
    [Cmdlet(VerbsData.Expand, "MlfArchive", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(DirectoryInfo))]
    public sealed class ExpandMlfArchiveCommand : MlfCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";
        private const int ProgressActivityId = 2;

        private string _destination;
        private string _firstArchive;

        /// <summary>The archive (.tar, .tar.gz, .tgz); wildcards allowed; strings by pipeline value.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; }

        /// <summary>The archive taken exactly as written; FileInfo objects bind here through PSPath.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>A module from New-MlfModule: its archive is expanded (every module of it, as with -Path).</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public MlfModule[] InputObject { get; set; }

        /// <summary>The folder to create. Taken as written (no wildcards).</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string DestinationPath { get; set; }

        /// <summary>Bytes of tar data a .tar.gz/.tgz may expand to before it is refused as a bomb (ArchiveTooLarge): 34359738368, 32GB or '32GiB'.</summary>
        [Parameter]
        [ByteSizeTransformation]
        [ValidateRange(1L, long.MaxValue)]
        public long MaximumExpandedSize { get; set; } = MlfArchiveLimits.DefaultMaximumExpandedSize;

        /// <summary>
        /// Writes into an existing destination folder, as Expand-Archive -Force does: the files the archive holds are
        /// overwritten, every other file in the folder is kept. With -ReplaceFolder: no confirmation prompt.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Replaces an existing destination folder as a whole once the archive has been extracted: every file in it that the
        /// archive does not hold is deleted. Asks first, saying how many files would be deleted, unless -Force.
        /// </summary>
        [Parameter]
        public SwitchParameter ReplaceFolder { get; set; }

        private MlfExistingFolder Existing => ReplaceFolder ? MlfExistingFolder.Replace : Force ? MlfExistingFolder.Merge : MlfExistingFolder.Refuse;

        /// <summary>Emits the destination folder as a DirectoryInfo (with PSPath, so it pipes into New-MlfModule).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            _destination = ResolveOutputPath(DestinationPath, "the archive is extracted into a folder. Give a path such as out/model");
            RunCoreOrStop(() => ArchiveExtractor.CheckDestination(_destination, null, Existing), _destination);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var module in InputObject)
                {
                    // Modules of one archive arrive one by one: the first expands it, the others are in it already.
                    if (_firstArchive != null && PathIdentity.Same(_firstArchive, module.SourcePath))
                    {
                        WriteVerbose($"Module '{module.OriginalName}' of '{module.SourcePath}' is in the archive expanded already.");
                        continue;
                    }
                    ExpandFirst(module.SourcePath);
                }
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string archive in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
            {
                ExpandFirst(archive);
            }
        }

        /// <summary>Expands the first archive of the command; any other is an error, as one archive expands into one folder.</summary>
        private void ExpandFirst(string archive)
        {
            if (_firstArchive != null)
            {
                WriteError(MlfErrorRecords.Create(MlfErrorIds.DestinationExists,
                    $"'{archive}' was not expanded: '{_destination}' is the destination of '{_firstArchive}', and one archive expands into one folder. " +
                    "Give each archive its own folder, for example: Get-ChildItem *.tar | ForEach-Object { Expand-MlfArchive -LiteralPath $_.FullName -DestinationPath (Join-Path out $_.BaseName) }",
                    _destination));
                return;
            }
            _firstArchive = archive;
            Expand(archive);
        }

        private void Expand(string archive)
        {
            WriteVerbose($"Reading '{archive}'.");
            var limits = new MlfArchiveLimits { MaximumExpandedSize = MaximumExpandedSize };
            var plan = TryCore(() => ArchiveExtractor.Plan(archive, limits, Cancellation), archive);
            if (plan == null) return;
            if (TryCore(() => { ArchiveExtractor.CheckDestination(_destination, plan.SourcePath, Existing); return plan; }, _destination) == null) return;

            string contents = $"{plan.FileCount} file(s), {ByteSize.Format(plan.TotalBytes)}, module(s) {string.Join(", ", plan.ModuleNames)}";
            var deleted = Existing == MlfExistingFolder.Replace ? ArchiveExtractor.FilesNotInArchive(plan, _destination) : new string[0];
            string action;
            if (!Directory.Exists(_destination)) action = $"Create folder with the contents of MLF archive '{archive}' ({contents})";
            else if (Existing == MlfExistingFolder.Replace) action = $"Replace the folder with the contents of MLF archive '{archive}' ({contents}), deleting {deleted.Count} file(s) in it that the archive does not hold";
            else action = $"Write the contents of MLF archive '{archive}' ({contents}) into the folder, overwriting the files the archive holds and keeping every other file";
            if (!ShouldProcess(_destination, action)) return;
            if (deleted.Count > 0 && !Force)
            {
                string listed = string.Join(", ", deleted.Take(10)) + (deleted.Count > 10 ? $" and {deleted.Count - 10} more" : string.Empty);
                if (!ShouldContinue($"Replacing '{_destination}' deletes {deleted.Count} file(s) that the archive does not hold: {listed}. Continue?", "Delete files not in the archive"))
                {
                    return;
                }
            }

            foreach (string stale in ArchiveExtractor.RemoveStaleTemporaries(_destination))
            {
                WriteVerbose($"Removed '{stale}', left more than a day ago by an extraction into '{_destination}' that was killed.");
            }
            var progress = new ProgressRecord(ProgressActivityId, $"Expanding {System.IO.Path.GetFileName(archive)} into {System.IO.Path.GetFileName(_destination)}", "Writing");
            System.Collections.Generic.IReadOnlyList<string> warnings = null;
            bool done = TryCore(() =>
            {
                warnings = ArchiveExtractor.Extract(plan, _destination, Existing, p =>
                {
                    progress.StatusDescription = $"Writing: {ByteSize.Format(p.BytesDone)} of {ByteSize.Format(p.BytesTotal)}, {p.FilesDone} of {p.FilesTotal} file(s)";
                    progress.CurrentOperation = p.CurrentPath ?? string.Empty;
                    progress.PercentComplete = p.PercentComplete;
                    WriteProgress(progress);
                }, Cancellation);
                return plan;
            }, _destination) != null;
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            if (!done) return;
            foreach (string warning in warnings) WriteWarning(warning);

            WriteVerbose($"Expanded {plan.FileCount} file(s) and {plan.FolderCount} folder(s) of '{archive}' into '{_destination}'.");
            if (PassThru)
            {
                // Through the provider, so the DirectoryInfo carries PSPath and binds to -LiteralPath downstream.
                foreach (var item in InvokeProvider.Item.Get(new[] { _destination }, true, true)) WriteObject(item);
            }
        }
    }
}
