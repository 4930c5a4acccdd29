using System.Collections.Generic;

namespace MlfTools.Rename
{
    /// <summary>
    /// The names string of TVM's C function registry (<c>_tvm_func_registry</c>, system-lib builds): the function
    /// count, then every name followed by a NUL. Older TVM writes the count as one byte ("\007tvmgen_..."), newer as
    /// a little-endian uint16 ("\n\000tvmgen_..."). A one-byte count can itself be a letter or digit (48 functions
    /// are spelt "0tvmgen_..."), which would glue it to the first name, so the names' start must be known.
    /// </summary>
    /// <remarks>
    /// TVM 0.8 and older write (and their C runtime reads) one byte; TVM 0.9 and later two (apache/tvm #11365,
    /// May 2022, before MLF version 7). A C runtime of the other kind misreads the first name and silently fails to
    /// find that function, so the form is told apart by content: the count must equal the number of names.
    /// </remarks>
    internal static class FuncRegistryNames
    {
        /// <summary>The static variable TVM initialises with the names string.</summary>
        public const string RegistryVariable = "_tvm_func_registry";

        /// <summary>
        /// Where the first name starts in decoded literal <paramref name="value"/> (2 or 1) when the value is shaped like
        /// a registry (count equals the number of NUL-terminated names after it, and the value ends in a NUL); else 0.
        /// </summary>
        public static int NamesOffset(string value)
        {
            int length = value.Length;
            if (length < 3 || value[length - 1] != '\0') return 0;
            foreach (char c in value)
            {
                if (c > '\u00FF') return 0;
            }
            if (CountNuls(value, 2) == (value[0] | (value[1] << 8))) return 2;
            if (CountNuls(value, 1) == value[0]) return 1;
            return 0;
        }

        /// <summary>The names of a registry-shaped <paramref name="value"/> whose names start at <paramref name="namesOffset"/>.</summary>
        public static List<string> Names(string value, int namesOffset)
        {
            var names = new List<string>();
            int start = namesOffset;
            for (int i = namesOffset; i < value.Length; i++)
            {
                if (value[i] != '\0') continue;
                names.Add(value.Substring(start, i - start));
                start = i + 1;
            }
            return names;
        }

        /// <summary>True when the string literal at <paramref name="tokens"/>[<paramref name="first"/>] initialises the registry: the name before it is <c>_tvm_func_registry</c>.</summary>
        public static bool InitialisesRegistry(string text, List<CSourceScanner.Token> tokens, int first)
        {
            if (first == 0) return false;
            var before = tokens[first - 1];
            return before.Kind == CSourceScanner.TokenKind.Identifier && before.End - before.Start == RegistryVariable.Length &&
                string.CompareOrdinal(text, before.Start, RegistryVariable, 0, RegistryVariable.Length) == 0;
        }

        /// <summary>The registry names strings of a C source (Latin-1 text), decoded, each with the width of its count (1 or 2 bytes).</summary>
        public static List<(string Value, int CountBytes)> Find(string text)
        {
            var found = new List<(string, int)>();
            var tokens = CSourceScanner.Scan(text, "_");
            for (int t = 0; t < tokens.Count; t++)
            {
                if (tokens[t].Kind != CSourceScanner.TokenKind.StringBody) continue;
                int last = t;
                while (last + 1 < tokens.Count && tokens[last + 1].Kind == CSourceScanner.TokenKind.StringBody && tokens[last + 1].JoinsPrevious) last++;
                if (InitialisesRegistry(text, tokens, t))
                {
                    var literal = new CStringLiteral();
                    for (int i = t; i <= last; i++) literal.Append(text, tokens[i].Start, tokens[i].End, i - t);
                    string value = literal.Value;
                    int offset = NamesOffset(value);
                    if (offset > 0) found.Add((value, offset));
                }
                t = last;
            }
            return found;
        }

        private static int CountNuls(string value, int from)
        {
            int count = 0;
            for (int i = from; i < value.Length; i++)
            {
                if (value[i] == '\0') count++;
            }
            return count;
        }
    }
}
