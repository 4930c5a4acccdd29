using System.Collections.Generic;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MlfTools.Json
{
    /// <summary>
    /// Parses JSON the way the readers need it: only what Python's json reads (<see cref="StrictJsonSyntax"/>), no date
    /// guessing, bounded depth, last duplicate key wins (as Python's json does).
    /// </summary>
    internal static class JsonText
    {
        public const int MaxDepth = 128;

        public static JToken Parse(byte[] utf8)
        {
            StrictJsonSyntax.Check(utf8);
            using (var text = new StreamReader(new MemoryStream(utf8, writable: false), new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false))
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
                CheckOnlyJsonValues(token);
                return token;
            }
        }

        /// <summary>
        /// Newtonsoft reads more than JSON: an empty list item ("[ , 1]") becomes an Undefined value, "new Date(1)" a
        /// constructor. Python's json reads neither and nothing could write them back, so they are refused as invalid JSON.
        /// </summary>
        private static void CheckOnlyJsonValues(JToken root)
        {
            var pending = new Stack<JToken>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var token = pending.Pop();
                switch (token.Type)
                {
                    case JTokenType.Object:
                    case JTokenType.Array:
                    case JTokenType.Property:
                        foreach (var child in ((JContainer)token).Children()) pending.Push(child);
                        break;
                    case JTokenType.Null:
                    case JTokenType.Boolean:
                    case JTokenType.String:
                    case JTokenType.Integer:
                    case JTokenType.Float:
                        break;
                    default:
                        throw new JsonReaderException($"'{token.Path}' holds a {token.Type} value, which is not JSON.");
                }
            }
        }
    }
}
