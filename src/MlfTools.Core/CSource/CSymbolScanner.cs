using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Linq;
using System.Text;
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
    internal static class CSymbolScanner
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

        private abstract class Node
        {
        }

        private sealed class TokenNode : Node
        {
            public TokenNode(CToken token) => Token = token;

            public CToken Token { get; }
        }

        /// <summary>A parenthesized or bracketed part of a declarator, with what is inside.</summary>
        private sealed class GroupNode : Node
        {
            public GroupNode(CToken open, List<Node> children)
            {
                Open = open;
                Children = children;
            }

            public CToken Open { get; }

            public List<Node> Children { get; }

            public bool IsParenthesis => Open.IsPunctuator("(");
        }

        /// <summary>A struct, union or enum body, or a specifier such as typeof(...): part of the type.</summary>
        private sealed class TypePartNode : Node
        {
        }

        private sealed class AttributeNode : Node
        {
            public bool Weak;
            public bool Alias;
            public bool GnuInline;
            public string AsmLabel;
        }

        private sealed class Segment
        {
            public List<Node> Nodes { get; } = new List<Node>();

            public bool HasInitializer;

            public bool HasBody;
        }

        private enum Derivation
        {
            None,
            Function,
            Array,
            Pointer,
        }

        /// <summary>The declared identifier and what applies to it first (what the identifier is).</summary>
        private sealed class Declarator
        {
            public CToken Name;
            public Derivation First;

            /// <summary>The parameter list right after the name, when the declarator is a plain <c>name(...)</c>.</summary>
            public GroupNode Parameters;

            /// <summary>Index in the segment of the node that holds the name.</summary>
            public int NodeIndex;
        }

        private sealed class Specifiers
        {
            public bool IsStatic;
            public bool IsExtern;
            public bool IsTypedef;
            public bool IsInline;
            public bool UsesFunctionTypedef;
        }

        /// <summary>A file-scope declaration or definition of a function, as written.</summary>
        private sealed class FunctionDeclaration
        {
            public string Name;
            public int Line;
            public bool HasBody;
            public bool IsExternInline;

            /// <summary>Null for an unprototyped <c>name()</c> or a declarator whose parameter list was not read.</summary>
            public int? ParameterCount;
        }

        private sealed class Candidate
        {
            public string Name;
            public bool IsFunction;
            public int Line;
            public bool IsExternInline;
        }

        private sealed class TranslationUnit
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
            /// A declaration under a condition this file cannot decide may never meet the other one in a real build
            /// (#ifdef X ... #endif #ifndef X ... #endif are both read here): it clashes with nothing.
            /// </summary>
            private bool IsAssumed(FunctionDeclaration declaration) => IsAssumedLine(declaration.Line);

            public bool IsAssumedLine(int line) => _assumedLines.Any(r => line >= r.First && line <= r.Last);

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

            public IReadOnlyList<DefinedSymbol> Definitions()
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var result = new List<DefinedSymbol>();
                foreach (var candidate in _candidates)
                {
                    string name = candidate.Name;
                    if (_static.Contains(name) || _weak.Contains(name) || _weakPragmas.Contains(name)) continue;
                    if (candidate.IsFunction)
                    {
                        // C99 6.7.4p7: a definition is an inline definition (no symbol) when every file-scope
                        // declaration of the function says inline without extern. GCC's gnu_inline attribute
                        // restores the GNU89 rule: only "extern inline" emits nothing.
                        bool emitted = _gnuInline.Contains(name) ? !candidate.IsExternInline : _declaredNotInline.Contains(name);
                        if (!emitted) continue;
                    }
                    string symbol = _asmLabels.TryGetValue(name, out string label) ? label : name;
                    if (seen.Add(symbol)) result.Add(new DefinedSymbol(symbol, candidate.IsFunction, candidate.Line));
                }
                return result;
            }

            /// <summary>The parameter count of each function's first definition with a body.</summary>
            public IReadOnlyDictionary<string, int?> DefinedParameterCounts()
            {
                var counts = new Dictionary<string, int?>(StringComparer.Ordinal);
                foreach (var declaration in _functionDeclarations.Where(d => d.HasBody && !IsAssumed(d)))
                {
                    if (!counts.ContainsKey(declaration.Name)) counts[declaration.Name] = declaration.ParameterCount;
                }
                return counts;
            }

            /// <summary>
            /// Each function the file defines twice (an <c>extern inline</c> gnu_inline definition may legally be followed by
            /// another), and each it declares with two different numbers of parameters; reported once per name and kind.
            /// </summary>
            public IReadOnlyList<FunctionClash> FunctionClashes()
            {
                var clashes = new List<FunctionClash>();
                var firstBody = new Dictionary<string, FunctionDeclaration>(StringComparer.Ordinal);
                var firstPrototype = new Dictionary<string, FunctionDeclaration>(StringComparer.Ordinal);
                var redefined = new HashSet<string>(StringComparer.Ordinal);
                var conflicting = new HashSet<string>(StringComparer.Ordinal);
                foreach (var declaration in _functionDeclarations.Where(d => !IsAssumed(d)))
                {
                    string name = declaration.Name;
                    bool replaceable = declaration.IsExternInline && _gnuInline.Contains(name);
                    if (declaration.HasBody && !replaceable)
                    {
                        if (!firstBody.TryGetValue(name, out var earlier)) firstBody[name] = declaration;
                        else if (redefined.Add(name)) clashes.Add(new FunctionClash(name, FunctionClashKind.Redefinition, earlier.Line, declaration.Line, null, null));
                    }
                    if (declaration.ParameterCount == null) continue;
                    if (!firstPrototype.TryGetValue(name, out var prototype))
                    {
                        firstPrototype[name] = declaration;
                    }
                    else if (prototype.ParameterCount != declaration.ParameterCount && conflicting.Add(name))
                    {
                        clashes.Add(new FunctionClash(name, FunctionClashKind.ConflictingParameters, prototype.Line, declaration.Line,
                            prototype.ParameterCount, declaration.ParameterCount));
                    }
                }
                return clashes;
            }

            /// <summary>Reads one declaration up to its ';' or the end of a function body, split at top-level commas.</summary>
            [MethodImpl(MethodImplFlags.AggressiveOptimization)]
            private int ReadDeclaration(int i, List<Segment> segments)
            {
                var segment = new Segment();
                segments.Add(segment);
                int tagState = 0; // 1: after struct/union/enum, 2: after its tag; a '{' then opens the type's body
                while (i < _t.Count)
                {
                    var t = _t[i];
                    if (t.IsPunctuator(";")) return i + 1;
                    if (IsCloser(t)) return i;
                    if (t.IsPunctuator(","))
                    {
                        segment = new Segment();
                        segments.Add(segment);
                        tagState = 0;
                        i++;
                        continue;
                    }
                    if (t.IsPunctuator("="))
                    {
                        segment.HasInitializer = true;
                        i = SkipExpression(i + 1);
                        tagState = 0;
                        continue;
                    }
                    if (t.IsPunctuator("{"))
                    {
                        i = SkipBalanced(i);
                        if (tagState == 0)
                        {
                            segment.HasBody = true;
                            return i;
                        }
                        segment.Nodes.Add(new TypePartNode());
                        tagState = 0;
                        continue;
                    }
                    if (t.IsIdentifier("__extension__"))
                    {
                        i++;
                        continue;
                    }
                    var node = ReadNode(ref i);
                    segment.Nodes.Add(node);
                    if (node is AttributeNode) continue;
                    string word = node is TokenNode w && w.Token.Kind == CTokenKind.Identifier ? w.Token.Text : null;
                    tagState = word == "struct" || word == "union" || word == "enum" ? 1
                        : tagState == 1 && word != null && !IsKeyword(word) ? 2
                        : 0;
                }
                return i;
            }

            [MethodImpl(MethodImplFlags.AggressiveOptimization)]
            private Node ReadNode(ref int i)
            {
                var t = _t[i];
                if (t.Kind == CTokenKind.Identifier)
                {
                    if (AttributeKeywords.Contains(t.Text)) return ReadAttribute(ref i);
                    if (SpecifierCallKeywords.Contains(t.Text) && i + 1 < _t.Count && _t[i + 1].IsPunctuator("("))
                    {
                        i = SkipBalanced(i + 1);
                        return new TypePartNode();
                    }
                }
                if (t.IsPunctuator("[") && i + 1 < _t.Count && _t[i + 1].IsPunctuator("["))
                {
                    // C23 attribute, e.g. [[gnu::weak]].
                    int end = SkipBalanced(i);
                    var attribute = new AttributeNode();
                    CheckNoSkippedInside(i + 1, end - 1);
                    NoteAttributeNames(attribute, i + 1, end - 1);
                    i = end;
                    return attribute;
                }
                if (IsOpener(t))
                {
                    if (_nesting >= MaxNesting)
                    {
                        i = SkipBalanced(i);
                        return new TypePartNode();
                    }
                    if (t.SkipsInside) ReadSkippedInside = true; // its children would be missing
                    i++;
                    var children = new List<Node>();
                    _nesting++;
                    while (i < _t.Count)
                    {
                        if (IsCloser(_t[i]))
                        {
                            i++;
                            break;
                        }
                        if (_t[i].IsIdentifier("__extension__"))
                        {
                            i++;
                            continue;
                        }
                        children.Add(ReadNode(ref i));
                    }
                    _nesting--;
                    return new GroupNode(t, children);
                }
                i++;
                return new TokenNode(t);
            }

            private AttributeNode ReadAttribute(ref int i)
            {
                var keyword = _t[i];
                var attribute = new AttributeNode();
                i++;
                if (AsmKeywords.Contains(keyword.Text))
                {
                    while (i < _t.Count && _t[i].Kind == CTokenKind.Identifier && (_t[i].Text == "volatile" || _t[i].Text == "__volatile__" || _t[i].Text == "goto" || _t[i].Text == "inline")) i++;
                }
                if (i >= _t.Count || !_t[i].IsPunctuator("(")) return attribute;
                int end = SkipBalanced(i);
                CheckNoSkippedInside(i + 1, end - 1);
                if (AsmKeywords.Contains(keyword.Text))
                {
                    var label = new StringBuilder();
                    for (int k = i + 1; k < end - 1; k++)
                    {
                        if (_t[k].Kind == CTokenKind.String) label.Append(StringContent(_t[k].Text));
                    }
                    attribute.AsmLabel = label.ToString();
                }
                else
                {
                    NoteAttributeNames(attribute, i + 1, end - 1);
                }
                i = end;
                return attribute;
            }

            private void NoteAttributeNames(AttributeNode attribute, int from, int to)
            {
                for (int k = from; k < to && k < _t.Count; k++)
                {
                    if (_t[k].Kind != CTokenKind.Identifier) continue;
                    switch (_t[k].Text)
                    {
                        case "weak":
                        case "__weak__":
                            attribute.Weak = true;
                            break;
                        case "alias":
                        case "__alias__":
                            attribute.Alias = true;
                            break;
                        case "gnu_inline":
                        case "__gnu_inline__":
                            attribute.GnuInline = true;
                            break;
                    }
                }
            }

            private static string StringContent(string literal)
            {
                int open = literal.IndexOf('"');
                return open >= 0 && literal.Length >= open + 2 && literal[literal.Length - 1] == '"'
                    ? literal.Substring(open + 1, literal.Length - open - 2)
                    : string.Empty;
            }

            /// <summary>Skips a bracketed group starting at an opener; returns the index after its closer.</summary>
            [MethodImpl(MethodImplFlags.AggressiveOptimization)]
            private int SkipBalanced(int i)
            {
                int depth = 0;
                for (; i < _t.Count; i++)
                {
                    if (IsOpener(_t[i]))
                    {
                        depth++;
                    }
                    else if (IsCloser(_t[i]) && --depth == 0)
                    {
                        return i + 1;
                    }
                }
                return _t.Count;
            }

            /// <summary>Skips an initializer or expression; stops at a top-level ',' or ';' or an unmatched closer.</summary>
            [MethodImpl(MethodImplFlags.AggressiveOptimization)]
            private int SkipExpression(int i)
            {
                int depth = 0;
                for (; i < _t.Count; i++)
                {
                    var t = _t[i];
                    if (IsOpener(t))
                    {
                        depth++;
                    }
                    else if (IsCloser(t))
                    {
                        if (depth == 0) return i;
                        depth--;
                    }
                    else if (depth == 0 && (t.IsPunctuator(",") || t.IsPunctuator(";")))
                    {
                        return i;
                    }
                }
                return i;
            }

            private void Declare(List<Segment> segments)
            {
                var specifiers = new Specifiers();
                var first = FindDeclarator(segments[0].Nodes, specifiers, out bool unnamable);
                // Nothing can be said about a statement whose first declarator cannot be read (a macro call
                // such as TVM_REGISTER_X(foo);): its specifiers are unknown.
                if (unnamable) return;
                var shared = new List<AttributeNode>();
                if (first != null)
                {
                    shared.AddRange(segments[0].Nodes.Take(first.NodeIndex).OfType<AttributeNode>());
                }
                for (int s = 0; s < segments.Count; s++)
                {
                    var segment = segments[s];
                    var declarator = s == 0 ? first : FindDeclarator(segment.Nodes, null, out unnamable);
                    if (declarator == null) continue;
                    var own = segment.Nodes.Skip(s == 0 ? declarator.NodeIndex : 0).OfType<AttributeNode>().ToList();
                    Declare(specifiers, shared.Concat(own).ToList(), declarator, segment);
                }
            }

            private void Declare(Specifiers specifiers, List<AttributeNode> attributes, Declarator declarator, Segment segment)
            {
                string name = declarator.Name.Text;
                string label = attributes.Where(a => a.AsmLabel != null).Select(a => a.AsmLabel).LastOrDefault();
                if (label != null && label.Length > 0) _asmLabels[name] = label;
                bool isFunction = declarator.First == Derivation.Function
                    || (declarator.First == Derivation.None && specifiers.UsesFunctionTypedef);
                if (specifiers.IsTypedef)
                {
                    if (isFunction) _functionTypedefs.Add(name);
                    else _functionTypedefs.Remove(name);
                    return;
                }
                if (specifiers.IsStatic) _static.Add(name);
                if (attributes.Any(a => a.Weak)) _weak.Add(name);
                bool isAlias = attributes.Any(a => a.Alias);
                if (isFunction)
                {
                    _functionDeclarations.Add(new FunctionDeclaration
                    {
                        Name = name,
                        Line = declarator.Name.Line,
                        HasBody = segment.HasBody && declarator.First == Derivation.Function,
                        IsExternInline = specifiers.IsInline && specifiers.IsExtern,
                        ParameterCount = ParameterCount(declarator.Parameters),
                    });
                    if (attributes.Any(a => a.GnuInline)) _gnuInline.Add(name);
                    if (!specifiers.IsInline || specifiers.IsExtern) _declaredNotInline.Add(name);
                    bool defines = (segment.HasBody && declarator.First == Derivation.Function) || isAlias;
                    if (defines)
                    {
                        _candidates.Add(new Candidate
                        {
                            Name = name,
                            IsFunction = true,
                            Line = declarator.Name.Line,
                            IsExternInline = specifiers.IsInline && specifiers.IsExtern,
                        });
                    }
                    return;
                }
                if (segment.HasBody) return;
                // An extern declaration defines nothing unless it is initialized or an alias.
                if (specifiers.IsExtern && !segment.HasInitializer && !isAlias) return;
                _candidates.Add(new Candidate { Name = name, IsFunction = false, Line = declarator.Name.Line });
            }

            /// <summary>
            /// Finds the identifier a declarator declares. Without knowing which identifiers are type names,
            /// it is the last identifier before the first part that can only follow a name ('(' of a
            /// parameter list, '[', the end), or the identifier right after a '*'. For the first declarator
            /// (<paramref name="specifiers"/> not null) it also reads the storage class; there an identifier
            /// with no specifier before it is not taken as a name.
            /// </summary>
            /// <returns>The declarator, or null when there is none (a struct definition, a bare type).</returns>
            private Declarator FindDeclarator(List<Node> nodes, Specifiers specifiers, out bool unnamable)
            {
                unnamable = false;
                bool first = specifiers != null;
                int lastIdentifier = -1;
                int specifierCount = 0;
                bool pointer = false;
                for (int k = 0; k < nodes.Count; k++)
                {
                    var node = nodes[k];
                    if (node is AttributeNode) continue;
                    if (node is TypePartNode)
                    {
                        specifierCount++;
                        continue;
                    }
                    if (node is TokenNode tokenNode)
                    {
                        var t = tokenNode.Token;
                        if (t.Kind == CTokenKind.Identifier)
                        {
                            string word = t.Text;
                            if (first && StorageKeywords.Contains(word))
                            {
                                specifiers.IsStatic |= word == "static";
                                specifiers.IsExtern |= word == "extern";
                                specifiers.IsTypedef |= word == "typedef";
                                specifiers.IsInline |= word == "inline" || word == "__inline" || word == "__inline__";
                                specifierCount++;
                                continue;
                            }
                            if (word == "struct" || word == "union" || word == "enum")
                            {
                                specifierCount++;
                                int m = k + 1;
                                while (m < nodes.Count && nodes[m] is AttributeNode) m++;
                                if (m < nodes.Count && nodes[m] is TokenNode tag && tag.Token.Kind == CTokenKind.Identifier && !IsKeyword(tag.Token.Text)) k = m;
                                continue;
                            }
                            if (IsKeyword(word))
                            {
                                specifierCount++;
                                continue;
                            }
                            if (pointer) return new Declarator { Name = t, First = PostfixOr(nodes, k + 1, Derivation.Pointer), NodeIndex = k };
                            if (lastIdentifier >= 0) TypeNameBefore(nodes, ref lastIdentifier, ref specifierCount, specifiers);
                            lastIdentifier = k;
                            continue;
                        }
                        if (t.IsPunctuator("*") || t.IsPunctuator("^"))
                        {
                            if (lastIdentifier >= 0) TypeNameBefore(nodes, ref lastIdentifier, ref specifierCount, specifiers);
                            pointer = true;
                            continue;
                        }
                        // extern "C" int f(void) {...}: the string is a linkage specification.
                        if (t.Kind == CTokenKind.String && k > 0 && nodes[k - 1] is TokenNode previous && previous.Token.IsIdentifier("extern")) continue;
                        unnamable = true;
                        return null;
                    }
                    var group = (GroupNode)node;
                    if (group.IsParenthesis && IsNestedDeclarator(group, lastIdentifier >= 0))
                    {
                        if (lastIdentifier >= 0) TypeNameBefore(nodes, ref lastIdentifier, ref specifierCount, specifiers);
                        var inner = FindNested(group.Children);
                        if (inner == null)
                        {
                            unnamable = true;
                            return null;
                        }
                        if (inner.First == Derivation.None) inner.First = PostfixOr(nodes, k + 1, pointer ? Derivation.Pointer : Derivation.None);
                        inner.NodeIndex = k;
                        if (first && specifierCount == 0) unnamable = true;
                        return unnamable ? null : inner;
                    }
                    if (lastIdentifier < 0)
                    {
                        unnamable = true;
                        return null;
                    }
                    if (group.IsParenthesis)
                    {
                        if (first && specifierCount == 0)
                        {
                            // NAME(...) with nothing before it is a macro call. Followed by more of a declaration
                            // (ALIGN(16) int x;) it was a specifier; otherwise (TVM_REGISTER_X(foo);) nothing can
                            // be named.
                            if (k + 1 < nodes.Count && !(nodes[k + 1] is GroupNode))
                            {
                                lastIdentifier = -1;
                                specifierCount++;
                                continue;
                            }
                            unnamable = true;
                            return null;
                        }
                        if (LooksLikeMacroArguments(group))
                        {
                            lastIdentifier = -1;
                            specifierCount++;
                            continue;
                        }
                    }
                    return new Declarator
                    {
                        Name = ((TokenNode)nodes[lastIdentifier]).Token,
                        First = group.IsParenthesis ? Derivation.Function : Derivation.Array,
                        NodeIndex = lastIdentifier,
                        Parameters = group.IsParenthesis ? group : null,
                    };
                }
                if (lastIdentifier < 0) return null;
                if (first && specifierCount == 0)
                {
                    // A lone identifier: a macro, or C89 implicit int; not read as a definition.
                    unnamable = true;
                    return null;
                }
                return new Declarator { Name = ((TokenNode)nodes[lastIdentifier]).Token, First = Derivation.None, NodeIndex = lastIdentifier };
            }

            /// <summary>The identifier seen last was a type name (or a macro standing for specifiers), not the declared name.</summary>
            private void TypeNameBefore(List<Node> nodes, ref int lastIdentifier, ref int specifierCount, Specifiers specifiers)
            {
                if (specifiers != null && _functionTypedefs.Contains(((TokenNode)nodes[lastIdentifier]).Token.Text)) specifiers.UsesFunctionTypedef = true;
                specifierCount++;
                lastIdentifier = -1;
            }

            /// <summary>
            /// (*name...) or (name) is a declarator in parentheses; anything else after an identifier is a
            /// parameter list. A parameter list never starts with '*'.
            /// </summary>
            private static bool IsNestedDeclarator(GroupNode group, bool afterIdentifier)
            {
                var firstChild = group.Children.FirstOrDefault(c => !(c is AttributeNode));
                if (firstChild is TokenNode t && (t.Token.IsPunctuator("*") || t.Token.IsPunctuator("^"))) return true;
                if (afterIdentifier) return false;
                return (firstChild is TokenNode id && id.Token.Kind == CTokenKind.Identifier && !IsKeyword(id.Token.Text))
                    || (firstChild is GroupNode g && g.IsParenthesis);
            }

            /// <summary>Inside a parenthesized declarator: the name and the first derivation that applies to it.</summary>
            private static Declarator FindNested(List<Node> nodes)
            {
                bool pointer = false;
                for (int k = 0; k < nodes.Count; k++)
                {
                    var node = nodes[k];
                    if (node is AttributeNode) continue;
                    if (node is TokenNode tokenNode)
                    {
                        var t = tokenNode.Token;
                        if (t.IsPunctuator("*") || t.IsPunctuator("^"))
                        {
                            pointer = true;
                            continue;
                        }
                        if (t.Kind == CTokenKind.Identifier && IsKeyword(t.Text)) continue;
                        if (t.Kind == CTokenKind.Identifier)
                        {
                            return new Declarator { Name = t, First = PostfixOr(nodes, k + 1, pointer ? Derivation.Pointer : Derivation.None) };
                        }
                        return null;
                    }
                    if (node is GroupNode group && group.IsParenthesis)
                    {
                        var inner = FindNested(group.Children);
                        if (inner == null) return null;
                        if (inner.First == Derivation.None) inner.First = PostfixOr(nodes, k + 1, pointer ? Derivation.Pointer : Derivation.None);
                        return inner;
                    }
                    return null;
                }
                return null;
            }

            /// <summary>A postfix '(' or '[' binds first; otherwise a '*' before the name, if any.</summary>
            private static Derivation PostfixOr(List<Node> nodes, int next, Derivation otherwise)
            {
                if (next < nodes.Count && nodes[next] is GroupNode group) return group.IsParenthesis ? Derivation.Function : Derivation.Array;
                return otherwise;
            }

            /// <summary>How many parameters a prototype's list declares: (void) has none; () is no prototype at all (null).</summary>
            private static int? ParameterCount(GroupNode parameters)
            {
                if (parameters == null) return null;
                var items = parameters.Children.Where(c => !(c is AttributeNode)).ToList();
                if (items.Count == 0) return null;
                if (items.Count == 1 && items[0] is TokenNode only && only.Token.IsIdentifier("void")) return 0;
                return items.Count(c => c is TokenNode t && t.Token.IsPunctuator(",")) + 1;
            }

            /// <summary>A parameter list never starts with a number or a string: NAME(16) is a macro call.</summary>
            private static bool LooksLikeMacroArguments(GroupNode group) =>
                group.Children.Count > 0 && group.Children[0] is TokenNode t
                && (t.Token.Kind == CTokenKind.Number || t.Token.Kind == CTokenKind.String || t.Token.Kind == CTokenKind.Char);
        }
    }
}
