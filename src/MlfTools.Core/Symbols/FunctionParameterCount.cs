using System.Collections.Generic;
using System.Threading;

namespace MlfTools.Symbols
{
    /// <summary>
    /// How many parameters a C source's definition of a function takes, read with the lexer (comments and inactive
    /// preprocessor branches left out): TVM 0.8's packed AOT entry point tvmgen_&lt;m&gt;_run_model takes the inputs,
    /// then the outputs, one pointer each.
    /// </summary>
    internal static class FunctionParameterCount
    {
        /// <summary>The parameter count of the first definition of <paramref name="function"/>, or null when the source defines none.</summary>
        public static int? Of(string source, string function, CancellationToken cancellationToken)
        {
            var tokens = CConditionals.ActiveTokens(CLexer.Tokenize(source, skipGroupInsides: false, cancellationToken), out _);
            for (int i = 0; i + 1 < tokens.Count; i++)
            {
                if (!tokens[i].IsIdentifier(function) || !tokens[i + 1].IsPunctuator("(")) continue;
                int close = Close(tokens, i + 1, out int commas, out bool empty);
                if (close < 0) return null;
                if (close + 1 >= tokens.Count || !tokens[close + 1].IsPunctuator("{")) continue; // a declaration or a call
                bool onlyVoid = close == i + 3 && tokens[i + 2].IsIdentifier("void");
                return empty || onlyVoid ? 0 : commas + 1;
            }
            return null;
        }

        /// <summary>The index of the ")" that closes the "(" at <paramref name="open"/>, with the commas at its own depth.</summary>
        private static int Close(List<CToken> tokens, int open, out int commas, out bool empty)
        {
            commas = 0;
            empty = open + 1 < tokens.Count && tokens[open + 1].IsPunctuator(")");
            int depth = 0;
            for (int i = open; i < tokens.Count; i++)
            {
                if (tokens[i].IsPunctuator("(")) depth++;
                else if (tokens[i].IsPunctuator(")") && --depth == 0) return i;
                else if (depth == 1 && tokens[i].IsPunctuator(",")) commas++;
            }
            return -1;
        }
    }
}
