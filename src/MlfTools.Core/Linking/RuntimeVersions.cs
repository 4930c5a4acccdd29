using System;
using System.Collections.Generic;
using System.Globalization;

namespace MlfTools.Linking
{
    /// <summary>TVM versions in order: "0.8.0" &lt; "0.9.dev0" &lt; "0.9.0" &lt; "0.13.0"; an unknown version (null) is the oldest.</summary>
    internal sealed class RuntimeVersions : IComparer<string>
    {
        public static readonly RuntimeVersions Comparer = new RuntimeVersions();

        public int Compare(string x, string y)
        {
            if (x == null || y == null) return x == null ? (y == null ? 0 : -1) : 1;
            string[] a = x.Split('.'), b = y.Split('.');
            for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
            {
                int order = Part(a, i).CompareTo(Part(b, i));
                if (order != 0) return order;
            }
            return 0;
        }

        /// <summary>A numeric part as its number; a missing part as 0; "dev0", "rc1" and the like before any release number.</summary>
        private static long Part(string[] parts, int index)
        {
            if (index >= parts.Length) return 0;
            return long.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out long number) ? number : -1;
        }
    }
}
