using System;
namespace MlfTools.Text
{
    /// <summary>Sums of byte counts that stop at long.MaxValue instead of wrapping to a negative size.</summary>
    internal static class Saturating
    {
        public static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

        /// <summary>a x b for non-negative a and b, long.MaxValue when it would overflow.</summary>
        public static long Multiply(long a, long b) => a <= 0 || b <= 0 ? Math.Max(0, a) * Math.Max(0, b) : a > long.MaxValue / b ? long.MaxValue : a * b;
    }
}
