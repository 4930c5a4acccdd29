namespace MlfTools.Text
{
    /// <summary>Sums of byte counts that stop at long.MaxValue instead of wrapping to a negative size.</summary>
    internal static class Saturating
    {
        public static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
    }
}
