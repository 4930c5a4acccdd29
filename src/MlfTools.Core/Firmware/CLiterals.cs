using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MlfTools.Firmware
{
    /// <summary>C text for data: string literals any C compiler reads the same, byte arrays, shapes.</summary>
    internal static class CLiterals
    {
        /// <summary>
        /// A string literal, split into lines of at most about <paramref name="lineWidth"/> characters. Every byte that is
        /// not printable ASCII, and '?' (trigraphs), is a three-digit octal escape, so no escape runs into the next character.
        /// </summary>
        public static string String(byte[] bytes, int lineWidth = 100)
        {
            var text = new StringBuilder(bytes.Length + bytes.Length / 8 + 8);
            var line = new StringBuilder(Math.Min(lineWidth, 1024) + 8);
            foreach (byte b in bytes)
            {
                if (b == (byte)'"' || b == (byte)'\\') line.Append('\\').Append((char)b);
                else if (b >= 0x20 && b < 0x7f && b != (byte)'?') line.Append((char)b);
                else line.Append('\\').Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                if (line.Length >= lineWidth || b == (byte)'\n')
                {
                    text.Append("  \"").Append(line).Append("\"\n");
                    line.Clear();
                }
            }
            if (line.Length > 0 || text.Length == 0) text.Append("  \"").Append(line).Append("\"\n");
            return text.ToString();
        }

        /// <summary>The body of an array initializer: 0x.. bytes, 16 to a line.</summary>
        public static string Bytes(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 6 + 8);
            for (int i = 0; i < bytes.Length; i++)
            {
                text.Append(i % 16 == 0 ? "  " : " ").Append("0x").Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture)).Append(',');
                if (i % 16 == 15 || i == bytes.Length - 1) text.Append('\n');
            }
            return text.ToString();
        }

        /// <summary>A short C string literal on one line (names, dtypes).</summary>
        public static string Quoted(string value) => String(Encoding.UTF8.GetBytes(value), int.MaxValue).Trim().TrimEnd('\n');

        public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        public static string List(IEnumerable<long> values) => string.Join(", ", System.Linq.Enumerable.Select(values, Number));
    }
}
