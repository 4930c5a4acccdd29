using MlfTools.Text;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
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

        /// <summary>
        /// <paramref name="bytes"/> read as Latin-1 text (one char per byte), with <paramref name="edits"/> (in increasing,
        /// non-overlapping order) applied, back as bytes: what <see cref="Latin1.GetBytes"/> of <see cref="Apply"/> gives,
        /// without building the text.
        /// </summary>
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
        public static byte[] ApplyLatin1(byte[] bytes, IReadOnlyList<TextEdit> edits)
        {
            long length = bytes.Length;
            foreach (var edit in edits) length += edit.Replacement.Length - edit.Length;
            var result = new byte[length];
            int copied = 0;
            int written = 0;
            foreach (var edit in edits)
            {
                int unchanged = edit.Start - copied;
                System.Buffer.BlockCopy(bytes, copied, result, written, unchanged);
                written += unchanged;
                foreach (char c in edit.Replacement)
                {
                    if (c > '\u00FF') throw new System.ArgumentException("The text holds a character that is not a single byte.", "text");
                    result[written++] = (byte)c;
                }
                copied = edit.Start + edit.Length;
            }
            System.Buffer.BlockCopy(bytes, copied, result, written, bytes.Length - copied);
            return result;
        }

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
