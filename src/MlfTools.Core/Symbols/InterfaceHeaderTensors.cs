using System;
using System.Collections.Generic;

namespace MlfTools.Symbols
{
    /// <summary>
    /// The tensor names of an AOT module's C interface header (codegen/host/include/tvmgen_&lt;m&gt;.h): the members of
    /// <c>struct tvmgen_&lt;m&gt;_inputs</c> and <c>struct tvmgen_&lt;m&gt;_outputs</c>, in order. TVM names each member
    /// after its tensor, every character that is not a letter or digit made '_' (<see cref="Sanitize"/>).
    /// </summary>
    internal sealed class InterfaceHeaderTensors
    {
        private InterfaceHeaderTensors(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
        {
            Inputs = inputs;
            Outputs = outputs;
        }

        /// <summary>The members of the inputs struct; null when the header defines none.</summary>
        public IReadOnlyList<string> Inputs { get; }

        /// <summary>The members of the outputs struct; null when the header defines none.</summary>
        public IReadOnlyList<string> Outputs { get; }

        public static InterfaceHeaderTensors Read(string header)
        {
            if (header == null) throw new ArgumentNullException(nameof(header));
            var tokens = CConditionals.ActiveTokens(CLexer.Tokenize(header), out _);
            return new InterfaceHeaderTensors(Members(tokens, "_inputs"), Members(tokens, "_outputs"));
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
