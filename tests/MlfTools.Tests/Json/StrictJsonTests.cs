using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Format;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// metadata.json is read as TVM reads it, with Python's json: what Python refuses (comments, single quotes, trailing
    /// commas, a BOM, UTF-16 or UTF-32, and the rest of what Newtonsoft tolerates) is MetadataInvalid, for read and test alike.
    /// Python itself is the oracle for every case.
    /// </summary>
    public class StrictJsonTests : IDisposable
    {
        private static readonly string Valid = TestArchive.Metadata(7);

        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        public static IEnumerable<object[]> Refused()
        {
            string body = Valid.Substring(1); // after the opening brace
            yield return new object[] { "line comment", Utf8("// exported by TVM\n" + Valid) };
            yield return new object[] { "block comment", Utf8("{/* x */" + body) };
            yield return new object[] { "single quotes", Utf8(Valid.Replace("\"graph\"", "'graph'")) };
            yield return new object[] { "trailing comma in an object", Utf8(Valid.Substring(0, Valid.Length - 1) + ",}") };
            yield return new object[] { "trailing comma in an array", Utf8(Valid.Replace("[\"graph\"]", "[\"graph\",]")) };
            yield return new object[] { "UTF-8 BOM", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Utf8(Valid)).ToArray() };
            yield return new object[] { "UTF-16 LE with BOM", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Valid)).ToArray() };
            yield return new object[] { "UTF-16 BE without BOM", Encoding.BigEndianUnicode.GetBytes(Valid) };
            yield return new object[] { "UTF-32 LE", new UTF32Encoding(false, false).GetBytes(Valid) };
            yield return new object[] { "unquoted name", Utf8(Valid.Replace("\"version\"", "version")) };
            yield return new object[] { "leading zero", Utf8(Valid.Replace("\"version\": 7", "\"version\": 07")) };
            yield return new object[] { "plus sign", Utf8(Valid.Replace("\"version\": 7", "\"version\": +7")) };
            yield return new object[] { "hex number", Utf8(Valid.Replace("\"version\": 7", "\"version\": 0x7")) };
            yield return new object[] { "raw tab in a string", Utf8(Valid.Replace("cpu", "c\tpu")) };
            yield return new object[] { "undefined", Utf8(Valid.Replace("\"main\": []", "\"main\": undefined")) };
            yield return new object[] { "bad escape", Utf8(Valid.Replace("cpu", "c\\qpu")) };
            yield return new object[] { "text after the value", Utf8(Valid + " x") };
        }

        private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

        private static string PythonVerdict(byte[] bytes, TempFolder temp)
        {
            string path = temp.File("python-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllBytes(path, bytes);
            // As TVM opens it: text mode, UTF-8.
            return ExternalTool.Python("import json,sys\ntry:\n  json.load(open(sys.argv[1], encoding='utf-8'))\n  print('ok')\nexcept Exception as e:\n  print('refused')", path).Trim();
        }

        [ToolTheory("python3")]
        [MemberData(nameof(Refused))]
        public void Metadata_that_Python_json_refuses_is_MetadataInvalid(string what, byte[] bytes)
        {
            Assert.Equal("refused", PythonVerdict(bytes, _temp));

            var error = Assert.Throws<MlfException>(() => MetadataReader.Read(bytes, "a.tar"));
            Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
            Assert.Contains("Python's json", error.Message);

            string archive = new TestArchive().File("./metadata.json", bytes).WriteTar(_temp.File(what.Replace(' ', '-') + ".tar"));
            Assert.Equal(MlfErrorIds.MetadataInvalid, Assert.Throws<MlfException>(() => MlfReader.ReadModules(archive)).ErrorId);
            Assert.Contains(MlfArchiveValidator.Validate(archive), f => f.Id == MlfErrorIds.MetadataInvalid);
        }

        public static IEnumerable<object[]> Accepted()
        {
            yield return new object[] { "as TVM writes it", Valid };
            yield return new object[] { "NaN and infinities", Valid.Replace("\"main\": []", "\"main\": [], \"x\": [NaN, Infinity, -Infinity, -0.5e-3, 1E+2, 0]") };
            yield return new object[] { "escapes", Valid.Replace("cpu", "c\\u00e9\\n\\t\\/\\\"\\\\pu") };
            yield return new object[] { "whitespace everywhere", " \r\n\t" + Valid.Replace("\": ", "\" :\n ").Replace(", ", "\t,\r\n ") + "\n " };
            yield return new object[] { "empty containers", Valid.Replace("\"main\": []", "\"main\": [], \"o\": {}, \"a\": [[], {}]") };
        }

        [ToolTheory("python3")]
        [MemberData(nameof(Accepted))]
        public void Metadata_that_Python_json_reads_is_read(string what, string text)
        {
            Assert.Equal("ok", PythonVerdict(Utf8(text), _temp));
            Assert.Equal("default", Assert.Single(MetadataReader.Read(Utf8(text), what)).Name);
        }
    }
}
