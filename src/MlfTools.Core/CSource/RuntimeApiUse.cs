using System;
using System.Collections.Generic;

namespace MlfTools.CSource
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

        private RuntimeApiUse(HashSet<string> calls, HashSet<string> declarations, HashSet<string> typeUses, HashSet<string> names)
        {
            Calls = calls;
            Declarations = declarations;
            TypeUses = typeUses;
            Names = names;
        }

        /// <summary>Names starting with <see cref="Prefix"/> that the code calls.</summary>
        public IReadOnlyCollection<string> Calls { get; }

        /// <summary>Names declared or defined at file scope as functions, and every #define name.</summary>
        public HashSet<string> Declarations { get; }

        /// <summary>
        /// Other names starting with <see cref="Prefix"/> the code uses (types, struct tags, macros, constants) and does not
        /// define itself: a runtime's headers must know them, or the code does not compile (an incomplete struct type).
        /// </summary>
        public IReadOnlyCollection<string> TypeUses { get; }

        /// <summary>Every identifier of a runtime header (what it mentions, it knows); empty for a module's source.</summary>
        public IReadOnlyCollection<string> Names { get; }

        /// <param name="source">The C text.</param>
        /// <param name="isRuntimeHeader">True for a runtime header, whose every identifier <see cref="Names"/> keeps; a module's source needs none.</param>
        public static RuntimeApiUse Scan(string source, bool isRuntimeHeader)
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
            var names = new HashSet<string>(StringComparer.Ordinal);
            if (isRuntimeHeader)
            {
                foreach (var token in tokens)
                {
                    if (token.Kind == CTokenKind.Identifier) names.Add(token.Text);
                }
            }
            var active = CConditionals.ActiveTokens(tokens, out _);
            var calls = new HashSet<string>(StringComparer.Ordinal);
            var typeUses = new HashSet<string>(StringComparer.Ordinal);
            var ownTypes = new HashSet<string>(StringComparer.Ordinal);
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
                if (token.Kind != CTokenKind.Identifier) continue;
                bool call = i + 1 < active.Count && active[i + 1].IsPunctuator("(");
                if (!call)
                {
                    bool tagDefinition = i >= 1 && i + 1 < active.Count && active[i + 1].IsPunctuator("{") &&
                        (active[i - 1].IsIdentifier("struct") || active[i - 1].IsIdentifier("union") || active[i - 1].IsIdentifier("enum"));
                    if (tagDefinition) ownTypes.Add(token.Text);
                    else if (token.Text.StartsWith(Prefix, StringComparison.Ordinal)) typeUses.Add(token.Text);
                    continue;
                }
                if (depth == 0) declarations.Add(token.Text);
                else if (token.Text.StartsWith(Prefix, StringComparison.Ordinal)) calls.Add(token.Text);
            }
            typeUses.ExceptWith(ownTypes);
            typeUses.ExceptWith(declarations);
            return new RuntimeApiUse(calls, declarations, typeUses, names);
        }
    }
}
