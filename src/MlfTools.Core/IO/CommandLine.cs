using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MlfTools.IO
{
    /// <summary>Command lines for ProcessStartInfo.Arguments, which netstandard2.0 has instead of ArgumentList.</summary>
    internal static class CommandLine
    {
        /// <summary>The program and its arguments as one line, each quoted as <see cref="Quote"/> does: what a user can run by hand.</summary>
        public static string Of(string program, IEnumerable<string> arguments) =>
            string.Join(" ", new[] { program }.Concat(arguments).Select(Quote));

        /// <summary>Quotes one argument by the rules of CommandLineToArgvW, which .NET also follows on Unix.</summary>
        public static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\\' }) < 0) return argument;
            var quoted = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"') quoted.Append('\\', backslashes * 2 + 1);
                else quoted.Append('\\', backslashes);
                backslashes = 0;
                quoted.Append(c);
            }
            quoted.Append('\\', backslashes * 2).Append('"');
            return quoted.ToString();
        }
    }
}
