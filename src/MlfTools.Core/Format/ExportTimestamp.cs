using System;
using System.Globalization;

namespace MlfTools.Format
{
    /// <summary>
    /// TVM writes export_datetime as local time with strftime("%Y-%m-%d %H:%M:%SZ"): the 'Z' is a literal, not
    /// a UTC marker, so the value is parsed exactly and kept as a DateTime of kind Unspecified.
    /// </summary>
    internal static class ExportTimestamp
    {
        public const string Format = "yyyy-MM-dd HH:mm:ss'Z'";

        public static bool TryParse(string text, out DateTime value) =>
            DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}
