using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using MlfTools.Text;

namespace MlfTools
{
    /// <summary>The text the format views show for memory reports: sizes with an OVER mark, and budget use.</summary>
    public static class MemoryReportText
    {
        /// <summary>The mark written after a figure that is over its budget.</summary>
        public const string OverMark = "OVER";

        /// <summary>
        /// What the table view shows in its Module column: the module's name, then the file name of its archive in
        /// parentheses where Get-MlfMemoryReport found that the name does not tell the row apart (TVM's default name
        /// "default", a name two archives have, several C runtimes, a total over one archive), then the device when it is not the CPU:
        /// "default (kws.tar)", "kws (ethos-u)".
        /// </summary>
        public static string Module(MemoryReport report)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            var text = new StringBuilder(report.Module ?? string.Empty);
            string archive = report.ShowsArchive ? ArchiveFileName(report.Archive) : string.Empty;
            if (archive.Length > 0) text.Append(" (").Append(archive).Append(')');
            if (report.DeviceType != DeviceNames.CpuDeviceType) text.Append(" (").Append(report.Device).Append(')');
            return text.ToString();
        }

        private static string ArchiveFileName(string archive)
        {
            if (string.IsNullOrEmpty(archive)) return string.Empty;
            return Path.GetFileName(archive.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        }

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
                text = Over(value, report.Budgets.FirstOrDefault(u => u.Figure == figure && u.IsOver)?.Budget);
            }
            else
            {
                // Unknown: what is known of it (a lower bound), or "?" where a budget asked for it.
                long atLeast = figure == nameof(MemoryReport.RamBytes) ? report.RamAtLeastBytes : figure == nameof(MemoryReport.FlashBytes) ? report.FlashAtLeastBytes : 0;
                bool budgeted = report.Budgets.Any(u => u.Figure == figure);
                text = atLeast > 0 ? ">=" + ByteSize.Format(atLeast) : budgeted ? "?" : string.Empty;
                if (text.Length == 0) return text;
            }
            return report.IsOver(figure) ? text + " " + OverMark : text;
        }

        /// <summary>
        /// A figure over its budget, with as many decimals as it takes (up to 3, then bytes) not to read as the budget:
        /// 1,100,000 bytes over a 1 MiB budget is "1.05 MiB OVER", 1,049,000 bytes "1049000 B OVER", never "1.0 MiB OVER".
        /// </summary>
        private static string Over(long value, long? budget)
        {
            if (budget == null) return ByteSize.Format(value);
            for (int decimals = 1; decimals <= 3; decimals++)
            {
                string text = ByteSize.Format(value, decimals);
                if (text != ByteSize.Format(budget.Value, decimals)) return text;
            }
            return value.ToString(CultureInfo.InvariantCulture) + " B";
        }

        /// <summary>
        /// The largest use of a budget, "87%", followed by " OVER" when any figure is over; "?" when a budgeted figure is
        /// unknown; empty without budgets. A budget of 0 has no percentage: only OVER shows.
        /// </summary>
        public static string Used(MemoryReport report)
        {
            if (report == null) throw new ArgumentNullException(nameof(report));
            if (report.Budgets.Count == 0) return string.Empty;
            string percent = report.UsedPercent != null
                ? Math.Round(report.UsedPercent.Value).ToString("0", CultureInfo.InvariantCulture) + "%"
                : report.Budgets.Any(u => u.IsUnknown) ? "?" : null;
            if (report.Status != "OVER") return percent ?? string.Empty;
            return percent == null ? OverMark : percent + " " + OverMark;
        }
    }
}
