using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MlfTools.Text;
using Newtonsoft.Json.Linq;

namespace MlfTools.Json
{
    /// <summary>
    /// Writes JSON character for character as CPython's json module does with its defaults (ensure_ascii, allow_nan),
    /// so files TVM wrote can be rewritten without spurious differences.
    /// </summary>
    internal static class PythonJsonWriter
    {
        /// <summary>The text of <c>json.dumps(obj, indent=2, sort_keys=True)</c>: how TVM writes a full-model metadata.json.</summary>
        public static string SerializeIndented(JToken token)
        {
            var text = new StringBuilder();
            Write(text, token, indentLevel: 0);
            return text.ToString();
        }

        /// <summary>The text of <c>json.dumps(obj)</c>: one line, keys in their existing order.</summary>
        public static string SerializeCompact(JToken token)
        {
            var text = new StringBuilder();
            Write(text, token, indentLevel: null);
            return text.ToString();
        }

        // indentLevel null means compact output.
        private static void Write(StringBuilder text, JToken token, int? indentLevel)
        {
            switch (token)
            {
                case JObject obj:
                    IEnumerable<JProperty> properties = obj.Properties();
                    if (indentLevel != null) properties = properties.OrderBy(p => p.Name, CodePointComparer.Instance);
                    WriteContainer(text, '{', '}', properties.ToList(), indentLevel, (property, level) =>
                    {
                        WriteString(text, property.Name);
                        text.Append(": ");
                        Write(text, property.Value, level);
                    });
                    break;
                case JArray array:
                    WriteContainer(text, '[', ']', array.ToList(), indentLevel, (item, level) => Write(text, item, level));
                    break;
                case JValue value:
                    WriteValue(text, value);
                    break;
                default:
                    throw new ArgumentException($"JSON token type {token?.Type.ToString() ?? "null reference"} has no Python json equivalent.", nameof(token));
            }
        }

        private static void WriteContainer<T>(StringBuilder text, char open, char close, IList<T> items, int? indentLevel, Action<T, int?> writeItem)
        {
            text.Append(open);
            if (items.Count > 0)
            {
                int? inner = indentLevel + 1;
                for (int i = 0; i < items.Count; i++)
                {
                    if (indentLevel == null)
                    {
                        if (i > 0) text.Append(", ");
                    }
                    else
                    {
                        if (i > 0) text.Append(',');
                        NewLine(text, inner.Value);
                    }
                    writeItem(items[i], inner);
                }
                if (indentLevel != null) NewLine(text, indentLevel.Value);
            }
            text.Append(close);
        }

        private static void NewLine(StringBuilder text, int level) => text.Append('\n').Append(' ', 2 * level);

        private static void WriteValue(StringBuilder text, JValue value)
        {
            switch (value.Type)
            {
                case JTokenType.Null:
                    text.Append("null");
                    break;
                case JTokenType.Boolean:
                    text.Append((bool)value.Value ? "true" : "false");
                    break;
                case JTokenType.String:
                    WriteString(text, (string)value.Value);
                    break;
                case JTokenType.Integer:
                    // long, or System.Numerics.BigInteger beyond long's range; both print all their digits.
                    text.Append(Convert.ToString(value.Value, CultureInfo.InvariantCulture));
                    break;
                case JTokenType.Float:
                    text.Append(FloatRepr(Convert.ToDouble(value.Value, CultureInfo.InvariantCulture)));
                    break;
                default:
                    throw new ArgumentException($"JSON value type {value.Type} has no Python json equivalent.");
            }
        }

        private static void WriteString(StringBuilder text, string value)
        {
            text.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    case '\b': text.Append("\\b"); break;
                    case '\f': text.Append("\\f"); break;
                    default:
                        // Escaping UTF-16 units one by one yields Python's surrogate-pair escapes for non-BMP characters.
                        if (c < 0x20 || c >= 0x7F) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else text.Append(c);
                        break;
                }
            }
            text.Append('"');
        }

        /// <summary>Python's repr(float), as json.dumps prints it (with Infinity and NaN for the non-finite values).</summary>
        internal static string FloatRepr(double value)
        {
            if (double.IsNaN(value)) return "NaN";
            if (double.IsPositiveInfinity(value)) return "Infinity";
            if (double.IsNegativeInfinity(value)) return "-Infinity";

            // The sign comes from the bits: .NET Framework formats -0.0 without its minus sign.
            string sign = BitConverter.DoubleToInt64Bits(value) < 0 ? "-" : string.Empty;
            double magnitude = Math.Abs(value);
            if (magnitude == 0) return sign + "0.0";

            ShortestDigits(magnitude, out string digits, out int exponent);
            if (exponent < -4 || exponent >= 16)
            {
                string mantissa = digits.Length == 1 ? digits : digits.Substring(0, 1) + "." + digits.Substring(1);
                string exponentText = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
                return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exponentText;
            }
            int pointAt = exponent + 1; // digits before the decimal point
            if (pointAt <= 0) return sign + "0." + new string('0', -pointAt) + digits;
            if (pointAt >= digits.Length) return sign + digits + new string('0', pointAt - digits.Length) + ".0";
            return sign + digits.Substring(0, pointAt) + "." + digits.Substring(pointAt);
        }

        /// <summary>
        /// The fewest significant digits that parse back to <paramref name="value"/> (positive, finite), without trailing
        /// zeros, and the decimal exponent of the first digit. Not double.ToString("R"): on .NET Framework it is not always shortest.
        /// </summary>
        private static void ShortestDigits(double value, out string digits, out int exponent)
        {
            int scale = 0; // the value of the last digit is 10^scale
            digits = null;
            for (int precision = 1; precision <= 17 && digits == null; precision++)
            {
                // "E" formatting rounds to the nearest number with that many digits: "d.dddE+xxx".
                string scientific = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                int e = scientific.IndexOf('E');
                string nearest = scientific.Substring(0, e).Replace(".", string.Empty);
                scale = int.Parse(scientific.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) - (precision - 1);

                // At an exact power of two the next double down is twice as close as the next one up, so the nearest
                // candidate (below the value) can miss while the next one up still round-trips; Python's repr uses that one.
                // Seventeen digits always round-trip.
                if (precision == 17 || ParsesTo(nearest, scale, value)) digits = nearest;
                else if (ParsesTo(IncrementDecimal(nearest), scale, value)) digits = IncrementDecimal(nearest);
            }
            while (digits.EndsWith("0", StringComparison.Ordinal))
            {
                digits = digits.Substring(0, digits.Length - 1);
                scale++;
            }
            exponent = scale + digits.Length - 1;
        }

        // TryParse, not Parse: .NET Framework fails (rather than giving infinity) on a candidate above double.MaxValue.
        private static bool ParsesTo(string digits, int scale, double value) =>
            double.TryParse(digits + "E" + scale.ToString(CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            && parsed == value;

        /// <summary>Adds one to a string of decimal digits ("199" gives "200", "99" gives "100").</summary>
        private static string IncrementDecimal(string digits)
        {
            char[] result = digits.ToCharArray();
            for (int i = result.Length - 1; i >= 0; i--)
            {
                if (result[i] != '9')
                {
                    result[i]++;
                    return new string(result);
                }
                result[i] = '0';
            }
            return "1" + new string(result);
        }
    }
}
