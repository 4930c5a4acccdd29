namespace MlfTools.Rename
{
    /// <summary>
    /// The names string of TVM's C function registry (<c>_tvm_func_registry</c>, system-lib builds): the function
    /// count, then every name followed by a NUL. Older TVM writes the count as one byte ("\007tvmgen_..."), newer as
    /// a little-endian uint16 ("\n\000tvmgen_..."). A one-byte count can itself be a letter or digit (48 functions
    /// are spelt "0tvmgen_..."), which would glue it to the first name, so the names' start must be known.
    /// </summary>
    internal static class FuncRegistryNames
    {
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
