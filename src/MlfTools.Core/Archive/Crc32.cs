namespace MlfTools.Archive
{
    /// <summary>CRC-32 with the IEEE 802.3 polynomial (reflected 0xEDB88320), as gzip and zip use it; slicing-by-8 tables.</summary>
    internal static class Crc32
    {
        private const uint Polynomial = 0xEDB88320u;

        /// <summary>Eight 256-entry tables back to back: table k gives the CRC contribution of a byte followed by k zero bytes.</summary>
        private static readonly uint[] Table = BuildTable();

        /// <summary>The CRC-32 of a whole buffer.</summary>
        public static uint Compute(byte[] data, int offset, int count) => Update(0, data, offset, count);

        /// <summary>Continues <paramref name="crc"/> (the CRC-32 of everything before, 0 at the start) over more bytes.</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            uint[] t = Table;
            uint c = ~crc;
            int pos = offset;
            int end = offset + count;
            while (end - pos >= 8)
            {
                uint low = c ^ (uint)(data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16 | data[pos + 3] << 24);
                uint high = (uint)(data[pos + 4] | data[pos + 5] << 8 | data[pos + 6] << 16 | data[pos + 7] << 24);
                c = t[0x700 + (low & 0xFF)] ^
                    t[0x600 + ((low >> 8) & 0xFF)] ^
                    t[0x500 + ((low >> 16) & 0xFF)] ^
                    t[0x400 + (low >> 24)] ^
                    t[0x300 + (high & 0xFF)] ^
                    t[0x200 + ((high >> 8) & 0xFF)] ^
                    t[0x100 + ((high >> 16) & 0xFF)] ^
                    t[high >> 24];
                pos += 8;
            }
            while (pos < end)
            {
                c = t[(c ^ data[pos]) & 0xFF] ^ (c >> 8);
                pos++;
            }
            return ~c;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[8 * 256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int bit = 0; bit < 8; bit++)
                {
                    c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
                }
                table[n] = c;
            }
            for (int k = 1; k < 8; k++)
            {
                for (int n = 0; n < 256; n++)
                {
                    uint previous = table[(k - 1) * 256 + n];
                    table[k * 256 + n] = table[previous & 0xFF] ^ (previous >> 8);
                }
            }
            return table;
        }
    }
}
