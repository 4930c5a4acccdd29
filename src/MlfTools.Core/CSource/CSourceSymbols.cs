using System.Collections.Generic;

namespace MlfTools.CSource
{
    /// <summary>What one scan of a C source file finds: the symbols it defines, and the functions a compiler would refuse.</summary>
    internal sealed class CSourceSymbols
    {
        public CSourceSymbols(IReadOnlyList<DefinedSymbol> globalDefinitions, IReadOnlyList<FunctionClash> functionClashes, IReadOnlyList<string> assumedDefinitions,
            IReadOnlyDictionary<string, int?> definedParameterCounts)
        {
            GlobalDefinitions = globalDefinitions;
            FunctionClashes = functionClashes;
            AssumedDefinitions = assumedDefinitions;
            DefinedParameterCounts = definedParameterCounts;
        }

        /// <summary>Symbols with external linkage the file defines, as <see cref="CSymbolScanner.FindGlobalDefinitions(string)"/> finds them.</summary>
        public IReadOnlyList<DefinedSymbol> GlobalDefinitions { get; }

        /// <summary>Functions defined twice, or declared with differing parameter counts, in this one file.</summary>
        public IReadOnlyList<FunctionClash> FunctionClashes { get; }

        /// <summary>Global definitions that are compiled only if conditions the file cannot decide go the way the scan took them.</summary>
        public IReadOnlyList<string> AssumedDefinitions { get; }

        /// <summary>
        /// For each function the file defines (with a body), the parameters of its first definition: 0 for (void), null
        /// for an unprototyped (). TVM 0.8's packed AOT entry point tvmgen_&lt;m&gt;_run_model takes a pointer per input and output.
        /// </summary>
        public IReadOnlyDictionary<string, int?> DefinedParameterCounts { get; }
    }
}
