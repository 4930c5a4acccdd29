using System.Collections.Generic;
using System.Threading;
using MlfTools.CSource;

namespace MlfTools.Rename
{
    /// <summary>
    /// The definition of <c>_tvm_func_registry</c> in a C source, as TVM writes it
    /// (<c>static const TVMFuncRegistry _tvm_func_registry = { "&lt;count&gt;&lt;name&gt;\000...", _tvm_func_array };</c>),
    /// with its names string read as the compiler reads it: escapes, adjacent literals, line splices, the terminating NUL.
    /// </summary>
    /// <remarks>
    /// A registry is understood only when that reading is certain and the C runtime reads the result as its count says
    /// (<see cref="FuncRegistryNames"/>). Anything else has a <see cref="Problem"/>: a names string behind a macro or
    /// split by a directive (what the compiler reads is not in the literal), a prefixed literal, a universal character
    /// name or a trigraph (the bytes depend on the compiler's options), a second definition, a name the source uses but
    /// does not define.
    /// </remarks>
    internal sealed class FuncRegistryDefinition
    {
        private FuncRegistryDefinition(int literalStart, int countBytes, IReadOnlyList<string> names, string problem)
        {
            LiteralStart = literalStart;
            CountBytes = countBytes;
            Names = names;
            Problem = problem;
        }

        /// <summary>Where the names string's first literal body starts in the source; -1 without one.</summary>
        public int LiteralStart { get; }

        /// <summary>Width of the count the names string starts with: 1 (TVM 0.8 and older) or 2 (TVM 0.9 and later); 0 when not understood.</summary>
        public int CountBytes { get; }

        /// <summary>The function names, in registry order (empty when not understood).</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>Why the registry is not understood (a clause to follow "the registry ..."); null when it is.</summary>
        public string Problem { get; }

        /// <summary>The registry that <paramref name="text"/> (Latin-1 C source) defines; null when the source never names <c>_tvm_func_registry</c>.</summary>
        public static FuncRegistryDefinition Find(string text, CancellationToken cancellationToken = default)
        {
            var lexer = new CLexer(text);
            bool inDirective = false;
            int mentions = 0, definitions = 0;
            string problem = null;
            var bodies = new List<(int Start, int End)>();
            bool collected = false;
            var state = State.Outside;
            while (lexer.Next(out var token))
            {
                if ((lexer.Count & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (token.StartsLine) inDirective = token.IsPunctuator("#");
                switch (state)
                {
                    case State.AfterName:
                        state = State.Outside;
                        if (!token.IsPunctuator("=")) break;
                        definitions++;
                        state = State.AfterEquals;
                        continue;
                    case State.AfterEquals:
                        state = State.Outside;
                        if (token.IsPunctuator("{"))
                        {
                            state = State.InBraces;
                            continue;
                        }
                        problem = problem ?? NotALiteral;
                        break;
                    case State.InBraces:
                        if (token.Kind == CTokenKind.String && !inDirective)
                        {
                            if (token.Unterminated) problem = problem ?? "its names string is not terminated on its line";
                            else if (token.Text[0] != '"') problem = problem ?? "its names string is a prefixed literal (L, u, U or u8), whose characters are not the single bytes the C runtime reads";
                            else bodies.Add(StringBody(token, lexer.Map));
                            continue;
                        }
                        state = State.Outside;
                        if (bodies.Count > 0 && !inDirective && (token.IsPunctuator(",") || token.IsPunctuator("}"))) collected = true;
                        else if (inDirective && bodies.Count > 0) problem = problem ?? "a preprocessor directive stands inside its names string, so what the compiler reads depends on it";
                        else problem = problem ?? NotALiteral;
                        break;
                }
                if (token.Kind != CTokenKind.Identifier || token.Text != FuncRegistryNames.RegistryVariable) continue;
                mentions++;
                if (inDirective) problem = problem ?? $"a preprocessor directive names {FuncRegistryNames.RegistryVariable}, so what the compiler reads depends on macros";
                else state = State.AfterName;
            }
            if (mentions == 0) return null;
            if (state == State.InBraces) problem = problem ?? NotALiteral;
            if (definitions == 0) problem = problem ?? $"the source uses {FuncRegistryNames.RegistryVariable} but does not define it with a string literal as TVM writes it";
            if (definitions > 1) problem = problem ?? $"the source defines {FuncRegistryNames.RegistryVariable} more than once";
            if (problem != null || !collected) return Unreadable(bodies, problem ?? NotALiteral);

            var literal = new CStringLiteral();
            for (int i = 0; i < bodies.Count; i++)
            {
                if (HasTrigraph(text, bodies[i].Start, bodies[i].End))
                {
                    return Unreadable(bodies, "its names string holds a trigraph (??=, ??/, ...), which GCC reads in its ISO modes (-std=c11) and not in its default GNU modes, so the bytes depend on the compiler's options");
                }
                literal.Append(text, bodies[i].Start, bodies[i].End, i);
            }
            if (literal.HasUniversalCharacterNames) return Unreadable(bodies, "its names string holds a universal character name (\\u or \\U), which the compiler writes as several bytes");
            string value = literal.Value;
            foreach (char c in value)
            {
                if (c > '\u00FF') return Unreadable(bodies, "its names string holds an escape whose value is not a single byte");
            }
            int offset = FuncRegistryNames.NamesOffset(value);
            if (offset == 0) return Unreadable(bodies, FuncRegistryNames.Mismatch(value));
            return new FuncRegistryDefinition(bodies[0].Start, offset, FuncRegistryNames.Names(value, offset), null);
        }

        private const string NotALiteral = "it is not initialised with a string literal (a macro or an expression stands there), so MlfTools cannot read its names as the compiler does";

        private enum State
        {
            Outside,
            AfterName,
            AfterEquals,
            InBraces,
        }

        private static FuncRegistryDefinition Unreadable(List<(int Start, int End)> bodies, string problem) =>
            new FuncRegistryDefinition(bodies.Count > 0 ? bodies[0].Start : -1, 0, System.Array.Empty<string>(), problem);

        private static (int Start, int End) StringBody(CToken token, SourceMap map)
        {
            var (start, end, _) = RenameSites.StringBody(token, map);
            return (start, end);
        }

        private static bool HasTrigraph(string text, int start, int end)
        {
            for (int i = start; i + 2 < end; i++)
            {
                if (text[i] == '?' && text[i + 1] == '?' && "=/'()!<>-".IndexOf(text[i + 2]) >= 0) return true;
            }
            return false;
        }
    }
}
