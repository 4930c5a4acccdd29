using System.Collections.Generic;
using System.Text;

namespace MlfTools.Linking
{
    /// <summary>
    /// Reads the VCG text gcc writes with <c>-fcallgraph-info</c>: <c>graph: { title: "src.c"</c>, then
    /// <c>node: { title: "f" label: "f\nsrc.c:3:5\n48 bytes (static)" }</c> and
    /// <c>edge: { sourcename: "f" targetname: "g" label: "src.c:3:26" }</c>, one a line, and a closing brace. The
    /// reader is a single pass over tokens (identifiers, strings with backslash escapes, <c>{ } :</c>): a block it
    /// does not understand, a truncated one or stray text is skipped, never read twice, so any text takes linear time.
    /// </summary>
    internal static class CallGraphText
    {
        private enum Kind
        {
            Word,
            Text,
            Colon,
            Open,
            Close,
        }

        private readonly struct Token
        {
            public Token(Kind kind, string value)
            {
                Kind = kind;
                Value = value;
            }

            public Kind Kind { get; }
            public string Value { get; }
        }

        /// <summary>Adds the nodes and edges of one graph text to the graph.</summary>
        public static void Read(string text, StackDepth.Graph graph)
        {
            var tokens = Lex(text);
            string graphTitle = null;
            int i = 0;
            while (i < tokens.Count)
            {
                if (IsPair(tokens, i) && tokens[i + 2].Kind == Kind.Open)
                {
                    string block = tokens[i].Value;
                    i += 3;
                    // graph: { ... } holds the title and the nodes and edges: read on at this level.
                    if (block == "graph")
                    {
                        graphTitle = null;
                        continue;
                    }
                    var attributes = new Dictionary<string, string>();
                    while (i < tokens.Count && tokens[i].Kind != Kind.Close && tokens[i].Kind != Kind.Open)
                    {
                        if (IsPair(tokens, i) && tokens[i + 2].Kind == Kind.Open) break;
                        if (IsPair(tokens, i) && (tokens[i + 2].Kind == Kind.Text || tokens[i + 2].Kind == Kind.Word))
                        {
                            attributes[tokens[i].Value] = tokens[i + 2].Value;
                            i += 3;
                        }
                        else
                        {
                            i++;
                        }
                    }
                    // A block cut short by another block (or a stray brace) is malformed: dropped, the next block read from there.
                    if (i >= tokens.Count || tokens[i].Kind != Kind.Close) continue;
                    i++;
                    if (block == "node" && attributes.TryGetValue("title", out string title) && title.Length > 0)
                    {
                        attributes.TryGetValue("label", out string label);
                        graph.AddNode(graphTitle, title, label);
                    }
                    else if (block == "edge" && attributes.TryGetValue("sourcename", out string source) && attributes.TryGetValue("targetname", out string target) &&
                        source.Length > 0 && target.Length > 0)
                    {
                        graph.AddEdge(source, target);
                    }
                }
                else if (graphTitle == null && IsPair(tokens, i) && tokens[i].Value == "title" && tokens[i + 2].Kind == Kind.Text)
                {
                    graphTitle = tokens[i + 2].Value;
                    i += 3;
                }
                else
                {
                    i++;
                }
            }
        }

        private static bool IsPair(List<Token> tokens, int i) =>
            i + 2 < tokens.Count && tokens[i].Kind == Kind.Word && tokens[i + 1].Kind == Kind.Colon;

        private static List<Token> Lex(string text)
        {
            var tokens = new List<Token>();
            var value = new StringBuilder();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '"')
                {
                    value.Clear();
                    i++;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length)
                        {
                            char escaped = text[i + 1];
                            value.Append(escaped == 'n' ? '\n' : escaped);
                            i += 2;
                        }
                        else
                        {
                            value.Append(text[i++]);
                        }
                    }
                    // An unterminated string ends the text: what it held is no attribute.
                    if (i >= text.Length) break;
                    i++;
                    tokens.Add(new Token(Kind.Text, value.ToString()));
                }
                else if (c == '{' || c == '}' || c == ':')
                {
                    tokens.Add(new Token(c == '{' ? Kind.Open : c == '}' ? Kind.Close : Kind.Colon, null));
                    i++;
                }
                else if (IsWordChar(c))
                {
                    int start = i;
                    while (i < text.Length && IsWordChar(text[i])) i++;
                    tokens.Add(new Token(Kind.Word, text.Substring(start, i - start)));
                }
                else
                {
                    i++;
                }
            }
            return tokens;
        }

        private static bool IsWordChar(char c) => c == '_' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
