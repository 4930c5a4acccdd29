using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using MlfTools.Completion;

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

        private const int ProgressActivityId = 3;

        private MemoryReportSession _session;
        private List<object> _held;
        private ProgressRecord _progress;

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

        /// <summary>Only the modules with these names of the -Path or -LiteralPath archives (wildcards allowed); tab completion offers the names inside them.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ModuleNameCompleter))]
        public string[] ModuleName { get; set; }

        /// <summary>One FunctionMemoryReport per operator function instead of the per-device reports.</summary>
        [Parameter]
        public SwitchParameter ByFunction { get; set; }

        /// <summary>After every module received, one total report per device over all of them (the firmware's figure); with -Compiler, the archives' C runtime compiled and counted once.</summary>
        [Parameter]
        public SwitchParameter Total { get; set; }

        /// <summary>Largest allowed RamBytes of a module or total, in bytes (sizes as for WorkspaceBudget).</summary>
        [Parameter]
        [ByteSizeTransformation]
        [ValidateRange(0L, long.MaxValue)]
        public long RamBudget { get; set; }

        /// <summary>Largest allowed FlashBytes of a module or total, in bytes (sizes as for WorkspaceBudget).</summary>
        [Parameter]
        [ByteSizeTransformation]
        [ValidateRange(0L, long.MaxValue)]
        public long FlashBudget { get; set; }

        /// <summary>A C compiler (a path, relative to the current location, or a name on PATH) that compiles each module's C sources (with -Total, the C runtime too) to measure code size.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Compiler { get; set; }

        /// <summary>Arguments for every compilation, e.g. '-mcpu=cortex-m7','-mthumb','-Os'.</summary>
        [Parameter]
        [AllowEmptyCollection]
        public string[] CompilerArgument { get; set; }

        /// <summary>The longest one compilation (one source file) may take, in seconds; 300 unless given.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int CompilerTimeout { get; set; }

        /// <summary>Extra include folders for the compilation (searched before the archive's own).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] IncludePath { get; set; }

        /// <summary>
        /// Measures the firmware as the linker sees it (needs -Compiler; implies -Total): the models, the helper sources, the
        /// C runtime and a main() compiled and linked with --gc-sections; rows for the runtime, helpers, C library and the
        /// rest; the total is the linked image with the deepest stack.
        /// </summary>
        [Parameter]
        public SwitchParameter Link { get; set; }

        /// <summary>
        /// With -Link: what the firmware links with besides its objects, e.g. '-T','board.ld','startup.o','--specs=nano.specs'.
        /// A word naming an existing file is taken against the current location. Without it: main() as the entry, no start files.
        /// </summary>
        [Parameter]
        [AllowEmptyCollection]
        public string[] LinkerArgument { get; set; }

        /// <summary>With -Link: the module (by its name in the firmware) whose C runtime the firmware links; the newest of several unless given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ModuleNameCompleter))]
        public string RuntimeFrom { get; set; }

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

        /// <summary>Lets a budgeted figure that cannot be known pass (its known part is still checked); by default it is a MemoryFigureUnknown error.</summary>
        [Parameter]
        public SwitchParameter AllowUnknown { get; set; }

        protected override void BeginProcessing()
        {
            CheckLinkParameters();
            var options = new MemoryReportOptions
            {
                ByFunction = ByFunction,
                Total = Total || Link,
                Link = Link,
                Budgets = new MemoryBudgets
                {
                    RamBytes = Bound(nameof(RamBudget), RamBudget),
                    FlashBytes = Bound(nameof(FlashBudget), FlashBudget),
                    WorkspaceBytes = Bound(nameof(WorkspaceBudget), WorkspaceBudget),
                    ConstantsBytes = Bound(nameof(ConstantsBudget), ConstantsBudget),
                    IoBytes = Bound(nameof(IoBudget), IoBudget),
                    AllowUnknown = AllowUnknown,
                },
            };
            if (Compiler != null)
            {
                options.CodeSize = new CodeSizeOptions
                {
                    // A path follows the PowerShell location, as every path of ours does; a name is looked up on PATH.
                    Compiler = CodeSizeOptions.IsPath(Compiler) ? ResolveCompilerPath(Compiler) : Compiler,
                    Arguments = (CompilerArgument ?? new string[0]).ToList(),
                    IncludePaths = (IncludePath ?? new string[0]).Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)).ToList(),
                    Verbose = WriteVerbose,
                };
                options.CodeSize.RuntimeFrom = RuntimeFrom;
                if (LinkerArgument != null) options.CodeSize.LinkerArguments = LinkerArgument.Select(ResolveLinkerWord).ToList();
                if (MyInvocation.BoundParameters.ContainsKey(nameof(CompilerTimeout))) options.CodeSize.Timeout = TimeSpan.FromSeconds(CompilerTimeout);
            }
            // A gate that stops on its first error holds its objects back: at the end they are written when every budget
            // holds, else shown as a table on the host before the one error that lists every violation.
            _held = StopsOnError() && !options.Budgets.IsEmpty ? new List<object>() : null;
            Action<object> write = _held == null ? (Action<object>)WriteObject : _held.Add;
            _session = new MemoryReportSession(options, write, ex => WriteError(MlfErrorRecords.From(ex)), WriteWarning, Cancellation);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var module in InputObject)
                {
                    if (!Link) ShowCompiling($"Compiling module '{module.Name}' of {System.IO.Path.GetFileName(module.SourcePath)}");
                    RunCoreOrStop(() => _session.AddModule(module));
                }
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in ResolveFileSystemPaths(literal ? LiteralPath : Path, literal))
            {
                WriteVerbose($"Reading '{path}'.");
                IReadOnlyList<MlfModule> modules = TryCore(() => MlfModuleSelection.Apply(MlfReader.ReadModules(path, Cancellation), ModuleName, null), path);
                if (modules == null) continue;
                if (!Link) ShowCompiling($"Compiling the modules of {System.IO.Path.GetFileName(path)}");
                RunCoreOrStop(() => _session.AddArchive(modules));
            }
        }

        protected override void EndProcessing()
        {
            if (Link) ShowCompiling("Compiling and linking the firmware of every module received (-Link)");
            else if (Total) ShowCompiling("Compiling the C runtime");
            RunCoreOrStop(() => _session.Complete());
            if (_progress != null)
            {
                _progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(_progress);
            }
            var findings = _session.Findings;
            if (_held != null)
            {
                if (findings.Count == 0)
                {
                    foreach (object held in _held) WriteObject(held);
                    return;
                }
                // The error is about to stop the pipeline, and a formatter downstream would show some views' rows and drop
                // others' (-ByFunction): the table is shown here, once, then the one error that names every violation.
                ShowReportsOnHost();
                WriteError(MlfErrorRecords.From(MemoryBudgetFinding.Combine(findings)));
                return;
            }
            // Budget errors come last, after every report object, one per violation.
            foreach (var finding in findings) WriteError(MlfErrorRecords.From(finding.ToException()));
        }

        private bool StopsOnError()
        {
            object action = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object bound)
                ? bound
                : SessionState.PSVariable.GetValue("ErrorActionPreference");
            if (action is PSObject wrapped) action = wrapped.BaseObject;
            return action != null && string.Equals(action.ToString(), nameof(ActionPreference.Stop), StringComparison.OrdinalIgnoreCase);
        }

        private void ShowReportsOnHost()
        {
            const string script = "param($reports) $reports | Format-Table | Out-String -Width 250";
            object[] shown = ByFunction ? (object[])ModuleMemoryReports.FunctionsOf(_session.Reports).ToArray() : _session.Reports.ToArray();
            var text = InvokeCommand.InvokeScript(false, ScriptBlock.Create(script), null, new object[] { shown });
            foreach (var line in text) Host.UI.WriteLine(line?.ToString() ?? string.Empty);
        }

        /// <summary>With -Compiler, a compile takes seconds: say what is being compiled.</summary>
        private void ShowCompiling(string what)
        {
            if (Compiler == null) return;
            _progress = new ProgressRecord(ProgressActivityId, $"Measuring code size with {Compiler}", what);
            WriteProgress(_progress);
        }

        private string ResolveCompilerPath(string path)
        {
            try
            {
                return SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is ArgumentException || ex is NotSupportedException)
            {
                ThrowTerminatingError(MlfErrorRecords.Create(MlfErrorIds.CompilerNotFound, $"Cannot find the compiler '{path}': {ex.Message} Give -Compiler the path of a C compiler, or a name on PATH.", path));
                throw; // not reached: ThrowTerminatingError always throws
            }
        }

        private void CheckLinkParameters()
        {
            string conflict = Link && Compiler == null ? "-Link compiles and links the firmware: give -Compiler (e.g. arm-none-eabi-gcc) and -CompilerArgument the flags of your target."
                : Link && ByFunction ? "-Link reports the firmware's parts, -ByFunction the operator functions: use one of them per command."
                : (LinkerArgument != null || RuntimeFrom != null) && !Link ? $"-{(LinkerArgument != null ? nameof(LinkerArgument) : nameof(RuntimeFrom))} is used by -Link only: add -Link, or leave it out."
                : null;
            if (conflict != null) ThrowTerminatingError(MlfErrorRecords.Create(MlfErrorIds.ConflictingParameters, conflict, null));
        }

        /// <summary>A linker argument naming an existing file (relative to the current location), in full: the link runs in a temporary folder.</summary>
        private string ResolveLinkerWord(string word)
        {
            if (string.IsNullOrEmpty(word) || word.StartsWith("-", StringComparison.Ordinal)) return word;
            try
            {
                string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(word);
                return System.IO.File.Exists(full) ? full : word;
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                return word;
            }
        }

        private long? Bound(string parameter, long value) => MyInvocation.BoundParameters.ContainsKey(parameter) ? value : (long?)null;
    }
}
