using System;
using System.Collections.Generic;
using System.Globalization;

namespace MlfTools.CSource
{
    /// <summary>
    /// The TVMBackendAllocWorkspace and TVMBackendFreeWorkspace calls of one C file, per function that makes them, in the
    /// order of the text (read with the C lexer and the conditionals of the symbol scan). TVM's C code generator writes
    /// <c>void* name = TVMBackendAllocWorkspace(1, dev_id, (uint64_t)SIZE, ...)</c> and frees the block by name
    /// before the scope that allocated it ends, so the text order is the order of a run, a loop body repeating it.
    /// </summary>
    internal sealed class WorkspaceRequests
    {
        public const string Allocate = "TVMBackendAllocWorkspace";
        public const string Free = "TVMBackendFreeWorkspace";

        private WorkspaceRequests(Dictionary<string, FunctionRequests> functions, Dictionary<string, HashSet<string>> calls, int callSites)
        {
            Functions = functions;
            Calls = calls;
            AllocateCallSites = callSites;
        }

        /// <summary>By function defined in the file, the names it calls (a kernel's workspace may be requested by a function it calls).</summary>
        public IReadOnlyDictionary<string, HashSet<string>> Calls { get; }

        /// <summary>By function name, the functions whose body calls TVMBackendAllocWorkspace.</summary>
        public IReadOnlyDictionary<string, FunctionRequests> Functions { get; }

        /// <summary>How many TVMBackendAllocWorkspace calls the file's active code makes, in functions or not.</summary>
        public int AllocateCallSites { get; }

        internal sealed class FunctionRequests
        {
            /// <summary>A request (Request set, Name the variable that holds it when seen) or a free (Request null, Name the freed variable).</summary>
            public List<(string Name, long? Request)> Events { get; } = new List<(string, long?)>();

            /// <summary>False when a request's size is not a number in the text (the events then miss it).</summary>
            public bool SizesKnown { get; set; } = true;

            public int AllocateCallSites { get; set; }
        }

        public static WorkspaceRequests Scan(string source)
        {
            if (source == null) throw new ArgumentNullException(nameof(source));
            var active = CConditionals.ActiveTokens(CLexer.Tokenize(source), out _);
            var functions = new Dictionary<string, FunctionRequests>(StringComparer.Ordinal);
            var calls = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            int depth = 0, callSites = 0;
            string candidate = null, current = null;
            for (int i = 0; i < active.Count; i++)
            {
                var token = active[i];
                if (token.IsPunctuator("{"))
                {
                    bool linkage = i >= 2 && active[i - 1].Kind == CTokenKind.String && active[i - 2].IsIdentifier("extern");
                    if (linkage) continue;
                    if (depth == 0) current = candidate;
                    depth++;
                    continue;
                }
                if (token.IsPunctuator("}"))
                {
                    if (depth > 0 && --depth == 0) current = null;
                    continue;
                }
                if (token.IsPunctuator(";") && depth == 0) candidate = null;
                if (token.Kind != CTokenKind.Identifier || i + 1 >= active.Count || !active[i + 1].IsPunctuator("(")) continue;
                if (depth == 0)
                {
                    candidate = token.Text;
                    continue;
                }
                bool allocate = token.Text == Allocate;
                if (!allocate && token.Text != Free)
                {
                    if (current == null) continue;
                    if (!calls.TryGetValue(current, out var called)) calls[current] = called = new HashSet<string>(StringComparer.Ordinal);
                    called.Add(token.Text);
                    continue;
                }
                if (allocate) callSites++;
                if (current == null) continue;
                if (!functions.TryGetValue(current, out var function)) functions[current] = function = new FunctionRequests();
                var arguments = Arguments(active, i + 1);
                if (allocate)
                {
                    function.AllocateCallSites++;
                    string name = i >= 2 && active[i - 1].IsPunctuator("=") && active[i - 2].Kind == CTokenKind.Identifier ? active[i - 2].Text : null;
                    long? size = arguments.Count >= 3 ? Number(arguments[2]) : null;
                    if (size == null) function.SizesKnown = false;
                    else function.Events.Add((name, size));
                }
                else if (arguments.Count >= 3 && arguments[2].Count == 1 && arguments[2][0].Kind == CTokenKind.Identifier)
                {
                    function.Events.Add((arguments[2][0].Text, null));
                }
            }
            foreach (var name in new List<string>(functions.Keys))
            {
                if (functions[name].AllocateCallSites == 0) functions.Remove(name);
            }
            return new WorkspaceRequests(functions, calls, callSites);
        }

        /// <summary>The top-level arguments of the call whose '(' is at <paramref name="open"/>, each a list of tokens.</summary>
        private static List<List<CToken>> Arguments(IReadOnlyList<CToken> tokens, int open)
        {
            var arguments = new List<List<CToken>> { new List<CToken>() };
            int nesting = 0;
            for (int i = open; i < tokens.Count; i++)
            {
                var token = tokens[i];
                if (token.IsPunctuator("(") || token.IsPunctuator("[") || token.IsPunctuator("{"))
                {
                    if (nesting++ == 0) continue;
                }
                else if (token.IsPunctuator(")") || token.IsPunctuator("]") || token.IsPunctuator("}"))
                {
                    if (--nesting == 0) break;
                }
                else if (nesting == 1 && token.IsPunctuator(","))
                {
                    arguments.Add(new List<CToken>());
                    continue;
                }
                arguments[arguments.Count - 1].Add(token);
            }
            return arguments;
        }

        /// <summary>An integer constant, after any casts in parentheses ("(uint64_t)2620"); else null.</summary>
        private static long? Number(List<CToken> argument)
        {
            int i = 0;
            while (i + 2 < argument.Count && argument[i].IsPunctuator("(") && argument[i + 1].Kind == CTokenKind.Identifier && argument[i + 2].IsPunctuator(")")) i += 3;
            if (i != argument.Count - 1 || argument[i].Kind != CTokenKind.Number) return null;
            string text = argument[i].Text.TrimEnd('u', 'U', 'l', 'L');
            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value : (long?)null;
        }
    }
}
