using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace MlfTools
{
    /// <summary>
    /// Turns modules into the objects Get-MlfMemoryReport emits, in order, and collects the budget findings to be
    /// reported after them. Each module's reports are emitted as soon as the module arrives (<see cref="AddArchive"/>,
    /// <see cref="AddModule"/>), with the budgets applied; with <see cref="MemoryReportOptions.Total"/>,
    /// <see cref="Complete"/> then emits one total per device over every module received: the firmware's figure. A
    /// module whose memory section is malformed, or whose code cannot be measured, is reported through the error
    /// callback; the totals are then left out (a total without it would understate the firmware), and the other modules
    /// are still reported. Every figure over its budget gives exactly one finding.
    /// </summary>
    public sealed class MemoryReportSession
    {
        private readonly MemoryReportOptions _options;
        private readonly Action<object> _write;
        private readonly Action<MlfException> _fail;
        private readonly CancellationToken _cancellationToken;
        private readonly List<MemoryBudgetFinding> _findings = new List<MemoryBudgetFinding>();
        private readonly List<MemoryReport> _reports = new List<MemoryReport>();
        private bool _failed;

        /// <param name="options">What to emit and the budgets to check.</param>
        /// <param name="write">Receives each <see cref="MemoryReport"/> or <see cref="FunctionMemoryReport"/>, in output order.</param>
        /// <param name="fail">Receives the error of a module that cannot be reported.</param>
        public MemoryReportSession(MemoryReportOptions options, Action<object> write, Action<MlfException> fail)
            : this(options, write, fail, CancellationToken.None)
        {
        }

        public MemoryReportSession(MemoryReportOptions options, Action<object> write, Action<MlfException> fail, CancellationToken cancellationToken)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _write = write ?? throw new ArgumentNullException(nameof(write));
            _fail = fail ?? throw new ArgumentNullException(nameof(fail));
            _cancellationToken = cancellationToken;
            if (_options.Budgets == null) _options.Budgets = new MemoryBudgets();
        }

        /// <summary>Every module or total over a budget so far, one per figure, in the order the reports were emitted.</summary>
        public IReadOnlyList<MemoryBudgetFinding> Findings => _findings.AsReadOnly();

        /// <summary>Every module and total report emitted so far (also with -ByFunction, which emits function reports instead).</summary>
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
            IReadOnlyList<MemoryReport> moduleReports;
            try
            {
                moduleReports = MemoryReports.ForModule(module, _options.CodeSize, _cancellationToken);
            }
            catch (MlfException ex)
            {
                _fail(ex);
                _failed = true;
                return;
            }
            _findings.AddRange(MemoryReports.CheckBudgets(moduleReports, _options.Budgets));
            Emit(moduleReports, total: false);
        }

        /// <summary>With totals: emits one total per device over every module received (none when a module failed).</summary>
        public void Complete()
        {
            if (!_options.Total || _failed) return;
            var modules = _reports.Where(r => !r.IsTotal).ToList();
            if (modules.Count == 0) return;
            var totals = MemoryReports.Totals(modules);
            _findings.AddRange(MemoryReports.CheckBudgets(totals, _options.Budgets));
            Emit(totals, total: true);
        }

        private void Emit(IReadOnlyList<MemoryReport> reports, bool total)
        {
            _reports.AddRange(reports);
            if (_options.ByFunction && !total)
            {
                foreach (var function in MemoryReports.FunctionsOf(reports)) _write(function);
            }
            else
            {
                foreach (var report in reports) _write(report);
            }
        }
    }
}
