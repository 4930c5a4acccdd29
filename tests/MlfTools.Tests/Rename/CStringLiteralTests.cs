using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Rename;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>The decoder of C string literals against the C compiler: the bytes gcc puts in the array, terminating NUL included.</summary>
    public class CStringLiteralTests
    {
        private static readonly string[] Bodies =
        {
            "\\007tvmgen\\000",
            "\\0\\\n07tvmgen",          // a backslash-newline inside an octal escape: "\007"
            "\\00\\  \n7x",             // blanks between the backslash and the newline (GCC splices, with a warning)
            "\\\\\n007x",               // the escape's backslash, then a splice: "\007"
            "\\x4\\\n1z",               // "\x41"
            "a\\\r\nb",                 // a splice with CRLF
            "\\\\\\\nx",             // an escaped backslash, then a splice: one backslash
            "\\x7tvm\\xff\\1\\12\\123\\1234",
            "\\a\\b\\t\\n\\v\\f\\r\\e\\\"\\'\\?\\\\",
        };

        [ToolFact("gcc")]
        public void Decoded_values_are_the_bytes_gcc_puts_in_the_array()
        {
            using var temp = new TempFolder();
            var program = new StringBuilder("#include <stdio.h>\n");
            for (int i = 0; i < Bodies.Length; i++) program.Append($"static const char s{i}[] = \"{Bodies[i]}\";\n");
            program.Append("static void dump(const char* s, unsigned n) { for (unsigned i = 0; i < n; i++) printf(\"%02x\", (unsigned char)s[i]); printf(\"\\n\"); }\n");
            program.Append("int main(void) {\n");
            for (int i = 0; i < Bodies.Length; i++) program.Append($"  dump(s{i}, sizeof s{i});\n");
            program.Append("  return 0;\n}\n");
            string source = temp.File("literals.c");
            File.WriteAllText(source, program.ToString(), Encoding.Latin1);
            ExternalTool.Run("gcc", temp.Path, "-std=gnu99", "-o", temp.File("literals"), source);
            var lines = ExternalTool.Run(temp.File("literals"), temp.Path).TrimEnd('\n').Split('\n');

            var decoded = Bodies.Select(b => string.Concat((CStringLiteral.Decode(b).Value + "\0").Select(c => ((int)c).ToString("x2")))).ToArray();
            Assert.Equal(lines, decoded);
        }
    }
}
