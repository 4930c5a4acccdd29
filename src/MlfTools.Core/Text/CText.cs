namespace MlfTools.Text
{
    /// <summary>
    /// The one decoding of C source and header bytes into text, for every reader of C (the join, the checks, the
    /// memory report, the helpers): Latin-1, one byte to one char.
    /// </summary>
    /// <remarks>
    /// C's tokens are ASCII; what is not (comments, string literals, a stray byte) must survive as it is, because the
    /// renamer edits the decoded text and writes it back as bytes (<see cref="Latin1.GetBytes"/>): Latin-1 keeps every
    /// byte and every offset, where UTF-8 would turn an invalid sequence into U+FFFD and lose the byte. Reading C with
    /// the same decoding everywhere also means that every reader sees the same identifiers, literals and line numbers
    /// as the join's scans. JSON, metadata and Relay text stay UTF-8.
    /// </remarks>
    internal static class CText
    {
        /// <summary>The text of C source or header bytes: each byte the char of the same value.</summary>
        public static string Decode(byte[] bytes) => bytes == null ? null : Latin1.GetString(bytes);
    }
}
