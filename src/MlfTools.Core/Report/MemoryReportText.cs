using System;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace MlfTools
{
    /// <summary>The text the format views show for memory reports: sizes with an OVER mark, and budget use.</summary>
    public static class MemoryReportText
    {
        /// <summary>The mark written after a figure that is over its budget.</summary>
        public const string OverMark = "OVER";

        /// <summary>
        /// A byte figure of the report (a property name such as "RamBytes") as people read it, followed by " OVER" when it
        /// is over its budget; empty when the report does not know the figure.
        /// </summary>
        public static string Figure(MemoryReport report, string figure)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var property = typeof(MemoryReport).GetProperty(figure, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new ArgumentException($"MemoryReport has no property '{figure}'.", nameof(figure));
            string text;
            if (property.GetValue(report) is long value)
            {
                text = MemoryReports.FormatBytes(value);
            }
            else
            {
                // Unknown: what is known of it (a lower bound), or "?" where a budget asked for it.
                long atLeast = figure == nameof(MemoryReport.RamBytes) ? report.RamAtLeastBytes : figure == nameof(MemoryReport.FlashBytes) ? report.FlashAtLeastBytes : 0;
                bool budgeted = report.Budgets.Any(u => u.Figure == figure);
                text = atLeast > 0 ? ">=" + MemoryReports.FormatBytes(atLeast) : budgeted ? "?" : string.Empty;
                if (text.Length == 0) return text;
            }
            return report.IsOver(figure) ? text + " " + OverMark : text;
        }

        /// <summary>The largest use of a budget, "87%", followed by " OVER" when any figure is over; empty without budgets.</summary>
        public static string Used(MemoryReport report)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            if (report.Budgets.Count == 0) return string.Empty;
            string percent = report.UsedPercent == null
                ? "?"
                : double.IsPositiveInfinity(report.UsedPercent.Value) ? "inf%" : Math.Round(report.UsedPercent.Value).ToString("0", CultureInfo.InvariantCulture) + "%";
            return report.Status == "OVER" ? percent + " " + OverMark : percent;
        }
    }
}
