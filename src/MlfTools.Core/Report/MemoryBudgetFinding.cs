using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MlfTools
{
    /// <summary>A module or total whose figure is over its budget, or unknown so that its budget cannot be said to hold.</summary>
    public sealed class MemoryBudgetFinding
    {
        internal MemoryBudgetFinding(MemoryReport report, MemoryBudgetUse use, string message)
        {
            Report = report;
            Figure = use.Figure;
            Value = use.Value;
            AtLeast = use.AtLeast;
            Budget = use.Budget;
            ErrorId = use.IsOver ? MlfErrorIds.MemoryBudgetExceeded : MlfErrorIds.MemoryFigureUnknown;
            Message = message;
        }

        /// <summary>The report that is over budget (a module's or a total).</summary>
        public MemoryReport Report { get; }

        public string Module => Report.Module;
        public string Archive => Report.Archive;
        public string Device => Report.Device;
        public bool IsTotal => Report.IsTotal;

        /// <summary>The property the budget limits: "RamBytes", "FlashBytes", "WorkspaceBytes", "ConstantsBytes" or "IoBytes".</summary>
        public string Figure { get; }

        /// <summary>The figure's value; null when it is unknown.</summary>
        public long? Value { get; }

        /// <summary>The value, or the known part of an unknown value (a lower bound).</summary>
        public long AtLeast { get; }

        public long Budget { get; }

        /// <summary>MemoryBudgetExceeded when the figure (or its known part) is over the budget, MemoryFigureUnknown when it is unknown.</summary>
        public string ErrorId { get; }

        /// <summary>A sentence naming the module (or total), figure, value and budget, and what to do.</summary>
        public string Message { get; }

        /// <summary>The finding as an error (<see cref="ErrorId"/>), with the report as its target.</summary>
        public MlfException ToException() => new MlfException(ErrorId, Message, Report);

        /// <summary>
        /// One error for every finding of a gate, for the error that stops it: each violation on a line of its own
        /// (module, figure, value, budget), so the log names them all, not just the first. Its id is
        /// MemoryBudgetExceeded when any figure is over its budget, else MemoryFigureUnknown; its target the first report.
        /// </summary>
        public static MlfException Combine(IReadOnlyList<MemoryBudgetFinding> findings)
        {
            if (findings == null || findings.Count == 0) throw new ArgumentException("There is no finding to combine.", nameof(findings));
            if (findings.Count == 1) return findings[0].ToException();
            string id = findings.Any(f => f.ErrorId == MlfErrorIds.MemoryBudgetExceeded) ? MlfErrorIds.MemoryBudgetExceeded : MlfErrorIds.MemoryFigureUnknown;
            var text = new StringBuilder($"{findings.Count} memory budget checks failed:");
            foreach (var finding in findings) text.Append(Environment.NewLine).Append("- ").Append(finding.Message);
            return new MlfException(id, text.ToString(), findings[0].Report);
        }

        public override string ToString() => Message;
    }
}
