using System;
using System.Globalization;
using System.Text.RegularExpressions;
using MlfTools.Text;

namespace MlfTools
{
    /// <summary>
    /// Byte sizes as people write them in budgets and limits: a whole number of bytes (262144, 0x40000), or a number
    /// with a unit (256KB, 256KiB, '1.5MB', '16 KiB', 2gb). Every unit is binary: KB and KiB both mean 1024 bytes, as
    /// PowerShell's numeric suffix 256KB does; MB/MiB 1024², GB/GiB 1024³, TB/TiB 1024⁴, PB/PiB 1024⁵; B is one byte.
    /// Units are case-insensitive, so there are no decimal (1000-based) units. The result must be a whole number of
    /// bytes from 0 to <see cref="long.MaxValue"/>. <see cref="Format(long)"/> writes a size as people read it.
    /// </summary>
    public static class ByteSize
    {
        private const string Forms = "Give a whole number of bytes (262144) or a number with a unit: 256KB, 256KiB, 1.5MB, 2GB " +
            "(KB and KiB both mean 1024 bytes, as PowerShell's 256KB does; MB/MiB, GB/GiB, TB/TiB and PB/PiB likewise).";

        private static readonly Regex Decimal = new Regex(@"^(?<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)\s*(?<unit>[KMGTP]i?B|B)?$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private static readonly Regex Hexadecimal = new Regex("^0x(?<digits>[0-9a-f]{1,16})$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>The bytes <paramref name="text"/> stands for; a <see cref="FormatException"/> says what is wrong and what to write.</summary>
        public static long Parse(string text)
        {
            if (text == null || text.Trim().Length == 0) throw new FormatException("No size was given. " + Forms);
            string trimmed = text.Trim();
            if (trimmed.StartsWith("-", StringComparison.Ordinal)) throw Negative(text);

            var hex = Hexadecimal.Match(trimmed);
            if (hex.Success)
            {
                ulong value = ulong.Parse(hex.Groups["digits"].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                if (value > long.MaxValue) throw TooLarge(text);
                return (long)value;
            }

            var match = Decimal.Match(trimmed);
            if (!match.Success) throw new FormatException($"'{text}' is not a byte size. {Forms}");
            decimal number;
            try
            {
                number = decimal.Parse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            }
            catch (OverflowException)
            {
                throw TooLarge(text);
            }
            return ToBytes(number, Multiplier(match.Groups["unit"].Value), text);
        }

        /// <summary>
        /// The bytes a number stands for: any integer type, or a float, double or decimal that holds a whole number of
        /// bytes (PowerShell's 1.5MB is the double 1572864).
        /// </summary>
        public static long FromNumber(IConvertible number)
        {
            if (number == null) throw new ArgumentNullException(nameof(number));
            string shown = Convert.ToString(number, CultureInfo.InvariantCulture);
            switch (number.GetTypeCode())
            {
                case TypeCode.SByte:
                case TypeCode.Int16:
                case TypeCode.Int32:
                case TypeCode.Int64:
                    long signed = number.ToInt64(CultureInfo.InvariantCulture);
                    if (signed < 0) throw Negative(shown);
                    return signed;
                case TypeCode.Byte:
                case TypeCode.UInt16:
                case TypeCode.UInt32:
                case TypeCode.UInt64:
                    ulong unsigned = number.ToUInt64(CultureInfo.InvariantCulture);
                    if (unsigned > long.MaxValue) throw TooLarge(shown);
                    return (long)unsigned;
                case TypeCode.Single:
                case TypeCode.Double:
                    double real = number.ToDouble(CultureInfo.InvariantCulture);
                    if (double.IsNaN(real) || double.IsInfinity(real)) throw new FormatException($"'{shown}' is not a byte size. {Forms}");
                    if (real < 0) throw Negative(shown);
                    if (real >= 9.2233720368547758E18) throw TooLarge(shown);
                    // Above 2^53 a double holds whole numbers only; below it, decimal shows a fraction exactly.
                    return real == Math.Floor(real) ? (long)real : ToBytes((decimal)real, 1, shown);
                case TypeCode.Decimal:
                    return ToBytes(number.ToDecimal(CultureInfo.InvariantCulture), 1, shown);
                case TypeCode.String:
                    return Parse(number.ToString(CultureInfo.InvariantCulture));
                default:
                    throw new FormatException($"'{shown}' ({number.GetTypeCode()}) is not a byte size. {Forms}");
            }
        }

        /// <summary>Bytes as people read them: "512 B", "27.5 KiB", "1.5 MiB", "2.0 GiB" (invariant culture).</summary>
        public static string Format(long bytes) => Format(bytes, 1);

        /// <summary>As <see cref="Format(long)"/> with <paramref name="decimals"/> digits after the point (KiB and up).</summary>
        internal static string Format(long bytes, int decimals)
        {
            const double KiB = 1024, MiB = KiB * 1024, GiB = MiB * 1024;
            string format = "0." + new string('0', decimals);
            if (bytes >= GiB) return (bytes / GiB).ToString(format, CultureInfo.InvariantCulture) + " GiB";
            if (bytes >= MiB) return (bytes / MiB).ToString(format, CultureInfo.InvariantCulture) + " MiB";
            if (bytes >= KiB) return (bytes / KiB).ToString(format, CultureInfo.InvariantCulture) + " KiB";
            return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        }

        private static long Multiplier(string unit)
        {
            if (unit.Length == 0 || unit.Length == 1) return 1; // no unit, or B
            switch (char.ToUpperInvariant(unit[0]))
            {
                case 'K': return 1L << 10;
                case 'M': return 1L << 20;
                case 'G': return 1L << 30;
                case 'T': return 1L << 40;
                default: return 1L << 50; // P: the pattern allows nothing else
            }
        }

        private static long ToBytes(decimal number, long multiplier, string text)
        {
            if (number < 0) throw Negative(text);
            decimal bytes;
            try
            {
                bytes = number * multiplier;
            }
            catch (OverflowException)
            {
                throw TooLarge(text);
            }
            if (bytes > long.MaxValue) throw TooLarge(text);
            if (bytes != decimal.Truncate(bytes))
            {
                throw new FormatException($"'{text}' is {bytes.ToString(CultureInfo.InvariantCulture)} bytes; a size is a whole number of bytes. " +
                    $"Give {decimal.Floor(bytes).ToString(CultureInfo.InvariantCulture)} or {decimal.Ceiling(bytes).ToString(CultureInfo.InvariantCulture)}, or a number with a unit that makes whole bytes.");
            }
            return (long)bytes;
        }

        private static FormatException Negative(string text) =>
            new FormatException($"'{text}' is negative; a size is 0 or more bytes. {Forms}");

        private static FormatException TooLarge(string text) =>
            new FormatException($"'{text}' is more bytes than a size can hold (at most {long.MaxValue.ToString("N0", CultureInfo.InvariantCulture)}, just under 8 EiB).");
    }
}
