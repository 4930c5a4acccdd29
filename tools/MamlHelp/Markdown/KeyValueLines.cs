using System;
using System.Collections.Generic;

namespace MlfTools.MamlHelp.Markdown
{
    /// <summary>The "Key: value" lines of a metadata header or a parameter's yaml block (PlatyPS reads no other YAML).</summary>
    public static class KeyValueLines
    {
        /// <summary>Pairs in order; an empty value is null. A non-blank line without ':' is a FormatException.</summary>
        public static List<KeyValuePair<string, string?>> Parse(string text)
        {
            var pairs = new List<KeyValuePair<string, string?>>();
            foreach (string raw in text.Split(new[] { "\r\n", "\n" }, StringSplitOptions.None))
            {
                string line = raw.Trim();
                if (line.Length == 0) continue;
                int colon = line.IndexOf(':');
                if (colon < 0) throw new FormatException($"'{line}' is not a 'Key: value' line");
                string value = line.Substring(colon + 1).Trim();
                pairs.Add(new KeyValuePair<string, string?>(line.Substring(0, colon).Trim(), value.Length == 0 ? null : value));
            }
            return pairs;
        }
    }
}
