using System.Collections.Generic;
using System.Threading;
using Newtonsoft.Json;

namespace MlfTools.Json
{
    /// <summary>
    /// Checks that UTF-8 bytes are JSON exactly as Python's json module reads it, which is how TVM loads metadata.json:
    /// RFC 8259 plus NaN, Infinity and -Infinity. Newtonsoft reads much more (comments, single quotes, trailing commas,
    /// unquoted names, a byte order mark, UTF-16 and UTF-32, raw control characters in strings, numbers such as 01, +1,
    /// .5 or 0x1F); a file TVM cannot load is refused here with the position and the reason, before Newtonsoft sees it.
    /// </summary>
    /// <remarks>Iterative, one pass, no allocation per value: the cost stays linear in the size of the file.</remarks>
    internal static class PythonJsonSyntaxChecker
    {
        /// <summary>Throws <see cref="JsonReaderException"/> for what Python's json refuses; returns how many values the text holds.</summary>
        public static long Check(byte[] utf8, CancellationToken cancellationToken = default)
        {
            if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
            {
                throw Error("it starts with a UTF-8 byte order mark, which Python's json refuses (\"Unexpected UTF-8 BOM\"); save it as UTF-8 without a BOM", 0);
            }
            if ((utf8.Length >= 2 && (utf8[0] == 0 || utf8[1] == 0)) ||
                (utf8.Length >= 2 && ((utf8[0] == 0xFF && utf8[1] == 0xFE) || (utf8[0] == 0xFE && utf8[1] == 0xFF))))
            {
                throw Error("it is UTF-16 or UTF-32 text; TVM reads metadata.json as UTF-8", 0);
            }

            var open = new Stack<byte>(); // '{' or '['
            int pos = SkipSpace(utf8, 0);
            // What may come next: a value, or (inside a container) its first member or closing bracket.
            bool expectValue = true;
            bool justOpened = false;
            long values = 0;
            while (true)
            {
                if (expectValue)
                {
                    if (pos >= utf8.Length) throw Error("it ends where a value is expected", pos);
                    byte c = utf8[pos];
                    if (((values + 1) & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                    if (justOpened && ((open.Peek() == (byte)'{' && c == (byte)'}') || (open.Peek() == (byte)'[' && c == (byte)']')))
                    {
                        open.Pop();
                        pos = SkipSpace(utf8, pos + 1);
                        justOpened = false;
                        expectValue = false;
                        if (open.Count == 0) break;
                        continue;
                    }
                    if (justOpened && open.Peek() == (byte)'{')
                    {
                        pos = ObjectKey(utf8, pos);
                        justOpened = false;
                        continue;
                    }
                    justOpened = false;
                    values++;
                    if (c == (byte)'{' || c == (byte)'[')
                    {
                        open.Push(c);
                        pos = SkipSpace(utf8, pos + 1);
                        justOpened = true;
                        continue;
                    }
                    pos = SkipSpace(utf8, Scalar(utf8, pos));
                    expectValue = false;
                    if (open.Count == 0) break;
                    continue;
                }

                // After a value inside a container: a comma, or the closing bracket.
                if (pos >= utf8.Length) throw Error("it ends inside an object or array", pos);
                byte next = utf8[pos];
                byte container = open.Peek();
                if (next == (byte)',')
                {
                    pos = SkipSpace(utf8, pos + 1);
                    if (container == (byte)'{') pos = ObjectKey(utf8, pos);
                    else if (pos < utf8.Length && utf8[pos] == (byte)']') throw Error("an array ends with a comma (a trailing comma)", pos);
                    expectValue = true;
                    continue;
                }
                if ((container == (byte)'{' && next == (byte)'}') || (container == (byte)'[' && next == (byte)']'))
                {
                    open.Pop();
                    pos = SkipSpace(utf8, pos + 1);
                    if (open.Count == 0) break;
                    continue;
                }
                throw Error(container == (byte)'{' ? "expected ',' or '}' after a value in an object" : "expected ',' or ']' after a value in an array", pos);
            }
            if (pos < utf8.Length) throw Error("there is more after the JSON value (\"Extra data\")", pos);
            return values;
        }

        /// <summary>A member name in double quotes and its colon, at <paramref name="pos"/>; returns where its value starts.</summary>
        private static int ObjectKey(byte[] s, int pos)
        {
            if (pos >= s.Length) throw Error("it ends where a property name is expected", pos);
            if (s[pos] == (byte)'}') throw Error("an object ends with a comma (a trailing comma)", pos);
            if (s[pos] != (byte)'"') throw Error("a property name is not in double quotes", pos);
            pos = SkipSpace(s, String(s, pos));
            if (pos >= s.Length || s[pos] != (byte)':') throw Error("expected ':' after a property name", pos);
            return SkipSpace(s, pos + 1);
        }

        /// <summary>A string, number or literal at <paramref name="pos"/>; returns the position just after it.</summary>
        private static int Scalar(byte[] s, int pos)
        {
            byte c = s[pos];
            if (c == (byte)'"') return String(s, pos);
            if (c == (byte)'-' || (c >= (byte)'0' && c <= (byte)'9'))
            {
                if (Literal(s, pos, "-Infinity")) return pos + 9;
                return Number(s, pos);
            }
            foreach (string literal in Literals)
            {
                if (Literal(s, pos, literal)) return pos + literal.Length;
            }
            if (c == (byte)'/') throw Error("it holds a comment, which JSON does not allow", pos);
            if (c == (byte)'\'') throw Error("it holds a string in single quotes; JSON strings take double quotes", pos);
            throw Error("expected a value", pos);
        }

        private static readonly string[] Literals = { "true", "false", "null", "NaN", "Infinity" };

        private static bool Literal(byte[] s, int pos, string literal)
        {
            if (pos + literal.Length > s.Length) return false;
            for (int i = 0; i < literal.Length; i++)
            {
                if (s[pos + i] != (byte)literal[i]) return false;
            }
            return true;
        }

        /// <summary>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?, as Python's json scanner.</summary>
        private static int Number(byte[] s, int pos)
        {
            int start = pos;
            if (s[pos] == (byte)'-') pos++;
            if (pos >= s.Length || !IsDigit(s[pos])) throw Error("a number has no digits", start);
            if (s[pos] == (byte)'0') pos++;
            else while (pos < s.Length && IsDigit(s[pos])) pos++;
            if (pos < s.Length && s[pos] == (byte)'.')
            {
                pos++;
                if (pos >= s.Length || !IsDigit(s[pos])) throw Error("a number has no digits after its decimal point", start);
                while (pos < s.Length && IsDigit(s[pos])) pos++;
            }
            if (pos < s.Length && (s[pos] == (byte)'e' || s[pos] == (byte)'E'))
            {
                pos++;
                if (pos < s.Length && (s[pos] == (byte)'+' || s[pos] == (byte)'-')) pos++;
                if (pos >= s.Length || !IsDigit(s[pos])) throw Error("a number has no digits in its exponent", start);
                while (pos < s.Length && IsDigit(s[pos])) pos++;
            }
            if (pos < s.Length && (IsDigit(s[pos]) || s[pos] == (byte)'x' || s[pos] == (byte)'X'))
            {
                throw Error("a number has a leading zero or is not decimal", start);
            }
            return pos;
        }

        private static bool IsDigit(byte b) => b >= (byte)'0' && b <= (byte)'9';

        /// <summary>A double-quoted string at <paramref name="pos"/>: no raw control characters, only JSON's escapes.</summary>
        private static int String(byte[] s, int pos)
        {
            int start = pos;
            pos++;
            while (true)
            {
                if (pos >= s.Length) throw Error("a string is not closed", start);
                byte b = s[pos];
                if (b == (byte)'"') return pos + 1;
                if (b < 0x20) throw Error("a string holds a raw control character (write it as an escape such as \\n)", pos);
                if (b == (byte)'\\')
                {
                    if (pos + 1 >= s.Length) throw Error("a string is not closed", start);
                    byte e = s[pos + 1];
                    if (e == (byte)'u')
                    {
                        for (int i = 2; i < 6; i++)
                        {
                            if (pos + i >= s.Length || !IsHex(s[pos + i])) throw Error("a \\u escape does not have four hex digits", pos);
                        }
                        pos += 6;
                        continue;
                    }
                    if ("\"\\/bfnrt".IndexOf((char)e) < 0) throw Error("a string holds an escape JSON does not have", pos);
                    pos += 2;
                    continue;
                }
                pos++;
            }
        }

        private static bool IsHex(byte b) => IsDigit(b) || (b >= (byte)'a' && b <= (byte)'f') || (b >= (byte)'A' && b <= (byte)'F');

        /// <summary>JSON's whitespace only: space, tab, line feed, carriage return.</summary>
        private static int SkipSpace(byte[] s, int pos)
        {
            while (pos < s.Length && (s[pos] == (byte)' ' || s[pos] == (byte)'\t' || s[pos] == (byte)'\n' || s[pos] == (byte)'\r')) pos++;
            return pos;
        }

        private static JsonReaderException Error(string why, int offset) =>
            new JsonReaderException($"{why} (at byte {offset}); TVM reads it with Python's json, which refuses that");
    }
}
