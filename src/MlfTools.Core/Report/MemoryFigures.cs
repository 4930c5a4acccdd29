using System.Collections.Generic;
using MlfTools.Text;

namespace MlfTools.Report
{
    /// <summary>Sums of memory figures, any of which may be unknown (null); saturating at <see cref="long.MaxValue"/>.</summary>
    internal static class MemoryFigures
    {
        /// <summary>The sum, saturating; null when any value is null (a sum that leaves a part out would understate).</summary>
        public static long? Add(params long?[] values)
        {
            long sum = 0;
            foreach (var value in values)
            {
                if (value == null) return null;
                sum = Saturating.Add(sum, value.Value);
            }
            return sum;
        }

        /// <summary>The sum of the known values, saturating; null when none is known.</summary>
        public static long? Sum(IEnumerable<long?> values)
        {
            long? sum = null;
            foreach (long? value in values)
            {
                if (value == null) continue;
                sum = Saturating.Add(sum ?? 0, value.Value);
            }
            return sum;
        }
    }
}
