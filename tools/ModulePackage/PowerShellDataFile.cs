using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MlfTools.ModulePackage
{
    /// <summary>
    /// Reads a module manifest (.psd1) the way Import-PowerShellDataFile would for the constant data manifests hold:
    /// hashtables, arrays (@() or comma lists), single- and double-quoted strings, numbers, $true, $false and $null.
    /// Keys ignore case. Anything else (variables in strings, expressions) is refused rather than guessed.
    /// </summary>
    public sealed class PowerShellDataFile
    {
        private readonly string _text;
        private int _at;

        private PowerShellDataFile(string text)
        {
            _text = text;
        }

        public static Dictionary<string, object?> Parse(string text)
        {
            var reader = new PowerShellDataFile(text);
            reader.SkipBlank(newlines: true);
            if (!(reader.ReadValue() is Dictionary<string, object?> table)) throw reader.Error("a manifest is one hashtable @{ ... }");
            reader.SkipBlank(newlines: true);
            if (reader._at < text.Length) throw reader.Error("text after the manifest's hashtable");
            return table;
        }

        /// <summary>A value as a list of strings: a string gives one, an array its items.</summary>
        public static List<string> Strings(object? value)
        {
            var list = new List<string>();
            if (value is string text) list.Add(text);
            else if (value is List<object?> items)
            {
                foreach (var item in items) list.AddRange(Strings(item));
            }
            return list;
        }

        private object? ReadValue()
        {
            var first = ReadSingle();
            SkipBlank(newlines: false);
            if (Peek() != ',') return first;
            var items = new List<object?> { first };
            while (Peek() == ',')
            {
                _at++;
                SkipBlank(newlines: true);
                items.Add(ReadSingle());
                SkipBlank(newlines: false);
            }
            return items;
        }

        private object? ReadSingle()
        {
            char c = Peek();
            if (c == '@' && PeekAt(1) == '{') return ReadHashtable();
            if (c == '@' && PeekAt(1) == '(') return ReadArray();
            if (c == '@' && (PeekAt(1) == '\'' || PeekAt(1) == '"')) return ReadHereString();
            if (c == '\'') return ReadSingleQuoted();
            if (c == '"') return ReadDoubleQuoted();
            if (c == '$') return ReadConstant();
            if (char.IsDigit(c) || c == '-' || c == '.') return ReadNumber();
            throw Error($"unexpected '{c}'");
        }

        private Dictionary<string, object?> ReadHashtable()
        {
            _at += 2;
            var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                SkipBlank(newlines: true);
                while (Peek() == ';')
                {
                    _at++;
                    SkipBlank(newlines: true);
                }
                if (Peek() == '}')
                {
                    _at++;
                    return table;
                }
                string key = Peek() == '\'' ? ReadSingleQuoted() : Peek() == '"' ? ReadDoubleQuoted() : ReadBareWord();
                SkipBlank(newlines: false);
                Expect('=');
                SkipBlank(newlines: true);
                table[key] = ReadValue();
            }
        }

        private List<object?> ReadArray()
        {
            _at += 2;
            var items = new List<object?>();
            while (true)
            {
                SkipBlank(newlines: true);
                if (Peek() == ')')
                {
                    _at++;
                    return items;
                }
                if (Peek() == ',' || Peek() == ';')
                {
                    _at++;
                    continue;
                }
                // @( ) unrolls what it holds: a comma list inside it gives the array's own items.
                var value = ReadValue();
                if (value is List<object?> list) items.AddRange(list);
                else items.Add(value);
            }
        }

        private string ReadSingleQuoted()
        {
            _at++;
            var text = new StringBuilder();
            while (true)
            {
                if (_at >= _text.Length) throw Error("a single-quoted string does not end");
                char c = _text[_at++];
                if (IsSingleQuote(c))
                {
                    if (_at < _text.Length && IsSingleQuote(_text[_at]))
                    {
                        text.Append(c);
                        _at++;
                        continue;
                    }
                    return text.ToString();
                }
                text.Append(c);
            }
        }

        private string ReadDoubleQuoted()
        {
            _at++;
            var text = new StringBuilder();
            while (true)
            {
                if (_at >= _text.Length) throw Error("a double-quoted string does not end");
                char c = _text[_at++];
                if (c == '"')
                {
                    if (_at < _text.Length && _text[_at] == '"')
                    {
                        text.Append('"');
                        _at++;
                        continue;
                    }
                    return text.ToString();
                }
                if (c == '$' || c == '`') throw Error("a double-quoted string with '$' or '`' would be expanded by PowerShell; use single quotes");
                text.Append(c);
            }
        }

        private string ReadHereString()
        {
            char quote = _text[_at + 1];
            int start = _text.IndexOf('\n', _at);
            if (start < 0) throw Error("a here-string needs its text on the next line");
            string close = "\n" + quote + "@";
            int end = _text.IndexOf(close, start, StringComparison.Ordinal);
            if (end < 0) throw Error("a here-string does not end");
            string text = _text.Substring(start + 1, end - start - 1).TrimEnd('\r');
            if (quote == '"' && (text.Contains('$') || text.Contains('`'))) throw Error("a double-quoted here-string with '$' or '`' would be expanded by PowerShell");
            _at = end + close.Length;
            return text.Replace("\r\n", "\n");
        }

        private object? ReadConstant()
        {
            string word = ReadBareWord(allowDollar: true).ToLowerInvariant();
            switch (word)
            {
                case "$true": return true;
                case "$false": return false;
                case "$null": return null;
                default: throw Error($"'{word}' is not a constant a data file may hold");
            }
        }

        private object ReadNumber()
        {
            int start = _at;
            while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '.' || _text[_at] == '-')) _at++;
            string number = _text.Substring(start, _at - start);
            if (long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer)) return integer;
            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double real)) return real;
            throw Error($"'{number}' is not a number");
        }

        private string ReadBareWord(bool allowDollar = false)
        {
            int start = _at;
            if (allowDollar && Peek() == '$') _at++;
            while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] == '_' || _text[_at] == '-' || _text[_at] == '.')) _at++;
            if (_at == start) throw Error("a key or constant was expected");
            return _text.Substring(start, _at - start);
        }

        private void SkipBlank(bool newlines)
        {
            while (_at < _text.Length)
            {
                char c = _text[_at];
                if (c == ' ' || c == '\t' || c == '\uFEFF' || (newlines && (c == '\r' || c == '\n')))
                {
                    _at++;
                }
                else if (c == '#')
                {
                    while (_at < _text.Length && _text[_at] != '\n') _at++;
                }
                else if (c == '<' && PeekAt(1) == '#')
                {
                    int end = _text.IndexOf("#>", _at + 2, StringComparison.Ordinal);
                    if (end < 0) throw Error("a block comment does not end");
                    _at = end + 2;
                }
                else if (c == '`' && (PeekAt(1) == '\n' || PeekAt(1) == '\r'))
                {
                    _at++;
                    if (Peek() == '\r') _at++;
                    if (Peek() == '\n') _at++;
                }
                else
                {
                    return;
                }
            }
        }

        private void Expect(char c)
        {
            if (Peek() != c) throw Error($"'{c}' was expected");
            _at++;
        }

        private char Peek() => _at < _text.Length ? _text[_at] : '\0';

        private char PeekAt(int offset) => _at + offset < _text.Length ? _text[_at + offset] : '\0';

        private static bool IsSingleQuote(char c) => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';

        private FormatException Error(string why)
        {
            int line = 1;
            for (int i = 0; i < _at && i < _text.Length; i++)
            {
                if (_text[i] == '\n') line++;
            }
            return new FormatException($"line {line}: {why}");
        }
    }
}
