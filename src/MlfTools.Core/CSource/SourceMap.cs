using System.Collections.Generic;

namespace MlfTools.CSource
{
    /// <summary>
    /// Where each char of a C text after trigraph replacement and line splicing (<see cref="CLexer"/>) stands in the
    /// original text: runs of chars that moved by the same amount, and the newlines that splices removed.
    /// </summary>
    internal sealed class SourceMap
    {
        // Entry k: translated index _from[k] and every later one (up to the next entry) is original index _to[k] + the distance.
        private readonly List<int> _from = new List<int>();
        private readonly List<int> _to = new List<int>();
        private readonly List<bool> _afterTrigraph = new List<bool>();

        /// <summary>For every spliced-away newline, the translated index it stood before (ascending).</summary>
        public List<int> Splices { get; } = new List<int>();

        /// <summary>A backslash-newline was removed before translated index <paramref name="at"/>, which is original index <paramref name="original"/>.</summary>
        public void AddSplice(int at, int original)
        {
            Splices.Add(at);
            Add(at, original, false);
        }

        /// <summary>The translated char before <paramref name="at"/> is a trigraph, and the original text goes on at <paramref name="original"/>.</summary>
        public void AddTrigraphEnd(int at, int original) => Add(at, original, true);

        private void Add(int at, int original, bool afterTrigraph)
        {
            _from.Add(at);
            _to.Add(original);
            _afterTrigraph.Add(afterTrigraph);
        }

        /// <summary>The original index of translated char <paramref name="index"/> (its first char, for a trigraph).</summary>
        public int Original(int index)
        {
            int k = LastAtOrBefore(index);
            return k < 0 ? index : _to[k] + (index - _from[k]);
        }

        /// <summary>The original index just after translated char <paramref name="end"/> - 1 (the end of a token that ends there).</summary>
        public int OriginalEnd(int end)
        {
            if (end == 0) return Original(0);
            int k = LastAtOrBefore(end);
            while (k >= 0 && _from[k] == end)
            {
                if (_afterTrigraph[k]) return _to[k];
                k--;
            }
            return Original(end - 1) + 1;
        }

        /// <summary>The last entry whose translated index is at most <paramref name="index"/>, or -1.</summary>
        private int LastAtOrBefore(int index)
        {
            int low = 0, high = _from.Count - 1, found = -1;
            while (low <= high)
            {
                int middle = (low + high) >> 1;
                if (_from[middle] <= index)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }
            return found;
        }
    }
}
