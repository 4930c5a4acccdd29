using System;
using System.Collections.Generic;
using System.Text;

namespace MlfTools.Text
{
    /// <summary>
    /// Names as macOS and Windows compare them: equal after Unicode normalization (é as one code point or as e plus a
    /// combining accent; the Kelvin sign and K) and ignoring case. Two names equal here are one file there.
    /// </summary>
    internal sealed class FoldedName : IEqualityComparer<string>
    {
        public static readonly FoldedName Comparer = new FoldedName();

        /// <summary>The name in NFC, upper-cased as ordinal case-insensitive comparison does; the name itself when it cannot be normalized (a lone surrogate).</summary>
        public static string Fold(string name)
        {
            string normalized = name;
            try
            {
                if (!name.IsNormalized(NormalizationForm.FormC)) normalized = name.Normalize(NormalizationForm.FormC);
            }
            catch (ArgumentException)
            {
            }
            return normalized.ToUpperInvariant();
        }

        public bool Equals(string x, string y) =>
            ReferenceEquals(x, y) || (x != null && y != null && string.Equals(Fold(x), Fold(y), StringComparison.Ordinal));

        public int GetHashCode(string name) => name == null ? 0 : StringComparer.Ordinal.GetHashCode(Fold(name));
    }
}
