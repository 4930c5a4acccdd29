using System;
using System.Collections.Generic;
using System.Text;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// The layout of a well-formed tar held in memory, for tests that edit archives: where each member's header blocks
    /// (extended ones included) and data are, and edits that keep the rest of the bytes as they were.
    /// </summary>
    internal sealed class TarImage
    {
        public const int Block = 512;

        public static class Field
        {
            public const int Name = 0, NameLength = 100;
            public const int Mode = 100, ModeLength = 8;
            public const int Uid = 108, Gid = 116, IdLength = 8;
            public const int Size = 124, SizeLength = 12;
            public const int Mtime = 136, MtimeLength = 12;
            public const int Checksum = 148, ChecksumLength = 8;
            public const int TypeFlag = 156;
            public const int LinkName = 157, LinkNameLength = 100;
            public const int Magic = 257, MagicLength = 6;
            public const int Version = 263, VersionLength = 2;
            public const int Uname = 265, Gname = 297, OwnerLength = 32;
            public const int DevMajor = 329, DevMinor = 337, DevLength = 8;
            public const int Prefix = 345, PrefixLength = 155;
        }

        public sealed class Member
        {
            /// <summary>The first block of the member: its first extended header, else its own header.</summary>
            public int Start { get; init; }
            public int Header { get; init; }
            public string Name { get; init; } = "";
            public char TypeFlag { get; init; }
            public long Size { get; init; }
            public int Data => Header + Block;
            /// <summary>Just after the member's padded data.</summary>
            public int End { get; init; }
            public bool IsFile => TypeFlag == '0' || TypeFlag == '\0';
            public override string ToString() => Name;
        }

        private TarImage(byte[] bytes, List<Member> members, int end)
        {
            Bytes = bytes;
            Members = members;
            EndOfMembers = end;
        }

        public byte[] Bytes { get; }
        public IReadOnlyList<Member> Members { get; }

        /// <summary>Where the end-of-archive zero blocks start.</summary>
        public int EndOfMembers { get; }

        public static TarImage Parse(byte[] bytes)
        {
            var members = new List<Member>();
            int at = 0;
            int start = 0;
            while (at + Block <= bytes.Length && !IsZero(bytes, at))
            {
                char type = (char)bytes[at + Field.TypeFlag];
                long size = ReadOctal(bytes, at + Field.Size, Field.SizeLength);
                if (size < 0 || Padded(size) > bytes.Length - at - Block) break; // damaged: the layout is known up to here
                int end = at + Block + (int)Padded(size);
                if (type == 'x' || type == 'g' || type == 'L' || type == 'K')
                {
                    at = end;
                    continue;
                }
                string name = Encoding.UTF8.GetString(bytes, at, Field.NameLength).TrimEnd('\0');
                string prefix = Encoding.UTF8.GetString(bytes, at + Field.Prefix, Field.PrefixLength).TrimEnd('\0');
                if (prefix.Length > 0) name = prefix + "/" + name;
                members.Add(new Member { Start = start, Header = at, Name = name, TypeFlag = type, Size = size, End = end });
                at = start = end;
            }
            return new TarImage(bytes, members, at);
        }

        public static long Padded(long size) => (size + Block - 1) / Block * Block;

        public byte[] Data(Member member) => Slice(Bytes, member.Data, (int)member.Size);

        /// <summary>The archive with the member's data replaced (size field and checksum updated).</summary>
        public byte[] WithData(Member member, byte[] data)
        {
            var header = Slice(Bytes, member.Header, Block);
            WriteOctal(header, Field.Size, Field.SizeLength, data.Length);
            FixChecksum(header, 0);
            var padded = new byte[Padded(data.Length)];
            Buffer.BlockCopy(data, 0, padded, 0, data.Length);
            return Concat(Slice(Bytes, 0, member.Header), header, padded, Slice(Bytes, member.End, Bytes.Length - member.End));
        }

        public byte[] Without(Member member) =>
            Concat(Slice(Bytes, 0, member.Start), Slice(Bytes, member.End, Bytes.Length - member.End));

        /// <summary>The archive with whole blocks inserted at a block boundary.</summary>
        public byte[] Inserting(int offset, byte[] blocks) =>
            Concat(Slice(Bytes, 0, offset), blocks, Slice(Bytes, offset, Bytes.Length - offset));

        /// <summary>A header block (ustar, checksum set) followed by its padded data.</summary>
        public static byte[] Entry(string name, char typeFlag, byte[] data, string linkName = "")
        {
            var header = new byte[Block];
            byte[] nameBytes = Encoding.UTF8.GetBytes(name);
            Buffer.BlockCopy(nameBytes, 0, header, 0, Math.Min(nameBytes.Length, Field.NameLength));
            WriteOctal(header, Field.Mode, Field.ModeLength, typeFlag == '5' ? 0x1ED : 0x1A4);
            WriteOctal(header, Field.Uid, Field.IdLength, 0);
            WriteOctal(header, Field.Gid, Field.IdLength, 0);
            WriteOctal(header, Field.Size, Field.SizeLength, data.Length);
            WriteOctal(header, Field.Mtime, Field.MtimeLength, 1700000000);
            header[Field.TypeFlag] = (byte)typeFlag;
            byte[] link = Encoding.UTF8.GetBytes(linkName);
            Buffer.BlockCopy(link, 0, header, Field.LinkName, Math.Min(link.Length, Field.LinkNameLength));
            Buffer.BlockCopy(Encoding.ASCII.GetBytes("ustar\0" + "00"), 0, header, Field.Magic, 8);
            FixChecksum(header, 0);
            var padded = new byte[Padded(data.Length)];
            Buffer.BlockCopy(data, 0, padded, 0, data.Length);
            return Concat(header, padded);
        }

        /// <summary>The checksum of the header at <paramref name="offset"/>: six octal digits, NUL, space (as GNU tar writes it).</summary>
        public static void FixChecksum(byte[] bytes, int offset)
        {
            for (int i = 0; i < Field.ChecksumLength; i++) bytes[offset + Field.Checksum + i] = (byte)' ';
            int sum = 0;
            for (int i = 0; i < Block; i++) sum += bytes[offset + i];
            string digits = Convert.ToString(sum, 8).PadLeft(6, '0');
            for (int i = 0; i < 6; i++) bytes[offset + Field.Checksum + i] = (byte)digits[i];
            bytes[offset + Field.Checksum + 6] = 0;
        }

        public static void WriteOctal(byte[] bytes, int offset, int length, long value)
        {
            string digits = Convert.ToString(value, 8).PadLeft(length - 1, '0');
            for (int i = 0; i < length - 1; i++) bytes[offset + i] = (byte)digits[i];
            bytes[offset + length - 1] = 0;
        }

        public static byte[] Slice(byte[] bytes, int offset, int count)
        {
            var slice = new byte[count];
            Buffer.BlockCopy(bytes, offset, slice, 0, count);
            return slice;
        }

        public static byte[] Concat(params byte[][] parts)
        {
            int length = 0;
            foreach (var part in parts) length += part.Length;
            var result = new byte[length];
            int at = 0;
            foreach (var part in parts)
            {
                Buffer.BlockCopy(part, 0, result, at, part.Length);
                at += part.Length;
            }
            return result;
        }

        private static bool IsZero(byte[] bytes, int offset)
        {
            for (int i = 0; i < Block; i++)
            {
                if (bytes[offset + i] != 0) return false;
            }
            return true;
        }

        private static long ReadOctal(byte[] bytes, int offset, int length)
        {
            long value = 0;
            for (int i = offset; i < offset + length; i++)
            {
                byte b = bytes[i];
                if (b == 0 || b == ' ')
                {
                    if (value == 0 && b == ' ') continue;
                    break;
                }
                if (b < '0' || b > '7') return -1;
                value = value * 8 + (b - '0');
            }
            return value;
        }
    }
}
