using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Json;
using MlfTools.Tests.Support;
using Newtonsoft.Json.Linq;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>PythonJsonWriter against what python3's json module really prints for the same JSON text.</summary>
    public class PythonJsonWriterTests
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>Reads argv[1] as bytes and writes json.dumps(indent=2, sort_keys=True) to argv[2] and json.dumps to argv[3].</summary>
        private const string DumpScript = @"
import json, sys
with open(sys.argv[1], 'rb') as f:
    value = json.loads(f.read())
with open(sys.argv[2], 'w', encoding='ascii', newline='') as f:
    f.write(json.dumps(value, indent=2, sort_keys=True))
with open(sys.argv[3], 'w', encoding='ascii', newline='') as f:
    f.write(json.dumps(value))
";

        /// <summary>Named JSON texts; the names keep control characters out of the test display names.</summary>
        private static readonly (string Name, string Json)[] Cases = BuildCases().ToArray();

        public static IEnumerable<object[]> CaseNames() => Cases.Select(c => new object[] { c.Name });


        [ToolTheory("python3")]
        [MemberData(nameof(CaseNames))]
        public void Output_equals_python_json_dumps(string name)
        {
            byte[] utf8 = StrictUtf8.GetBytes(Cases.Single(c => c.Name == name).Json);
            var (indented, compact) = PythonDumps(utf8);
            var token = JsonParser.Parse(utf8, "archive.tar", "test.json");

            Assert.Equal(indented, PythonJsonWriter.SerializeIndented(token));
            Assert.Equal(compact, PythonJsonWriter.SerializeCompact(token));
        }

        [SampleTheory]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Indented_output_reproduces_the_archives_own_metadata_json_byte_for_byte(string sample)
        {
            byte[] original = ReadMetadataMember(TestPaths.Sample(sample));

            string written = PythonJsonWriter.SerializeIndented(JsonParser.Parse(original, "archive.tar", "test.json"));

            Assert.Equal(original, StrictUtf8.GetBytes(written));
        }

        [SampleToolTheory("python3")]
        [MemberData(nameof(SampleArchives.All), MemberType = typeof(SampleArchives))]
        public void Sample_metadata_output_equals_python_json_dumps(string sample)
        {
            byte[] original = ReadMetadataMember(TestPaths.Sample(sample));
            var (indented, compact) = PythonDumps(original);
            var token = JsonParser.Parse(original, "archive.tar", "test.json");

            Assert.Equal(original, StrictUtf8.GetBytes(indented)); // TVM wrote it with json.dump(indent=2, sort_keys=True)
            Assert.Equal(indented, PythonJsonWriter.SerializeIndented(token));
            Assert.Equal(compact, PythonJsonWriter.SerializeCompact(token));
        }

        /// <summary>
        /// Many doubles, given to python as bit patterns: its json.dumps text must parse back to the same bits and
        /// serialize to the same text. Powers of two are where a nearest-digits-only search picks too many digits.
        /// </summary>
        [ToolFact("python3")]
        public void Floats_print_as_python_repr_for_many_doubles()
        {
            var values = ManyDoubles();
            using var folder = new TempFolder();
            File.WriteAllLines(folder.File("bits.txt"), values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString(CultureInfo.InvariantCulture)));
            ExternalTool.Python(@"
import json, struct, sys
with open(sys.argv[1]) as f:
    values = [struct.unpack('<d', struct.pack('<q', int(line)))[0] for line in f]
with open(sys.argv[2], 'w', encoding='ascii', newline='') as f:
    f.write(json.dumps(values))
", folder.File("bits.txt"), folder.File("dumps.txt"));
            byte[] pythonText = File.ReadAllBytes(folder.File("dumps.txt"));
            string expected = StrictUtf8.GetString(pythonText);

            var parsed = (JArray)JsonParser.Parse(pythonText, "archive.tar", "test.json");
            Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), parsed.Select(v => BitConverter.DoubleToInt64Bits((double)v)));
            Assert.Equal(expected, PythonJsonWriter.SerializeCompact(parsed));
            Assert.Equal(expected, PythonJsonWriter.SerializeCompact(new JArray(values.Cast<object>().ToArray())));
        }

        /// <summary>Newtonsoft turns escaped lone surrogates into U+FFFD, so this string only reaches the writer when built in code.</summary>
        [ToolFact("python3")]
        public void Lone_surrogates_are_escaped_and_sorted_like_python()
        {
            var token = new JObject
            {
                ["\uffff"] = "x\udc00y",
                ["\ud83d\ude00"] = "\ud800",
                ["\ue000"] = 1,
                ["\ud800"] = 2,
                ["\udbff"] = 3,
            };
            string sameJson = @"{""\uffff"": ""x\udc00y"", ""\ud83d\ude00"": ""\ud800"", ""\ue000"": 1, ""\ud800"": 2, ""\udbff"": 3}";
            var (indented, compact) = PythonDumps(Encoding.ASCII.GetBytes(sameJson));

            Assert.Equal(indented, PythonJsonWriter.SerializeIndented(token));
            Assert.Equal(compact, PythonJsonWriter.SerializeCompact(token));
        }

        [Fact]
        public void Newtonsoft_replaces_an_escaped_lone_surrogate_with_U_FFFD()
        {
            var token = JsonParser.Parse(Encoding.ASCII.GetBytes(@"[""\ud800"", ""a\udc00"", ""\ud83d\ude00""]"), "archive.tar", "test.json");

            Assert.Equal(new[] { "\ufffd", "a\ufffd", "\ud83d\ude00" }, token.Select(t => (string)t!));
        }

        [Fact]
        public void Tokens_python_cannot_produce_are_refused()
        {
            var token = new JArray(JValue.CreateUndefined());

            Assert.Throws<Newtonsoft.Json.JsonReaderException>(() => JsonParser.Parse(Encoding.ASCII.GetBytes("[undefined]"), "archive.tar", "test.json"));
            Assert.Throws<ArgumentException>(() => PythonJsonWriter.SerializeCompact(token));
            Assert.Throws<ArgumentException>(() => PythonJsonWriter.SerializeIndented(new JValue(DateTime.UnixEpoch)));
        }

        private static (string Indented, string Compact) PythonDumps(byte[] utf8Json)
        {
            using var folder = new TempFolder();
            File.WriteAllBytes(folder.File("in.json"), utf8Json);
            ExternalTool.Python(DumpScript, folder.File("in.json"), folder.File("indented.txt"), folder.File("compact.txt"));
            return (StrictUtf8.GetString(File.ReadAllBytes(folder.File("indented.txt"))),
                    StrictUtf8.GetString(File.ReadAllBytes(folder.File("compact.txt"))));
        }

        private static byte[] ReadMetadataMember(string tarPath)
        {
            using var stream = File.OpenRead(tarPath);
            using var reader = new TarReader(stream);
            TarEntry? entry;
            while ((entry = reader.GetNextEntry()) != null)
            {
                if (entry.Name != "./metadata.json") continue;
                using var data = new MemoryStream();
                entry.DataStream!.CopyTo(data);
                return data.ToArray();
            }
            throw new FileNotFoundException($"no ./metadata.json member in {tarPath}");
        }

        private static IEnumerable<(string Name, string Json)> BuildCases()
        {
            string[] floats =
            {
                "0.1", "0.3333333333333333", "0.333333333333333314829616256247390992939472198486328125", "2.5e-7", "1e22", "1e+23",
                "9007199254740993.0", "-1.5e-300", "100.0", "1e15", "1e16", "1E16", "0.00001", "0.0001", "1e-4", "1e-05",
                "1.0", "2.0", "0.5", "0.1e1", "-2.5E-3", "123456789.123", "1.5e+300", "1e100", "5e-324", "4.9e-324", "3e-324",
                "-0.0", "-0e0", "1e400", "-1e400", "1e-400", "Infinity", "-Infinity", "NaN",
                "1.7976931348623157e308", "2.2250738585072014e-308", "8.98846567431158e+307", "7.120236347223045e-307",
                "9999999999999998.0", "1234567890123456.7", "12345678901234567.0", "0.000123456789",
            };
            foreach (string f in floats) yield return ("float " + f, f);

            string[] integers =
            {
                "0", "-0", "42", "-7", "9007199254740993", "9223372036854775807", "-9223372036854775808",
                "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "-123456789012345678901234567890",
                "1" + new string('0', 300),
            };
            foreach (string i in integers) yield return ("integer " + (i.Length > 40 ? i.Substring(0, 10) + "... (" + i.Length + " digits)" : i), i);

            string everyControl = string.Concat(Enumerable.Range(0, 0x20).Select(c => "\\u" + c.ToString("x4", CultureInfo.InvariantCulture)));
            yield return ("string: every control char, escaped", "\"" + everyControl + "\"");
            yield return ("string: short escapes", @"""tab\there\r\n\b\f end""");
            yield return ("string: DEL raw", "\"a\u007fb\"");
            yield return ("string: DEL escaped", @"""a\u007Fb""");
            yield return ("string: e-acute raw", "\"caf\u00e9\"");
            yield return ("string: e-acute escaped", @"""caf\u00E9""");
            yield return ("string: U+0080 U+00FF U+0100 U+2028 U+FEFF U+FFFF", @"""\u0080\u00ff\u0100\u2028\ufeff\uffff""");
            yield return ("string: emoji raw", "\"smile \U0001F600!\"");
            yield return ("string: emoji escaped", @"""smile \uD83D\uDE00!""");
            yield return ("string: quotes, backslashes, slashes", @"""say \""hi\"" C:\\temp\\x a/b \/c""");
            yield return ("string: empty", "\"\"");
            yield return ("string: top-level ASCII", "\"plain text ~ ! @\"");

            yield return ("keys: UTF-16 order differs from code point order",
                "{\"\uffff\": 1, \"\U0001F600\": 2, \"\ue000\": 3, \"\u00e9\": 4, \"z\": 5, \"Z\": 6, \"\": 7, \"a\": 8, " +
                "\"aa\": 9, \"a b\": 10, \"\\u0000\": 11, \"\ud7ff\": 12, \"\U0001D11E\": 13, \"\\\"q\": 14}");
            yield return ("keys: nested objects sorted at every level",
                "{\"b\": {\"y\": 1, \"x\": {\"n\": 2, \"m\": [ {\"q\": 1, \"p\": 2} ]}}, \"a\": 0}");
            yield return ("duplicate keys: last value wins in the first key's place", "{\"a\": 1, \"b\": 2, \"a\": 3}");
            yield return ("empty containers, nested",
                "{\"a\": {}, \"b\": [], \"c\": [{}, [], [[]], {\"d\": {}}], \"e\": {\"f\": {\"g\": []}}}");
            yield return ("empty object", "{}");
            yield return ("empty array", "[]");
            yield return ("literals", "[true, false, null, {\"t\": true, \"f\": false, \"n\": null}]");
            yield return ("top-level null", "null");
            yield return ("top-level true", "true");
            yield return ("whitespace in the input", "  {\n\t\"b\" :1 ,\r\n\"a\":[ 1 ,2 ]}  ");
            yield return ("metadata-like mixture",
                "{\"version\": 7, \"modules\": {\"default\": {\"memory\": [1.5, 2, \"x\", -0.0, 1e-7], \"target\": [\"c -keys=cpu\"]}}}");

            var deep = new StringBuilder();
            for (int i = 0; i < 60; i++) deep.Append("{\"k").Append(i).Append("\": [");
            deep.Append("1, [], {}, 2.5");
            for (int i = 0; i < 60; i++) deep.Append("], \"z\": ").Append(i).Append('}');
            yield return ("deep nesting, 120 levels", deep.ToString());
        }

        private static List<double> ManyDoubles()
        {
            var values = new List<double>();
            for (int e = -1074; e <= 1023; e++)
            {
                double power = Math.ScaleB(1.0, e);
                values.Add(power);
                values.Add(Math.BitDecrement(power));
                values.Add(Math.BitIncrement(power));
            }
            for (int e = -323; e <= 308; e++)
            {
                double power = double.Parse("1e" + e, CultureInfo.InvariantCulture);
                values.Add(power);
                values.Add(Math.BitDecrement(power));
                values.Add(Math.BitIncrement(power));
                values.Add(-power);
            }
            var random = new Random(20240601);
            for (int i = 0; i < 20000; i++) values.Add(BitConverter.Int64BitsToDouble(random.NextInt64(1, 0x7FF0000000000000)));
            for (int i = 0; i < 5000; i++) values.Add(Math.Round((random.NextDouble() - 0.5) * 2000, random.Next(0, 10)));
            for (long bits = 1; bits <= 1000; bits++) values.Add(BitConverter.Int64BitsToDouble(bits));
            values.AddRange(new[] { 0.0, -0.0, double.MaxValue, double.Epsilon, 1.0 / 3, 0.1 + 0.2, 1e16, 1e15, 123456789.123 });
            return values.Where(v => !double.IsInfinity(v)).ToList();
        }
    }
}
