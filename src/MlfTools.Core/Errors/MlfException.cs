using System;

namespace MlfTools
{
    /// <summary>A failure that MlfTools explains: a stable <see cref="ErrorId"/>, the offending path or object, a message that says what to do.</summary>
    public class MlfException : Exception
    {
        public MlfException(string errorId, string message, object target = null, Exception innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Target = target;
        }

        /// <summary>One of <see cref="MlfErrorIds"/>.</summary>
        public string ErrorId { get; }

        /// <summary>The path, member or module the error is about.</summary>
        public object Target { get; }
    }
}
