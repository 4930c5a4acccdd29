using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Globalization;

namespace MlfTools.CSource
{
    /// <summary>
    /// The part of the C preprocessor that decides which lines are compiled, knowing only this one file:
    /// conditionals, #define/#undef (for defined()), and #pragma weak. Includes are not followed and macros
    /// are not expanded. What cannot be decided is taken as true for the first branch that could be it and
    /// false for the branches after it, so each group is read once.
    /// </summary>
    internal sealed class CConditionals
    {
        private readonly Dictionary<string, bool> _defined = new Dictionary<string, bool>(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _values = new Dictionary<string, long>(StringComparer.Ordinal);
        private readonly Stack<Group> _groups = new Stack<Group>();

        /// <summary>Names made weak by <c>#pragma weak name</c> (or <c>name = target</c>) in active code.</summary>
        public HashSet<string> WeakPragmas { get; } = new HashSet<string>(StringComparer.Ordinal);

        public bool IsActive => _groups.Count == 0 || _groups.Peek().Active;

        /// <summary>True while the code read is compiled only if a condition this file cannot decide goes the way it was taken.</summary>
        public bool IsAssumed => _groups.Count > 0 && _groups.Peek().Active && _groups.Peek().Assumed;

        /// <summary>
        /// The tokens of active code, directives removed; <c>_Pragma("weak x")</c> is honoured and removed too. The
        /// list is filtered in place (the kept tokens move to its front) and returned: a file's tokens are copied no more.
        /// </summary>
        public static List<CToken> ActiveTokens(List<CToken> tokens, out HashSet<string> weakPragmas) =>
            ActiveTokens(tokens, out weakPragmas, out _);

        /// <summary>
        /// As above; <paramref name="assumedLines"/> are the line ranges (first, last) of active code that is compiled only
        /// if conditions this file cannot decide go the way they were taken.
        /// </summary>
        [MethodImpl(MethodImplFlags.AggressiveOptimization)]
        public static List<CToken> ActiveTokens(List<CToken> tokens, out HashSet<string> weakPragmas, out List<(int First, int Last)> assumedLines)
        {
            var state = new CConditionals();
            assumedLines = new List<(int, int)>();
            int assumedFrom = 0;
            int kept = 0; // tokens[0, kept) are the active ones found so far; never ahead of i, so nothing unread is overwritten
            int i = 0;
            while (i < tokens.Count)
            {
                var token = tokens[i];
                if (token.StartsLine && token.IsPunctuator("#"))
                {
                    int end = i + 1;
                    while (end < tokens.Count && !tokens[end].StartsLine) end++;
                    bool wasAssumed = state.IsAssumed;
                    state.Directive(tokens.GetRange(i + 1, end - i - 1));
                    if (state.IsAssumed != wasAssumed)
                    {
                        if (wasAssumed) assumedLines.Add((assumedFrom, token.Line));
                        else assumedFrom = token.Line;
                    }
                    i = end;
                    continue;
                }
                if (state.IsActive)
                {
                    if (token.IsIdentifier("_Pragma") && i + 3 < tokens.Count && tokens[i + 1].IsPunctuator("(")
                        && tokens[i + 2].Kind == CTokenKind.String && tokens[i + 3].IsPunctuator(")"))
                    {
                        state.PragmaOperator(tokens[i + 2].Text);
                        i += 4;
                        continue;
                    }
                    tokens[kept++] = token;
                }
                i++;
            }
            tokens.RemoveRange(kept, tokens.Count - kept);
            if (state.IsAssumed) assumedLines.Add((assumedFrom, int.MaxValue));
            weakPragmas = state.WeakPragmas;
            return tokens;
        }

        /// <summary>Takes one directive line: the tokens after its '#'.</summary>
        internal void Directive(List<CToken> line)
        {
            if (line.Count == 0 || line[0].Kind != CTokenKind.Identifier) return;
            string name = line[0].Text;
            var rest = line.GetRange(1, line.Count - 1);
            switch (name)
            {
                case "if":
                    Open(() => Evaluate(rest));
                    break;
                case "ifdef":
                    Open(() => DefinedOperand(rest));
                    break;
                case "ifndef":
                    Open(() => Not(DefinedOperand(rest)));
                    break;
                case "elif":
                    Else(() => Evaluate(rest));
                    break;
                case "elifdef":
                    Else(() => DefinedOperand(rest));
                    break;
                case "elifndef":
                    Else(() => Not(DefinedOperand(rest)));
                    break;
                case "else":
                    Else(() => true);
                    break;
                case "endif":
                    if (_groups.Count > 0) _groups.Pop();
                    break;
                case "define":
                    if (IsActive && rest.Count > 0 && rest[0].Kind == CTokenKind.Identifier) Define(rest);
                    break;
                case "undef":
                    if (IsActive && rest.Count > 0 && rest[0].Kind == CTokenKind.Identifier)
                    {
                        _defined[rest[0].Text] = false;
                        _values.Remove(rest[0].Text);
                    }
                    break;
                case "pragma":
                    if (IsActive) Pragma(rest);
                    break;
            }
        }

        private void Define(List<CToken> rest)
        {
            string macro = rest[0].Text;
            _defined[macro] = true;
            _values.Remove(macro);
            if (rest.Count == 2 && rest[1].Kind == CTokenKind.Number && TryParseInteger(rest[1].Text, out long value))
            {
                _values[macro] = value;
            }
        }

        private void Open(Func<bool?> condition)
        {
            bool parentActive = IsActive;
            bool parentAssumed = IsAssumed;
            // An undecidable condition (null) counts as true: this branch is read, the later ones are not.
            bool? value = parentActive ? condition() : false;
            bool active = parentActive && value != false;
            _groups.Push(new Group { Active = active, Taken = active || !parentActive, ParentAssumed = parentAssumed, Assumed = parentAssumed || value == null });
        }

        private void Else(Func<bool?> condition)
        {
            if (_groups.Count == 0) return;
            var group = _groups.Peek();
            if (group.Taken)
            {
                group.Active = false;
                return;
            }
            bool? value = condition();
            group.Active = value != false;
            group.Taken = group.Active;
            group.Assumed = group.ParentAssumed || value == null;
        }

        private void Pragma(List<CToken> rest)
        {
            if (rest.Count >= 2 && rest[0].IsIdentifier("weak") && rest[1].Kind == CTokenKind.Identifier)
            {
                WeakPragmas.Add(rest[1].Text);
            }
        }

        private void PragmaOperator(string literal)
        {
            int open = literal.IndexOf('"');
            if (open < 0 || literal.Length < open + 2) return;
            Pragma(CLexer.Tokenize(literal.Substring(open + 1, literal.Length - open - 2)));
        }

        private bool? DefinedOperand(List<CToken> rest) =>
            rest.Count > 0 && rest[0].Kind == CTokenKind.Identifier ? IsDefined(rest[0].Text) : (bool?)null;

        private static bool? Not(bool? value) => value.HasValue ? !value.Value : (bool?)null;

        /// <summary>
        /// True or false where this file decides it; null for names the compiler or a header may define.
        /// Names reserved to the implementation (<c>__x</c>, <c>_X</c>) are the compiler's, except
        /// <c>__cplusplus</c>: this is C. Other names count as defined only by this file, as a unit compiled
        /// with no -D options would see them.
        /// </summary>
        private bool? IsDefined(string name)
        {
            if (_defined.TryGetValue(name, out bool defined)) return defined;
            if (name == "__cplusplus") return false;
            if (name.StartsWith("__", StringComparison.Ordinal) || (name.Length > 1 && name[0] == '_' && char.IsUpper(name[1]))) return null;
            return false;
        }

        private bool? Evaluate(List<CToken> expression)
        {
            var parser = new ExpressionParser(this, expression);
            long? value = parser.Parse();
            return value.HasValue ? value.Value != 0 : (bool?)null;
        }

        private static bool TryParseInteger(string text, out long value)
        {
            string digits = text.TrimEnd('u', 'U', 'l', 'L');
            value = 0;
            if (digits.Length == 0) return false;
            try
            {
                if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                {
                    return long.TryParse(digits.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value >= 0;
                }
                if (digits.Length > 1 && digits[0] == '0')
                {
                    foreach (char c in digits)
                    {
                        if (c < '0' || c > '7') return false;
                        value = checked(value * 8 + (c - '0'));
                    }
                    return true;
                }
                return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        private sealed class Group
        {
            public bool Active;
            public bool Taken;

            /// <summary>The branch is read because a condition this file cannot decide was taken as true.</summary>
            public bool Assumed;
            public bool ParentAssumed;
        }

        /// <summary>
        /// #if expressions over three values: a number, or null for "cannot tell". Knows integer literals,
        /// defined, ! - + == != &lt; &gt; &lt;= &gt;= &amp;&amp; || and parentheses; anything else makes the
        /// whole expression undecidable.
        /// </summary>
        private sealed class ExpressionParser
        {
            // Deeper nesting than any real #if holds is undecidable: each level is a call, and a crafted line of a
            // million '(' or '!' would otherwise overflow the stack, which no catch can handle.
            private const int MaxNesting = 256;

            private readonly CConditionals _owner;
            private readonly List<CToken> _tokens;
            private int _position;
            private bool _failed;
            private int _nesting;

            public ExpressionParser(CConditionals owner, List<CToken> tokens)
            {
                _owner = owner;
                _tokens = tokens;
            }

            public long? Parse()
            {
                long? value = Or();
                if (_failed || _position != _tokens.Count) return null;
                return value;
            }

            private long? Or()
            {
                long? left = And();
                while (Accept("||"))
                {
                    long? right = And();
                    left = left == null ? (right != null && right != 0 ? 1 : (long?)null)
                        : left != 0 ? 1
                        : right == null ? (long?)null : (right != 0 ? 1 : 0);
                }
                return left;
            }

            private long? And()
            {
                long? left = Comparison();
                while (Accept("&&"))
                {
                    long? right = Comparison();
                    left = left == null ? (right == 0 ? 0 : (long?)null)
                        : left == 0 ? 0
                        : right == null ? (long?)null : (right != 0 ? 1 : 0);
                }
                return left;
            }

            private long? Comparison()
            {
                long? left = Unary();
                while (true)
                {
                    string op = Peek();
                    if (op != "==" && op != "!=" && op != "<" && op != ">" && op != "<=" && op != ">=") return left;
                    _position++;
                    long? right = Unary();
                    if (left == null || right == null)
                    {
                        left = null;
                        continue;
                    }
                    long a = left.Value, b = right.Value;
                    bool result = op == "==" ? a == b : op == "!=" ? a != b : op == "<" ? a < b : op == ">" ? a > b : op == "<=" ? a <= b : a >= b;
                    left = result ? 1 : 0;
                }
            }

            private long? Unary()
            {
                if (_nesting >= MaxNesting)
                {
                    _failed = true;
                    _position = _tokens.Count;
                    return null;
                }
                _nesting++;
                try
                {
                    return UnaryOperand();
                }
                finally
                {
                    _nesting--;
                }
            }

            private long? UnaryOperand()
            {
                if (Accept("!"))
                {
                    long? value = Unary();
                    return value == null ? (long?)null : (value == 0 ? 1 : 0);
                }
                if (Accept("-"))
                {
                    long? value = Unary();
                    return value == null || value == long.MinValue ? (long?)null : -value.Value;
                }
                if (Accept("+")) return Unary();
                return Primary();
            }

            private long? Primary()
            {
                if (_position >= _tokens.Count)
                {
                    _failed = true;
                    return null;
                }
                var token = _tokens[_position++];
                if (token.IsPunctuator("("))
                {
                    long? inner = Or();
                    if (!Accept(")")) _failed = true;
                    return inner;
                }
                if (token.Kind == CTokenKind.Number)
                {
                    if (TryParseInteger(token.Text, out long value)) return value;
                    _failed = true;
                    return null;
                }
                if (token.IsIdentifier("defined"))
                {
                    bool parenthesized = Accept("(");
                    if (_position >= _tokens.Count || _tokens[_position].Kind != CTokenKind.Identifier)
                    {
                        _failed = true;
                        return null;
                    }
                    bool? defined = _owner.IsDefined(_tokens[_position++].Text);
                    if (parenthesized && !Accept(")")) _failed = true;
                    return defined == null ? (long?)null : (defined.Value ? 1 : 0);
                }
                if (token.Kind == CTokenKind.Identifier)
                {
                    // A macro of this file with a plain number as its value; any other name may come from a
                    // header or the compiler.
                    if (_owner._values.TryGetValue(token.Text, out long value)) return value;
                    return null;
                }
                _failed = true;
                return null;
            }

            private string Peek() => _position < _tokens.Count && _tokens[_position].Kind == CTokenKind.Punctuator ? _tokens[_position].Text : null;

            private bool Accept(string punctuator)
            {
                if (Peek() != punctuator) return false;
                _position++;
                return true;
            }
        }
    }
}
