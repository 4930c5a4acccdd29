using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;

namespace MlfTools.CSource
{
    // Reading: one file-scope declaration, up to its ';' or the end of a function body, into nodes (tokens, bracketed groups,
    // attributes, parts of the type), split at top-level commas; what is stepped over (initializers, bodies, groups).
    internal static partial class CSymbolScanner
    {
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

        private sealed partial class TranslationUnit
        {
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
        }
    }
}
