using System;
using System.Collections.Generic;
using System.Linq;

namespace MlfTools.CSource
{
    // Linkage: what a declarator adds to the file's symbols (static, weak, inline, asm labels), and what is defined in the end:
    // the global definitions, the functions defined twice or declared with different parameter counts.
    internal static partial class CSymbolScanner
    {
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

        private sealed partial class TranslationUnit
        {
            /// <summary>
            /// A declaration under a condition this file cannot decide may never meet the other one in a real build
            /// (#ifdef X ... #endif #ifndef X ... #endif are both read here): it clashes with nothing.
            /// </summary>
            private bool IsAssumed(FunctionDeclaration declaration) => IsAssumedLine(declaration.Line);

            public bool IsAssumedLine(int line) => _assumedLines.Any(r => line >= r.First && line <= r.Last);

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
        }
    }
}
