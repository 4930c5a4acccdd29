using System.Collections.Generic;

namespace MlfTools.Rename
{
    /// <summary>
    /// The names string of TVM's C function registry (<c>_tvm_func_registry</c>, system-lib builds) read as the C runtime
    /// reads it (func_registry.c): the function count, then every name followed by a NUL, then an empty name (the
    /// literal's own terminating NUL, after TVM's "\000" behind the last name) that ends the list. Older TVM writes the
    /// count as one byte ("\007tvmgen_..."), newer as a little-endian uint16 ("\n\000tvmgen_...").
    /// </summary>
    /// <remarks>
    /// TVM 0.8 and older write (and their C runtime reads) one byte; TVM 0.9 and later two (apache/tvm #11365,
    /// May 2022, before MLF version 7). The runtime's lookup walks the names up to the empty one and returns the
    /// index of the match; its count bounds the index. So a string is a registry only when its count equals the
    /// number of names before the empty one, and nothing but NULs follows that; the width is told apart by content
    /// (no string fits both widths, except the empty registry). A one-byte count can itself be a letter or digit (48
    /// functions are spelt "0tvmgen_..."), which would glue it to the first name, so the names' start must be known.
    /// </remarks>
    internal static class FuncRegistryNames
    {
        /// <summary>The static variable TVM initialises with the names string.</summary>
        public const string RegistryVariable = "_tvm_func_registry";

        /// <summary>
        /// Where the first name starts in decoded literal <paramref name="value"/> (without its terminating NUL): 2 or 1
        /// when the runtime of that count width reads the value as the registry its count describes; else 0.
        /// </summary>
        public static int NamesOffset(string value)
        {
            if (Read(value, 2).Fits) return 2;
            return Read(value, 1).Fits ? 1 : 0;
        }

        /// <summary>The names of a registry-shaped <paramref name="value"/> whose names start at <paramref name="namesOffset"/>.</summary>
        public static List<string> Names(string value, int namesOffset) => Read(value, namesOffset).Names;

        /// <summary>Why no C runtime reads <paramref name="value"/> (a literal for which <see cref="NamesOffset"/> is 0) as its count says.</summary>
        public static string Mismatch(string value)
        {
            foreach (int width in new[] { 2, 1 })
            {
                var reading = Read(value, width);
                if (reading.Count != reading.Names.Count) continue;
                if (!reading.Ended && reading.Names.Count == 0) return "it is too short to hold its count and the empty name that ends the list";
                if (!reading.Ended)
                {
                    return "its last name is not followed by the empty name that ends the list (TVM writes \"\\000\" after every name, and the literal's own NUL ends the list), so the C runtime reads past the names string whenever it looks up a function the registry does not list. Add \"\\000\" at the end of the string";
                }
                if (reading.Hidden)
                {
                    return "it holds names after the empty name that ends the list, which the C runtime never reads. Remove them, or list them before the end and count them";
                }
            }
            var one = Read(value, 1);
            var two = Read(value, 2);
            return $"its count does not match its names: read as TVM 0.9 and later read it (two bytes) the count is {Text.ByteCount.Number(two.Count)} and {Text.ByteCount.Number(two.Names.Count)} name(s) follow; read as TVM 0.8 and older read it (one byte) the count is {Text.ByteCount.Number(one.Count)} and {Text.ByteCount.Number(one.Names.Count)} name(s) follow. Make the count the number of names";
        }

        private struct Reading
        {
            public int Count;
            public List<string> Names;

            /// <summary>An empty name ends the list within the string.</summary>
            public bool Ended;

            /// <summary>Something other than NULs follows the empty name.</summary>
            public bool Hidden;

            public bool Fits => Ended && !Hidden && Count == Names.Count;
        }

        /// <summary>
        /// <paramref name="value"/> and its terminating NUL as the runtime with a count of <paramref name="width"/> bytes
        /// reads it. A unit over 0xFF is no byte: such a value fits no width.
        /// </summary>
        private static Reading Read(string value, int width)
        {
            var reading = new Reading { Names = new List<string>(), Count = -1 };
            int length = value.Length + 1; // the terminating NUL
            foreach (char c in value)
            {
                if (c > '\u00FF') return reading;
            }
            // The terminating NUL is a byte of the array too: "\007" read with a two-byte count is 7, and then nothing.
            int Byte(int i) => i < value.Length ? value[i] : 0;
            reading.Count = width == 1 ? Byte(0) : Byte(0) | (Byte(1) << 8);
            int p = width;
            while (p < value.Length && value[p] != '\0')
            {
                int end = value.IndexOf('\0', p);
                if (end < 0) end = value.Length;
                reading.Names.Add(value.Substring(p, end - p));
                p = end + 1;
            }
            reading.Ended = p < length;
            for (int i = p + 1; i < value.Length && !reading.Hidden; i++) reading.Hidden = value[i] != '\0';
            return reading;
        }
    }
}
