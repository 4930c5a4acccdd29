using System;
using System.Collections.Generic;
using static MlfTools.Elf.ElfConstants;

namespace MlfTools.Elf
{
    /// <summary>What <see cref="ElfSymbolReader.ReadTable"/> found in an ELF file: its layout and its symbol table.</summary>
    internal sealed class ElfSymbolTable
    {
        public ElfSymbolTable(bool is64, bool bigEndian, int type, ulong sectionTableOffset, int sectionEntrySize, bool extendedCount,
            ElfSection[] sections, int symbolTableIndex, ElfSymbol[] symbols, byte[] strings)
        {
            Is64 = is64;
            BigEndian = bigEndian;
            Type = type;
            SectionTableOffset = sectionTableOffset;
            SectionEntrySize = sectionEntrySize;
            ExtendedCount = extendedCount;
            Sections = sections;
            SymbolTableIndex = symbolTableIndex;
            Symbols = symbols;
            Strings = strings;
        }

        public bool Is64 { get; }

        public bool BigEndian { get; }

        /// <summary>e_type: 1 for a relocatable object, 3 for a shared object.</summary>
        public int Type { get; }

        public ulong SectionTableOffset { get; }

        public int SectionEntrySize { get; }

        /// <summary>True when e_shnum is 0 and the section count is in section header 0's sh_size.</summary>
        public bool ExtendedCount { get; }

        public IReadOnlyList<ElfSection> Sections { get; }

        /// <summary>The index of the symbol table section, or -1 when there is none.</summary>
        public int SymbolTableIndex { get; }

        /// <summary>Every entry of the symbol table, entry 0 included.</summary>
        public IReadOnlyList<ElfSymbol> Symbols { get; }

        /// <summary>The bytes of the symbol table's string table.</summary>
        public byte[] Strings { get; }

        public ElfSection SymbolTable => Sections[SymbolTableIndex];

        /// <summary>The symbol's name.</summary>
        /// <exception cref="System.IO.InvalidDataException">The name lies outside the string table or is not terminated.</exception>
        public string NameOf(ElfSymbol symbol) => ElfSymbolReader.ReadSymbolName(Strings, symbol.NameOffset, SymbolTable.Link);
    }

    internal readonly struct ElfSection
    {
        public ElfSection(uint type, ulong offset, ulong size, uint link, ulong entrySize, ulong flags, uint nameOffset = 0)
        {
            NameOffset = nameOffset;
            Flags = flags;
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
            EntrySize = entrySize;
        }

        public uint Type { get; }

        public ulong Offset { get; }

        public ulong Size { get; }

        public uint Link { get; }

        public ulong EntrySize { get; }

        /// <summary>sh_flags: SHF_WRITE 1, SHF_ALLOC 2, SHF_EXECINSTR 4, ...</summary>
        public ulong Flags { get; }

        /// <summary>sh_name: the offset of the name in the section header string table.</summary>
        public uint NameOffset { get; }
    }

    /// <summary>One symbol table entry; <see cref="EntryOffset"/> is its position in the symbol table section.</summary>
    internal readonly struct ElfSymbol
    {
        public ElfSymbol(int index, int entryOffset, uint nameOffset, byte info, int sectionIndex)
        {
            Index = index;
            EntryOffset = entryOffset;
            NameOffset = nameOffset;
            Info = info;
            SectionIndex = sectionIndex;
        }

        public int Index { get; }

        public int EntryOffset { get; }

        public uint NameOffset { get; }

        public byte Info { get; }

        public int SectionIndex { get; }

        public int Binding => Info >> 4;

        public int Kind => Info & 0xF;

        public bool IsDefined => SectionIndex != SHN_UNDEF;

        /// <summary>Defined with global binding (not weak), and neither a section nor a file symbol: what two modules may not both define.</summary>
        public bool IsGlobalDefinition => Binding == STB_GLOBAL && IsDefined && Kind != STT_SECTION && Kind != STT_FILE;

        /// <summary>
        /// What GNU ar and ranlib list in a static library's index: defined symbols with global, weak or unique binding,
        /// commons included (binutils' _bfd_compute_and_write_armap).
        /// </summary>
        public bool IsIndexed => Index > 0 && IsDefined && (Binding == STB_GLOBAL || Binding == STB_WEAK || Binding == STB_GNU_UNIQUE);
    }
}
