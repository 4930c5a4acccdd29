using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MlfTools.Text;

namespace MlfTools
{
    /// <summary>Memory budgets applied to memory reports: each figure against its budget, and the findings of those over or unknown.</summary>
    public static class BudgetChecks
    {
        /// <summary>
        /// Applies the budgets to each report (module or total): sets its <see cref="MemoryReport.Budgets"/>,
        /// <see cref="MemoryReport.UsedPercent"/> and <see cref="MemoryReport.Status"/>, and returns one finding per
        /// figure over its budget, in report order and figure order (RAM, flash, workspace, constants, I/O). A figure
        /// equal to its budget passes. A figure the report does not know is checked by its known part (RAM and flash: the
        /// workspace without the unknown inputs, say), and is a MemoryFigureUnknown finding unless
        /// <see cref="MemoryBudgets.AllowUnknown"/>: what was not measured never passes a gate silently.
        /// </summary>
        public static IReadOnlyList<MemoryBudgetFinding> Apply(IEnumerable<MemoryReport> reports, MemoryBudgets budgets)
        {
            if (reports == null) throw new ArgumentNullException(nameof(reports));
            if (budgets == null) throw new ArgumentNullException(nameof(budgets));
            foreach (var budget in new[] { budgets.RamBytes, budgets.FlashBytes, budgets.WorkspaceBytes, budgets.ConstantsBytes, budgets.IoBytes })
            {
                if (budget < 0) throw new ArgumentOutOfRangeException(nameof(budgets), budget, "A memory budget cannot be negative.");
            }
            var findings = new List<MemoryBudgetFinding>();
            foreach (var report in reports)
            {
                var uses = new List<MemoryBudgetUse>();
                string notInMetadata = report.IsTotal ? "a module's figure is unknown: see its row" : "metadata.json does not give it";
                Check(report, nameof(MemoryReport.RamBytes), "RAM", report.RamBytes, report.RamAtLeastBytes, budgets.RamBytes, "RamBudget", UnknownBecause(report, ram: true), budgets.AllowUnknown, uses, findings);
                Check(report, nameof(MemoryReport.FlashBytes), "flash", report.FlashBytes, report.FlashAtLeastBytes, budgets.FlashBytes, "FlashBudget", UnknownBecause(report, ram: false), budgets.AllowUnknown, uses, findings);
                Check(report, nameof(MemoryReport.WorkspaceBytes), "workspace memory", report.WorkspaceBytes, 0, budgets.WorkspaceBytes, "WorkspaceBudget", notInMetadata, budgets.AllowUnknown, uses, findings);
                Check(report, nameof(MemoryReport.ConstantsBytes), "constants memory", report.ConstantsBytes, 0, budgets.ConstantsBytes, "ConstantsBudget", notInMetadata, budgets.AllowUnknown, uses, findings);
                Check(report, nameof(MemoryReport.IoBytes), "input/output memory (TVM's io_size_bytes)", report.IoBytes, 0, budgets.IoBytes, "IoBudget", notInMetadata, budgets.AllowUnknown, uses, findings);
                report.Budgets = ItemList.Of(uses);
                if (uses.Count == 0) continue;
                var known = uses.Where(u => u.UsedPercent != null).ToList();
                report.UsedPercent = known.Count == 0 ? (double?)null : known.Max(u => u.UsedPercent.Value);
                report.Status = uses.Any(u => u.IsOver) ? "OVER" : uses.Any(u => u.IsUnknown) ? "UNKNOWN" : "OK";
            }
            return findings.AsReadOnly();
        }

        private static void Check(MemoryReport report, string figure, string what, long? value, long atLeast, long? budget, string parameter,
            string unknownBecause, bool allowUnknown, List<MemoryBudgetUse> uses, List<MemoryBudgetFinding> findings)
        {
            if (budget == null) return;
            var use = new MemoryBudgetUse(figure, value, budget.Value, atLeast);
            uses.Add(use);
            if (!use.IsOver && !(use.IsUnknown && !allowUnknown)) return;
            string subject = !report.IsTotal
                ? $"Module '{report.Module}' of '{report.Archive}'"
                : report.Archive != null ? $"The modules of '{report.Archive}' together" : "All the modules together";
            string budgetText = $"the budget of {ByteSize.Format(budget.Value)} ({budget.Value} bytes)";
            string message;
            if (!use.IsUnknown)
            {
                message = $"{subject} need{(report.IsTotal ? string.Empty : "s")} {ByteSize.Format(value.Value)} ({value.Value} bytes) of {what} on {report.Device}, " +
                    (use.UsedPercent == null ? budgetText : $"{use.UsedPercent.Value.ToString("0.#", CultureInfo.InvariantCulture)}% of {budgetText}") + $". Reduce the model (or what runs together) or raise -{parameter}.";
            }
            else if (use.IsOver)
            {
                message = $"{subject} need{(report.IsTotal ? string.Empty : "s")} more than {budgetText} of {what} on {report.Device}: its known part alone is {ByteSize.Format(atLeast)} ({atLeast} bytes), " +
                    $"and the rest is unknown ({unknownBecause}). Reduce the model (or what runs together) or raise -{parameter}.";
            }
            else
            {
                message = $"{subject}: the {what} on {report.Device} is unknown ({unknownBecause}), so -{parameter} {ByteSize.Format(budget.Value)} cannot be checked" +
                    (atLeast > 0 ? $"; its known part is {ByteSize.Format(atLeast)} ({atLeast} bytes), within the budget." : ".") +
                    " Measure what is missing (-Compiler measures code and data), or give -AllowUnknown to let unknown figures pass.";
            }
            findings.Add(new MemoryBudgetFinding(report, use, message));
        }

        /// <summary>Which parts of a report's RAM or flash are unknown, in words.</summary>
        private static string UnknownBecause(MemoryReport report, bool ram)
        {
            if (report.IsTotal) return "a module's figure is unknown: see its row";
            var missing = new List<string>();
            if (ram && report.ArenaUnknown) missing.Add("the graph executor's arena, whose kernels are neither C sources nor in metadata.json");
            if (ram && report.WorkspaceBytes == null && !report.ArenaUnknown) missing.Add("the workspace, which metadata.json does not give");
            if (ram && (report.InputBytes == null || report.OutputBytes == null)) missing.Add("the input and output sizes, which no file of the archive gives");
            if (!ram && report.WeightsIn == null) missing.Add("where the weights live");
            return string.Join("; ", missing.DefaultIfEmpty("a part of it is not given by the archive"));
        }
    }
}
