using System.Linq;
using System.Management.Automation;
using MlfTools.Completion;

namespace MlfTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks MLF archives without writing anything and reports each problem as an ArchiveFinding.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "MlfArchive", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ArchiveFinding), typeof(bool))]
    public sealed class TestMlfArchiveCommand : MlfCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";

        /// <summary>Archives (.tar, .tar.gz, .tgz) or extracted folders; wildcards allowed.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; }

        /// <summary>Archives or folders taken exactly as written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>A module from New-MlfModule: its archive is checked for that module only, as with -ModuleName.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public MlfModule[] InputObject { get; set; }

        /// <summary>Only these modules of multi-module archives (wildcards allowed); checks between modules consider only them. Not with -InputObject.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModuleNameCompleter))]
        public string[] ModuleName { get; set; }

        /// <summary>One $true or $false per archive (per module for modules from New-MlfModule) instead of the findings: $true when no finding is an Error.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Emits only findings of this severity or a graver one: Information (every finding, the default), Warning, or Error.</summary>
        [Parameter]
        public FindingSeverity MinimumSeverity { get; set; } = FindingSeverity.Information;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                if (ModuleName != null)
                {
                    ThrowTerminatingError(MlfErrorRecords.Create(MlfErrorIds.ConflictingParameters,
                        "-ModuleName picks modules of the archives given by -Path or -LiteralPath; a module from New-MlfModule is checked for itself. " +
                        "Pick the modules with New-MlfModule -ModuleName instead, or give the archive's path.",
                        InputObject.FirstOrDefault()?.SourcePath));
                }
                foreach (var module in InputObject)
                {
                    // The name the archive gives the module (a new name from -Name is carried out only by a join).
                    WriteVerbose($"Checking module '{module.OriginalName}' of '{module.SourcePath}'.");
                    Check(module.SourcePath, new[] { WildcardMatcher.Escape(module.OriginalName) });
                }
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
            {
                WriteVerbose($"Checking '{path}'.");
                Check(path, ModuleName);
            }
        }

        private void Check(string path, string[] moduleNames)
        {
            var findings = TryCore(() => MlfArchiveValidator.Validate(path, moduleNames, Cancellation), path);
            if (findings == null) return;
            if (Quiet)
            {
                WriteObject(findings.All(f => f.Severity != nameof(FindingSeverity.Error)));
                return;
            }
            foreach (var finding in findings.Where(f => f.IsAtLeast(MinimumSeverity))) WriteObject(finding);
        }
    }
}
