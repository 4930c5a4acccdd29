using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;

namespace MlfTools.Symbols
{
    internal enum CTokenKind : byte
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
        public CToken(CTokenKind kind, string text, int line, bool startsLine, bool skipsInside = false)
        {
            Kind = kind;
            Text = text;
            Line = line;
            StartsLine = startsLine;
            SkipsInside = skipsInside;
        }

        public CTokenKind Kind { get; }

        /// <summary>The token as written; string and character literals keep their prefix and quotes.</summary>
        public string Text { get; }

        public int Line { get; }

        /// <summary>First token of a logical line: a '#' here starts a preprocessing directive.</summary>
        public bool StartsLine { get; }

        /// <summary>
        /// An opening brace whose group was lexed without keeping its inside: the next token is the closer that
        /// balances it (see <see cref="CLexer.Tokenize(string, bool)"/>).
        /// </summary>
        public bool SkipsInside { get; }

        public bool IsPunctuator(string text) => Kind == CTokenKind.Punctuator && Text == text;

        public bool IsIdentifier(string text) => Kind == CTokenKind.Identifier && Text == text;

        public override string ToString() => Text;
    }

    /// <summary>
    /// Translation phases 1-3 of C for one file: backslash-newline splicing, comments to whitespace, and
    /// preprocessing tokens. Literals never run past the end of a line (an unterminated quote in a skipped
    /// #if 0 block, such as an apostrophe in prose, must not swallow the rest of the file).
    /// </summary>
    /// <remarks>
    /// Generated sources run to megabytes, so the lexer allocates little: the text is spliced only when it has a
    /// backslash-newline, line numbers are counted as the scan goes instead of kept per character, punctuators are
    /// shared constant strings, and each distinct identifier or number is one string however often it occurs.
    /// </remarks>
    internal static class CLexer
    {
        private static readonly string[] SingleCharacters = BuildSingleCharacters();

        public static List<CToken> Tokenize(string source) => Tokenize(source, skipGroupInsides: false);

        /// <summary>
        /// The tokens of <paramref name="source"/>. With <paramref name="skipGroupInsides"/>, a brace group is stepped
        /// over character by character and comes back as its '{' (marked <see cref="CToken.SkipsInside"/>) followed
        /// by the closer that balances it, when nothing inside could matter to a reader that only counts brackets
        /// through it: no '#' (so no directive) and no _Pragma inside, the group closes, and it is neither on a
        /// directive line nor the brace of <c>extern "C" {</c>. Function bodies and constant initializers are
        /// almost all of a generated source, so this spares making most of its tokens. Brackets balance as
        /// SkipBalanced counts them: every opener against every closer, whatever their kinds.
        /// </summary>
        [MethodImpl(Hot.Optimize)]
        public static List<CToken> Tokenize(string source, bool skipGroupInsides)
        {
            string text = Splice(source, out List<int> splices);
            int length = text.Length;
            // About one token per three and a half characters in generated C (far fewer when group insides are skipped);
            // a close first guess saves regrowing a large list.
            var tokens = new List<CToken>(skipGroupInsides ? length / 32 + 16 : length / 3 + 16);
            bool onDirectiveLine = false;
            var lines = new LineCounter(text, splices);
            var words = new StringPool();
            bool startsLine = true;
            // A group that cannot be stepped over is lexed token by token after all, so every failed try scanned ahead for
            // nothing; a run of unclosed '{' would make that quadratic. Past this much wasted scanning, skipping stops.
            long skipBudget = 2L * length + 65536;
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

                int line = lines.LineAt(p);
                int start = p;
                CTokenKind kind;
                if (startsLine) onDirectiveLine = false; // a '#' sets it again below
                if (IsIdentifierStart(c))
                {
                    while (p < length && IsIdentifierPart(text[p])) p++;
                    if (p < length && (text[p] == '"' || text[p] == '\'') && IsEncodingPrefix(text, start, p - start))
                    {
                        kind = text[p] == '"' ? CTokenKind.String : CTokenKind.Char;
                        p = SkipQuoted(text, p, length);
                        tokens.Add(new CToken(kind, text.Substring(start, p - start), line, startsLine));
                    }
                    else
                    {
                        tokens.Add(new CToken(CTokenKind.Identifier, words.Get(text, start, p - start), line, startsLine));
                    }
                }
                else if (IsDigit(c) || (c == '.' && IsDigit(next)))
                {
                    p = SkipNumber(text, p, length);
                    tokens.Add(new CToken(CTokenKind.Number, words.Get(text, start, p - start), line, startsLine));
                }
                else if (c == '"' || c == '\'')
                {
                    kind = c == '"' ? CTokenKind.String : CTokenKind.Char;
                    p = SkipQuoted(text, p, length);
                    tokens.Add(new CToken(kind, text.Substring(start, p - start), line, startsLine));
                }
                else
                {
                    string punctuator = ReadPunctuator(text, p, length, out int consumed);
                    p += consumed;
                    if (startsLine) onDirectiveLine = punctuator == "#";
                    int after = -1;
                    int close = -1;
                    string closer = null;
                    bool closeStartsLine = false;
                    if (skipGroupInsides && skipBudget > 0 && punctuator == "{" && !onDirectiveLine && !AfterExternString(tokens))
                    {
                        after = SkipGroupInside(text, p, length, out close, out closer, out closeStartsLine, out int reached);
                        if (after < 0) skipBudget -= reached - p;
                    }
                    if (after >= 0)
                    {
                        tokens.Add(new CToken(CTokenKind.Punctuator, punctuator, line, startsLine, skipsInside: true));
                        tokens.Add(new CToken(CTokenKind.Punctuator, closer, lines.LineAt(close), closeStartsLine));
                        p = after;
                    }
                    else
                    {
                        tokens.Add(new CToken(CTokenKind.Punctuator, punctuator, line, startsLine));
                    }
                    startsLine = false;
                    continue;
                }
                startsLine = false;
            }
            return tokens;
        }

        /// <summary>True when the last two tokens are <c>extern</c> and a string literal: a '{' now opens a linkage block, whose inside is read.</summary>
        private static bool AfterExternString(List<CToken> tokens)
        {
            int n = tokens.Count;
            return n >= 2 && tokens[n - 1].Kind == CTokenKind.String && tokens[n - 2].IsIdentifier("extern");
        }

        /// <summary>
        /// Steps over the inside of a group whose opener ends just before <paramref name="p"/>, lexing it as
        /// <see cref="Tokenize(string, bool)"/> would but keeping nothing, until the closer that brings the count of
        /// openers ( [ { &lt;: &lt;% against closers ) ] } :&gt; %&gt; back to zero. Returns the position after that closer
        /// (its start in <paramref name="close"/>, its text in <paramref name="closer"/>, and whether it begins a line),
        /// or -1 when the group holds a '#' (possibly a directive) or a _Pragma, or never closes (with where it stopped
        /// looking in <paramref name="reached"/>).
        /// </summary>
        /// <remarks>
        /// Only comments, literals, brackets, '#' and _Pragma matter here; every other character is a token of its own
        /// or part of one that holds none of those. Token boundaries matter only for the digraphs, so the characters
        /// that can start one (&lt; % :) go through <see cref="ReadPunctuator"/> as in Tokenize.
        /// </remarks>
        [MethodImpl(Hot.Optimize)]
        private static int SkipGroupInside(string text, int p, int length, out int close, out string closer, out bool closeStartsLine, out int reached)
        {
            close = -1;
            closer = null;
            closeStartsLine = false;
            reached = length;
            int depth = 1;
            bool startsLine = false;
            while (p < length)
            {
                char c = text[p];
                int consumed = 1;
                string bracket = null;
                switch (c)
                {
                    case '\n':
                        startsLine = true;
                        p++;
                        continue;
                    case ' ':
                    case '\t':
                    case '\r':
                    case '\f':
                    case '\v':
                        p++;
                        continue;
                    case '/':
                        if (p + 1 < length && text[p + 1] == '/')
                        {
                            while (p < length && text[p] != '\n') p++;
                            continue;
                        }
                        if (p + 1 < length && text[p + 1] == '*')
                        {
                            p += 2;
                            while (p < length && !(text[p] == '*' && p + 1 < length && text[p + 1] == '/')) p++;
                            p = p + 2 > length ? length : p + 2;
                            continue;
                        }
                        break;
                    case '"':
                    case '\'':
                        consumed = SkipQuoted(text, p, length) - p;
                        break;
                    case '#':
                        reached = p;
                        return -1;
                    case '(':
                    case '[':
                    case '{':
                        depth++;
                        break;
                    case ')':
                    case ']':
                    case '}':
                        bracket = SingleCharacters[c];
                        break;
                    case '<':
                    case '%':
                    case ':':
                        string punctuator = ReadPunctuator(text, p, length, out consumed);
                        if (punctuator == "#")
                        {
                            reached = p;
                            return -1;
                        }
                        if (punctuator == "[" || punctuator == "{") depth++;
                        else if (punctuator == "]" || punctuator == "}") bracket = punctuator;
                        break;
                    case '_':
                        // _Pragma as a whole identifier (not inside a longer identifier or a number such as 0x_Pragma).
                        if (p + Pragma.Length <= length && text[p + 1] == 'P' && string.CompareOrdinal(text, p, Pragma, 0, Pragma.Length) == 0
                            && (p == 0 || !IsIdentifierPart(text[p - 1])) && (p + Pragma.Length == length || !IsIdentifierPart(text[p + Pragma.Length])))
                        {
                            reached = p;
                            return -1;
                        }
                        break;
                }
                if (bracket != null && --depth == 0)
                {
                    close = p;
                    closer = bracket;
                    closeStartsLine = startsLine;
                    return p + consumed;
                }
                p += consumed;
                startsLine = false;
            }
            return -1;
        }

        private const string Pragma = "_Pragma";


        /// <summary>L, u, U and u8 before a quote make one literal token with it.</summary>
        private static bool IsEncodingPrefix(string text, int start, int length)
        {
            if (length == 1) return text[start] == 'L' || text[start] == 'u' || text[start] == 'U';
            return length == 2 && text[start] == 'u' && text[start + 1] == '8';
        }

        /// <summary>
        /// Removes backslash-newline pairs (GCC also accepts blanks between them). Returns the source itself when it
        /// has none; <paramref name="splices"/> gets the index in the result at which each removed newline was (null
        /// when none was), so that line numbers can be counted in the original file.
        /// </summary>
        private static string Splice(string source, out List<int> splices)
        {
            splices = null;
            int backslash = source.IndexOf('\\');
            if (backslash < 0) return source;
            StringBuilder text = null;
            int copied = 0;
            for (int i = backslash; i < source.Length; i++)
            {
                if (source[i] != '\\') continue;
                int j = i + 1;
                while (j < source.Length && (source[j] == ' ' || source[j] == '\t')) j++;
                if (j < source.Length && source[j] == '\r' && j + 1 < source.Length && source[j + 1] == '\n') j++;
                if (j < source.Length && source[j] == '\n')
                {
                    text = text ?? new StringBuilder(source.Length);
                    splices = splices ?? new List<int>();
                    text.Append(source, copied, i - copied);
                    splices.Add(text.Length);
                    copied = j + 1;
                    i = j;
                }
            }
            if (text == null) return source;
            text.Append(source, copied, source.Length - copied);
            return text.ToString();
        }

        /// <summary>
        /// The 1-based line, in the original file, of positions of the spliced text asked for in increasing order:
        /// one more for every newline before the position and for every splice at or before it.
        /// </summary>
        private struct LineCounter
        {
            private readonly string _text;
            private readonly List<int> _splices;
            private int _scanned;
            private int _splice;
            private int _line;

            public LineCounter(string text, List<int> splices)
            {
                _text = text;
                _splices = splices;
                _scanned = 0;
                _splice = 0;
                _line = 1;
            }

            [MethodImpl(Hot.Optimize)]
            public int LineAt(int position)
            {
                while (_scanned < position)
                {
                    int newline = _text.IndexOf('\n', _scanned, position - _scanned);
                    if (newline < 0) break;
                    _line++;
                    _scanned = newline + 1;
                }
                if (_scanned < position) _scanned = position;
                if (_splices != null)
                {
                    while (_splice < _splices.Count && _splices[_splice] <= position)
                    {
                        _line++;
                        _splice++;
                    }
                }
                return _line;
            }
        }

        /// <summary>One string per distinct spelling within one file: generated code repeats a few names thousands of times.</summary>
        private sealed class StringPool
        {
            private string[] _strings = new string[1024];
            private int[] _hashes = new int[1024];
            private int _count;

            [MethodImpl(Hot.Optimize)]
            public string Get(string text, int start, int length)
            {
                int hash = length;
                for (int i = start; i < start + length; i++) hash = unchecked(hash * 31 + text[i]);
                int mask = _strings.Length - 1;
                int slot = hash & mask;
                while (true)
                {
                    string found = _strings[slot];
                    if (found == null) break;
                    if (_hashes[slot] == hash && found.Length == length && SameChars(found, text, start)) return found;
                    slot = (slot + 1) & mask;
                }
                string word = text.Substring(start, length);
                _strings[slot] = word;
                _hashes[slot] = hash;
                if (++_count * 2 > _strings.Length) Grow();
                return word;
            }

            private static bool SameChars(string found, string text, int start)
            {
                for (int i = 0; i < found.Length; i++)
                {
                    if (found[i] != text[start + i]) return false;
                }
                return true;
            }

            private void Grow()
            {
                var strings = _strings;
                var hashes = _hashes;
                _strings = new string[strings.Length * 2];
                _hashes = new int[strings.Length * 2];
                int mask = _strings.Length - 1;
                for (int i = 0; i < strings.Length; i++)
                {
                    if (strings[i] == null) continue;
                    int slot = hashes[i] & mask;
                    while (_strings[slot] != null) slot = (slot + 1) & mask;
                    _strings[slot] = strings[i];
                    _hashes[slot] = hashes[i];
                }
            }
        }

        [MethodImpl(Hot.Optimize)]
        private static int SkipQuoted(string text, int p, int length)
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

        [MethodImpl(Hot.Optimize)]
        private static int SkipNumber(string text, int p, int length)
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

        [MethodImpl(Hot.Optimize)]
        private static string ReadPunctuator(string text, int p, int length, out int consumed)
        {
            char a = text[p];
            char b = p + 1 < length ? text[p + 1] : '\0';
            char c = p + 2 < length ? text[p + 2] : '\0';
            string found = null;
            consumed = 2;
            switch (a)
            {
                case '.':
                    if (b == '.' && c == '.')
                    {
                        consumed = 3;
                        found = "...";
                    }
                    break;
                case '<':
                    if (b == '<' && c == '=')
                    {
                        consumed = 3;
                        found = "<<=";
                    }
                    else found = b == '%' ? "{" : b == ':' ? "[" : b == '<' ? "<<" : b == '=' ? "<=" : null; // <% and <: are digraphs
                    break;
                case '>':
                    if (b == '>' && c == '=')
                    {
                        consumed = 3;
                        found = ">>=";
                    }
                    else found = b == '>' ? ">>" : b == '=' ? ">=" : null;
                    break;
                case '%':
                    found = b == '>' ? "}" : b == ':' ? "#" : b == '=' ? "%=" : null; // %> and %: are digraphs
                    break;
                case ':':
                    found = b == '>' ? "]" : null; // digraph
                    break;
                case '-':
                    found = b == '>' ? "->" : b == '-' ? "--" : b == '=' ? "-=" : null;
                    break;
                case '+':
                    found = b == '+' ? "++" : b == '=' ? "+=" : null;
                    break;
                case '=':
                    found = b == '=' ? "==" : null;
                    break;
                case '!':
                    found = b == '=' ? "!=" : null;
                    break;
                case '&':
                    found = b == '&' ? "&&" : b == '=' ? "&=" : null;
                    break;
                case '|':
                    found = b == '|' ? "||" : b == '=' ? "|=" : null;
                    break;
                case '*':
                    found = b == '=' ? "*=" : null;
                    break;
                case '/':
                    found = b == '=' ? "/=" : null;
                    break;
                case '^':
                    found = b == '=' ? "^=" : null;
                    break;
                case '#':
                    found = b == '#' ? "##" : null;
                    break;
            }
            if (found != null) return found;
            consumed = 1;
            return a < SingleCharacters.Length ? SingleCharacters[a] : a.ToString();
        }

        private static string[] BuildSingleCharacters()
        {
            var result = new string[128];
            for (int i = 0; i < result.Length; i++) result[i] = ((char)i).ToString();
            return result;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        // GCC accepts '$' and (since GCC 10) UTF-8 characters in identifiers.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsIdentifierStart(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c > 127;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);
    }
}
