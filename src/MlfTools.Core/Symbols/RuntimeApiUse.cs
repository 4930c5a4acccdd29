using System;
using System.Collections.Generic;

namespace MlfTools.Symbols
{
    /// <summary>
    /// The TVM runtime API as one C file uses or offers it: the TVM functions its code calls (TVMBackendAllocWorkspace,
    /// TVMPlatformAbort, ...) and the functions and macros it declares at file scope. A join checks the calls of every
    /// module's code against the declarations of the C runtime headers it keeps.
    /// </summary>
    /// <remarks>
    /// Read with the same lexer and conditionals as the symbol scan. A name followed by '(' inside braces is a call;
    /// at file scope (an <c>extern "C" {</c> block counts as file scope) it is a declaration or definition. Every
    /// <c>#define</c> name counts as declared, so a function-like macro of the runtime satisfies a call too.
    /// </remarks>
    internal sealed class RuntimeApiUse
    {
        /// <summary>Only calls of names that start so are checked: the runtime's API; the C library and kernel libraries are not the runtime's to declare.</summary>
        public const string Prefix = "TVM";

        private RuntimeApiUse(HashSet<string> calls, HashSet<string> declarations)
        {
            Calls = calls;
            Declarations = declarations;
        }

        /// <summary>Names starting with <see cref="Prefix"/> that the code calls.</summary>
        public IReadOnlyCollection<string> Calls { get; }

        /// <summary>Names declared or defined at file scope as functions, and every #define name.</summary>
        public HashSet<string> Declarations { get; }

        public static RuntimeApiUse Scan(string source)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            var tokens = CLexer.Tokenize(source);
            var declarations = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i + 2 < tokens.Count; i++)
            {
                if (tokens[i].StartsLine && tokens[i].IsPunctuator("#") && tokens[i + 1].IsIdentifier("define") && tokens[i + 2].Kind == CTokenKind.Identifier && !tokens[i + 2].StartsLine)
                {
                    declarations.Add(tokens[i + 2].Text);
                }
            }
            var active = CConditionals.ActiveTokens(tokens, out _);
            var calls = new HashSet<string>(StringComparer.Ordinal);
            var braces = new Stack<bool>(); // true for a brace that opens a scope, false for extern "C" {
            int depth = 0;
            for (int i = 0; i < active.Count; i++)
            {
                var token = active[i];
                if (token.IsPunctuator("{"))
                {
                    bool linkage = i >= 2 && active[i - 1].Kind == CTokenKind.String && active[i - 2].IsIdentifier("extern");
                    braces.Push(!linkage);
                    if (!linkage) depth++;
                    continue;
                }
                if (token.IsPunctuator("}"))
                {
                    if (braces.Count > 0 && braces.Pop()) depth--;
                    continue;
                }
                if (token.Kind != CTokenKind.Identifier || i + 1 >= active.Count || !active[i + 1].IsPunctuator("(")) continue;
                if (depth == 0) declarations.Add(token.Text);
                else if (token.Text.StartsWith(Prefix, StringComparison.Ordinal)) calls.Add(token.Text);
            }
            return new RuntimeApiUse(calls, declarations);
        }
    }
}
