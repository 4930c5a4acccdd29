using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;

namespace MlfTools.CSource
{
    internal enum CTokenKind : byte
    {
        Identifier,
        Number,
        String,
        Char,
        Punctuator,

        /// <summary>A comment, made only by a lexer asked to report them (the renamer's, for the comments TVM writes with the module name).</summary>
        Comment,
    }

    /// <summary>
    /// One C token (after trigraphs, line splicing and comment removal) with the 1-based line it starts on and where
    /// it is spelt in the original text.
    /// </summary>
    internal readonly struct CToken
    {
        public CToken(CTokenKind kind, string text, int line, bool startsLine, bool skipsInside = false, int start = 0, int end = 0, bool unterminated = false)
        {
            Kind = kind;
            Text = text;
            Line = line;
            StartsLine = startsLine;
            SkipsInside = skipsInside;
            Start = start;
            End = end;
            Unterminated = unterminated;
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

        /// <summary>Index in the original text of the token's first char (of a trigraph standing for it, if any).</summary>
        public int Start { get; }

        /// <summary>
        /// Index in the original text after the token's last char. <see cref="Text"/> is the original text between
        /// <see cref="Start"/> and <see cref="End"/> unless a trigraph or a backslash-newline lies inside the token; then
        /// that text is longer than <see cref="Text"/>.
        /// </summary>
        public int End { get; }

        /// <summary>A string or character literal that reaches the end of its line (or of the file) without its closing quote.</summary>
        public bool Unterminated { get; }

        /// <summary>True when the token is spelt in the original text exactly as <see cref="Text"/> (no trigraph, no splice inside).</summary>
        public bool IsVerbatim => End - Start == Text.Length;

        public bool IsPunctuator(string text) => Kind == CTokenKind.Punctuator && Text == text;

        public bool IsIdentifier(string text) => Kind == CTokenKind.Identifier && Text == text;

        public override string ToString() => Text;
    }

    /// <summary>
    /// Translation phases 1-3 of C for one file: trigraphs, backslash-newline splicing, comments to whitespace, and
    /// preprocessing tokens. Literals never run past the end of a line (an unterminated quote in a skipped
    /// #if 0 block, such as an apostrophe in prose, must not swallow the rest of the file). This is the one reading of
    /// C that the symbol scan, the validator and the renamer share (the renamer through
    /// <see cref="Rename.RenameSites"/>), so what one of them takes for an identifier the others do too.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Trigraphs are read as ISO C reads them (GCC's -std=c99/c11/c17, which Zephyr and TVM's CRT builds use):
    /// <c>??/</c> is a backslash, so <c>??/</c> before a newline splices lines. Between a backslash and the newline GCC
    /// also accepts blanks, and so does this lexer.
    /// </para>
    /// <para>
    /// Generated sources run to megabytes, so the lexer allocates little: the text is copied only when it has a
    /// trigraph or a backslash-newline, tokens are made one at a time (<see cref="Next"/>) for readers that keep none,
    /// line numbers are counted as the scan goes instead of kept per character, punctuators are shared constant
    /// strings, and each distinct identifier or number is one string however often it occurs.
    /// </para>
    /// </remarks>
    internal sealed class CLexer
    {
        private static readonly string[] SingleCharacters = BuildSingleCharacters();

        private readonly string _text;
        private readonly int _length;
        private readonly SourceMap _map;
        private readonly bool _skipGroupInsides;
        private readonly bool _reportComments;
        private readonly StringPool _words = new StringPool();
        private LineCounter _lines;
        private int _p;
        private bool _startsLine = true;
        private bool _onDirectiveLine;
        // A group that cannot be stepped over is lexed token by token after all, so every failed try scanned ahead for
        // nothing; a run of unclosed '{' would make that quadratic. Past this much wasted scanning, skipping stops.
        private long _skipBudget;
        private bool _hasPending;
        private CToken _pending;
        private CToken _last;
        private CToken _beforeLast;
        private int _made;

        /// <summary>A lexer over <paramref name="source"/>; see <see cref="Tokenize(string, bool)"/> for <paramref name="skipGroupInsides"/>.</summary>
        public CLexer(string source, bool skipGroupInsides = false, bool reportComments = false)
        {
            _reportComments = reportComments;
            _text = Translate(source, out _map);
            _length = _text.Length;
            _skipGroupInsides = skipGroupInsides;
            _lines = new LineCounter(_text, _map);
            _skipBudget = 2L * _length + 65536;
        }

        /// <summary>The original text position of every char of the translated text, and the lines spliced away.</summary>
        public SourceMap Map => _map;

        /// <summary>How far the lexer has read, in chars of the translated text (for progress and cancellation checks).</summary>
        public int Position => _p;

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
        public static List<CToken> Tokenize(string source, bool skipGroupInsides) => Tokenize(source, skipGroupInsides, CancellationToken.None);

        /// <summary>
        /// As <see cref="Tokenize(string, bool)"/>, checking <paramref name="cancellationToken"/> as it goes. Throws
        /// <see cref="CSourceTooLargeException"/> past <see cref="CSourceLimits.MaximumTokens"/> tokens.
        /// </summary>
        public static List<CToken> Tokenize(string source, bool skipGroupInsides, CancellationToken cancellationToken)
        {
            var lexer = new CLexer(source, skipGroupInsides);
            // About one token per three and a half characters in generated C (far fewer when group insides are skipped);
            // a close first guess saves regrowing a large list.
            var tokens = new List<CToken>(skipGroupInsides ? lexer._length / 32 + 16 : lexer._length / 3 + 16);
            while (lexer.Next(out var token))
            {
                if (tokens.Count >= CSourceLimits.MaximumTokens) throw new CSourceTooLargeException();
                tokens.Add(token);
                if ((tokens.Count & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            }
            return tokens;
        }

        /// <summary>The next token; false at the end of the text.</summary>
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
        public bool Next(out CToken token)
        {
            if (_hasPending)
            {
                _hasPending = false;
                token = Remember(_pending);
                return true;
            }
            string text = _text;
            int length = _length;
            int p = _p;
            while (p < length)
            {
                char c = text[p];
                char next = p + 1 < length ? text[p + 1] : '\0';
                if (c == '\n')
                {
                    _startsLine = true;
                    p++;
                    continue;
                }
                if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
                {
                    p++;
                    continue;
                }
                if (c == '/' && (next == '/' || next == '*'))
                {
                    int commentStart = p;
                    if (next == '/')
                    {
                        while (p < length && text[p] != '\n') p++;
                    }
                    else
                    {
                        // A comment is one space, so newlines inside it do not end a directive line.
                        p += 2;
                        while (p < length && !(text[p] == '*' && p + 1 < length && text[p + 1] == '/')) p++;
                        p = p + 2 > length ? length : p + 2;
                    }
                    if (!_reportComments) continue;
                    // Not remembered as the last token, and the line start stays pending: a comment is white space to C.
                    _p = p;
                    token = Make(CTokenKind.Comment, text.Substring(commentStart, p - commentStart), _lines.LineAt(commentStart), false, commentStart, p, false);
                    return true;
                }

                int line = _lines.LineAt(p);
                int start = p;
                bool startsLine = _startsLine;
                _startsLine = false;
                if (startsLine) _onDirectiveLine = false; // a '#' sets it again below
                if (IsIdentifierStart(c))
                {
                    while (p < length && IsIdentifierPart(text[p])) p++;
                    if (p < length && text[p] == '"' && IsRawPrefix(text, start, p) && TrySkipRaw(text, p, length, out int afterRaw))
                    {
                        p = afterRaw;
                        token = Make(CTokenKind.String, text.Substring(start, p - start), line, startsLine, start, p, false);
                    }
                    else if (p < length && (text[p] == '"' || text[p] == '\'') && IsEncodingPrefix(text, start, p - start))
                    {
                        var kind = text[p] == '"' ? CTokenKind.String : CTokenKind.Char;
                        p = SkipQuoted(text, p, length, out bool terminated);
                        token = Make(kind, text.Substring(start, p - start), line, startsLine, start, p, !terminated);
                    }
                    else
                    {
                        token = Make(CTokenKind.Identifier, _words.Get(text, start, p - start), line, startsLine, start, p, false);
                    }
                }
                else if (IsDigit(c) || (c == '.' && IsDigit(next)))
                {
                    p = SkipNumber(text, p, length);
                    token = Make(CTokenKind.Number, _words.Get(text, start, p - start), line, startsLine, start, p, false);
                }
                else if (c == '"' || c == '\'')
                {
                    var kind = c == '"' ? CTokenKind.String : CTokenKind.Char;
                    p = SkipQuoted(text, p, length, out bool terminated);
                    token = Make(kind, text.Substring(start, p - start), line, startsLine, start, p, !terminated);
                }
                else
                {
                    string punctuator = ReadPunctuator(text, p, length, out int consumed);
                    p += consumed;
                    if (startsLine) _onDirectiveLine = punctuator == "#";
                    int after = -1;
                    int close = -1;
                    string closer = null;
                    bool closeStartsLine = false;
                    if (_skipGroupInsides && _skipBudget > 0 && punctuator == "{" && !_onDirectiveLine && !AfterExternString())
                    {
                        after = SkipGroupInside(text, p, length, out close, out closer, out closeStartsLine, out int reached);
                        if (after < 0) _skipBudget -= reached - p;
                    }
                    if (after >= 0)
                    {
                        token = Make(CTokenKind.Punctuator, punctuator, line, startsLine, start, p, false, skipsInside: true);
                        _pending = Make(CTokenKind.Punctuator, closer, _lines.LineAt(close), closeStartsLine, close, after, false);
                        _hasPending = true;
                        p = after;
                    }
                    else
                    {
                        token = Make(CTokenKind.Punctuator, punctuator, line, startsLine, start, p, false);
                    }
                }
                _p = p;
                token = Remember(token);
                return true;
            }
            _p = p;
            token = default;
            return false;
        }

        /// <summary>How many tokens <see cref="Next"/> has returned.</summary>
        public int Count => _made;

        private CToken Make(CTokenKind kind, string spelling, int line, bool startsLine, int start, int end, bool unterminated, bool skipsInside = false) =>
            _map == null
                ? new CToken(kind, spelling, line, startsLine, skipsInside, start, end, unterminated)
                : new CToken(kind, spelling, line, startsLine, skipsInside, _map.Original(start), _map.OriginalEnd(end), unterminated);

        private CToken Remember(CToken token)
        {
            _beforeLast = _last;
            _last = token;
            _made++;
            return token;
        }

        /// <summary>True when the last two tokens are <c>extern</c> and a string literal: a '{' now opens a linkage block, whose inside is read.</summary>
        private bool AfterExternString() => _made >= 2 && _last.Kind == CTokenKind.String && _beforeLast.IsIdentifier("extern");

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
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
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
                        consumed = (IsRawQuote(text, p) && TrySkipRaw(text, p, length, out int afterRaw) ? afterRaw : SkipQuoted(text, p, length)) - p;
                        break;
                    case '\'':
                        consumed = SkipQuoted(text, p, length) - p;
                        break;
                    case '0':
                    case '1':
                    case '2':
                    case '3':
                    case '4':
                    case '5':
                    case '6':
                    case '7':
                    case '8':
                    case '9':
                        // A number as the lexer reads it, so that a digit separator (1'000) is not taken for a quote.
                        if (p == 0 || !IsIdentifierPart(text[p - 1])) consumed = SkipNumber(text, p, length) - p;
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
        /// Phases 1 and 2: trigraphs replaced, backslash-newline pairs removed (GCC also accepts blanks between them).
        /// Returns the source itself, and a null <paramref name="map"/>, when it has neither.
        /// </summary>
        private static string Translate(string source, out SourceMap map)
        {
            map = null;
            if (source.IndexOf('\\') < 0 && source.IndexOf("??", StringComparison.Ordinal) < 0) return source;
            StringBuilder text = null;
            int copied = 0;
            int n = source.Length;
            for (int i = 0; i < n; i++)
            {
                char c = source[i];
                int width;
                char translated;
                if (c == '\\')
                {
                    width = 1;
                    translated = c;
                }
                else if (c == '?' && i + 2 < n && source[i + 1] == '?' && (translated = Trigraph(source[i + 2])) != '\0')
                {
                    width = 3;
                }
                else
                {
                    continue;
                }
                if (translated == '\\')
                {
                    int j = i + width;
                    while (j < n && (source[j] == ' ' || source[j] == '\t')) j++;
                    if (j < n && source[j] == '\r' && j + 1 < n && source[j + 1] == '\n') j++;
                    if (j < n && source[j] == '\n')
                    {
                        text = text ?? new StringBuilder(n);
                        map = map ?? new SourceMap();
                        text.Append(source, copied, i - copied);
                        map.AddSplice(text.Length, j + 1);
                        copied = j + 1;
                        i = j;
                        continue;
                    }
                }
                if (width == 3)
                {
                    text = text ?? new StringBuilder(n);
                    map = map ?? new SourceMap();
                    text.Append(source, copied, i - copied);
                    text.Append(translated);
                    map.AddTrigraphEnd(text.Length, i + 3);
                    copied = i + 3;
                    i += 2;
                }
            }
            if (text == null) return source;
            text.Append(source, copied, n - copied);
            return text.ToString();
        }

        /// <summary>The character trigraph ??<paramref name="third"/> stands for, or '\0'.</summary>
        private static char Trigraph(char third)
        {
            switch (third)
            {
                case '=': return '#';
                case '/': return '\\';
                case '\'': return '^';
                case '(': return '[';
                case ')': return ']';
                case '!': return '|';
                case '<': return '{';
                case '>': return '}';
                case '-': return '~';
                default: return '\0';
            }
        }

        /// <summary>
        /// The 1-based line, in the original file, of positions of the translated text asked for in increasing order:
        /// one more for every newline before the position and for every splice at or before it.
        /// </summary>
        private struct LineCounter
        {
            private readonly string _text;
            private readonly List<int> _splices;
            private int _scanned;
            private int _splice;
            private int _line;

            public LineCounter(string text, SourceMap map)
            {
                _text = text;
                _splices = map?.Splices;
                _scanned = 0;
                _splice = 0;
                _line = 1;
            }

            [MethodImpl(MethodImplFlags.AggressiveOptimization)]
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

            [MethodImpl(MethodImplFlags.AggressiveOptimization)]
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

        private static int SkipQuoted(string text, int p, int length) => SkipQuoted(text, p, length, out _);

        /// <summary>Index after the closing quote of the literal opening at <paramref name="p"/>; at the newline or the end of the text when it has none.</summary>
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
        private static int SkipQuoted(string text, int p, int length, out bool terminated)
        {
            char quote = text[p];
            terminated = false;
            p++;
            while (p < length && text[p] != '\n')
            {
                if (text[p] == '\\' && p + 1 < length && text[p + 1] != '\n')
                {
                    p += 2;
                    continue;
                }
                if (text[p] == quote)
                {
                    terminated = true;
                    return p + 1;
                }
                p++;
            }
            return p;
        }

        /// <summary>True when the quote at <paramref name="quote"/> ends an identifier that is a raw string prefix (R, LR, uR, UR, u8R).</summary>
        private static bool IsRawQuote(string text, int quote)
        {
            if (quote == 0 || text[quote - 1] != 'R') return false;
            int start = quote - 1;
            while (start > 0 && IsIdentifierPart(text[start - 1])) start--;
            return IsIdentifierStart(text[start]) && IsRawPrefix(text, start, quote);
        }

        private static bool IsRawPrefix(string text, int start, int end) =>
            text[end - 1] == 'R' && (end - start == 1 || IsEncodingPrefix(text, start, end - start - 1));

        /// <summary>R"delim( ... )delim": the index after its closing quote; false (read it as an identifier and an ordinary literal) when malformed.</summary>
        private static bool TrySkipRaw(string text, int quote, int length, out int after)
        {
            after = quote;
            int open = quote + 1;
            while (open < length && open - quote - 1 <= 16 && text[open] != '(')
            {
                char c = text[open];
                if (c == ')' || c == '\\' || c == '"' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return false;
                open++;
            }
            if (open >= length || text[open] != '(' || open - quote - 1 > 16) return false;
            string closing = ")" + text.Substring(quote + 1, open - quote - 1) + "\"";
            int close = text.IndexOf(closing, open + 1, StringComparison.Ordinal);
            if (close < 0) return false;
            after = close + closing.Length;
            return true;
        }

        /// <summary>A preprocessing number: digits, letters, '_', '.', an exponent sign, and C23/C++14 digit separators.</summary>
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
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
                else if (c == '\'' && p + 1 < length && IsIdentifierPart(text[p + 1]))
                {
                    p += 2; // a C23 / C++14 digit separator
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

        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
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
