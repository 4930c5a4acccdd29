using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// The test's own reading of an ELF object's sections and symbols (written from the ELF specification, apart from
    /// the product's reader), to compare two objects section by section and symbol by symbol.
    /// </summary>
    internal sealed class ElfDump
    {
        public const uint SHT_SYMTAB = 2;
        public const uint SHT_STRTAB = 3;

        public sealed record Section(int Index, string Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong Align, ulong EntrySize, byte[] Content);

        /// <summary>A symbol with its section given by name, so that objects with differently numbered sections compare.</summary>
        public sealed record Symbol(string Name, ulong Value, ulong Size, byte Info, byte Other, string Section);

        private readonly byte[] _data;
        private readonly bool _is64;
        private readonly bool _big;
        private readonly Encoding _names;

        /// <param name="nameEncoding">How names are decoded: UTF-8 unless given (Latin-1 keeps every byte of a name that is not UTF-8).</param>
        public ElfDump(byte[] data, Encoding? nameEncoding = null)
        {
            _data = data;
            _names = nameEncoding ?? Encoding.UTF8;
            _is64 = data[4] == 2;
            _big = data[5] == 2;
            ulong tableOffset = _is64 ? U64(40) : U32(32);
            int entrySize = U16(_is64 ? 58 : 46);
            int count = U16(_is64 ? 60 : 48);
            if (count == 0) count = (int)(_is64 ? U64((int)tableOffset + 32) : U32((int)tableOffset + 20));
            int nameIndex = U16(_is64 ? 62 : 50);
            if (nameIndex == 0xFFFF) nameIndex = (int)U32((int)tableOffset + (_is64 ? 40 : 24));
            var raw = new List<(uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info, ulong Align, ulong EntrySize)>();
            for (int i = 0; i < count; i++)
            {
                int at = (int)tableOffset + i * entrySize;
                raw.Add(_is64
                    ? (U32(at), U32(at + 4), U64(at + 8), U64(at + 24), U64(at + 32), U32(at + 40), U32(at + 44), U64(at + 48), U64(at + 56))
                    : (U32(at), U32(at + 4), U32(at + 8), U32(at + 16), U32(at + 20), U32(at + 24), U32(at + 28), U32(at + 32), U32(at + 36)));
            }
            var names = raw[nameIndex];
            Sections = raw.Select((s, i) => new Section(i, CString((int)(names.Offset + s.Name)), s.Type, s.Flags, s.Offset, s.Size, s.Link, s.Info, s.Align, s.EntrySize,
                s.Type == 8 ? Array.Empty<byte>() : _data.AsSpan((int)s.Offset, (int)s.Size).ToArray())).ToList();

            var symtab = Sections.Single(s => s.Type == SHT_SYMTAB);
            var strtab = Sections[(int)symtab.Link];
            int size = _is64 ? 24 : 16;
            for (int at = (int)symtab.Offset; at < (int)(symtab.Offset + symtab.Size); at += size)
            {
                uint name = U32(at);
                ulong value = _is64 ? U64(at + 8) : U32(at + 4);
                ulong symbolSize = _is64 ? U64(at + 16) : U32(at + 8);
                byte info = _data[at + (_is64 ? 4 : 12)];
                byte other = _data[at + (_is64 ? 5 : 13)];
                int shndx = U16(at + (_is64 ? 6 : 14));
                string section = shndx == 0 ? "UND" : shndx >= 0xFF00 ? "0x" + shndx.ToString("x") : Sections[shndx].Name;
                Symbols.Add(new Symbol(CString((int)(strtab.Offset + name)), value, symbolSize, info, other, section));
            }
        }

        public List<Section> Sections { get; }

        public List<Symbol> Symbols { get; } = new List<Symbol>();

        public bool IsBigEndian => _big;

        public bool Is64 => _is64;

        /// <summary>Sections other than the symbol and string tables: code, data, relocations, debug information.</summary>
        public IEnumerable<Section> ContentSections => Sections.Where(s => s.Index > 0 && s.Type != SHT_SYMTAB && s.Type != SHT_STRTAB);

        private string CString(int at)
        {
            int end = Array.IndexOf(_data, (byte)0, at);
            return _names.GetString(_data, at, end - at);
        }

        private int U16(int at) => _big ? BinaryPrimitives.ReadUInt16BigEndian(_data.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(_data.AsSpan(at));

        private uint U32(int at) => _big ? BinaryPrimitives.ReadUInt32BigEndian(_data.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(at));

        private ulong U64(int at) => _big ? BinaryPrimitives.ReadUInt64BigEndian(_data.AsSpan(at)) : BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(at));
    }
}
