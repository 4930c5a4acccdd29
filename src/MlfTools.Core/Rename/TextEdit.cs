using System.Collections.Generic;
using System.Text;

namespace MlfTools.Rename
{
    /// <summary>One replacement in a text: the <see cref="Length"/> characters at <see cref="Start"/> become <see cref="Replacement"/>.</summary>
    internal struct TextEdit
    {
        public TextEdit(int start, int length, string replacement)
        {
            Start = start;
            Length = length;
            Replacement = replacement;
        }

        public int Start { get; }

        public int Length { get; }

        public string Replacement { get; }

        /// <summary><paramref name="text"/> with <paramref name="edits"/> (in increasing, non-overlapping order) applied.</summary>
        public static string Apply(string text, IReadOnlyList<TextEdit> edits)
        {
            if (edits.Count == 0) return text;
            var result = new StringBuilder(text.Length + 16 * edits.Count);
            int copied = 0;
            foreach (var edit in edits)
            {
                result.Append(text, copied, edit.Start - copied);
                result.Append(edit.Replacement);
                copied = edit.Start + edit.Length;
            }
            result.Append(text, copied, text.Length - copied);
            return result.ToString();
        }
    }
}
