using System.Collections.Generic;
using System.Management.Automation;

namespace MlfTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Reports the memory each MLF module needs, per device or per operator function, and checks it against budgets.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MlfMemoryReport", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(MemoryReport), typeof(FunctionMemoryReport))]
    public sealed class GetMlfMemoryReportCommand : MlfCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";

        private MemoryReportSession _session;

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

        /// <summary>Modules from New-MlfModule.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public MlfModule[] InputObject { get; set; }

        /// <summary>One FunctionMemoryReport per operator function instead of the per-device reports.</summary>
        [Parameter]
        public SwitchParameter ByFunction { get; set; }

        /// <summary>After each archive's modules, one total report per device.</summary>
        [Parameter]
        public SwitchParameter Total { get; set; }

        /// <summary>Largest allowed WorkspaceBytes of a module or total, in bytes: 262144, 256KB, '256KiB' or '1.5MB' (KB = KiB = 1024).</summary>
        [Parameter]
        [ByteSizeTransformation]
        [ValidateRange(0L, long.MaxValue)]
        public long WorkspaceBudget { get; set; }

        /// <summary>Largest allowed ConstantsBytes of a module or total, in bytes (sizes as for WorkspaceBudget).</summary>
        [Parameter]
        [ByteSizeTransformation]
        [ValidateRange(0L, long.MaxValue)]
        public long ConstantsBudget { get; set; }

        /// <summary>Largest allowed IoBytes of a module or total, in bytes (sizes as for WorkspaceBudget).</summary>
        [Parameter]
        [ByteSizeTransformation]
        [ValidateRange(0L, long.MaxValue)]
        public long IoBudget { get; set; }

        protected override void BeginProcessing()
        {
            var options = new MemoryReportOptions
            {
                ByFunction = ByFunction,
                Total = Total,
                Budgets = new MemoryBudgets
                {
                    WorkspaceBytes = Bound(nameof(WorkspaceBudget), WorkspaceBudget),
                    ConstantsBytes = Bound(nameof(ConstantsBudget), ConstantsBudget),
                    IoBytes = Bound(nameof(IoBudget), IoBudget),
                },
            };
            _session = new MemoryReportSession(options, WriteObject, ex => WriteError(MlfErrorRecords.From(ex)));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var module in InputObject) _session.AddModule(module);
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
            {
                WriteVerbose($"Reading '{path}'.");
                IReadOnlyList<MlfModule> modules = TryCore(() => MlfReader.ReadModules(path, Cancellation), path);
                if (modules != null) _session.AddArchive(modules);
            }
        }

        protected override void EndProcessing()
        {
            _session.Complete();
            // Budget errors come last, after every report object, so the objects reach the pipeline even when the
            // caller's error preference is Stop (the first of these errors then ends the command).
            foreach (var finding in _session.Findings) WriteError(MlfErrorRecords.From(finding.ToException()));
        }

        private long? Bound(string parameter, long value) => MyInvocation.BoundParameters.ContainsKey(parameter) ? value : (long?)null;
    }
}
