using System.Text;
using System.Text.RegularExpressions;

namespace MlfTools
{
    /// <summary>PowerShell-style wildcards (*, ?, [abc], [a-z], backtick escapes), case-insensitive.</summary>
    public sealed class WildcardMatcher
    {
        private readonly Regex _regex;

        public WildcardMatcher(string pattern)
        {
            Pattern = pattern;
            _regex = new Regex(ToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        public string Pattern { get; }

        public bool IsMatch(string text) => text != null && _regex.IsMatch(text);

        /// <summary>A pattern that matches exactly <paramref name="text"/>: every *, ?, [, ] and backtick escaped with a backtick.</summary>
        public static string Escape(string text)
        {
            var escaped = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                if (c == '*' || c == '?' || c == '[' || c == ']' || c == '`') escaped.Append('`');
                escaped.Append(c);
            }
            return escaped.ToString();
        }

        /// <summary>True when the pattern has an unescaped *, ? or [.</summary>
        public static bool ContainsWildcard(string pattern)
        {
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '`') { i++; continue; }
                if (c == '*' || c == '?' || c == '[') return true;
            }
            return false;
        }

        private static string ToRegex(string pattern)
        {
            var regex = new StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                switch (c)
                {
                    case '`':
                        if (i + 1 < pattern.Length) regex.Append(Regex.Escape(pattern[++i].ToString()));
                        break;
                    case '*':
                        regex.Append(".*");
                        break;
                    case '?':
                        regex.Append('.');
                        break;
                    case '[':
                        int close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            regex.Append(@"\[");
                            break;
                        }
                        regex.Append('[');
                        for (int j = i + 1; j < close; j++)
                        {
                            char member = pattern[j];
                            regex.Append(member == '-' && j > i + 1 && j < close - 1 ? "-" : Regex.Escape(member.ToString()).Replace("]", @"\]"));
                        }
                        regex.Append(']');
                        i = close;
                        break;
                    default:
                        regex.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }
            return regex.Append('$').ToString();
        }
    }
}
