using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using MlfTools.Completion;
using MlfTools.Join;
using MlfTools.Text;

namespace MlfTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Joins MLF modules into one version-7 multi-module archive.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Join, "MlfArchive", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class JoinMlfArchiveCommand : MlfCmdlet
    {
        // One parameter set in which nothing is mandatory: with per-set positions or a mandatory -DestinationPath the
        // binder refuses either 'Join-MlfArchive a.tar out.tar' or '... | Join-MlfArchive out.tar'. The cmdlet decides
        // which value is the destination (DecideDestination) and reads each pipeline object by what it bound to.
        private readonly List<MlfModule> _modules = new List<MlfModule>();
        private string _destination;
        private bool _pathFromCommandLine;
        private bool _literalPathFromCommandLine;
        private bool _inputObjectFromCommandLine;

        /// <summary>Modules from New-MlfModule, by pipeline value; renamed ones are written under their new name.</summary>
        // Null is let through binding on purpose: PowerShell would otherwise drop a null pipeline item with a
        // non-terminating error and the join would go on without it (e.g. after a failed New-MlfModule).
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        [AllowEmptyCollection]
        public MlfModule[] InputObject { get; set; }

        /// <summary>
        /// Archives or extracted folders to join, every module of each; wildcards allowed; strings by pipeline value.
        /// With input from the pipeline (or -LiteralPath/-InputObject) and no -DestinationPath, a single value given here
        /// is the destination.
        /// </summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [SupportsWildcards]
        public string[] Path { get; set; }

        /// <summary>Archives or folders taken exactly as written; FileInfo and DirectoryInfo bind here through PSPath.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [AllowNull]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] LiteralPath { get; set; }

        /// <summary>
        /// The archive to write: .tar, or .tar.gz/.tgz for a gzip-compressed one. Taken as written (no wildcards). Position 1
        /// after -Path, as in Compress-Archive; with input from the pipeline, the one positional value is the destination.
        /// </summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string DestinationPath { get; set; }

        /// <summary>Flat (TVM's multi-module layout, the default) or PerModule (a folder per module).</summary>
        [Parameter]
        public MlfLayout Layout { get; set; } = MlfLayout.Flat;

        /// <summary>Wildcard patterns of member paths; extra files (not part of MLF) that match are left out.</summary>
        [Parameter]
        [ValidateNotNull]
        [SupportsWildcards]
        public string[] ExcludePath { get; set; } = new string[0];

        /// <summary>The modification time of every member and of the gzip header. A DateTime of kind Unspecified is taken as UTC.</summary>
        [Parameter]
        public DateTime Timestamp { get; set; }

        /// <summary>The module (by its joined name) whose C runtime, runtime/ and templates/, the archive keeps for every module; the others' runtimes are left out.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModuleNameCompleter))]
        public string RuntimeFrom { get; set; }

        /// <summary>Adds helper sources under helpers/: one header and one call per model, crt_config.h, a platform file, an example and a Makefile.</summary>
        [Parameter]
        public SwitchParameter IncludeHelpers { get; set; }

        /// <summary>Replaces an existing destination file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emits the written archive as a FileInfo (with PSPath, so it pipes into New-MlfModule).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            var bound = MyInvocation.BoundParameters;
            _pathFromCommandLine = bound.ContainsKey(nameof(Path));
            _literalPathFromCommandLine = bound.ContainsKey(nameof(LiteralPath));
            _inputObjectFromCommandLine = bound.ContainsKey(nameof(InputObject));
            string[] paths = DecideDestination(out string destination);
            _destination = ResolveOutputPath(destination);
            RunCoreOrStop(() => JoinWriter.CheckDestination(_destination, Enumerable.Empty<string>(), Force), _destination);

            // Inputs named on the command line are read once, here: ProcessRecord runs once per pipeline object (or
            // never, for an empty pipeline) and sees them again each time.
            if (_pathFromCommandLine && paths != null) AddPaths(paths, literal: false);
            if (_literalPathFromCommandLine) AddPaths(LiteralPath, literal: true);
            if (_inputObjectFromCommandLine) AddModules(InputObject);
        }

        /// <summary>
        /// -DestinationPath when given. Otherwise, when there is other input (the pipeline, -LiteralPath or -InputObject),
        /// a single -Path value is the destination: 'Get-ChildItem *.tar | Join-MlfArchive out.tar'. Returns the -Path
        /// values that remain inputs.
        /// </summary>
        private string[] DecideDestination(out string destination)
        {
            destination = DestinationPath;
            if (destination != null) return Path;
            bool otherInput = MyInvocation.ExpectingInput || _literalPathFromCommandLine || _inputObjectFromCommandLine;
            if (otherInput && _pathFromCommandLine && Path != null && Path.Length == 1 && !string.IsNullOrEmpty(Path[0]))
            {
                destination = Path[0];
                return null;
            }
            // At the console, ask for it as PowerShell asks for a mandatory parameter; a script or CI run cannot answer.
            destination = PromptForDestination();
            if (!string.IsNullOrEmpty(destination)) return Path;
            ThrowTerminatingError(MlfErrorRecords.Create(MlfErrorIds.DestinationRequired,
                "Join-MlfArchive needs the archive to write. Name it after the inputs: 'Join-MlfArchive a.tar, b.tar out/joined.tar', " +
                "'Get-ChildItem *.tar | Join-MlfArchive out/joined.tar', or with -DestinationPath.",
                null));
            return null;
        }

        /// <summary>The host's prompt for -DestinationPath, as for a missing mandatory parameter; null where the host cannot prompt.</summary>
        private string PromptForDestination()
        {
            var field = new FieldDescription(nameof(DestinationPath))
            {
                IsMandatory = true,
                HelpMessage = "The archive to write: .tar, or .tar.gz/.tgz for a gzip-compressed one.",
            };
            field.SetParameterType(typeof(string));
            try
            {
                var answers = Host.UI.Prompt($"cmdlet {MyInvocation.MyCommand.Name} at command pipeline position {MyInvocation.PipelinePosition}",
                    "Supply values for the following parameters:", new Collection<FieldDescription> { field });
                return answers != null && answers.TryGetValue(field.Name, out PSObject answer) ? answer?.BaseObject?.ToString() : null;
            }
            catch (Exception ex) when (ex is HostException || ex is PSInvalidOperationException || ex is NotImplementedException || ex is PSNotImplementedException)
            {
                return null;
            }
        }

        /// <summary>
        /// PowerShell binds each pipeline object on its own, and in this one parameter set to every parameter it fits:
        /// a module also binds to -Path as its ToString(), a FileInfo to -LiteralPath (PSPath) and to -Path. So a module
        /// wins over a path, and a PSPath over a -Path string; parameters named on the command line are not the pipeline's.
        /// A pipeline object that bound to nothing but nulls was null.
        /// </summary>
        protected override void ProcessRecord()
        {
            if (!MyInvocation.ExpectingInput) return;
            if (!_inputObjectFromCommandLine && InputObject != null) AddModules(InputObject);
            else if (!_literalPathFromCommandLine && LiteralPath != null) AddPaths(LiteralPath, literal: true);
            else if (!_pathFromCommandLine && Path != null) AddPaths(Path, literal: false);
            else StopOnNullInput("module or path");
        }

        private void AddModules(MlfModule[] modules)
        {
            if (modules == null || modules.Length == 0 || modules.Any(m => m == null)) StopOnNullInput("module");
            foreach (var module in modules)
            {
                RunCoreOrStop(() => JoinWriter.CheckDestination(_destination, new[] { module.SourcePath }, Force), _destination);
                _modules.Add(module);
            }
        }

        private void AddPaths(string[] paths, bool literal)
        {
            if (paths == null || paths.Length == 0 || paths.Any(string.IsNullOrEmpty)) StopOnNullInput("path");
            foreach (string path in ResolveFileSystemPaths(paths, literal, stopOnError: true))
            {
                RunCoreOrStop(() => JoinWriter.CheckDestination(_destination, new[] { path }, Force), _destination);
                WriteVerbose($"Reading '{path}'.");
                _modules.AddRange(RunCoreOrStop(() => MlfReader.ReadModules(path, Cancellation), path));
            }
        }

        protected override void EndProcessing()
        {
            var options = new MlfJoinOptions
            {
                Layout = Layout,
                ExcludePaths = ExcludePath,
                RuntimeFrom = RuntimeFrom,
                IncludeHelpers = IncludeHelpers,
                Timestamp = MyInvocation.BoundParameters.ContainsKey(nameof(Timestamp))
                    ? new DateTimeOffset(DateTime.SpecifyKind(Timestamp.Kind == DateTimeKind.Local ? Timestamp.ToUniversalTime() : Timestamp, DateTimeKind.Utc))
                    : (DateTimeOffset?)null,
            };
            var progress = new ProgressRecord(ProgressActivityId, $"Joining MLF modules into {System.IO.Path.GetFileName(_destination)}",
                $"Checking {_modules.Count} module(s): names, symbols and shared files");
            WriteProgress(progress);
            var plan = RunCoreOrStop(() => JoinPlanner.PlanUnchecked(_modules, options), _destination);
            foreach (var module in plan.Modules)
            {
                WriteVerbose(module.IsRenamed
                    ? $"Module '{module.OriginalName}' of '{module.SourcePath}' is written as '{module.Name}'."
                    : $"Module '{module.Name}' of '{module.SourcePath}' is written as it is.");
            }

            string names = string.Join(", ", plan.Modules.Select(m => m.IsRenamed ? $"{m.Name} (renamed from {m.OriginalName})" : m.Name));
            string verb = File.Exists(_destination) ? "Replace" : "Create";
            if (WillAskOrOnlyTell())
            {
                // -WhatIf says what the join would do, and -Confirm asks, only for a join that would succeed: the checks
                // that read member contents run first here (a plain join runs them while it writes).
                RunCoreOrStop(() => plan.Check(Cancellation), _destination);
            }
            if (!ShouldProcess(_destination, $"{verb} MLF archive (version 7, {Layout} layout) of {plan.Modules.Count} module(s): {names}"))
            {
                // Nothing is written; the checks have run.
                RunCoreOrStop(() => plan.Check(Cancellation), _destination);
                WriteWarnings(plan);
                CompleteProgress(progress);
                return;
            }

            foreach (string stale in JoinWriter.RemoveStaleTemporaries(_destination))
            {
                WriteVerbose($"Removed '{stale}', left more than a day ago by a join into '{_destination}' that was killed.");
            }
            // The symbol and copy checks run while the temporary file is written; nothing is published if one fails.
            RunCoreOrStop(() =>
            {
                JoinWriter.Write(plan, _destination, Force, p =>
                {
                    progress.StatusDescription = $"Writing: {ByteSize.Format(p.BytesDone)} of {ByteSize.Format(p.BytesTotal)}";
                    progress.CurrentOperation = p.CurrentPath ?? string.Empty;
                    progress.PercentComplete = p.PercentComplete;
                    WriteProgress(progress);
                }, Cancellation);
            }, _destination);
            WriteWarnings(plan);
            CompleteProgress(progress);
            if (PassThru)
            {
                // Through the provider, so the FileInfo carries PSPath and binds to -LiteralPath downstream.
                foreach (var item in InvokeProvider.Item.Get(new[] { _destination }, true, true)) WriteObject(item);
            }
        }

        private const int ProgressActivityId = 1;

        /// <summary>
        /// True when ShouldProcess will print "What if:" (-WhatIf or $WhatIfPreference) or ask (-Confirm, or a
        /// $ConfirmPreference of Medium or lower) instead of just going ahead.
        /// </summary>
        private bool WillAskOrOnlyTell()
        {
            var bound = MyInvocation.BoundParameters;
            bool whatIf = bound.TryGetValue("WhatIf", out object whatIfValue)
                ? LanguagePrimitives.IsTrue(whatIfValue)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            if (whatIf) return true;
            if (bound.TryGetValue("Confirm", out object confirmValue)) return LanguagePrimitives.IsTrue(confirmValue);
            object preference = GetVariableValue("ConfirmPreference");
            if (preference is PSObject wrapped) preference = wrapped.BaseObject;
            return preference is ConfirmImpact impact && impact != ConfirmImpact.None && impact <= ConfirmImpact.Medium;
        }

        /// <summary>A join with a missing input would silently write an archive without it, so a null input stops it.</summary>
        private void StopOnNullInput(string what)
        {
            ThrowTerminatingError(MlfErrorRecords.Create(MlfErrorIds.NullInput,
                $"An input {what} is null or empty, so the join would miss a model. Check the command that produced it (for example a New-MlfModule that failed) and run the join again.",
                _destination));
        }

        private void WriteWarnings(MlfJoinPlan plan)
        {
            foreach (string warning in plan.Warnings) WriteWarning(warning);
        }

        private void CompleteProgress(ProgressRecord progress)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
