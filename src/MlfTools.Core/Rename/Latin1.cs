namespace MlfTools.Rename
{
    /// <summary>
    /// Bytes as text, one byte to one char (U+0000..U+00FF) and back, so that a file can be edited as a string
    /// without any byte it does not touch changing: CR/LF, UTF-8 sequences and stray high bytes all survive.
    /// </summary>
    internal static class Latin1
    {
        public static string GetString(byte[] bytes)
        {
            var chars = new char[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
            return new string(chars);
        }

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
