using System;
using System.Linq;
using System.Threading;
using MlfTools.Format;
using MlfTools.Symbols;

namespace MlfTools.Report
{
    /// <summary>
    /// The input and output bytes of an AOT module whose metadata does not give them (TVM before 0.11). The C interface
    /// header names the inputs (members of tvmgen_&lt;m&gt;_inputs) and the Relay text's @main gives their types; the
    /// output is @main's return type when the text prints it (TVM 0.9 on). Before 0.9 TVM's io_size_bytes of an AOT
    /// module is exactly the inputs plus the output (the bound variables and the body of main, in te_compiler.cc of
    /// 0.8.0; the A-normal form that later adds let-bound tensors came in May 2022), so there the output is
    /// io_size_bytes less the inputs.
    /// </summary>
    internal static class AotTensorBytes
    {
        private static readonly DateTime AotNormalFormDate = new DateTime(2022, 5, 7);

        public static (long? Inputs, long? Outputs) Of(MlfModule module, long? ioBytes, CancellationToken cancellationToken)
        {
            string headerText = module.ReadText(module.InterfaceHeaderPath, cancellationToken);
            string relayText = module.ReadText(module.RelayPath, cancellationToken);
            if (headerText == null || relayText == null) return (null, null);

            var names = InterfaceHeaderTensors.Read(headerText).Inputs;
            var main = RelayMainSignature.Parse(relayText);
            if (names == null || main == null) return (null, null);
            long? inputs = 0;
            foreach (string name in names)
            {
                var parameter = main.Parameters.FirstOrDefault(p => InterfaceHeaderTensors.Sanitize(p.Key) == name);
                if (parameter.Key == null || parameter.Value == null)
                {
                    inputs = null;
                    break;
                }
                inputs = MemoryReports.SaturatingAdd(inputs.Value, parameter.Value.Value);
            }
            long? outputs = main.ResultBytes;
            if (outputs == null && CountsOnlyInputsAndOutput(module) && ioBytes != null && inputs != null && ioBytes >= inputs) outputs = ioBytes - inputs;
            return (inputs, outputs);
        }

        /// <summary>
        /// Built before the AOT executor took main in A-normal form (apache/tvm #11091, 7 May 2022): format 5 and older
        /// (TVM 0.8), or exported before that day (which a joined archive, rewritten as version 7, still tells).
        /// </summary>
        private static bool CountsOnlyInputsAndOutput(MlfModule module) =>
            module.FormatVersion <= 5 || module.ExportDateTime < AotNormalFormDate;
    }
}
