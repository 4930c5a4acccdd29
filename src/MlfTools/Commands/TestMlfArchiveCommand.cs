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

        /// <summary>Only these modules of multi-module archives (wildcards allowed); checks between modules consider only them.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModuleNameCompleter))]
        public string[] ModuleName { get; set; }

        /// <summary>One $true or $false per archive instead of the findings: $true when no finding is an Error.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
            {
                WriteVerbose($"Checking '{path}'.");
                var findings = TryCore(() => MlfArchiveValidator.Validate(path, ModuleName, Cancellation), path);
                if (findings == null) continue;
                if (Quiet)
                {
                    WriteObject(findings.All(f => f.Severity != nameof(FindingSeverity.Error)));
                    continue;
                }
                foreach (var finding in findings) WriteObject(finding);
            }
        }
    }
}
