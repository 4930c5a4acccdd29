using System.Globalization;

namespace MlfTools.Text
{
    /// <summary>Sizes and counts in messages: whole GiB, MiB or KiB when exact, else bytes.</summary>
    internal static class ByteCount
    {
        public static string Describe(long bytes)
        {
            foreach (var (shift, unit) in new[] { (30, "GiB"), (20, "MiB"), (10, "KiB") })
            {
                long size = 1L << shift;
                if (bytes >= size && bytes % size == 0) return (bytes / size).ToString(CultureInfo.InvariantCulture) + " " + unit;
            }
            return Number(bytes) + " bytes";
        }

        /// <summary>Digits grouped by commas whatever the current culture, so messages read the same everywhere.</summary>
        public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
