using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MlfTools.Json
{
    /// <summary>Parses JSON the way the readers need it: no date guessing, bounded depth, last duplicate key wins (as Python's json does).</summary>
    internal static class JsonText
    {
        public const int MaxDepth = 128;

        public static JToken Parse(byte[] utf8)
        {
            using (var text = new StreamReader(new MemoryStream(utf8, writable: false), new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true))
            using (var reader = new JsonTextReader(text)
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Double,
                MaxDepth = MaxDepth,
            })
            {
                var token = JToken.ReadFrom(reader, new JsonLoadSettings
                {
                    DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Replace,
                    CommentHandling = CommentHandling.Ignore,
                    LineInfoHandling = LineInfoHandling.Load,
                });
                while (reader.Read())
                {
                    if (reader.TokenType != JsonToken.Comment) throw new JsonReaderException("Additional text found after the JSON value.");
                }
                return token;
            }
        }
    }
}
