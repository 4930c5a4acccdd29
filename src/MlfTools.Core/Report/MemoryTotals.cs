using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Report;

namespace MlfTools
{
    /// <summary>The totals of memory reports: one per device over the modules, with the C runtime counted once.</summary>
    public static class MemoryTotals
    {
        /// <summary>
        /// One total per device (in order of first appearance) over the given module reports (totals among them are
        /// ignored). WorkspaceBytes, ConstantsBytes, IoBytes, ParametersBytes and ParameterCount are summed as TVM's own
        /// tools sum workspaces across modules (a figure no module gives stays null); InputBytes, OutputBytes, RamBytes,
        /// FlashBytes and the measured code figures are summed too, but are null when any module lacks them (a total
        /// that leaves a module out would understate the firmware). Module is "(total)"; Archive is the modules'
        /// archive when they share one, else null; the other figures are null (Functions empty). C runtime reports
        /// (<see cref="MemoryReport.IsRuntime"/>) among them add their code, data, RAM and flash once: a firmware links one
        /// runtime, so of several the one with the most flash is counted. The other parts -Link reports (helpers, C library,
        /// the rest: <see cref="MemoryReport.IsFirmwarePart"/>) are not modules and are left out: -Link's total is the image.
        /// </summary>
        public static IReadOnlyList<MemoryReport> Of(IEnumerable<MemoryReport> reports)
        {
            if (reports == null) throw new ArgumentNullException(nameof(reports));
            var modules = reports.Where(r => r != null && !r.IsTotal && !r.IsRuntime && !r.IsFirmwarePart).ToList();
            var runtime = RuntimeReports.Counted(reports);
            var archives = modules.Select(r => r.Archive).Distinct(StringComparer.Ordinal).ToList();
            string archive = archives.Count == 1 ? archives[0] : null;
            var totals = new List<MemoryReport>();
            foreach (var group in modules.GroupBy(r => r.DeviceType))
            {
                totals.Add(new MemoryReport
                {
                    Module = MemoryReport.TotalModuleName,
                    Archive = archive,
                    DeviceType = group.Key,
                    Device = DeviceNames.Of(group.Key),
                    WorkspaceBytes = MemoryFigures.Sum(group.Select(r => r.WorkspaceBytes)),
                    ConstantsBytes = MemoryFigures.Sum(group.Select(r => r.ConstantsBytes)),
                    CodeConstantsBytes = MemoryFigures.Sum(group.Select(r => r.CodeConstantsBytes)),
                    IoBytes = MemoryFigures.Sum(group.Select(r => r.IoBytes)),
                    InputBytes = MemoryFigures.Add(group.Select(r => r.InputBytes).ToArray()),
                    OutputBytes = MemoryFigures.Add(group.Select(r => r.OutputBytes).ToArray()),
                    RamBytes = MemoryFigures.Add(group.Select(r => r.RamBytes).ToArray()),
                    ArenaBytes = MemoryFigures.Add(group.Select(r => r.ArenaBytes).ToArray()),
                    FlashBytes = MemoryFigures.Add(group.Select(r => r.FlashBytes).ToArray()),
                    RamAtLeastBytes = MemoryFigures.Sum(group.Select(r => (long?)r.RamAtLeastBytes)) ?? 0,
                    FlashAtLeastBytes = MemoryFigures.Sum(group.Select(r => (long?)r.FlashAtLeastBytes)) ?? 0,
                    CodeBytes = MemoryFigures.Add(group.Select(r => r.CodeBytes).ToArray()),
                    ReadOnlyDataBytes = MemoryFigures.Add(group.Select(r => r.ReadOnlyDataBytes).ToArray()),
                    DataBytes = MemoryFigures.Add(group.Select(r => r.DataBytes).ToArray()),
                    ZeroInitBytes = MemoryFigures.Add(group.Select(r => r.ZeroInitBytes).ToArray()),
                    Functions = Array.AsReadOnly(new FunctionMemoryReport[0]),
                    ParametersBytes = MemoryFigures.Sum(group.Select(r => r.ParametersBytes)),
                    ParameterCount = (int)Math.Min(int.MaxValue, group.Sum(r => (long)r.ParameterCount)),
                    IsTotal = true,
                });
            }
            if (runtime != null) RuntimeReports.AddTo(totals, runtime);
            return totals.AsReadOnly();
        }
    }
}
