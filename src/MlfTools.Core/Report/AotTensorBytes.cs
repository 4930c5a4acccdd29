using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Format;
using MlfTools.CSource;

namespace MlfTools.Report
{
    /// <summary>
    /// The input and output bytes of an AOT module whose metadata does not give them (TVM before 0.11). The C interface
    /// header names the inputs (members of tvmgen_&lt;m&gt;_inputs) and the Relay text's @main gives their types; the
    /// output is @main's return type when the text prints it (TVM 0.9 on). Before 0.9 TVM's io_size_bytes of an AOT
    /// module is exactly the inputs plus the output (the bound variables and the body of main, in te_compiler.cc of
    /// 0.8.0; the A-normal form that later adds let-bound tensors came in May 2022), so there the output is
    /// io_size_bytes less the inputs. A TVM 0.8 AOT module with the packed API has no header: its inputs are @main's
    /// first parameters, as many as are not weights, when tvmgen_&lt;m&gt;_run_model takes a pointer for each and the output.
    /// </summary>
    internal static class AotTensorBytes
    {
        private static readonly DateTime AotNormalFormDate = new DateTime(2022, 5, 7);

        public static (long? Inputs, long? Outputs) Of(MlfModule module, long? ioBytes, CancellationToken cancellationToken)
        {
            string relayText = module.ReadText(module.RelayPath, cancellationToken);
            var main = relayText == null ? null : RelayMainSignature.Parse(relayText);
            if (main == null) return (null, null);
            string headerText = module.ReadCText(module.InterfaceHeaderPath, cancellationToken);
            var names = headerText != null ? InterfaceHeaderTensors.Read(headerText).Inputs : PackedApiInputs(module, main, cancellationToken);
            if (names == null) return (null, null);
            long? inputs = 0;
            foreach (string name in names)
            {
                var parameter = main.Parameters.FirstOrDefault(p => InterfaceHeaderTensors.Sanitize(p.Key) == name);
                if (parameter.Key == null || parameter.Value == null)
                {
                    inputs = null;
                    break;
                }
                inputs = Saturating.Add(inputs.Value, parameter.Value.Value);
            }
            long? outputs = main.ResultBytes;
            if (outputs == null && CountsOnlyInputsAndOutput(module) && ioBytes != null && inputs != null && ioBytes >= inputs) outputs = ioBytes - inputs;
            return (inputs, outputs);
        }

        /// <summary>
        /// The inputs of a TVM 0.8 AOT module with the packed API, which has no C interface header. @main lists the inputs,
        /// then the weights (which the params file holds, under names of its own); tvmgen_&lt;m&gt;_run_model takes a pointer
        /// for each input and one for the output. Both counts must agree; null when they do not or cannot be read.
        /// </summary>
        internal static IReadOnlyList<string> PackedApiInputs(MlfModule module, RelayMainSignature main, CancellationToken cancellationToken)
        {
            if (module.Parameters == null) return null;
            int inputCount = main.Parameters.Count - module.Parameters.Tensors.Count;
            if (inputCount < 1) return null;
            string entryPoint = TvmNames.SymbolPrefix(module.OriginalName) + "run_model";
            if (!DefinesCFunction(module, entryPoint, out int? arguments, cancellationToken)) return null;
            return arguments == inputCount + 1 ? main.Parameters.Take(inputCount).Select(p => InterfaceHeaderTensors.Sanitize(p.Key)).ToList() : null;
        }

        /// <summary>Whether one of the module's C sources defines the function, and how many parameters it takes (null when unclear).</summary>
        internal static bool DefinesCFunction(MlfModule module, string name, out int? parameterCount, CancellationToken cancellationToken)
        {
            foreach (var source in module.Files.Where(f => f.Kind == MlfFileKind.Source))
            {
                CSourceLimits.CheckSize(source.Size, module.SourcePath, source.Path);
                var symbols = CSymbolScanner.FindSymbols(module.ReadCText(source.Path, cancellationToken) ?? string.Empty, cancellationToken);
                if (symbols.DefinedParameterCounts.TryGetValue(name, out parameterCount)) return true;
            }
            parameterCount = null;
            return false;
        }

        /// <summary>
        /// Built before the AOT executor took main in A-normal form (apache/tvm #11091, 7 May 2022): format 5 and older
        /// (TVM 0.8), or exported before that day (which a joined archive, rewritten as version 7, still tells).
        /// </summary>
        private static bool CountsOnlyInputsAndOutput(MlfModule module) =>
            module.FormatVersion <= 5 || module.ExportDateTime < AotNormalFormDate;
    }
}
