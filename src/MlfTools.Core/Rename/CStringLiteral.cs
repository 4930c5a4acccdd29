using System.Collections.Generic;
using System.Text;

namespace MlfTools.Rename
{
    /// <summary>
    /// The escapes of a C string literal's body: decoding to one char per character unit, with where in the source
    /// each unit is spelt, and encoding back so that the compiler reads exactly the same units.
    /// </summary>
    internal sealed class CStringLiteral
    {
        private readonly StringBuilder _value = new StringBuilder();
        private readonly List<int> _starts = new List<int>();
        private readonly List<int> _ends = new List<int>();
        private readonly List<int> _pieces = new List<int>();

        /// <summary>The decoded units so far: bytes as U+0000..U+00FF; wider units (\u, \x over 0xFF) as their value, or U+FFFF.</summary>
        public string Value => _value.ToString();

        /// <summary>Where unit <paramref name="index"/> is spelt: source index of its first char.</summary>
        public int StartOf(int index) => _starts[index];

        /// <summary>Source index after the last char of unit <paramref name="index"/>'s spelling.</summary>
        public int EndOf(int index) => _ends[index];

        /// <summary>Which appended body (0, 1, ...) unit <paramref name="index"/> came from.</summary>
        public int PieceOf(int index) => _pieces[index];

        /// <summary>All units of one body.</summary>
        public static CStringLiteral Decode(string body)
        {
            var literal = new CStringLiteral();
            literal.Append(body, 0, body.Length, 0);
            return literal;
        }

        /// <summary>
        /// Decodes the body at <paramref name="text"/>[<paramref name="start"/>, <paramref name="end"/>) and appends its
        /// units; several bodies appended in turn read as the compiler reads adjacent literals (each body's escapes
        /// end with it, so "\x4" "1" is two units).
        /// </summary>
        public void Append(string text, int start, int end, int piece)
        {
            // Translation phase 2 comes before escapes: a backslash-newline vanishes wherever it stands, inside an
            // escape too ("\0\<newline>07" is "\007"). Blanks before the newline are allowed, as GCC and the lexer read it.
            var at = new List<int>(end - start);
            for (int i = start; i < end;)
            {
                int splice = text[i] == '\\' ? SpliceEnd(text, i + 1, end) : 0;
                if (splice > 0) i = splice;
                else at.Add(i++);
            }
            int k = 0;
            while (k < at.Count)
            {
                int first = k;
                char c = text[at[k]];
                if (c != '\\' || k + 1 >= at.Count)
                {
                    Add(c, at[k], at[k] + 1, piece);
                    k++;
                    continue;
                }
                char e = text[at[k + 1]];
                int value;
                if (e >= '0' && e <= '7')
                {
                    value = 0;
                    int j = k + 1;
                    while (j < at.Count && j < k + 4 && text[at[j]] >= '0' && text[at[j]] <= '7') value = value * 8 + (text[at[j++]] - '0');
                    k = j;
                }
                else if (e == 'x' && k + 2 < at.Count && HexValue(text[at[k + 2]]) >= 0)
                {
                    k = ReadHex(text, at, k + 2, int.MaxValue, out value);
                }
                else if ((e == 'u' || e == 'U') && k + 2 < at.Count && HexValue(text[at[k + 2]]) >= 0)
                {
                    k = ReadHex(text, at, k + 2, e == 'u' ? 4 : 8, out value);
                    HasUniversalCharacterNames = true;
                }
                else
                {
                    value = SimpleEscape(e);
                    k += 2;
                }
                Add(value <= 0xFFFF ? (char)value : '\uFFFF', at[first], at[k - 1] + 1, piece);
            }
        }

        /// <summary>
        /// True when a \u or \U escape was read: its unit is a code point, which a narrow literal holds as several
        /// bytes (UTF-8), so <see cref="Value"/> is not the literal's bytes.
        /// </summary>
        public bool HasUniversalCharacterNames { get; private set; }

        /// <summary>
        /// A body that decodes to <paramref name="value"/>: printable ASCII as itself ('"' and '\' escaped), every other
        /// unit as an escape that no following character can extend (three octal digits; \u for units over 0xFF).
        /// </summary>
        public static string Encode(string value)
        {
            var body = new StringBuilder(value.Length);
            char previous = '\0';
            foreach (char c in value)
            {
                if (c == '"' || c == '\\') body.Append('\\').Append(c);
                else if (c == '?' && previous == '?') body.Append("\\?"); // no trigraphs
                else if (c >= ' ' && c <= '~') body.Append(c);
                else if (c <= '\u00FF') body.Append('\\').Append((char)('0' + (c >> 6))).Append((char)('0' + ((c >> 3) & 7))).Append((char)('0' + (c & 7)));
                else body.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
                previous = c;
            }
            return body.ToString();
        }

        /// <summary>After a backslash at <paramref name="i"/> - 1: the index after the newline when only blanks stand before it, else 0.</summary>
        private static int SpliceEnd(string text, int i, int end)
        {
            while (i < end && (text[i] == ' ' || text[i] == '\t')) i++;
            if (i + 1 < end && text[i] == '\r' && text[i + 1] == '\n') return i + 2;
            return i < end && text[i] == '\n' ? i + 1 : 0;
        }

        private void Add(char unit, int start, int end, int piece)
        {
            _value.Append(unit);
            _starts.Add(start);
            _ends.Add(end);
            _pieces.Add(piece);
        }

        private static int ReadHex(string text, List<int> at, int k, int maxDigits, out int value)
        {
            value = 0;
            int digits = 0;
            while (k < at.Count && digits < maxDigits && HexValue(text[at[k]]) >= 0)
            {
                if (value < 0x110000) value = value * 16 + HexValue(text[at[k]]);
                k++;
                digits++;
            }
            return k;
        }

        private static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        /// <summary>\n, \t, ... and GCC's \e; an unknown escape stands for its character (as GCC reads it, with a warning).</summary>
        private static int SimpleEscape(char e)
        {
            switch (e)
            {
                case 'a': return 7;
                case 'b': return 8;
                case 't': return 9;
                case 'n': return 10;
                case 'v': return 11;
                case 'f': return 12;
                case 'r': return 13;
                case 'e':
                case 'E': return 27;
                default: return e;
            }
        }
    }
}
