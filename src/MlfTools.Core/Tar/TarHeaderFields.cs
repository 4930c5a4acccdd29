using System;
using System.Text;

namespace MlfTools.Tar
{
    /// <summary>Decoding of the fixed-width fields of a 512-byte tar header block.</summary>
    internal static class TarHeaderFields
    {
        public const int BlockSize = 512;
        private const int ChecksumOffset = 148;
        private const int ChecksumLength = 8;

        public static bool IsZeroBlock(byte[] block)
        {
            for (int i = 0; i < BlockSize; i++)
            {
                if (block[i] != 0) return false;
            }
            return true;
        }

        public static string ReadString(byte[] block, int offset, int length)
        {
            int end = offset;
            int limit = offset + length;
            while (end < limit && block[end] != 0) end++;
            return Encoding.UTF8.GetString(block, offset, end - offset);
        }

        /// <summary>Octal digits (leading spaces or NULs allowed, ended by space or NUL), or GNU base-256 when the high bit of the first byte is set.</summary>
        public static long ReadNumber(byte[] block, int offset, int length, string field)
        {
            if ((block[offset] & 0x80) != 0)
            {
                if (block[offset] == 0xFF) throw new TarFormatException($"negative {field} in a tar header");
                long value = block[offset] & 0x7F;
                for (int i = offset + 1; i < offset + length; i++)
                {
                    if (value > (long.MaxValue >> 8)) throw new TarFormatException($"{field} in a tar header is too large");
                    value = (value << 8) | block[i];
                }
                return value;
            }

            int pos = offset;
            int end = offset + length;
            while (pos < end && (block[pos] == (byte)' ' || block[pos] == 0)) pos++;
            long result = 0;
            bool any = false;
            for (; pos < end; pos++)
            {
                byte b = block[pos];
                if (b == 0 || b == (byte)' ') break;
                if (b < (byte)'0' || b > (byte)'7') throw new TarFormatException($"{field} in a tar header is not an octal number");
                if (result > (long.MaxValue >> 3)) throw new TarFormatException($"{field} in a tar header is too large");
                result = (result << 3) | (long)(b - '0');
                any = true;
            }
            for (; pos < end; pos++)
            {
                if (block[pos] != 0 && block[pos] != (byte)' ') throw new TarFormatException($"{field} in a tar header is not an octal number");
            }
            return any ? result : 0;
        }

        /// <summary>True when the stored checksum matches the unsigned (POSIX) or signed (historic) sum of the header.</summary>
        /// <remarks>
        /// Runs once per member, so it sums eight bytes at a time (in 16-bit lanes, which cannot overflow over 64 words)
        /// instead of byte by byte: several times faster, which matters most in unoptimized first-tier JIT code, where a
        /// one-shot cmdlet call spends its life. The checksum field itself counts as eight spaces.
        /// </remarks>
        public static bool ChecksumMatches(byte[] block)
        {
            long stored;
            try
            {
                stored = ReadNumber(block, ChecksumOffset, ChecksumLength, "checksum");
            }
            catch (TarFormatException)
            {
                return false;
            }
            const ulong ByteLanes = 0x00FF00FF00FF00FFUL;
            const ulong LowBits = 0x0101010101010101UL;
            ulong evenBytes = 0, oddBytes = 0, highBits = 0;
            for (int i = 0; i < BlockSize; i += 8)
            {
                ulong word = BitConverter.ToUInt64(block, i);
                evenBytes += word & ByteLanes;
                oddBytes += (word >> 8) & ByteLanes;
                highBits += (word >> 7) & LowBits;
            }
            long unsignedSum = SumLanes(evenBytes + oddBytes);
            long highCount = SumLanes((highBits & ByteLanes) + ((highBits >> 8) & ByteLanes));
            for (int i = ChecksumOffset; i < ChecksumOffset + ChecksumLength; i++)
            {
                unsignedSum += ' ' - block[i];
                highCount -= block[i] >> 7;
            }
            long signedSum = unsignedSum - 256 * highCount;
            return stored == unsignedSum || stored == signedSum;
        }

        /// <summary>The sum of the four 16-bit lanes of <paramref name="lanes"/>.</summary>
        private static long SumLanes(ulong lanes) =>
            (long)((lanes & 0xFFFF) + ((lanes >> 16) & 0xFFFF) + ((lanes >> 32) & 0xFFFF) + (lanes >> 48));

        /// <summary>FNV-1a (64 bits) of a header block: enough to notice that another header now sits where one was read.</summary>
        public static ulong HashBlock(byte[] block, int offset = 0)
        {
            ulong hash = 14695981039346656037UL;
            for (int i = offset; i < offset + BlockSize; i++)
            {
                hash = (hash ^ block[i]) * 1099511628211UL;
            }
            return hash;
        }

        public static bool IsPosixUstar(byte[] block) =>
            block[257] == (byte)'u' && block[258] == (byte)'s' && block[259] == (byte)'t' && block[260] == (byte)'a' &&
            block[261] == (byte)'r' && block[262] == 0;

        public static DateTimeOffset FromUnixSeconds(decimal seconds)
        {
            const decimal maxSeconds = 253402300799m;
            const decimal minSeconds = -62135596800m;
            if (seconds > maxSeconds) seconds = maxSeconds;
            if (seconds < minSeconds) seconds = minSeconds;
            long ticks = (long)decimal.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.ToEven);
            return new DateTimeOffset(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(ticks));
        }
    }
}
