using System;
using System.Collections.Generic;
using System.Linq;

namespace MlfTools
{
    /// <summary>
    /// Turns modules into the objects Get-MlfMemoryReport emits, in order, and collects the budget findings to be
    /// reported after them. Modules arrive one archive at a time (<see cref="AddArchive"/>) or one module at a time
    /// (<see cref="AddModule"/>); with <see cref="MemoryReportOptions.Total"/>, single modules are grouped by their
    /// archive (SourcePath, in order of first arrival) and emitted by <see cref="Complete"/>, each group followed by
    /// its totals. A module whose memory section is malformed is reported through the error callback, its archive then
    /// gets no total (a total without it would understate the archive), and the other modules are still reported.
    /// </summary>
    public sealed class MemoryReportSession
    {
        private readonly MemoryReportOptions _options;
        private readonly Action<object> _write;
        private readonly Action<MlfException> _fail;
        private readonly List<MemoryBudgetFinding> _findings = new List<MemoryBudgetFinding>();
        private readonly List<List<MlfModule>> _pending = new List<List<MlfModule>>();
        private readonly Dictionary<string, List<MlfModule>> _pendingBySource = new Dictionary<string, List<MlfModule>>(StringComparer.Ordinal);

        /// <param name="options">What to emit and the budgets to check.</param>
        /// <param name="write">Receives each <see cref="MemoryReport"/> or <see cref="FunctionMemoryReport"/>, in output order.</param>
        /// <param name="fail">Receives the error of a module that cannot be reported.</param>
        public MemoryReportSession(MemoryReportOptions options, Action<object> write, Action<MlfException> fail)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _write = write ?? throw new ArgumentNullException(nameof(write));
            _fail = fail ?? throw new ArgumentNullException(nameof(fail));
            if (_options.Budgets == null) _options.Budgets = new MemoryBudgets();
        }

        /// <summary>Every module or total over a budget so far, in the order the reports were emitted.</summary>
        public IReadOnlyList<MemoryBudgetFinding> Findings => _findings.AsReadOnly();

        /// <summary>Reports the modules of one archive now, followed by the archive's totals when asked for.</summary>
        public void AddArchive(IEnumerable<MlfModule> modules)
        {
            if (modules == null) throw new ArgumentNullException(nameof(modules));
            Emit(modules.ToList(), _options.Total);
        }

        /// <summary>Reports one module now, or, with totals, keeps it with the other modules of its archive until <see cref="Complete"/>.</summary>
        public void AddModule(MlfModule module)
        {
            if (module == null) throw new ArgumentNullException(nameof(module));
            if (!_options.Total)
            {
                Emit(new List<MlfModule> { module }, total: false);
                return;
            }
            string source = module.SourcePath ?? string.Empty;
            if (!_pendingBySource.TryGetValue(source, out var group))
            {
                group = new List<MlfModule>();
                _pendingBySource[source] = group;
                _pending.Add(group);
            }
            group.Add(module);
        }

        /// <summary>Emits the modules kept by <see cref="AddModule"/>, archive by archive, each followed by its totals.</summary>
        public void Complete()
        {
            var groups = _pending.ToList();
            _pending.Clear();
            _pendingBySource.Clear();
            foreach (var group in groups) Emit(group, total: true);
        }

        private void Emit(List<MlfModule> modules, bool total)
        {
            var reports = new List<MemoryReport>();
            bool failed = false;
            foreach (var module in modules)
            {
                IReadOnlyList<MemoryReport> moduleReports;
                try
                {
                    moduleReports = MemoryReports.ForModule(module);
                }
                catch (MlfException ex)
                {
                    _fail(ex);
                    failed = true;
                    continue;
                }
                if (_options.ByFunction)
                {
                    foreach (var function in MemoryReports.FunctionsOf(moduleReports)) _write(function);
                }
                else
                {
                    foreach (var report in moduleReports) _write(report);
                }
                reports.AddRange(moduleReports);
                _findings.AddRange(MemoryReports.CheckBudgets(moduleReports, _options.Budgets));
            }
            if (!total || failed || reports.Count == 0) return;
            var totals = MemoryReports.Totals(reports);
            foreach (var report in totals) _write(report);
            _findings.AddRange(MemoryReports.CheckBudgets(totals, _options.Budgets));
        }
    }
}
