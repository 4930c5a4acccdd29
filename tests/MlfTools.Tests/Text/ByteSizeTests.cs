using System;
using MlfTools.Text;
using Xunit;

namespace MlfTools.Tests.Text
{
    /// <summary>Byte sizes as budgets and limits take them: 262144, 256KB, '256KiB', '1.5MB'; KB = KiB = 1024.</summary>
    public class ByteSizeTests
    {
        [Theory]
        [InlineData("262144", 262144L)]
        [InlineData("0", 0L)]
        [InlineData("256KB", 262144L)]
        [InlineData("256KiB", 262144L)]
        [InlineData("256kb", 262144L)]
        [InlineData("256kB", 262144L)]
        [InlineData(" 16 KiB ", 16384L)]
        [InlineData("1.5MB", 1572864L)]
        [InlineData("1.5 MiB", 1572864L)]
        [InlineData(".5KB", 512L)]
        [InlineData("2.KB", 2048L)]
        [InlineData("2GB", 2147483648L)]
        [InlineData("3GiB", 3221225472L)]
        [InlineData("1TB", 1099511627776L)]
        [InlineData("1PiB", 1125899906842624L)]
        [InlineData("512B", 512L)]
        [InlineData("512 b", 512L)]
        [InlineData("0x40000", 262144L)]
        [InlineData("0x7FFFFFFFFFFFFFFF", long.MaxValue)]
        [InlineData("8191PB", 8191L << 50)]
        public void A_string_gives_its_bytes(string text, long expected)
        {
            Assert.Equal(expected, ByteSize.Parse(text));
        }

        [Theory]
        [InlineData("lots", "is not a byte size")]
        [InlineData("256 K", "is not a byte size")]
        [InlineData("256KBs", "is not a byte size")]
        [InlineData("1,5MB", "is not a byte size")]
        [InlineData("1e6", "is not a byte size")]
        [InlineData("256 KB 2", "is not a byte size")]
        [InlineData("", "No size was given")]
        [InlineData("   ", "No size was given")]
        [InlineData("-1", "is negative")]
        [InlineData("-1KB", "is negative")]
        [InlineData("1.3KB", "'1.3KB' is 1331.2 bytes; a size is a whole number of bytes. Give 1331 or 1332")]
        [InlineData("0.5", "is 0.5 bytes")]
        [InlineData("8192PB", "is more bytes than a size can hold")]
        [InlineData("9223372036854775808", "is more bytes than a size can hold")]
        [InlineData("99999999999999999999999999999999", "is more bytes than a size can hold")]
        [InlineData("0x8000000000000000", "is more bytes than a size can hold")]
        public void A_string_that_is_no_size_says_what_is_wrong(string text, string message)
        {
            var error = Assert.Throws<FormatException>(() => ByteSize.Parse(text));
            Assert.Contains(message, error.Message);
        }

        [Fact]
        public void Every_refusal_of_the_form_shows_the_forms_that_work()
        {
            var error = Assert.Throws<FormatException>(() => ByteSize.Parse("256 K"));
            Assert.Contains("256KB, 256KiB, 1.5MB", error.Message);
            Assert.Contains("KB and KiB both mean 1024 bytes", error.Message);
        }

        [Fact]
        public void Numbers_of_every_type_give_their_bytes()
        {
            Assert.Equal(262144L, ByteSize.FromNumber(262144));
            Assert.Equal(262144L, ByteSize.FromNumber(262144L));
            Assert.Equal(7L, ByteSize.FromNumber((byte)7));
            Assert.Equal(7L, ByteSize.FromNumber((ushort)7));
            Assert.Equal(long.MaxValue, ByteSize.FromNumber((ulong)long.MaxValue));
            Assert.Equal(1572864L, ByteSize.FromNumber(1.5 * 1048576)); // PowerShell's 1.5MB is a double
            Assert.Equal(1572864L, ByteSize.FromNumber(1572864f));
            Assert.Equal(1536L, ByteSize.FromNumber(1536m));
            Assert.Equal(262144L, ByteSize.FromNumber("256KiB"));
            Assert.Equal(1L << 60, ByteSize.FromNumber((double)(1L << 60)));
        }

        [Theory]
        [InlineData(-1, "is negative")]
        [InlineData(1331.2, "is 1331.2 bytes")]
        [InlineData(-0.5, "is negative")]
        [InlineData(1e19, "is more bytes than a size can hold")]
        [InlineData(double.NaN, "is not a byte size")]
        [InlineData(double.PositiveInfinity, "is not a byte size")]
        public void Numbers_that_are_no_size_say_what_is_wrong(double number, string message)
        {
            object value = number == -1 ? (object)(-1) : number;
            var error = Assert.Throws<FormatException>(() => ByteSize.FromNumber((IConvertible)value));
            Assert.Contains(message, error.Message);
        }

        [Fact]
        public void Unsigned_numbers_past_the_largest_size_are_refused()
        {
            var error = Assert.Throws<FormatException>(() => ByteSize.FromNumber(ulong.MaxValue));
            Assert.Contains("is more bytes than a size can hold", error.Message);
        }
    }
}
