using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Linq;

namespace MlfTools.Report
{
    /// <summary>The report of a compiled C runtime, and the warnings about the runtime a total counts.</summary>
    internal static class RuntimeReports
    {
        /// <summary>The runtime's row: its measured code on the CPU; flash is code, read-only data and initial data, RAM is data and zero-init.</summary>
        public static MemoryReport For(StandaloneRuntime runtime, CodeSize size) => new MemoryReport
        {
            Module = MemoryReport.RuntimeModuleName,
            Archive = runtime.Carrier.SourcePath,
            DeviceType = DeviceNames.CpuDeviceType,
            Device = DeviceNames.Of(DeviceNames.CpuDeviceType),
            CodeBytes = size.CodeBytes,
            ReadOnlyDataBytes = size.ReadOnlyDataBytes,
            DataBytes = size.DataBytes,
            ZeroInitBytes = size.ZeroInitBytes,
            FlashBytes = size.FlashBytes,
            RamBytes = size.RamBytes,
            Functions = Array.AsReadOnly(new FunctionMemoryReport[0]),
            IsRuntime = true,
        };

        /// <summary>
        /// The C runtime report a total counts: of the runtime reports given, the one with the most FlashBytes (the first of
        /// equals); null when there is none.
        /// </summary>
        public static MemoryReport Counted(IEnumerable<MemoryReport> reports)
        {
            MemoryReport counted = null;
            foreach (var report in reports.Where(r => r != null && r.IsRuntime))
            {
                if (counted == null || (report.FlashBytes ?? -1) > (counted.FlashBytes ?? -1)) counted = report;
            }
            return counted;
        }

        /// <summary>
        /// Adds the runtime's code, data, RAM and flash to the total of its device (a figure a module lacks stays null);
        /// a device no module uses gets a total of its own.
        /// </summary>
        public static void AddTo(List<MemoryReport> totals, MemoryReport runtime)
        {
            var total = totals.FirstOrDefault(t => t.DeviceType == runtime.DeviceType);
            if (total == null)
            {
                totals.Add(new MemoryReport
                {
                    Module = MemoryReport.TotalModuleName,
                    Archive = runtime.Archive,
                    DeviceType = runtime.DeviceType,
                    Device = runtime.Device,
                    RamBytes = runtime.RamBytes,
                    FlashBytes = runtime.FlashBytes,
                    CodeBytes = runtime.CodeBytes,
                    ReadOnlyDataBytes = runtime.ReadOnlyDataBytes,
                    DataBytes = runtime.DataBytes,
                    ZeroInitBytes = runtime.ZeroInitBytes,
                    Functions = Array.AsReadOnly(new FunctionMemoryReport[0]),
                    IsTotal = true,
                });
                return;
            }
            total.RamAtLeastBytes = Saturating.Add(total.RamAtLeastBytes, runtime.RamAtLeastBytes);
            total.FlashAtLeastBytes = Saturating.Add(total.FlashAtLeastBytes, runtime.FlashAtLeastBytes);
            total.RamBytes = MemoryFigures.Add(total.RamBytes, runtime.RamBytes);
            total.FlashBytes = MemoryFigures.Add(total.FlashBytes, runtime.FlashBytes);
            total.CodeBytes = MemoryFigures.Add(total.CodeBytes, runtime.CodeBytes);
            total.ReadOnlyDataBytes = MemoryFigures.Add(total.ReadOnlyDataBytes, runtime.ReadOnlyDataBytes);
            total.DataBytes = MemoryFigures.Add(total.DataBytes, runtime.DataBytes);
            total.ZeroInitBytes = MemoryFigures.Add(total.ZeroInitBytes, runtime.ZeroInitBytes);
        }

        /// <summary>Several different runtimes were received: which they are, and which one the total counts.</summary>
        public static string SeveralRuntimes(IReadOnlyList<(StandaloneRuntime Runtime, MemoryReport Report)> measured, MemoryReport counted)
        {
            var kept = measured.First(m => ReferenceEquals(m.Report, counted));
            return $"The archives received carry {measured.Count} different C runtimes: " +
                string.Join("; ", measured.Select(m => $"{m.Runtime.Describe()}, {ByteSize.Format(m.Report.FlashBytes ?? 0)} of flash")) +
                $". A firmware links one, so the total counts the largest: {kept.Runtime.Describe()}. " +
                "Build the models with one TVM version for one runtime, or get one total per archive with one command per archive.";
        }

        /// <summary>
        /// No archive received carries a runtime: the total leaves it out. What that leaves out depends on the executors: a
        /// graph executor firmware links the runtime and its graph executor; an AOT one with the C interface links only the
        /// workspace functions, when its model calls them.
        /// </summary>
        public static string NoRuntime(bool graphExecutor) =>
            "No archive received carries the C runtime (runtime/, TVM's standalone CRT), so the total leaves it out. " +
            (graphExecutor
                ? "A graph executor model needs the runtime and its graph executor linked in, so the firmware needs more flash and RAM than the total says. "
                : "An AOT firmware with the C interface links little of it: at most the workspace functions (about 250 B of code), where a model allocates its workspace through TVMBackendAllocWorkspace. ") +
            "No -Compiler or -IncludePath can add it: the runtime is not in the archives. Add an archive that carries it (AOT models exported " +
            "with TVM's C runtime do) to the command, or add the runtime's size yourself.";
    }
}
