using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Linking;
using MlfTools.Report;

namespace MlfTools
{
    /// <summary>
    /// Turns modules into the objects Get-MlfMemoryReport emits, in order, and collects the budget findings to be
    /// reported after them. Each module's reports are emitted as soon as the module arrives (<see cref="AddArchive"/>,
    /// <see cref="AddModule"/>), with the budgets applied; with <see cref="MemoryReportOptions.Total"/>,
    /// <see cref="Complete"/> then emits one total per device over every module received: the firmware's figure. A
    /// module whose memory section is malformed, or whose code cannot be measured, is reported through the error
    /// callback; the totals are then left out (a total without it would understate the firmware), and the other modules
    /// are still reported. Every figure over its budget gives exactly one finding. With totals and a compiler, the C
    /// runtime (runtime/) of the archives received is compiled too, once per distinct runtime, and reported just before the
    /// totals, which count it once (the largest, when the archives carry several: the warning callback says so).
    /// </summary>
    public sealed class MemoryReportSession
    {
        // The name TVM gives a model built without one: every such archive has a module called this.
        private const string TvmDefaultName = "default";

        private readonly MemoryReportOptions _options;
        private readonly Action<object> _write;
        private readonly Action<MlfException> _fail;
        private readonly Action<string> _warn;
        private readonly CancellationToken _cancellationToken;
        private readonly List<MemoryBudgetFinding> _findings = new List<MemoryBudgetFinding>();
        private readonly List<MemoryReport> _reports = new List<MemoryReport>();
        private readonly List<MlfModule> _received = new List<MlfModule>();
        private readonly List<IReadOnlyList<MemoryReport>> _awaitingLink = new List<IReadOnlyList<MemoryReport>>();
        private readonly Dictionary<string, string> _archiveOfName = new Dictionary<string, string>(StringComparer.Ordinal);
        private bool _failed;

        /// <param name="options">What to emit and the budgets to check.</param>
        /// <param name="write">Receives each <see cref="MemoryReport"/> or <see cref="FunctionMemoryReport"/>, in output order.</param>
        /// <param name="fail">Receives the error of a module that cannot be reported.</param>
        public MemoryReportSession(MemoryReportOptions options, Action<object> write, Action<MlfException> fail)
            : this(options, write, fail, CancellationToken.None)
        {
        }

        public MemoryReportSession(MemoryReportOptions options, Action<object> write, Action<MlfException> fail, CancellationToken cancellationToken)
            : this(options, write, fail, _ => { }, cancellationToken)
        {
        }

        /// <param name="options">What to emit and the budgets to check.</param>
        /// <param name="write">Receives each report, in output order.</param>
        /// <param name="fail">Receives the error of a module or C runtime that cannot be reported.</param>
        /// <param name="warn">Receives warnings about what a total counts (which C runtime, or that none was received).</param>
        /// <param name="cancellationToken">Stops reading and compiling.</param>
        public MemoryReportSession(MemoryReportOptions options, Action<object> write, Action<MlfException> fail, Action<string> warn, CancellationToken cancellationToken)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _write = write ?? throw new ArgumentNullException(nameof(write));
            _fail = fail ?? throw new ArgumentNullException(nameof(fail));
            _warn = warn ?? throw new ArgumentNullException(nameof(warn));
            _cancellationToken = cancellationToken;
            if (_options.Budgets == null) _options.Budgets = new MemoryBudgets();
        }

        /// <summary>Every module or total over a budget so far, one per figure, in the order the reports were emitted.</summary>
        public IReadOnlyList<MemoryBudgetFinding> Findings => _findings.AsReadOnly();

        /// <summary>Every module, C runtime and total report emitted so far (also with -ByFunction, which emits function reports for modules instead).</summary>
        public IReadOnlyList<MemoryReport> Reports => _reports.AsReadOnly();

        /// <summary>Reports the modules of one archive now.</summary>
        public void AddArchive(IEnumerable<MlfModule> modules)
        {
            if (modules == null) throw new ArgumentNullException(nameof(modules));
            foreach (var module in modules.ToList()) AddModule(module);
        }

        /// <summary>Reports one module now.</summary>
        public void AddModule(MlfModule module)
        {
            if (module == null) throw new ArgumentNullException(nameof(module));
            _received.Add(module);
            IReadOnlyList<MemoryReport> moduleReports;
            try
            {
                // -Link measures the code once, in the linked firmware: the rows wait for it.
                moduleReports = ModuleMemoryReports.ForModule(module, _options.Link ? null : _options.CodeSize, _cancellationToken);
            }
            catch (MlfException ex)
            {
                _fail(ex);
                _failed = true;
                return;
            }
            if (_options.Link) _awaitingLink.Add(moduleReports);
            else EmitModule(moduleReports);
        }

        /// <summary>Emits a module's reports with their budgets applied, each naming its archive where its name does not tell it apart.</summary>
        private void EmitModule(IReadOnlyList<MemoryReport> moduleReports)
        {
            _findings.AddRange(BudgetChecks.Apply(moduleReports, _options.Budgets));
            foreach (var report in moduleReports) report.ShowsArchive = NameTellsApart(report) == false;
            Emit(moduleReports, total: false);
        }

        /// <summary>-Link without a firmware (a module or the link failed): the modules' reports with the figures their metadata gives.</summary>
        private void EmitUnlinked()
        {
            foreach (var moduleReports in _awaitingLink) Emit(moduleReports, total: false);
        }

        /// <summary>
        /// With totals: emits the C runtimes (with a compiler), then one total per device over every module received and
        /// one runtime (none when a module or runtime failed).
        /// </summary>
        public void Complete()
        {
            if (_received.Count == 0 && !_failed && (_options.Total || !_options.Budgets.IsEmpty))
            {
                _fail(new MlfException(MlfErrorIds.NoModules,
                    "No module was received, so there is nothing to " + (_options.Total ? "total" : "check against the budgets") +
                    ": a gate never passes what it did not measure. Check that -Path names the archives (a wildcard that matches no file is no error by itself).",
                    null));
                return;
            }
            if (_options.Link)
            {
                if (!_failed) CompleteLinked();
                else EmitUnlinked(); // no firmware without every module
                return;
            }
            if (!_options.Total || _failed) return;
            if (_reports.Count(r => !r.IsTotal) == 0) return;
            if (!string.IsNullOrEmpty(_options.CodeSize?.Compiler)) AddRuntimes();
            if (_failed) return;
            var totals = MemoryTotals.Of(_reports.Where(r => !r.IsTotal).ToList());
            // A total over one archive names it: one command per archive gives a "(total)" row for each, in one table.
            foreach (var total in totals) total.ShowsArchive = total.Archive != null;
            _findings.AddRange(BudgetChecks.Apply(totals, _options.Budgets));
            Emit(totals, total: true);
        }

        /// <summary>
        /// -Link: measures the firmware of every module received, then emits the models' rows as linked (with their
        /// budgets), the rows of the firmware's other parts and the totals, the CPU's the linked image.
        /// </summary>
        private void CompleteLinked()
        {
            LinkedFirmware firmware;
            try
            {
                firmware = FirmwareMeasurement.Measure(_received, _options.CodeSize, _warn, _cancellationToken);
            }
            catch (MlfException ex)
            {
                EmitUnlinked();
                _fail(ex);
                _failed = true;
                return;
            }
            LinkedReports.SetModels(_awaitingLink, firmware);
            foreach (var moduleReports in _awaitingLink) EmitModule(moduleReports);
            var archives = _received.Select(m => m.SourcePath).Distinct(StringComparer.Ordinal).ToList();
            Emit(LinkedReports.Parts(firmware, archives.Count == 1 ? archives[0] : null), total: true);
            if (firmware.HeapNote != null) _warn("The firmware's RAM leaves out the heap: " + firmware.HeapNote + ".");
            if (firmware.StackNote != null) _warn("The firmware's RAM " + (firmware.StackBytes == null ? "leaves out the stack: " : "may need more stack than it counts: ") + firmware.StackNote + ".");
            var totals = LinkedReports.Totals(_awaitingLink.SelectMany(r => r), firmware);
            foreach (var total in totals) total.ShowsArchive = total.Archive != null;
            _findings.AddRange(BudgetChecks.Apply(totals, _options.Budgets));
            Emit(totals, total: true);
        }

        /// <summary>
        /// Compiles each distinct C runtime of the archives received (graph_executor too when a module uses the graph
        /// executor) and emits its report; warns when there is none, or several (the total counts the largest).
        /// </summary>
        private void AddRuntimes()
        {
            var measured = new List<(StandaloneRuntime Runtime, MemoryReport Report)>();
            bool graphExecutor = _received.Any(m => m.Executors.Contains("graph"));
            try
            {
                var runtimes = StandaloneRuntime.DistinctOf(_received, _cancellationToken);
                foreach (var runtime in runtimes)
                {
                    var size = CodeSizeMeasurer.MeasureRuntime(runtime, graphExecutor, _options.CodeSize, _cancellationToken);
                    var report = RuntimeReports.For(runtime, size);
                    report.ShowsArchive = runtimes.Count > 1; // several "(runtime)" rows: each names the archive it came from
                    measured.Add((runtime, report));
                    Emit(new[] { report }, total: true); // a runtime is emitted as a report, also with -ByFunction
                }
            }
            catch (MlfException ex)
            {
                _fail(ex);
                _failed = true;
                return;
            }
            if (measured.Count == 0) _warn(RuntimeReports.NoRuntime(graphExecutor));
            else if (measured.Count > 1) _warn(RuntimeReports.SeveralRuntimes(measured, RuntimeReports.Counted(measured.Select(m => m.Report))));
        }

        /// <summary>
        /// Whether a module's name tells its row apart in one table of everything the command emits: not TVM's default name
        /// "default", which every model built without a name has, nor a name already reported from another archive.
        /// </summary>
        private bool NameTellsApart(MemoryReport report)
        {
            if (report.Module == null || report.Archive == null) return true;
            bool tells = !string.Equals(report.Module, TvmDefaultName, StringComparison.Ordinal);
            if (_archiveOfName.TryGetValue(report.Module, out var archive))
            {
                if (!string.Equals(archive, report.Archive, StringComparison.Ordinal)) tells = false;
            }
            else
            {
                _archiveOfName.Add(report.Module, report.Archive);
            }
            return tells;
        }

        private void Emit(IReadOnlyList<MemoryReport> reports, bool total)
        {
            _reports.AddRange(reports);
            if (_options.ByFunction && !total)
            {
                foreach (var function in ModuleMemoryReports.FunctionsOf(reports)) _write(function);
            }
            else
            {
                foreach (var report in reports) _write(report);
            }
        }
    }
}
