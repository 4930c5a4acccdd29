using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MlfTools.Tar
{
    /// <summary>Parses the "length key=value\n" records of a PAX extended header.</summary>
    internal static class PaxRecords
    {
        public static Dictionary<string, string> Parse(byte[] data)
        {
            var records = new Dictionary<string, string>(StringComparer.Ordinal);
            int pos = 0;
            while (pos < data.Length)
            {
                if (data[pos] == 0) break;
                int space = Array.IndexOf(data, (byte)' ', pos);
                if (space < 0) throw new TarFormatException("malformed PAX extended header: record without length");
                string lengthText = Encoding.ASCII.GetString(data, pos, space - pos);
                if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int length) ||
                    length <= space - pos + 1 || pos + length > data.Length || data[pos + length - 1] != (byte)'\n')
                {
                    throw new TarFormatException("malformed PAX extended header: bad record length");
                }
                int recordEnd = pos + length - 1;
                int equals = Array.IndexOf(data, (byte)'=', space + 1, recordEnd - space - 1);
                if (equals < 0) throw new TarFormatException("malformed PAX extended header: record without '='");
                string key = Encoding.UTF8.GetString(data, space + 1, equals - space - 1);
                string value = Encoding.UTF8.GetString(data, equals + 1, recordEnd - equals - 1);
                records[key] = value;
                pos += length;
            }
            return records;
        }

        public static long ParseSize(string value)
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
            {
                throw new TarFormatException($"malformed PAX size '{value}'");
            }
            return size;
        }

        public static DateTimeOffset ParseTime(string value)
        {
            if (!decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal seconds))
            {
                throw new TarFormatException($"malformed PAX mtime '{value}'");
            }
            return TarHeaderFields.FromUnixSeconds(seconds);
        }
    }
}
