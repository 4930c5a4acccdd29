using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using MlfTools.Join;

namespace MlfTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Joins MLF modules into one version-7 multi-module archive.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Join, "MlfArchive", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class JoinMlfArchiveCommand : MlfCmdlet
    {
        private const string InputObjectSet = "InputObject";
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        private readonly List<MlfModule> _modules = new List<MlfModule>();
        private string _destination;

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public MlfModule[] InputObject { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>The archive to write: .tar, or .tar.gz/.tgz for a gzip-compressed one.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string DestinationPath { get; set; }

        [Parameter]
        public MlfLayout Layout { get; set; } = MlfLayout.Flat;

        [Parameter]
        [ValidateNotNull]
        [SupportsWildcards]
        public string[] ExcludePath { get; set; } = new string[0];

        [Parameter]
        public DateTime Timestamp { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            _destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(DestinationPath);
            RunCoreOrStop(() => JoinWriter.CheckDestination(_destination, Enumerable.Empty<string>(), Force));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var module in InputObject)
                {
                    RunCoreOrStop(() => JoinWriter.CheckDestination(_destination, new[] { module.SourcePath }, Force));
                    _modules.Add(module);
                }
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal, stopOnError: true))
            {
                RunCoreOrStop(() => JoinWriter.CheckDestination(_destination, new[] { path }, Force));
                WriteVerbose($"Reading '{path}'.");
                _modules.AddRange(RunCoreOrStop(() => MlfReader.ReadModules(path, Cancellation)));
            }
        }

        protected override void EndProcessing()
        {
            var options = new MlfJoinOptions
            {
                Layout = Layout,
                ExcludePaths = ExcludePath,
                Timestamp = MyInvocation.BoundParameters.ContainsKey(nameof(Timestamp))
                    ? new DateTimeOffset(DateTime.SpecifyKind(Timestamp.Kind == DateTimeKind.Local ? Timestamp.ToUniversalTime() : Timestamp, DateTimeKind.Utc))
                    : (DateTimeOffset?)null,
            };
            var plan = RunCoreOrStop(() => JoinPlanner.Plan(_modules, options, Cancellation));
            foreach (string warning in plan.Warnings) WriteWarning(warning);

            string names = string.Join(", ", plan.Modules.Select(m => m.IsRenamed ? $"{m.OriginalName} as {m.Name}" : m.Name));
            if (!ShouldProcess(_destination, $"Join {plan.Modules.Count} module(s) ({names}) into a version-7 MLF archive")) return;

            var progress = new ProgressRecord(1, "Join-MlfArchive", $"Writing {_destination}");
            RunCoreOrStop(() =>
            {
                JoinWriter.Write(plan, _destination, Force, p =>
                {
                    progress.StatusDescription = p.CurrentPath == null ? "Done" : $"{p.CurrentPath} ({p.BytesDone / 1024:N0} of {p.BytesTotal / 1024:N0} KiB)";
                    progress.PercentComplete = p.PercentComplete;
                    WriteProgress(progress);
                }, Cancellation);
            });
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            if (PassThru) WriteObject(new FileInfo(_destination));
        }
    }
}
