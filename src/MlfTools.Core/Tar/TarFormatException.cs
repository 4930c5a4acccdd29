using System;

namespace MlfTools.Tar
{
    /// <summary>The stream is not a well-formed tar archive (bad checksum, truncated member, malformed extended header).</summary>
    internal sealed class TarFormatException : Exception
    {
        public TarFormatException(string message, Exception inner = null) : base(message, inner) { }
    }
}
