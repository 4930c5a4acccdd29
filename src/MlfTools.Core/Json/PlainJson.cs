using System.Collections.Specialized;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace MlfTools.Json
{
    /// <summary>
    /// Converts parsed JSON into plain, read-only .NET values (ordered dictionaries, arrays, long, double,
    /// BigInteger, string, bool, null), so no JSON library type ever reaches a caller.
    /// </summary>
    internal static class PlainJson
    {
        public static object ToPlain(JToken token)
        {
            switch (token)
            {
                case null:
                    return null;
                case JObject obj:
                    var dictionary = new OrderedDictionary(obj.Count);
                    foreach (var property in obj.Properties())
                    {
                        dictionary[property.Name] = ToPlain(property.Value);
                    }
                    return dictionary.AsReadOnly();
                case JArray array:
                    return array.Select(ToPlain).ToArray();
                case JValue value:
                    return value.Value;
                default:
                    return token.ToString();
            }
        }
    }
}
