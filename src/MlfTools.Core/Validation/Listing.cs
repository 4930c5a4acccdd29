using System.Collections.Generic;
using System.Linq;

namespace MlfTools.Validation
{
    /// <summary>How a finding names many items without growing with them.</summary>
    internal static class Listing
    {
        /// <summary>"a, b, c and 7 more": the first <paramref name="atMost"/> items, then how many are left out.</summary>
        public static string AndMore(IReadOnlyCollection<string> items, int atMost) =>
            string.Join(", ", items.Take(atMost)) + (items.Count > atMost ? $" and {items.Count - atMost} more" : string.Empty);

        /// <summary>"'a', 'b', 'c' (the first 3)": the first <paramref name="atMost"/> items quoted, saying so when there are more.</summary>
        public static string FirstQuoted(IReadOnlyCollection<string> items, int atMost) =>
            string.Join(", ", items.Take(atMost).Select(i => $"'{i}'")) + (items.Count > atMost ? $" (the first {atMost})" : string.Empty);
    }
}
