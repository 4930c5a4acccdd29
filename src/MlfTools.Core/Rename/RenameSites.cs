using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using MlfTools.CSource;

namespace MlfTools.Rename
{
    /// <summary>
    /// Finds, in C or C++ source held as Latin-1 text, the places a rename may touch: identifiers in code, and the
    /// bodies of string literals. Comments, character literals and numbers are stepped over, so nothing in them is
    /// ever reported. Literals the compiler joins (only white space and comments between them, not across the end
    /// of a preprocessor directive) are marked so that they can be read as one string, as the compiler reads them.
    /// </summary>
    /// <remarks>
    /// The tokens are those of <see cref="CSource.CLexer"/>, the lexer the symbol scan and the validator read C with, so
    /// an identifier split by a backslash-newline (or by <c>??/</c> and a newline) is one identifier here as it is
    /// there and to the compiler; its <see cref="Token.Spelling"/> is the joined name. A name pasted together by a
    /// macro is not seen. An unterminated literal ends at the end of its line (as in an #error message with an
    /// apostrophe) and is reported as nothing.
    /// </remarks>
    internal static class RenameSites
    {
        public enum TokenKind
        {
            /// <summary>An identifier in code (also in preprocessor lines, e.g. the header name in #include &lt;x.h&gt;).</summary>
            Identifier,

            /// <summary>The text between the quotes of an ordinary string literal (escapes not yet decoded).</summary>
            StringBody,

            /// <summary>The text between the parentheses of a raw string literal R"d(...)d" (no escapes).</summary>
            RawStringBody,

            /// <summary>A whole comment, "//" or "/*" included (reported only when asked for).</summary>
            Comment,
        }

        public struct Token
        {
            public Token(TokenKind kind, int start, int end, bool joinsPrevious, string spelling = null)
            {
                Kind = kind;
                Start = start;
                End = end;
                JoinsPrevious = joinsPrevious;
                Spelling = spelling;
            }

            public TokenKind Kind { get; }

            /// <summary>Index of the first char.</summary>
            public int Start { get; }

            /// <summary>Index after the last char.</summary>
            public int End { get; }

            /// <summary>For <see cref="TokenKind.StringBody"/>: the compiler concatenates this literal to the previous one.</summary>
            public bool JoinsPrevious { get; }

            /// <summary>
            /// For an <see cref="TokenKind.Identifier"/> that a backslash-newline or a trigraph splits in the text: the
            /// identifier the compiler reads. Null when the text between <see cref="Start"/> and <see cref="End"/> is the identifier.
            /// </summary>
            public string Spelling { get; }
        }

        public static List<Token> Scan(string s) => Scan(s, null);

        /// <summary>
        /// As <see cref="Scan(string)"/>, but identifiers are reported only when their first character is one of
        /// <paramref name="identifierFirstChars"/> (all of them when null): a renamer that looks for one prefix need
        /// not be handed every other name in the file.
        /// </summary>
        public static List<Token> Scan(string s, string identifierFirstChars) => Scan(s, identifierFirstChars, reportComments: false);

        /// <summary>
        /// As <see cref="Scan(string, string)"/>; with <paramref name="reportComments"/>, every comment is reported too
        /// (<see cref="TokenKind.Comment"/>, where it stands in the original text). Checks <paramref name="cancellationToken"/> as it goes.
        /// </summary>
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
        public static List<Token> Scan(string s, string identifierFirstChars, bool reportComments, CancellationToken cancellationToken = default)
        {
            var tokens = new List<Token>();
            var lexer = new CLexer(s, reportComments: reportComments);
            bool inDirective = false;
            bool afterString = false; // the last token was an ordinary string literal, on the same logical line if that is a directive
            while (lexer.Next(out var token))
            {
                if ((lexer.Count & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (token.StartsLine)
                {
                    if (inDirective) afterString = false; // a directive's literal joins nothing after its line
                    inDirective = token.IsPunctuator("#");
                }
                switch (token.Kind)
                {
                    case CTokenKind.Identifier:
                        afterString = false;
                        if (identifierFirstChars != null && identifierFirstChars.IndexOf(token.Text[0]) < 0) break;
                        tokens.Add(new Token(TokenKind.Identifier, token.Start, token.End, false, token.IsVerbatim ? null : token.Text));
                        break;
                    case CTokenKind.String:
                        afterString = AddString(token, lexer.Map, tokens, afterString);
                        break;
                    case CTokenKind.Comment:
                        // A comment between two literals does not keep the compiler from joining them.
                        tokens.Add(new Token(TokenKind.Comment, token.Start, token.End, false));
                        break;
                    default:
                        afterString = false;
                        break;
                }
            }
            return tokens;
        }

        /// <summary>Reports the body of a string literal token; returns whether it is an ordinary literal that a following one joins.</summary>
        private static bool AddString(CToken token, SourceMap map, List<Token> tokens, bool afterString)
        {
            if (token.Unterminated) return false;
            var (start, end, raw) = StringBody(token, map);
            tokens.Add(new Token(raw ? TokenKind.RawStringBody : TokenKind.StringBody, start, end, !raw && afterString));
            return !raw;
        }

        /// <summary>Where the body of a terminated string literal token (between its quotes, or a raw literal's parentheses) stands in the original text.</summary>
        public static (int Start, int End, bool Raw) StringBody(CToken token, SourceMap map)
        {
            string text = token.Text;
            int quote = text.IndexOf('"');
            // Body bounds in the translated text, relative to the token, then in the original text.
            int bodyStart, bodyEnd;
            bool raw = quote > 0 && text[quote - 1] == 'R';
            if (raw)
            {
                bodyStart = text.IndexOf('(', quote) + 1;
                bodyEnd = text.Length - (bodyStart - quote - 1) - 1;
            }
            else
            {
                bodyStart = quote + 1;
                bodyEnd = text.Length - 1;
            }
            int start, end;
            if (token.IsVerbatim)
            {
                start = token.Start + bodyStart;
                end = token.Start + bodyEnd;
            }
            else
            {
                int translatedStart = TranslatedStart(token, map);
                start = map.Original(translatedStart + bodyStart);
                end = bodyEnd > bodyStart ? map.OriginalEnd(translatedStart + bodyEnd) : start;
            }
            return (start, end, raw);
        }

        /// <summary>Where a token that is not verbatim starts in the translated text: the translated index whose original is its start.</summary>
        private static int TranslatedStart(CToken token, SourceMap map)
        {
            // Original(i) grows with i and a translated char never maps before its own index: search i in [Start - (shrinkage), Start].
            int low = 0, high = token.Start;
            while (low < high)
            {
                int middle = (low + high) >> 1;
                if (map.Original(middle) < token.Start) low = middle + 1;
                else high = middle;
            }
            return low;
        }

        /// <summary>Identifier characters as GCC reads them by default: ASCII letters, digits, '_' and '$'.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsIdentifierChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
    }
}
