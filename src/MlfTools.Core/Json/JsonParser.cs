using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MlfTools.Json
{
    /// <summary>
    /// Parses JSON the way the readers need it: only what Python's json reads (<see cref="PythonJsonSyntaxChecker"/>), no date
    /// guessing, bounded depth and size, last duplicate key wins (as Python's json does), in time linear in the text.
    /// </summary>
    internal static class JsonParser
    {
        public const int MaxDepth = 128;

        /// <summary>
        /// Most values (objects, arrays, strings, numbers, literals) one metadata.json or graph config may hold. Real ones
        /// hold hundreds to tens of thousands; each value costs a hundred bytes or so once parsed.
        /// </summary>
        public const int MaximumValues = 1 << 20;

        private const int CancellationStride = 0xFFFF;

        /// <summary>
        /// The JSON value of <paramref name="utf8"/>, the member <paramref name="member"/> of <paramref name="archivePath"/>.
        /// Throws <see cref="JsonException"/> (or <see cref="DecoderFallbackException"/>) for what is not JSON, and
        /// ArchiveTooLarge past <see cref="MaximumValues"/>, before anything is built.
        /// </summary>
        public static JToken Parse(byte[] utf8, string archivePath, string member, CancellationToken cancellationToken = default)
        {
            long values = PythonJsonSyntaxChecker.Check(utf8, cancellationToken);
            if (values > MaximumValues)
            {
                throw ArchiveTooLargeError.Create(archivePath, $"its {member} holds more than {ByteCount.Number(MaximumValues)} JSON values ({ByteCount.Number(values)})",
                    "remove from it what TVM does not write");
            }
            using (var text = new StreamReader(new MemoryStream(utf8, writable: false), new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false))
            using (var reader = new JsonTextReader(text)
            {
                DateParseHandling = DateParseHandling.None,
                FloatParseHandling = FloatParseHandling.Double,
                MaxDepth = MaxDepth,
            })
            {
                return Build(reader, cancellationToken);
            }
        }

        /// <summary>
        /// The tree of the reader's tokens. A duplicate key takes the new value in the place of the first (what Python's
        /// dict does), found through the object's own dictionary: Newtonsoft's DuplicatePropertyNameHandling.Replace
        /// searches the object's list for each duplicate, which made a file of duplicated keys quadratic.
        /// </summary>
        private static JToken Build(JsonTextReader reader, CancellationToken cancellationToken)
        {
            JToken root = null;
            var open = new Stack<JContainer>();
            var names = new Stack<string>(); // the key awaiting its value, for each open object
            long tokens = 0;
            while (reader.Read())
            {
                if ((++tokens & CancellationStride) == 0) cancellationToken.ThrowIfCancellationRequested();
                switch (reader.TokenType)
                {
                    case JsonToken.StartObject:
                        var obj = new JObject();
                        Add(obj);
                        open.Push(obj);
                        names.Push(null);
                        break;
                    case JsonToken.StartArray:
                        var array = new JArray();
                        Add(array);
                        open.Push(array);
                        break;
                    case JsonToken.PropertyName:
                        names.Pop();
                        names.Push((string)reader.Value);
                        break;
                    case JsonToken.EndObject:
                        open.Pop();
                        names.Pop();
                        break;
                    case JsonToken.EndArray:
                        open.Pop();
                        break;
                    case JsonToken.Comment:
                        break;
                    case JsonToken.Null:
                    case JsonToken.Boolean:
                    case JsonToken.String:
                    case JsonToken.Integer:
                    case JsonToken.Float:
                        Add(new JValue(reader.Value));
                        break;
                    default:
                        // Newtonsoft reads more than JSON ("[ , 1]" is Undefined, "new Date(1)" a constructor); Python's
                        // json reads neither and nothing could write them back.
                        throw new JsonReaderException($"'{reader.Path}' holds a {reader.TokenType} value, which is not JSON.");
                }
                if (open.Count == 0) break;
            }
            while (reader.Read())
            {
                if (reader.TokenType != JsonToken.Comment) throw new JsonReaderException("Additional text found after the JSON value.");
            }
            if (root == null || open.Count > 0) throw new JsonReaderException("The JSON text ends before its value does.");
            return root;

            void Add(JToken value)
            {
                if (open.Count == 0)
                {
                    root = value;
                    return;
                }
                if (open.Peek() is JObject parent)
                {
                    string name = names.Peek();
                    var existing = parent.Property(name, StringComparison.Ordinal);
                    if (existing != null) existing.Value = value;
                    else parent.Add(new JProperty(name, value));
                    return;
                }
                ((JArray)open.Peek()).Add(value);
            }
        }
    }
}
