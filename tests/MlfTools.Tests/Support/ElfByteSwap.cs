using System;
using System.Buffers.Binary;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// Rewrites a little-endian ELF object in big-endian byte order, for lack of a big-endian toolchain here
    /// (objcopy cannot change an object's byte order). The ELF header, the section headers, the symbol tables
    /// and the section groups are swapped field by field; other section contents (code, data, relocations)
    /// are copied unchanged, as nothing that lists symbols reads them. nm reading the result is the check
    /// that the rewrite is a well-formed big-endian ELF.
    /// </summary>
    internal static class ElfByteSwap
    {
        private static readonly int[] Header64 = { 2, 2, 4, 8, 8, 8, 4, 2, 2, 2, 2, 2, 2 };
        private static readonly int[] Header32 = { 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 2, 2, 2 };
        private static readonly int[] Section64 = { 4, 4, 8, 8, 8, 8, 4, 4, 8, 8 };
        private static readonly int[] Section32 = { 4, 4, 4, 4, 4, 4, 4, 4, 4, 4 };
        private static readonly int[] Symbol64 = { 4, 1, 1, 2, 8, 8 };
        private static readonly int[] Symbol32 = { 4, 4, 4, 1, 1, 2 };

        public static byte[] ToBigEndian(byte[] elf)
        {
            if (elf[5] != 1) throw new ArgumentException("expected a little-endian ELF object");
            bool is64 = elf[4] == 2;
            var data = (byte[])elf.Clone();
            var span = elf.AsSpan();
            ulong sectionOffset = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(40)) : BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(32));
            int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(is64 ? 58 : 46));
            int count = BinaryPrimitives.ReadUInt16LittleEndian(span.Slice(is64 ? 60 : 48));

            data[5] = 2;
            SwapFields(data, 16, is64 ? Header64 : Header32);
            for (int i = 0; i < count; i++)
            {
                int at = (int)sectionOffset + i * entrySize;
                uint type = BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(at + 4));
                ulong offset = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(at + 24)) : BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(at + 16));
                ulong size = is64 ? BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(at + 32)) : BinaryPrimitives.ReadUInt32LittleEndian(span.Slice(at + 20));
                SwapFields(data, at, is64 ? Section64 : Section32);
                if (type == 2 || type == 11)
                {
                    int symbolSize = is64 ? 24 : 16;
                    for (ulong s = 0; s < size / (ulong)symbolSize; s++) SwapFields(data, (int)offset + (int)s * symbolSize, is64 ? Symbol64 : Symbol32);
                }
                else if (type == 17 || type == 18)
                {
                    // SHT_GROUP and SHT_SYMTAB_SHNDX: arrays of 32-bit words.
                    for (ulong w = 0; w < size / 4; w++) Array.Reverse(data, (int)offset + (int)w * 4, 4);
                }
            }
            return data;
        }

        private static void SwapFields(byte[] data, int at, int[] sizes)
        {
            foreach (int size in sizes)
            {
                Array.Reverse(data, at, size);
                at += size;
            }
        }
    }
}
