using System;
using System.Linq;
using MlfTools.Tar;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>The word-at-a-time header checksum agrees with the byte-by-byte definition (POSIX unsigned, historic signed).</summary>
    public class TarChecksumTests
    {
        private static (long Unsigned, long Signed) Reference(byte[] block)
        {
            long unsignedSum = 0, signedSum = 0;
            for (int i = 0; i < 512; i++)
            {
                byte b = i >= 148 && i < 156 ? (byte)' ' : block[i];
                unsignedSum += b;
                signedSum += (sbyte)b;
            }
            return (unsignedSum, signedSum);
        }

        private static void Store(byte[] block, long checksum)
        {
            string text = Convert.ToString(checksum, 8).PadLeft(6, '0') + "\0 ";
            for (int i = 0; i < 8; i++) block[148 + i] = (byte)text[i];
        }

        [Fact]
        public void Random_headers_match_exactly_when_the_byte_by_byte_sum_does()
        {
            var random = new Random(20240229);
            for (int trial = 0; trial < 5000; trial++)
            {
                var block = new byte[512];
                random.NextBytes(block);
                if (trial % 3 == 0) Array.Clear(block, 100, 300); // mostly-empty headers, as real ones are
                if (trial % 5 == 0) for (int i = 0; i < 512; i++) block[i] |= 0x80; // every byte high
                var (unsignedSum, signedSum) = Reference(block);
                long stored = trial % 2 == 0 || signedSum < 0 ? unsignedSum : signedSum;
                Store(block, stored);

                Assert.True(TarHeaderFields.ChecksumMatches(block), $"trial {trial}");
                block[random.Next(0, 148)] ^= (byte)(1 << random.Next(0, 8));
                var changed = Reference(block);
                Assert.Equal(changed.Unsigned == stored || changed.Signed == stored, TarHeaderFields.ChecksumMatches(block));
            }
        }

        [Fact]
        public void A_header_with_high_bytes_matches_its_unsigned_and_its_historic_signed_sum_and_nothing_else()
        {
            var block = Enumerable.Repeat((byte)'a', 512).ToArray();
            block[10] = block[300] = block[511] = 0xE9;
            var (unsignedSum, signedSum) = Reference(block);
            Assert.Equal(unsignedSum - 3 * 256, signedSum);
            Assert.True(signedSum > 0);

            Store(block, unsignedSum);
            Assert.True(TarHeaderFields.ChecksumMatches(block));
            Store(block, signedSum);
            Assert.True(TarHeaderFields.ChecksumMatches(block));
            Store(block, unsignedSum + 1);
            Assert.False(TarHeaderFields.ChecksumMatches(block));
        }

        [Fact]
        public void An_unreadable_checksum_field_does_not_match()
        {
            var block = new byte[512];
            for (int i = 148; i < 156; i++) block[i] = (byte)'9';
            Assert.False(TarHeaderFields.ChecksumMatches(block));
        }
    }
}
