using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Report;
using MlfTools.Text;

namespace MlfTools.Linking
{
    /// <summary>The memory reports of a linked firmware: each model's row as linked, a row per other part, and the image as the total.</summary>
    internal static class LinkedReports
    {
        /// <summary>
        /// Sets each model's host row to what the linker kept of it: its code and data (its helpers' arena and data file
        /// included); RAM is its data and zero-init data, plus its inputs and outputs for AOT (a firmware passes buffers
        /// to the run), flash its code, read-only and initial data.
        /// </summary>
        public static void SetModels(IReadOnlyList<IReadOnlyList<MemoryReport>> moduleReports, LinkedFirmware firmware)
        {
            for (int i = 0; i < moduleReports.Count; i++)
            {
                var host = moduleReports[i].FirstOrDefault(r => r.DeviceType == DeviceNames.CpuDeviceType) ?? moduleReports[i].FirstOrDefault();
                if (host == null) continue;
                var size = firmware.Models[i].Size;
                Set(host, size);
                bool aot = host.Executor != null && host.Executor.Split(',').Contains("aot");
                host.RamBytes = aot ? MemoryFigures.Add(host.RamBytes, host.InputBytes, host.OutputBytes) : host.RamBytes;
                host.RamAtLeastBytes = aot ? Saturating.Add(Saturating.Add(size.RamBytes, host.InputBytes ?? 0), host.OutputBytes ?? 0) : size.RamBytes;
            }
        }

        /// <summary>The rows of the C runtime, the helpers, the C library and the rest, each a part of the image.</summary>
        public static IReadOnlyList<MemoryReport> Parts(LinkedFirmware firmware, string archive) =>
            new[]
            {
                Part(MemoryReport.RuntimeModuleName, firmware.Runtime, archive, runtime: true),
                Part(MemoryReport.HelpersModuleName, firmware.Helpers, archive, runtime: false),
                Part(MemoryReport.LibraryModuleName, firmware.Library, archive, runtime: false),
                Part(MemoryReport.OtherModuleName, firmware.Other, archive, runtime: false),
            };

        /// <summary>
        /// The totals: the model figures summed as <see cref="MemoryTotals"/> sums them, and on the CPU the linked image:
        /// flash its code, read-only and initial data, RAM its data and zero-init data and the deepest stack.
        /// </summary>
        public static IReadOnlyList<MemoryReport> Totals(IEnumerable<MemoryReport> modelReports, LinkedFirmware firmware)
        {
            var totals = MemoryTotals.Of(modelReports).ToList();
            var cpu = totals.FirstOrDefault(t => t.DeviceType == DeviceNames.CpuDeviceType);
            if (cpu == null)
            {
                cpu = new MemoryReport
                {
                    Module = MemoryReport.TotalModuleName,
                    DeviceType = DeviceNames.CpuDeviceType,
                    Device = DeviceNames.Of(DeviceNames.CpuDeviceType),
                    Functions = Array.AsReadOnly(new FunctionMemoryReport[0]),
                    IsTotal = true,
                };
                totals.Insert(0, cpu);
            }
            Set(cpu, firmware.Image);
            cpu.StackBytes = firmware.StackBytes;
            cpu.RamBytes = MemoryFigures.Add(cpu.RamBytes, firmware.StackBytes);
            cpu.RamAtLeastBytes = Saturating.Add(firmware.Image.RamBytes, firmware.StackBytes ?? 0);
            return totals.AsReadOnly();
        }

        private static MemoryReport Part(string name, CodeSize size, string archive, bool runtime)
        {
            var report = new MemoryReport
            {
                Module = name,
                Archive = archive,
                DeviceType = DeviceNames.CpuDeviceType,
                Device = DeviceNames.Of(DeviceNames.CpuDeviceType),
                Functions = Array.AsReadOnly(new FunctionMemoryReport[0]),
                IsRuntime = runtime,
                IsFirmwarePart = true,
            };
            Set(report, size);
            return report;
        }

        private static void Set(MemoryReport report, CodeSize size)
        {
            report.CodeBytes = size.CodeBytes;
            report.ReadOnlyDataBytes = size.ReadOnlyDataBytes;
            report.DataBytes = size.DataBytes;
            report.ZeroInitBytes = size.ZeroInitBytes;
            report.FlashBytes = size.FlashBytes;
            report.FlashAtLeastBytes = size.FlashBytes;
            report.RamBytes = size.RamBytes;
            report.RamAtLeastBytes = size.RamBytes;
        }
    }
}
