using System;
using System.Collections.Generic;
using System.Linq;

namespace MlfTools.Report
{
    /// <summary>
    /// The RAM and flash one device report adds up to, as the table in about_MlfTools gives them: each null when a part
    /// of it is unknown, and the known part beside it.
    /// </summary>
    internal static class RamAndFlash
    {
        /// <summary>
        /// Sets RamBytes, RamAtLeastBytes, FlashBytes and FlashAtLeastBytes of one device report. The host carries the
        /// code and the .params file; a figure any part of which is unknown stays null.
        /// </summary>
        public static void Set(MemoryReport report, MlfModule module, bool isHost, long? graphActivations, CodeSizeMeasurer.Result measured)
        {
            bool graph = module.Executors.Contains("graph");
            bool aot = module.Executors.Contains("aot");
            bool loadsParams = report.WeightsIn == WeightPlacement.ParamsFile;
            long? paramsFile = loadsParams && isHost ? module.Parameters?.FileSize : 0;
            bool hasMeasure = isHost && measured != null;

            // RAM: a graph executor's arena on the host (storage, bookkeeping, kernel workspaces), elsewhere its workspace
            // and tensors; for AOT the workspace (unless the code holds it in .bss) and the buffers; the code's own data.
            long? buffers = graph ? graphActivations : aot ? MemoryFigures.Add(report.InputBytes, report.OutputBytes) : null;
            long? workspace = hasMeasure && measured.WorkspaceInCode ? 0 : report.WorkspaceBytes;
            var ramParts = graph && isHost ? new List<long?> { report.ArenaBytes } : new List<long?> { workspace, buffers };
            if (hasMeasure) ramParts.AddRange(new long?[] { measured.Size.DataBytes, measured.Size.ZeroInitBytes });
            report.RamBytes = MemoryFigures.Add(ramParts.ToArray());
            report.RamAtLeastBytes = MemoryFigures.Sum(ramParts) ?? 0;

            // Flash: linked weights, or the .params blob; with measured code, the code itself (linked weights are in its read-only data).
            long?[] flashParts;
            if (hasMeasure) flashParts = new[] { measured.Size.CodeBytes, measured.Size.ReadOnlyDataBytes, measured.Size.DataBytes, loadsParams ? paramsFile : 0 };
            else if (report.WeightsIn == WeightPlacement.Code) flashParts = new[] { Larger(report.ConstantsBytes, report.CodeConstantsBytes) };
            else if (loadsParams) flashParts = new[] { paramsFile };
            else flashParts = new long?[] { null };
            report.FlashBytes = MemoryFigures.Add(flashParts);
            report.FlashAtLeastBytes = MemoryFigures.Sum(flashParts) ?? 0;
        }

        private static long? Larger(long? a, long? b) => a == null ? b : b == null ? a : Math.Max(a.Value, b.Value);
    }
}
