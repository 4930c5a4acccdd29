using System;
using System.Collections.Generic;
using System.Globalization;

namespace MlfTools.CSource
{
    /// <summary>
    /// The tensor names of an AOT module's C interface header (codegen/host/include/tvmgen_&lt;m&gt;.h): the members of
    /// <c>struct tvmgen_&lt;m&gt;_inputs</c> and <c>struct tvmgen_&lt;m&gt;_outputs</c>, in order. TVM names each member
    /// after its tensor, every character that is not a letter or digit made '_' (<see cref="Sanitize"/>).
    /// </summary>
    internal sealed class InterfaceHeaderTensors
    {
        private InterfaceHeaderTensors(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyDictionary<string, long> integerMacros,
            bool takesPoolsOrDevices)
        {
            Inputs = inputs;
            Outputs = outputs;
            IntegerMacros = integerMacros;
            TakesPoolsOrDevices = takesPoolsOrDevices;
        }

        /// <summary>True when the entry point also takes tvmgen_&lt;m&gt;_workspace_pools or tvmgen_&lt;m&gt;_devices.</summary>
        public bool TakesPoolsOrDevices { get; }

        /// <summary>The members of the inputs struct; null when the header defines none.</summary>
        public IReadOnlyList<string> Inputs { get; }

        /// <summary>The members of the outputs struct; null when the header defines none.</summary>
        public IReadOnlyList<string> Outputs { get; }

        /// <summary>Every <c>#define NAME &lt;decimal&gt;</c> of the header (TVMGEN_M_WORKSPACE_SIZE, TVMGEN_M_&lt;TENSOR&gt;_SIZE, ...).</summary>
        public IReadOnlyDictionary<string, long> IntegerMacros { get; }

        /// <summary>The size macro TVM (0.11 and later) writes for a tensor: TVMGEN_&lt;M&gt;_&lt;TENSOR&gt;_SIZE, in uppercase.</summary>
        public static string SizeMacro(string moduleName, string member) =>
            Sanitize("tvmgen_" + moduleName + "_" + member + "_size").ToUpperInvariant();

        public static InterfaceHeaderTensors Read(string header)
        {
            if (header == null) throw new ArgumentNullException(nameof(header));
            var tokens = CLexer.Tokenize(header);
            var macros = new Dictionary<string, long>(StringComparer.Ordinal);
            for (int i = 0; i + 3 < tokens.Count; i++)
            {
                if (!tokens[i].StartsLine || !tokens[i].IsPunctuator("#") || !tokens[i + 1].IsIdentifier("define")) continue;
                var name = tokens[i + 2];
                var value = tokens[i + 3];
                bool alone = i + 4 >= tokens.Count || tokens[i + 4].StartsLine;
                if (name.Kind == CTokenKind.Identifier && value.Kind == CTokenKind.Number && alone && value.Line == name.Line &&
                    long.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
                {
                    macros[name.Text] = number;
                }
            }
            var active = CConditionals.ActiveTokens(tokens, out _);
            return new InterfaceHeaderTensors(Members(active, "_inputs"), Members(active, "_outputs"), macros,
                Members(active, "_workspace_pools") != null || Members(active, "_devices") != null);
        }

        /// <summary>A tensor name as TVM writes it into the header: each character that is not an ASCII letter or digit becomes '_'.</summary>
        public static string Sanitize(string name)
        {
            var chars = name.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
            {
                char c = chars[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) chars[i] = '_';
            }
            return new string(chars);
        }

        /// <summary>The last identifier of each member declaration of the first <c>struct tvmgen_..._&lt;suffix&gt; {</c>.</summary>
        private static IReadOnlyList<string> Members(List<CToken> tokens, string suffix)
        {
            for (int i = 0; i + 2 < tokens.Count; i++)
            {
                if (!tokens[i].IsIdentifier("struct")) continue;
                var name = tokens[i + 1];
                if (name.Kind != CTokenKind.Identifier || !tokens[i + 2].IsPunctuator("{")) continue;
                if (!name.Text.StartsWith("tvmgen_", StringComparison.Ordinal) || !name.Text.EndsWith(suffix, StringComparison.Ordinal)) continue;
                var members = new List<string>();
                string last = null;
                for (int j = i + 3; j < tokens.Count && !tokens[j].IsPunctuator("}"); j++)
                {
                    if (tokens[j].Kind == CTokenKind.Identifier) last = tokens[j].Text;
                    else if (tokens[j].IsPunctuator(";") && last != null)
                    {
                        members.Add(last);
                        last = null;
                    }
                }
                return members.AsReadOnly();
            }
            return null;
        }
    }
}
