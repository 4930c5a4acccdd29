using System;
using System.Collections.Generic;
using System.Linq;

namespace MlfTools.CSource
{
    // Declarators: which identifier a declaration declares, what it is first (a function, an array, a pointer), its storage
    // class and, for a function, how many parameters its prototype has.
    internal static partial class CSymbolScanner
    {
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

        private sealed partial class TranslationUnit
        {
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
