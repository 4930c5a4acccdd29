using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Globalization;

namespace MlfTools.Format
{
    /// <summary>
    /// The signature of <c>def @main(...)</c> in a module's Relay text (relay.txt, src/&lt;m&gt;.relay): each parameter's
    /// name and the bytes of its tensor type (function attributes such as output_tensor_names are stepped over), and the
    /// bytes of the return type when the text gives it
    /// (<c>-&gt; Tensor[(1, 10), int8]</c>, which TVM prints from 0.9 on). The parameters are the model's inputs and, in
    /// the text TVM exports, its weights too (bound only when the model is built). A size is null where the type has a
    /// dimension the text does not fix (<c>?</c>, a variable), is not a tensor or a tuple of tensors, or overflows.
    /// </summary>
    internal sealed class RelayMainSignature
    {
        private const string MainHeader = "def @main(";

        private RelayMainSignature(IReadOnlyList<KeyValuePair<string, long?>> parameters, long? resultBytes,
            IReadOnlyList<IReadOnlyList<RelayTensorType>> parameterTypes, IReadOnlyList<RelayTensorType> resultTypes)
        {
            Parameters = parameters;
            ResultBytes = resultBytes;
            ParameterTypes = parameterTypes;
            ResultTypes = resultTypes;
        }

        /// <summary>The tensors of each parameter's type, in order (one for a tensor, several for a tuple).</summary>
        public IReadOnlyList<IReadOnlyList<RelayTensorType>> ParameterTypes { get; }

        /// <summary>The tensors of @main's return type in order (a tuple's fields); null when the text does not give it.</summary>
        public IReadOnlyList<RelayTensorType> ResultTypes { get; }

        /// <summary>Each parameter of @main, in order: its name (without '%') and the bytes of its type.</summary>
        public IReadOnlyList<KeyValuePair<string, long?>> Parameters { get; }

        /// <summary>The bytes of @main's return type; null when the text does not give it.</summary>
        public long? ResultBytes { get; }

        /// <summary>The signature of @main in <paramref name="relayText"/>, or null when the text has no @main it can read.</summary>
        public static RelayMainSignature Parse(string relayText)
        {
            if (relayText == null) throw new ArgumentNullException(nameof(relayText));
            int start = relayText.IndexOf(MainHeader, StringComparison.Ordinal);
            if (start < 0) return null;
            var reader = new Reader(relayText, start + MainHeader.Length);
            var parameters = new List<KeyValuePair<string, long?>>();
            var parameterTypes = new List<IReadOnlyList<RelayTensorType>>();
            reader.SkipBlanks();
            if (!reader.Take(')'))
            {
                do
                {
                    if (!reader.Take('%'))
                    {
                        // A function attribute after the parameters (output_tensor_names=["..."]).
                        if (!reader.SkipToParameterEnd()) return null;
                        continue;
                    }
                    string name = reader.ParameterName();
                    if (name == null) return null;
                    var types = new List<RelayTensorType>();
                    long? bytes = reader.TypeBytes(types);
                    parameters.Add(new KeyValuePair<string, long?>(name, bytes));
                    parameterTypes.Add(types.AsReadOnly());
                    if (!reader.SkipToParameterEnd()) return null;
                }
                while (!reader.Take(')'));
            }
            var resultTypes = new List<RelayTensorType>();
            bool returns = reader.TakeText("->");
            long? result = returns ? reader.TypeBytes(resultTypes) : null;
            return new RelayMainSignature(parameters.AsReadOnly(), result, parameterTypes.AsReadOnly(), returns ? resultTypes.AsReadOnly() : null);
        }

        private sealed class Reader
        {
            private readonly string _text;
            private int _at;

            public Reader(string text, int at)
            {
                _text = text;
                _at = at;
            }

            private char Current => _at < _text.Length ? _text[_at] : '\0';

            public bool Take(char c)
            {
                SkipBlanks();
                if (Current != c) return false;
                _at++;
                return true;
            }

            public bool TakeText(string text)
            {
                SkipBlanks();
                if (string.CompareOrdinal(_text, _at, text, 0, text.Length) != 0) return false;
                _at += text.Length;
                return true;
            }

            /// <summary>Blanks and /* comments */ (TVM prints each type again as /* ty=... */).</summary>
            public void SkipBlanks()
            {
                while (_at < _text.Length)
                {
                    if (char.IsWhiteSpace(_text[_at])) _at++;
                    else if (string.CompareOrdinal(_text, _at, "/*", 0, 2) == 0)
                    {
                        int close = _text.IndexOf("*/", _at + 2, StringComparison.Ordinal);
                        _at = close < 0 ? _text.Length : close + 2;
                    }
                    else return;
                }
            }

            /// <summary>After '%': 'name: ' (a name may hold ':', as in %serving_default_input:0), or '"quoted name": '.</summary>
            public string ParameterName()
            {
                if (Current == '"')
                {
                    int close = _text.IndexOf('"', _at + 1);
                    if (close < 0) return null;
                    string quoted = _text.Substring(_at + 1, close - _at - 1);
                    _at = close + 1;
                    return Take(':') ? quoted : null;
                }
                int end = _text.IndexOf(": ", _at, StringComparison.Ordinal);
                int stop = _text.IndexOfAny(new[] { ',', ')', '\n' }, _at);
                if (end < 0 || (stop >= 0 && stop < end)) return null;
                string name = _text.Substring(_at, end - _at);
                _at = end + 1;
                return name;
            }

            /// <summary>After a parameter's type: to the ',' or ')' that ends it, stepping over brackets and comments.</summary>
            public bool SkipToParameterEnd()
            {
                int depth = 0;
                while (_at < _text.Length)
                {
                    SkipBlanks();
                    char c = Current;
                    if (depth == 0 && c == ')') return true;
                    if (depth == 0 && c == ',')
                    {
                        _at++;
                        return true;
                    }
                    if (c == '(' || c == '[') depth++;
                    else if (c == ')' || c == ']') depth--;
                    else if (c == '{' || c == '\0') return false;
                    _at++;
                }
                return false;
            }

            /// <summary>Tensor[(d, ...), dtype], a bare dtype (a 0-d tensor) or a tuple (T, ...): its bytes, null when unknown.</summary>
            public long? TypeBytes(List<RelayTensorType> tensors)
            {
                SkipBlanks();
                if (TakeText("Tensor["))
                {
                    if (!Take('(')) return null;
                    var shape = new List<long>();
                    bool known = true;
                    if (!Take(')'))
                    {
                        do
                        {
                            SkipBlanks();
                            if (TryDimension(out long dimension)) shape.Add(dimension);
                            else known = false;
                        }
                        while (Take(','));
                        if (!Take(')')) return null;
                    }
                    if (!Take(',')) return null;
                    SkipBlanks();
                    string dtype = Word();
                    if (!Take(']')) return null;
                    tensors.Add(new RelayTensorType(dtype, known ? shape.AsReadOnly() : null));
                    return known && DataType.TryParse(dtype, out var type) ? type.TensorBytes(shape.ToArray()) : null;
                }
                if (Take('('))
                {
                    long sum = 0;
                    bool known = true;
                    if (Take(')')) return 0;
                    do
                    {
                        SkipBlanks();
                        if (Current == ')') break;
                        long? part = TypeBytes(tensors);
                        if (part == null) known = false;
                        else sum = Saturating.Add(sum, part.Value);
                    }
                    while (Take(','));
                    if (!Take(')')) return null;
                    return known ? sum : (long?)null;
                }
                string word = Word();
                if (word.Length > 0) tensors.Add(new RelayTensorType(word, new long[0]));
                return word.Length > 0 && DataType.TryParse(word, out var scalar) ? scalar.ElementBytes : (long?)null;
            }

            /// <summary>A dimension as TVM prints it: "1960", or "1960i64" for a 64-bit one; false for "?" or a variable.</summary>
            private bool TryDimension(out long dimension)
            {
                dimension = 0;
                int start = _at;
                while (_at < _text.Length && _text[_at] >= '0' && _text[_at] <= '9') _at++;
                bool parsed = _at > start && long.TryParse(_text.Substring(start, _at - start), NumberStyles.None, CultureInfo.InvariantCulture, out dimension);
                if (parsed && !TakeText("i64")) TakeText("i32");
                SkipBlanks();
                if (parsed && (Current == ',' || Current == ')')) return true;
                while (_at < _text.Length && _text[_at] != ',' && _text[_at] != ')') _at++;
                return false;
            }

            private string Word()
            {
                int start = _at;
                while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_')) _at++;
                return _text.Substring(start, _at - start);
            }
        }
    }
}
