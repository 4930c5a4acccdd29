using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;

namespace MlfTools.CSource
{
    /// <summary>
    /// Finds the symbols with external linkage that one C source file defines, the way the compiler would
    /// emit them into its object file, without compiling: enough C to spot definitions that would collide
    /// when two generated models are linked into one image.
    /// </summary>
    /// <remarks>
    /// Only the file itself is read: #include is not followed and macros are not expanded, so a storage
    /// class or attribute hidden behind a macro is not seen (TVM's TVM_DLL only adds visibility, which does
    /// not change linkage). Inline functions follow C99/C11 rules (GCC's default since GCC 5), not
    /// -std=gnu89 or -fgnu89-inline.
    /// </remarks>
    // By concern, as System.Formats.Tar splits TarHeader: here the entry points, the keywords and the pass over the file;
    // CSymbolScanner.Declarations.cs reads one declaration into nodes, CSymbolScanner.Declarators.cs finds the name it
    // declares and what that is, CSymbolScanner.Definitions.cs decides linkage and what the file defines in the end.
    internal static partial class CSymbolScanner
    {
        public static IReadOnlyList<DefinedSymbol> FindGlobalDefinitions(string source) => FindGlobalDefinitions(source, skipGroupInsides: true);

        /// <summary>
        /// The file's global definitions, and the functions it defines twice or declares with different numbers of
        /// parameters: what a compiler refuses in one translation unit ("redefinition", "conflicting types").
        /// </summary>
        public static CSourceSymbols FindSymbols(string source, CancellationToken cancellationToken = default)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            var unit = Scan(source, skipGroupInsides: true, cancellationToken);
            if (unit.ReadSkippedInside) unit = Scan(source, skipGroupInsides: false, cancellationToken);
            var globals = unit.Definitions();
            return new CSourceSymbols(globals, unit.FunctionClashes(), globals.Where(g => unit.IsAssumedLine(g.Line)).Select(g => g.Name).ToList(),
                unit.DefinedParameterCounts());
        }

        /// <summary>
        /// With <paramref name="skipGroupInsides"/>, the file is first read with brace group insides left out (the lexer
        /// steps over them), which is all a generated file needs; should the scan want to look inside such a group
        /// after all, the file is read again with every token. Either way the result is the same.
        /// </summary>
        internal static IReadOnlyList<DefinedSymbol> FindGlobalDefinitions(string source, bool skipGroupInsides, CancellationToken cancellationToken = default)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            var unit = Scan(source, skipGroupInsides, cancellationToken);
            if (unit.ReadSkippedInside) unit = Scan(source, skipGroupInsides: false, cancellationToken);
            return unit.Definitions();
        }

        /// <summary>Throws <see cref="CSourceTooLargeException"/> for a file of more tokens than the scan keeps.</summary>
        private static TranslationUnit Scan(string source, bool skipGroupInsides, CancellationToken cancellationToken)
        {
            var tokens = CConditionals.ActiveTokens(CLexer.Tokenize(source, skipGroupInsides, cancellationToken), out var weakPragmas, out var assumedLines);
            cancellationToken.ThrowIfCancellationRequested();
            var unit = new TranslationUnit(tokens, weakPragmas, assumedLines);
            unit.Scan();
            return unit;
        }

        private static readonly HashSet<string> StorageKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "static", "extern", "typedef", "inline", "__inline", "__inline__", "_Noreturn", "register", "auto",
            "_Thread_local", "thread_local", "__thread", "constexpr",
        };

        private static readonly HashSet<string> TypeKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "void", "char", "short", "int", "long", "float", "double", "signed", "__signed", "__signed__", "unsigned",
            "_Bool", "bool", "_Complex", "__complex__", "_Imaginary", "__int128", "__int128_t", "__uint128_t", "__fp16",
            "_Float16", "_Float32", "_Float64", "_Float128", "_Float32x", "_Float64x", "__float128", "__bf16",
            "_Decimal32", "_Decimal64", "_Decimal128", "_BitInt",
            "const", "volatile", "restrict", "__restrict", "__restrict__", "__const", "__const__", "__volatile",
            "__volatile__", "_Atomic", "_Nonnull", "_Nullable", "_Null_unspecified",
            "struct", "union", "enum",
        };

        // Followed by a parenthesized part that belongs to no declarator: attributes, alignment, asm labels.
        private static readonly HashSet<string> AttributeKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "__attribute__", "__attribute", "__declspec", "_Alignas", "alignas", "asm", "__asm", "__asm__",
        };

        private static readonly HashSet<string> AsmKeywords = new HashSet<string>(StringComparer.Ordinal) { "asm", "__asm", "__asm__" };

        // Type specifiers written like calls.
        private static readonly HashSet<string> SpecifierCallKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "typeof", "__typeof__", "__typeof", "typeof_unqual", "__typeof_unqual__", "_Atomic", "_BitInt",
        };

        private static bool IsKeyword(string word) => StorageKeywords.Contains(word) || TypeKeywords.Contains(word);

        private static bool IsOpener(CToken t) => t.IsPunctuator("(") || t.IsPunctuator("[") || t.IsPunctuator("{");

        private static bool IsCloser(CToken t) => t.IsPunctuator(")") || t.IsPunctuator("]") || t.IsPunctuator("}");

        private sealed partial class TranslationUnit
        {
            private readonly List<CToken> _t;
            private readonly HashSet<string> _weakPragmas;
            private readonly HashSet<string> _static = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _weak = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _gnuInline = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _declaredNotInline = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _functionTypedefs = new HashSet<string>(StringComparer.Ordinal);
            private readonly Dictionary<string, string> _asmLabels = new Dictionary<string, string>(StringComparer.Ordinal);
            private readonly List<Candidate> _candidates = new List<Candidate>();
            private readonly List<FunctionDeclaration> _functionDeclarations = new List<FunctionDeclaration>();

            // Groups nested deeper than any real declarator are stepped over as a whole: each level is a call of
            // ReadNode, and a crafted run of a million '(' would otherwise overflow the stack, which no catch can handle.
            private const int MaxNesting = 256;
            private int _nesting;

            private readonly List<(int First, int Last)> _assumedLines;

            public TranslationUnit(List<CToken> tokens, HashSet<string> weakPragmas, List<(int First, int Last)> assumedLines)
            {
                _t = tokens;
                _weakPragmas = weakPragmas;
                _assumedLines = assumedLines;
            }

            /// <summary>
            /// The scan looked inside a brace group whose inside the lexer left out (<see cref="CToken.SkipsInside"/>): what
            /// it found there is not what the file says, so its result must not be used. Everywhere else the scan only
            /// counts brackets through a group, which the opener and its balancing closer alone answer the same way.
            /// </summary>
            public bool ReadSkippedInside { get; private set; }

            private void CheckNoSkippedInside(int from, int to)
            {
                for (int k = from; k < to && k < _t.Count; k++)
                {
                    if (_t[k].SkipsInside) ReadSkippedInside = true;
                }
            }

            [MethodImpl(MethodImplFlags.AggressiveOptimization)]
            public void Scan()
            {
                int i = 0;
                while (i < _t.Count)
                {
                    var t = _t[i];
                    // Stray closers and empty declarations; a '}' here also ends an extern "C" { block.
                    if (t.IsPunctuator(";") || IsCloser(t))
                    {
                        i++;
                        continue;
                    }
                    if (t.IsIdentifier("extern") && i + 2 < _t.Count && _t[i + 1].Kind == CTokenKind.String && _t[i + 2].IsPunctuator("{"))
                    {
                        if (_t[i + 2].SkipsInside) ReadSkippedInside = true;
                        i += 3;
                        continue;
                    }
                    if (t.Kind == CTokenKind.Identifier && (AsmKeywords.Contains(t.Text) || t.Text == "_Static_assert" || t.Text == "static_assert"))
                    {
                        i = SkipExpression(i + 1);
                        if (i < _t.Count && _t[i].IsPunctuator(";")) i++;
                        continue;
                    }
                    var segments = new List<Segment>();
                    i = ReadDeclaration(i, segments);
                    Declare(segments);
                }
            }
        }
    }
}
