using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MlfTools.Rename
{
    /// <summary>
    /// Finds, in C or C++ source held as Latin-1 text, the places a rename may touch: identifiers in code, and the
    /// bodies of string literals. Comments, character literals and numbers are stepped over, so nothing in them is
    /// ever reported. Literals the compiler joins (only white space and comments between them, not across the end
    /// of a preprocessor directive) are marked so that they can be read as one string, as the compiler reads them.
    /// </summary>
    /// <remarks>
    /// This is a lexer, not a preprocessor: an identifier split by a backslash-newline, or a name pasted together
    /// by a macro, is not seen. An unterminated literal ends at the end of its line (as in an #error message
    /// with an apostrophe) and is reported as nothing.
    /// </remarks>
    internal static class CSourceScanner
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
            public Token(TokenKind kind, int start, int end, bool joinsPrevious)
            {
                Kind = kind;
                Start = start;
                End = end;
                JoinsPrevious = joinsPrevious;
            }

            public TokenKind Kind { get; }

            /// <summary>Index of the first char.</summary>
            public int Start { get; }

            /// <summary>Index after the last char.</summary>
            public int End { get; }

            /// <summary>For <see cref="TokenKind.StringBody"/>: the compiler concatenates this literal to the previous one.</summary>
            public bool JoinsPrevious { get; }
        }

        public static List<Token> Scan(string s) => Scan(s, null);

        /// <summary>
        /// As <see cref="Scan(string)"/>, but identifiers are reported only when their first character is one of
        /// <paramref name="identifierFirstChars"/> (all of them when null): a renamer that looks for one prefix need
        /// not be handed every other name in the file.
        /// </summary>
        public static List<Token> Scan(string s, string identifierFirstChars) => Scan(s, identifierFirstChars, reportComments: false);

        /// <summary>As <see cref="Scan(string, string)"/>; with <paramref name="reportComments"/>, every comment is reported too (<see cref="TokenKind.Comment"/>).</summary>
        [MethodImpl(Hot.Optimize)]
        public static List<Token> Scan(string s, string identifierFirstChars, bool reportComments)
        {
            var tokens = new List<Token>();
            int n = s.Length;
            int i = 0;
            bool atLineStart = true;
            bool inDirective = false;
            bool afterString = false; // the last thing that was not white space or a comment was an ordinary string literal

            while (i < n)
            {
                char c = s[i];
                if (c == '\n')
                {
                    if (inDirective && !IsSpliced(s, i))
                    {
                        inDirective = false;
                        afterString = false;
                    }
                    atLineStart = true;
                    i++;
                    continue;
                }
                if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
                {
                    i++;
                    continue;
                }
                if (c == '\\' && i + 1 < n && (s[i + 1] == '\n' || (s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n')))
                {
                    i += s[i + 1] == '\n' ? 2 : 3; // line splice: the line goes on
                    continue;
                }
                if (c == '/' && i + 1 < n && s[i + 1] == '/')
                {
                    int end = EndOfLineComment(s, i + 2);
                    if (reportComments) tokens.Add(new Token(TokenKind.Comment, i, end, false));
                    i = end;
                    continue;
                }
                if (c == '/' && i + 1 < n && s[i + 1] == '*')
                {
                    int close = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    int end = close < 0 ? n : close + 2;
                    if (reportComments) tokens.Add(new Token(TokenKind.Comment, i, end, false));
                    i = end;
                    continue;
                }

                bool lineStart = atLineStart;
                atLineStart = false;

                if (c == '"')
                {
                    i = ScanString(s, i, tokens, ref afterString);
                    continue;
                }
                if (c == '\'')
                {
                    i = EndOfQuoted(s, i + 1, '\'', out _);
                    afterString = false;
                    continue;
                }
                if (IsDigit(c) || (c == '.' && i + 1 < n && IsDigit(s[i + 1])))
                {
                    i = EndOfNumber(s, i);
                    afterString = false;
                    continue;
                }
                if (IsIdentifierStart(c))
                {
                    int end = i;
                    while (end < n && IsIdentifierChar(s[end])) end++;
                    if (end < n && s[end] == '"' && IsRawPrefix(s, i, end) && TryScanRaw(s, end, tokens, out int afterRaw))
                    {
                        i = afterRaw;
                        afterString = false;
                        continue;
                    }
                    if (end < n && s[end] == '"' && IsEncodingPrefix(s, i, end))
                    {
                        i = ScanString(s, end, tokens, ref afterString);
                        continue;
                    }
                    if (end < n && s[end] == '\'' && IsEncodingPrefix(s, i, end))
                    {
                        i = EndOfQuoted(s, end + 1, '\'', out _);
                        afterString = false;
                        continue;
                    }
                    if (identifierFirstChars == null || identifierFirstChars.IndexOf(c) >= 0) tokens.Add(new Token(TokenKind.Identifier, i, end, false));
                    i = end;
                    afterString = false;
                    continue;
                }
                if (c == '#' && lineStart) inDirective = true;
                afterString = false;
                i++;
            }
            return tokens;
        }

        /// <summary>Identifier characters as GCC reads them by default: ASCII letters, digits, '_' and '$'.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsIdentifierChar(char c) =>
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsIdentifierStart(char c) => IsIdentifierChar(c) && !IsDigit(c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        /// <summary>True when the newline at <paramref name="i"/> is removed by a preceding backslash (line splice).</summary>
        private static bool IsSpliced(string s, int i) =>
            (i >= 1 && s[i - 1] == '\\') || (i >= 2 && s[i - 1] == '\r' && s[i - 2] == '\\');

        private static int EndOfLineComment(string s, int i)
        {
            while (i < s.Length && (s[i] != '\n' || IsSpliced(s, i))) i++;
            return i;
        }

        /// <summary>Index after the closing quote; at an unescaped newline or the end of the text when there is none.</summary>
        private static int EndOfQuoted(string s, int i, char quote, out bool terminated)
        {
            int n = s.Length;
            terminated = false;
            while (i < n)
            {
                char c = s[i];
                if (c == '\\')
                {
                    i += i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n' ? 3 : 2;
                    continue;
                }
                if (c == quote)
                {
                    terminated = true;
                    return i + 1;
                }
                if (c == '\n') return i;
                i++;
            }
            return n;
        }

        private static int ScanString(string s, int quote, List<Token> tokens, ref bool afterString)
        {
            int end = EndOfQuoted(s, quote + 1, '"', out bool terminated);
            if (!terminated)
            {
                afterString = false;
                return end;
            }
            tokens.Add(new Token(TokenKind.StringBody, quote + 1, end - 1, afterString));
            afterString = true;
            return end;
        }

        private static bool IsEncodingPrefix(string s, int start, int end)
        {
            int length = end - start;
            if (length == 1) return s[start] == 'L' || s[start] == 'u' || s[start] == 'U';
            return length == 2 && s[start] == 'u' && s[start + 1] == '8';
        }

        private static bool IsRawPrefix(string s, int start, int end) =>
            s[end - 1] == 'R' && (end - start == 1 || IsEncodingPrefix(s, start, end - 1));

        /// <summary>R"delim( ... )delim": reports the body; false (read it as an ordinary literal) when malformed.</summary>
        private static bool TryScanRaw(string s, int quote, List<Token> tokens, out int after)
        {
            after = quote;
            int open = quote + 1;
            while (open < s.Length && open - quote - 1 <= 16 && s[open] != '(')
            {
                char c = s[open];
                if (c == ')' || c == '\\' || c == '"' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return false;
                open++;
            }
            if (open >= s.Length || s[open] != '(' || open - quote - 1 > 16) return false;
            string closing = ")" + s.Substring(quote + 1, open - quote - 1) + "\"";
            int close = s.IndexOf(closing, open + 1, StringComparison.Ordinal);
            if (close < 0) return false;
            tokens.Add(new Token(TokenKind.RawStringBody, open + 1, close, false));
            after = close + closing.Length;
            return true;
        }

        /// <summary>A preprocessing number: digits, letters, '_', '.', an exponent sign, and C23/C++14 digit separators.</summary>
        private static int EndOfNumber(string s, int i)
        {
            int n = s.Length;
            i++;
            while (i < n)
            {
                char c = s[i];
                if ((c == '+' || c == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E' || s[i - 1] == 'p' || s[i - 1] == 'P'))
                {
                    i++;
                    continue;
                }
                if (c == '\'' && i + 1 < n && IsIdentifierChar(s[i + 1]))
                {
                    i += 2;
                    continue;
                }
                if (IsIdentifierChar(c) || c == '.')
                {
                    i++;
                    continue;
                }
                break;
            }
            return i;
        }
    }
}
