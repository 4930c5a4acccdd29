using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Format;
using MlfTools.Report;
using MlfTools.CSource;

namespace MlfTools.Validation
{
    /// <summary>
    /// An AOT module's C interface header against its metadata: each tensor size macro (TVMGEN_M_&lt;TENSOR&gt;_SIZE, which
    /// TVM 0.11 and later write from memory.functions.main's inputs and outputs) must give the metadata's size. TVM 0.11
    /// passed the metadata's {dtype, size} objects where numbers were expected and wrote meaningless values (0.12 fixed
    /// it); a firmware that sizes its buffers with those macros reserves the wrong amount.
    /// </summary>
    internal static class InterfaceHeaderChecks
    {
        public static void Check(MlfModule module, Findings findings, CancellationToken cancellationToken)
        {
            string path = module.InterfaceHeaderPath;
            if (path == null) return;
            MemorySection memory;
            try
            {
                memory = MemorySection.Parse(module.MetadataEntry["memory"], operatorStyle: false, module.OriginalName, module.SourcePath);
            }
            catch (MlfException)
            {
                return; // The schema check reports a malformed memory section.
            }
            var main = memory.Main.FirstOrDefault(m => m.Inputs != null || m.Outputs != null);
            string text = main == null ? null : module.ReadCText(path, cancellationToken);
            if (text == null) return;
            var header = InterfaceHeaderTensors.Read(text);

            var problems = new List<string>();
            // Inputs are named after their tensors; outputs may be named otherwise in the header, so they pair by order.
            foreach (string member in header.Inputs ?? new string[0])
            {
                var tensor = main.Inputs?.FirstOrDefault(t => InterfaceHeaderTensors.Sanitize(t.Name) == member);
                Compare(module, header, member, tensor, "input", problems);
            }
            var outputs = header.Outputs ?? new string[0];
            for (int i = 0; i < outputs.Count; i++)
            {
                var tensor = main.Outputs != null && main.Outputs.Count == outputs.Count ? main.Outputs[i] : null;
                Compare(module, header, outputs[i], tensor, "output", problems);
            }
            if (problems.Count == 0) return;
            findings.Add(ArchiveFindingIds.MetadataMismatch, module.OriginalName, path,
                $"The C interface header '{path}' of module '{module.OriginalName}' gives tensor sizes its metadata contradicts: {string.Join("; ", problems)}. " +
                "TVM 0.11 wrote wrong size macros (0.12 fixed it); code that sizes its buffers with them reserves the wrong amount. " +
                "Size the buffers from the metadata (Get-MlfMemoryReport's Inputs and Outputs), or export the model again with TVM 0.12 or later.");
        }

        private static void Compare(MlfModule module, InterfaceHeaderTensors header, string member, TensorSize tensor, string kind, List<string> problems)
        {
            string macro = InterfaceHeaderTensors.SizeMacro(module.OriginalName, member);
            if (tensor == null || !header.IntegerMacros.TryGetValue(macro, out long value) || value == tensor.Bytes) return;
            problems.Add($"{macro} is {value} where {kind} '{tensor.Name}' takes {tensor.Bytes} bytes");
        }
    }
}
