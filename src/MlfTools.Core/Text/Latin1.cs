namespace MlfTools.Text
{
    /// <summary>
    /// Bytes as text, one byte to one char (U+0000..U+00FF) and back, so that a file can be edited as a string
    /// without any byte it does not touch changing: CR/LF, UTF-8 sequences and stray high bytes all survive.
    /// </summary>
    internal static class Latin1
    {
        // ISO-8859-1 decodes each byte to the char of the same value, on .NET Framework as on .NET (where it is vectorized).
        private static readonly System.Text.Encoding Iso88591 = System.Text.Encoding.GetEncoding(28591);

        public static string GetString(byte[] bytes) => Iso88591.GetString(bytes);

        public static string GetString(byte[] bytes, int index, int count) => Iso88591.GetString(bytes, index, count);

        /// <summary>The bytes of <paramref name="text"/>; every char must be below U+0100 (true of decoded text and of module names).</summary>
        public static byte[] GetBytes(string text)
        {
            var bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c > '\u00FF') throw new System.ArgumentException("The text holds a character that is not a single byte.", nameof(text));
                bytes[i] = (byte)c;
            }
            return bytes;
        }
    }
}
