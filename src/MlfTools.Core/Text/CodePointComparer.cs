using System;
using System.Collections.Generic;

namespace MlfTools.Text
{
    /// <summary>
    /// Orders strings by Unicode code point, as Python's sorted() does. Ordinal UTF-16 comparison differs for
    /// characters above U+FFFF, which it places before U+E000..U+FFFF.
    /// </summary>
    internal sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new CodePointComparer();

        public int Compare(string x, string y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x == null) return -1;
            if (y == null) return 1;
            int i = 0;
            int j = 0;
            while (i < x.Length && j < y.Length)
            {
                int a = CodePoints.Next(x, ref i);
                int b = CodePoints.Next(y, ref j);
                if (a != b) return a < b ? -1 : 1;
            }
            return (x.Length - i).CompareTo(y.Length - j);
        }
    }

    internal static class CodePoints
    {
        /// <summary>The code point at <paramref name="index"/>, advancing past it (a lone surrogate counts as itself).</summary>
        public static int Next(string text, ref int index)
        {
            char c = text[index++];
            if (char.IsHighSurrogate(c) && index < text.Length && char.IsLowSurrogate(text[index]))
            {
                return char.ConvertToUtf32(c, text[index++]);
            }
            return c;
        }
    }
}
