using System.Collections.Generic;

namespace MlfTools.Symbols
{
    internal enum CTokenKind
    {
        Identifier,
        Number,
        String,
        Char,
        Punctuator,
    }

    /// <summary>One C token (after comment removal and line splicing) with the 1-based line it starts on.</summary>
    internal readonly struct CToken
    {
        public CToken(CTokenKind kind, string text, int line, bool startsLine)
        {
            Kind = kind;
            Text = text;
            Line = line;
            StartsLine = startsLine;
        }

        public CTokenKind Kind { get; }

        /// <summary>The token as written; string and character literals keep their prefix and quotes.</summary>
        public string Text { get; }

        public int Line { get; }

        /// <summary>First token of a logical line: a '#' here starts a preprocessing directive.</summary>
        public bool StartsLine { get; }

        public bool IsPunctuator(string text) => Kind == CTokenKind.Punctuator && Text == text;

        public bool IsIdentifier(string text) => Kind == CTokenKind.Identifier && Text == text;

        public override string ToString() => Text;
    }

    /// <summary>
    /// Translation phases 1-3 of C for one file: backslash-newline splicing, comments to whitespace, and
    /// preprocessing tokens. Literals never run past the end of a line (an unterminated quote in a skipped
    /// #if 0 block, such as an apostrophe in prose, must not swallow the rest of the file).
    /// </summary>
    internal static class CLexer
    {
        private static readonly string[] SingleCharacters = BuildSingleCharacters();

        private static readonly HashSet<string> TwoCharacterPunctuators = new HashSet<string>
        {
            "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
            "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##",
        };

        public static List<CToken> Tokenize(string source)
        {
            Splice(source, out char[] text, out int[] lines, out int length);
            var tokens = new List<CToken>();
            bool startsLine = true;
            int p = 0;
            while (p < length)
            {
                char c = text[p];
                char next = p + 1 < length ? text[p + 1] : '\0';
                if (c == '\n')
                {
                    startsLine = true;
                    p++;
                    continue;
                }
                if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
                {
                    p++;
                    continue;
                }
                if (c == '/' && next == '/')
                {
                    while (p < length && text[p] != '\n') p++;
                    continue;
                }
                if (c == '/' && next == '*')
                {
                    // A comment is one space, so newlines inside it do not end a directive line.
                    p += 2;
                    while (p < length && !(text[p] == '*' && p + 1 < length && text[p + 1] == '/')) p++;
                    p = p + 2 > length ? length : p + 2;
                    continue;
                }

                int line = lines[p];
                int start = p;
                CTokenKind kind;
                if (IsIdentifierStart(c))
                {
                    while (p < length && IsIdentifierPart(text[p])) p++;
                    string word = new string(text, start, p - start);
                    if (p < length && (text[p] == '"' || text[p] == '\'') && (word == "L" || word == "u" || word == "U" || word == "u8"))
                    {
                        kind = text[p] == '"' ? CTokenKind.String : CTokenKind.Char;
                        p = SkipQuoted(text, p, length);
                        tokens.Add(new CToken(kind, new string(text, start, p - start), line, startsLine));
                    }
                    else
                    {
                        tokens.Add(new CToken(CTokenKind.Identifier, word, line, startsLine));
                    }
                }
                else if (IsDigit(c) || (c == '.' && IsDigit(next)))
                {
                    p = SkipNumber(text, p, length);
                    tokens.Add(new CToken(CTokenKind.Number, new string(text, start, p - start), line, startsLine));
                }
                else if (c == '"' || c == '\'')
                {
                    kind = c == '"' ? CTokenKind.String : CTokenKind.Char;
                    p = SkipQuoted(text, p, length);
                    tokens.Add(new CToken(kind, new string(text, start, p - start), line, startsLine));
                }
                else
                {
                    string punctuator = ReadPunctuator(text, p, length, out int consumed);
                    p += consumed;
                    tokens.Add(new CToken(CTokenKind.Punctuator, punctuator, line, startsLine));
                }
                startsLine = false;
            }
            return tokens;
        }

        /// <summary>Removes backslash-newline pairs (GCC also accepts blanks between them) and records each kept character's line.</summary>
        private static void Splice(string source, out char[] text, out int[] lines, out int length)
        {
            text = new char[source.Length];
            lines = new int[source.Length];
            length = 0;
            int line = 1;
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                if (c == '\\')
                {
                    int j = i + 1;
                    while (j < source.Length && (source[j] == ' ' || source[j] == '\t')) j++;
                    if (j < source.Length && source[j] == '\r' && j + 1 < source.Length && source[j + 1] == '\n') j++;
                    if (j < source.Length && source[j] == '\n')
                    {
                        line++;
                        i = j;
                        continue;
                    }
                }
                text[length] = c;
                lines[length] = line;
                length++;
                if (c == '\n') line++;
            }
        }

        private static int SkipQuoted(char[] text, int p, int length)
        {
            char quote = text[p];
            p++;
            while (p < length && text[p] != '\n')
            {
                if (text[p] == '\\' && p + 1 < length && text[p + 1] != '\n')
                {
                    p += 2;
                    continue;
                }
                if (text[p] == quote) return p + 1;
                p++;
            }
            return p;
        }

        private static int SkipNumber(char[] text, int p, int length)
        {
            p++;
            while (p < length)
            {
                char c = text[p];
                if ((c == '+' || c == '-') && (text[p - 1] == 'e' || text[p - 1] == 'E' || text[p - 1] == 'p' || text[p - 1] == 'P'))
                {
                    p++;
                }
                else if (IsIdentifierPart(c) || c == '.')
                {
                    p++;
                }
                else
                {
                    break;
                }
            }
            return p;
        }

        private static string ReadPunctuator(char[] text, int p, int length, out int consumed)
        {
            if (p + 2 < length)
            {
                string three = new string(text, p, 3);
                if (three == "..." || three == "<<=" || three == ">>=")
                {
                    consumed = 3;
                    return three;
                }
            }
            if (p + 1 < length)
            {
                char a = text[p], b = text[p + 1];
                // Digraphs: <% %> <: :> %: mean { } [ ] #.
                string digraph = a == '<' && b == '%' ? "{" : a == '%' && b == '>' ? "}" : a == '<' && b == ':' ? "[" : a == ':' && b == '>' ? "]" : a == '%' && b == ':' ? "#" : null;
                if (digraph != null)
                {
                    consumed = 2;
                    return digraph;
                }
                string two = new string(text, p, 2);
                if (TwoCharacterPunctuators.Contains(two))
                {
                    consumed = 2;
                    return two;
                }
            }
            consumed = 1;
            char c = text[p];
            return c < SingleCharacters.Length ? SingleCharacters[c] : c.ToString();
        }

        private static string[] BuildSingleCharacters()
        {
            var result = new string[128];
            for (int i = 0; i < result.Length; i++) result[i] = ((char)i).ToString();
            return result;
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        // GCC accepts '$' and (since GCC 10) UTF-8 characters in identifiers.
        private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c > 127;

        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);
    }
}
