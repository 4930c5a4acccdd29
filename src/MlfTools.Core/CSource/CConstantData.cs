using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace MlfTools.CSource
{
    /// <summary>
    /// The constant data a generated C source defines at file scope, counted from its declarations without compiling:
    /// the weights TVM compiles into the code. They take three forms: linked parameters
    /// (<c>static const int16_t __tvm_param__p0[640] = {...}</c>), constants of the lowered code
    /// (<c>static const int8_t __attribute__((section(".rodata.tvm"), aligned(16))) constant_0[1024] = {...}</c>), and
    /// USMP's constant pool, a struct of arrays placed in .rodata.tvm
    /// (<c>__attribute__((section(".rodata.tvm"), )) static struct global_const_workspace { int8_t constant_0_let[4096] ...; } global_const_workspace = {...}</c>).
    /// Only arrays of fixed-size scalar types with a written length count (TVM writes no others); tables of pointers or
    /// structs (function registries, tensor descriptions) are not weights and are left out.
    /// </summary>
    internal static class CConstantData
    {
        private const string ConstantSection = "\".rodata.tvm\"";

        private static readonly Dictionary<string, int> ScalarBytes = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["int8_t"] = 1, ["uint8_t"] = 1, ["char"] = 1, ["signed char"] = 1, ["unsigned char"] = 1,
            ["int16_t"] = 2, ["uint16_t"] = 2,
            ["int32_t"] = 4, ["uint32_t"] = 4, ["float"] = 4,
            ["int64_t"] = 8, ["uint64_t"] = 8, ["double"] = 8,
        };

        private static readonly HashSet<string> Qualifiers = new HashSet<string>(StringComparer.Ordinal)
        {
            "static", "const", "volatile", "register", "TVM_DLL", "__attribute__", "__attribute", "_Alignas", "alignas", "__declspec",
        };

        /// <summary>The bytes of constant data <paramref name="source"/> defines at file scope (0 when it defines none).</summary>
        /// <exception cref="CSourceTooLargeException">The file has more tokens than the scan keeps.</exception>
        public static long Bytes(string source, CancellationToken cancellationToken = default)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            // Initializers and function bodies, nearly all of a generated source, are stepped over, not tokenized.
            var tokens = CConditionals.ActiveTokens(CLexer.Tokenize(source, skipGroupInsides: true, cancellationToken), out _);
            long total = 0;
            int depth = 0, parens = 0, segment = 0;
            bool functionBody = false;
            var linkageBlocks = new Stack<bool>(); // per open brace: is it extern "C" {, whose inside is file scope?
            for (int i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i];
                if (token.Kind != CTokenKind.Punctuator) continue;
                switch (token.Text)
                {
                    case "(": parens++; break;
                    case ")": parens--; break;
                    case "{":
                        bool linkage = i > 1 && tokens[i - 1].Kind == CTokenKind.String && tokens[i - 2].IsIdentifier("extern");
                        linkageBlocks.Push(linkage);
                        if (linkage)
                        {
                            segment = i + 1;
                            break;
                        }
                        if (depth == 0 && parens == 0 && i > 0 && tokens[i - 1].IsPunctuator(")")) functionBody = true;
                        depth++;
                        break;
                    case "}":
                        if (linkageBlocks.Count > 0 && linkageBlocks.Pop())
                        {
                            segment = i + 1;
                            break;
                        }
                        depth--;
                        if (depth == 0 && functionBody)
                        {
                            functionBody = false;
                            segment = i + 1;
                        }
                        break;
                    case ";":
                        if (depth == 0 && parens == 0) segment = i + 1;
                        break;
                    case "=":
                        if (depth != 0 || parens != 0) break;
                        total = Saturating.Add(total, DeclarationBytes(source, tokens, segment, i));
                        segment = i + 1;
                        break;
                }
            }
            return total;
        }

        /// <summary>The bytes that the initialised declaration in tokens [start, end) defines when it is constant data.</summary>
        private static long DeclarationBytes(string source, List<CToken> tokens, int start, int end)
        {
            bool constant = false;
            int body = -1;
            for (int i = start; i < end; i++)
            {
                var token = tokens[i];
                if (token.IsIdentifier("extern") || token.IsIdentifier("typedef")) return 0;
                if (token.IsIdentifier("const") || (token.Kind == CTokenKind.String && token.Text == ConstantSection)) constant = true;
                if (token.IsPunctuator("{") && body < 0) body = i;
            }
            if (!constant) return 0;
            if (body < 0) return ArrayBytes(tokens, start, end) ?? 0;

            // A struct defined in the declaration: its array fields, one declaration per ';' inside its braces (tokenized
            // now if the lexer stepped over them).
            if (tokens[body].SkipsInside)
            {
                int open = tokens[body].Start, close = tokens[body + 1].End;
                return StructFieldBytes(CLexer.Tokenize(source.Substring(open, close - open)), 0);
            }
            return StructFieldBytes(tokens, body);
        }

        /// <summary>The bytes of the array fields of the struct body that opens at tokens[open].</summary>
        private static long StructFieldBytes(List<CToken> tokens, int open)
        {
            long total = 0;
            int field = open + 1, depth = 0;
            for (int i = open + 1; i < tokens.Count; i++)
            {
                if (tokens[i].IsPunctuator("{") || tokens[i].IsPunctuator("(")) depth++;
                else if (tokens[i].IsPunctuator(")")) depth--;
                else if (tokens[i].IsPunctuator("}"))
                {
                    if (depth == 0) break;
                    depth--;
                }
                else if (tokens[i].IsPunctuator(";") && depth == 0)
                {
                    total = Saturating.Add(total, ArrayBytes(tokens, field, i) ?? 0);
                    field = i + 1;
                }
            }
            return total;
        }

        /// <summary>
        /// The bytes of the array declared in tokens [start, end): element size times every written dimension, when the
        /// element type is a fixed-size scalar and no pointer is involved; else null.
        /// </summary>
        private static long? ArrayBytes(List<CToken> tokens, int start, int end)
        {
            var typeWords = new List<string>();
            int parens = 0;
            for (int i = start; i < end; i++)
            {
                var token = tokens[i];
                if (token.IsPunctuator("(")) { parens++; continue; }
                if (token.IsPunctuator(")")) { parens--; continue; }
                if (parens > 0) continue;
                if (token.IsPunctuator("*")) return null;
                if (token.Kind == CTokenKind.Identifier)
                {
                    if (i + 1 < end && tokens[i + 1].IsPunctuator("[")) return Dimensions(tokens, i + 1, end, typeWords);
                    if (!Qualifiers.Contains(token.Text)) typeWords.Add(token.Text);
                    continue;
                }
                return null;
            }
            return null;
        }

        private static long? Dimensions(List<CToken> tokens, int open, int end, List<string> typeWords)
        {
            if (!ScalarBytes.TryGetValue(string.Join(" ", typeWords), out int element)) return null;
            long bytes = element;
            int i = open;
            while (i + 2 < end && tokens[i].IsPunctuator("[") && tokens[i + 2].IsPunctuator("]"))
            {
                if (!TryLength(tokens[i + 1], out long length)) return null;
                bytes = length == 0 ? 0 : bytes > long.MaxValue / length ? long.MaxValue : bytes * length;
                i += 3;
            }
            return i == open ? (long?)null : bytes;
        }

        /// <summary>A decimal array length as TVM writes it, integer suffixes allowed ("1024", "16u").</summary>
        private static bool TryLength(CToken token, out long length)
        {
            length = 0;
            if (token.Kind != CTokenKind.Number) return false;
            string digits = token.Text.TrimEnd('u', 'U', 'l', 'L');
            if (digits.Length > 1 && digits[0] == '0') return false;
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out length);
        }
    }
}
