using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using static MlfTools.Elf.ElfConstants;

namespace MlfTools.Elf
{
    /// <summary>
    /// Reads the global symbols an ELF relocatable object or shared object defines, from its symbol table:
    /// what LLVM-target MLF archives ship as codegen/host/lib/*.o.
    /// </summary>
    internal static class ElfSymbolReader
    {
        /// <summary>
        /// The names of the symbols defined with global binding (not weak, not undefined, not section or file
        /// symbols) in the object's .symtab, or in .dynsym for a shared object stripped of .symtab. ELF32 and
        /// ELF64, either byte order. Common symbols (-fcommon tentative definitions) count as defined.
        /// </summary>
        /// <param name="stream">The object, read from its current position; it need not be seekable (it is then
        /// read into memory). Only the ELF header, the section header table, the symbol table and its string
        /// table are read.</param>
        /// <returns>The names in symbol table order, or null when the data is not ELF, or is an ELF file of
        /// another kind (executable, core dump) that is not linked into an image.</returns>
        /// <exception cref="InvalidDataException">The data starts like ELF but its structures are inconsistent
        /// or run past the end of the data.</exception>
        public static IReadOnlyList<string> FindGlobalDefinitions(Stream stream)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            return new Reader(SeekableStream(stream), new SymbolBudget(), CancellationToken.None).Read();
        }

        /// <summary>
        /// The section headers of an ELF relocatable or shared object (what <see cref="FindGlobalDefinitions"/> reads
        /// first), for readers of other parts of the file such as section sizes; null when the data is not such an ELF file.
        /// </summary>
        /// <exception cref="InvalidDataException">The data starts like ELF but its structures are inconsistent.</exception>
        internal static IReadOnlyList<ElfSection> ReadSections(Stream stream)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            return new Reader(SeekableStream(stream), new SymbolBudget(), CancellationToken.None).ReadTable(readSymbols: false)?.Sections;
        }

        /// <summary>
        /// The section headers of a linked ELF file (an executable or a shared object, such as a firmware or a PIE), with
        /// their names from the section header string table; null when the data is not ELF, or is a relocatable object or
        /// a core dump.
        /// </summary>
        /// <exception cref="InvalidDataException">The data starts like ELF but its structures are inconsistent.</exception>
        internal static IReadOnlyList<ElfNamedSection> ReadLinkedSections(Stream stream)
        {
            if (stream == null) throw new ArgumentNullException(nameof(stream));
            return new Reader(SeekableStream(stream), new SymbolBudget(), CancellationToken.None).ReadNamedSections(ET_EXEC, ET_DYN);
        }

        private static Stream SeekableStream(Stream stream)
        {
            if (stream.CanSeek) return stream;
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            return copy;
        }

        /// <summary>
        /// The whole layout of an ELF file held in memory: class, byte order, type, section headers and the symbol
        /// table (.symtab, else .dynsym) with its string table. What renaming and static-library indexing read.
        /// </summary>
        /// <param name="data">The ELF file.</param>
        /// <param name="budget">What the symbols read count against (a new budget when null): the pass's, so that reading many objects is bounded too.</param>
        /// <param name="cancellationToken">Stops reading a large symbol table.</param>
        /// <returns>Null when the data is not ELF, or is an ELF file of another kind (executable, core dump).</returns>
        /// <exception cref="InvalidDataException">The data starts like ELF but its structures are inconsistent.</exception>
        /// <exception cref="ObjectCodeTooLargeException">A symbol name, or the symbols read, are over <see cref="ObjectCodeLimits"/>.</exception>
        internal static ElfSymbolTable ReadTable(byte[] data, SymbolBudget budget = null, CancellationToken cancellationToken = default)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            return new Reader(new MemoryStream(data, writable: false), budget ?? new SymbolBudget(), cancellationToken).ReadTable();
        }

        /// <summary>The global definitions of a table <see cref="ReadTable"/> read, each name once, in symbol table order.</summary>
        internal static IReadOnlyList<string> GlobalDefinitions(ElfSymbolTable table) => Definitions(table, s => s.IsGlobalDefinition);

        /// <summary>The weak definitions of a table (LLVM's runtime pointers, __TVMAPISetLastError), each name once.</summary>
        internal static IReadOnlyList<string> WeakDefinitions(ElfSymbolTable table) =>
            Definitions(table, s => s.Binding == STB_WEAK && s.IsDefined && s.Kind != STT_SECTION && s.Kind != STT_FILE);

        /// <summary>The symbols a table references but does not define (the functions the object calls elsewhere), each name once.</summary>
        internal static IReadOnlyList<string> Undefined(ElfSymbolTable table) =>
            Definitions(table, s => !s.IsDefined && s.Kind != STT_SECTION && s.Kind != STT_FILE);

        private static IReadOnlyList<string> Definitions(ElfSymbolTable table, Func<ElfSymbol, bool> wanted)
        {
            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var symbol in table.Symbols)
            {
                if (!wanted(symbol)) continue;
                string name = table.NameOf(symbol);
                if (name.Length > 0 && seen.Add(name)) names.Add(name);
            }
            return names;
        }

        internal static string ReadSymbolName(byte[] strings, uint offset, ulong section) => Reader.ReadName(strings, offset, section);

        internal static InvalidDataException Corrupt(string detail) => Reader.Corrupt(detail);

        private sealed class Reader
        {
            private readonly Stream _stream;
            private readonly long _start;
            private readonly ulong _length;
            private readonly SymbolBudget _budget;
            private readonly CancellationToken _cancellationToken;
            private bool _is64;
            private bool _bigEndian;
            private int _sectionNames;

            public Reader(Stream stream, SymbolBudget budget, CancellationToken cancellationToken)
            {
                _stream = stream;
                _start = stream.Position;
                _length = (ulong)Math.Max(0, stream.Length - _start);
                _budget = budget;
                _cancellationToken = cancellationToken;
            }

            public IReadOnlyList<string> Read()
            {
                var table = ReadTable();
                return table == null ? null : GlobalDefinitions(table);
            }

            /// <summary>The section headers with their names, or null for data that is not ELF or of neither of the two types.</summary>
            public IReadOnlyList<ElfNamedSection> ReadNamedSections(int type, int otherType)
            {
                var table = ReadTable(readSymbols: false, type, otherType);
                if (table == null) return null;
                var sections = table.Sections;
                byte[] names = Array.Empty<byte>();
                int index = 0;
                if (_sectionNames != SHN_UNDEF && sections.Count > 0)
                {
                    index = _sectionNames == SHN_XINDEX ? (int)Math.Min(sections[0].Link, int.MaxValue) : _sectionNames;
                    if (index >= sections.Count)
                    {
                        throw Corrupt($"e_shstrndx names section {index}, which does not exist ({sections.Count} sections)");
                    }
                    names = ReadRange(sections[index].Offset, sections[index].Size, $"section name table (section {index})");
                }
                var named = new ElfNamedSection[sections.Count];
                for (int i = 0; i < named.Length; i++)
                {
                    string name = names.Length == 0 ? string.Empty : ReadName(names, sections[i].NameOffset, (ulong)index);
                    named[i] = new ElfNamedSection(name, sections[i]);
                }
                return named;
            }

            /// <summary>
            /// The layout and the symbol table (unless <paramref name="readSymbols"/> is false), or null for data that is not
            /// ELF or not of the types asked for (by default those linked into an image: relocatable and shared objects).
            /// </summary>
            public ElfSymbolTable ReadTable(bool readSymbols = true, int type = ET_REL, int otherType = ET_DYN)
            {
                var ident = new byte[16];
                int got = ReadAvailable(0, ident);
                if (got < 4 || ident[0] != 0x7F || ident[1] != (byte)'E' || ident[2] != (byte)'L' || ident[3] != (byte)'F') return null;
                if (got < 16) throw Corrupt($"the data ends inside the ELF identification ({_length} bytes)");
                _is64 = ident[4] switch
                {
                    ELFCLASS32 => false,
                    ELFCLASS64 => true,
                    _ => throw Corrupt($"unknown ELF class {ident[4]} (expected 1 for ELF32 or 2 for ELF64)"),
                };
                _bigEndian = ident[5] switch
                {
                    ELFDATA2LSB => false,
                    ELFDATA2MSB => true,
                    _ => throw Corrupt($"unknown ELF data encoding {ident[5]} (expected 1 for little or 2 for big endian)"),
                };

                int headerSize = _is64 ? 64 : 52;
                byte[] header = ReadRange(0, (ulong)headerSize, "ELF header");
                int fileType = U16(header, 16);
                if (fileType != type && fileType != otherType) return null;
                type = fileType;
                _sectionNames = U16(header, _is64 ? 62 : 50);
                ulong sectionTableOffset = _is64 ? U64(header, 40) : U32(header, 32);
                int entrySize = U16(header, _is64 ? 58 : 46);
                ulong sectionCount = (ulong)U16(header, _is64 ? 60 : 48);
                bool extendedCount = sectionCount == 0;
                var empty = new ElfSymbolTable(_is64, _bigEndian, type, sectionTableOffset, entrySize, false, Array.Empty<ElfSection>(), -1, Array.Empty<ElfSymbol>(), Array.Empty<byte>());
                if (sectionTableOffset == 0) return empty;

                int expectedEntrySize = _is64 ? 64 : 40;
                if (entrySize != expectedEntrySize)
                {
                    throw Corrupt($"e_shentsize is {entrySize}; an ELF{(_is64 ? 64 : 32)} section header is {expectedEntrySize} bytes");
                }
                if (sectionCount == 0)
                {
                    // More than 0xff00 sections: the count is kept in section header 0's sh_size.
                    byte[] zero = ReadRange(sectionTableOffset, (ulong)entrySize, "section header 0");
                    sectionCount = _is64 ? U64(zero, 32) : U32(zero, 20);
                    if (sectionCount == 0) return empty;
                }
                if (sectionCount > _length / (ulong)entrySize)
                {
                    throw Corrupt($"the section header table ({sectionCount} entries of {entrySize} bytes at offset {sectionTableOffset}) is larger than the data ({_length} bytes)");
                }
                byte[] table = ReadRange(sectionTableOffset, sectionCount * (ulong)entrySize, "section header table");
                var sections = new ElfSection[sectionCount];
                for (ulong i = 0; i < sectionCount; i++) sections[i] = ParseSection(table, (int)(i * (ulong)entrySize));

                int symbolTable = Array.FindIndex(sections, s => s.Type == SHT_SYMTAB);
                if (symbolTable < 0) symbolTable = Array.FindIndex(sections, s => s.Type == SHT_DYNSYM);
                if (symbolTable < 0 || !readSymbols) return new ElfSymbolTable(_is64, _bigEndian, type, sectionTableOffset, entrySize, extendedCount, sections, -1, Array.Empty<ElfSymbol>(), Array.Empty<byte>());
                var (symbols, strings) = ReadSymbols(sections, symbolTable, (ulong)headerSize, sectionTableOffset, sectionCount * (ulong)entrySize);
                return new ElfSymbolTable(_is64, _bigEndian, type, sectionTableOffset, entrySize, extendedCount, sections, symbolTable, symbols, strings);
            }

            private (ElfSymbol[] Symbols, byte[] Strings) ReadSymbols(ElfSection[] sections, int index, ulong headerSize, ulong sectionTableOffset, ulong sectionTableSize)
            {
                var symtab = sections[index];
                ulong symbolSize = _is64 ? 24UL : 16UL;
                if (symtab.EntrySize != symbolSize)
                {
                    throw Corrupt($"the symbol table (section {index}) has sh_entsize {symtab.EntrySize}; an ELF{(_is64 ? 64 : 32)} symbol is {symbolSize} bytes");
                }
                if (symtab.Size % symbolSize != 0)
                {
                    throw Corrupt($"the symbol table (section {index}) is {symtab.Size} bytes, not a whole number of {symbolSize}-byte symbols");
                }
                if (symtab.Link == 0 || symtab.Link >= (ulong)sections.Length)
                {
                    throw Corrupt($"the symbol table (section {index}) links to string table section {symtab.Link}, which does not exist ({sections.Length} sections)");
                }
                var strtab = sections[symtab.Link];
                if (strtab.Type != SHT_STRTAB)
                {
                    throw Corrupt($"the symbol table (section {index}) links to section {symtab.Link}, which is not a string table (type {strtab.Type})");
                }
                byte[] symbols = ReadRange(symtab.Offset, symtab.Size, $"symbol table (section {index})");
                int count = symbols.Length / (int)symbolSize;
                _budget.Take((long)count * ObjectCodeLimits.SymbolEntryCost);
                byte[] strings = ReadRange(strtab.Offset, strtab.Size, $"string table (section {symtab.Link})");
                // Renaming writes into the symbol table: it may not share bytes with the ELF header, the section header
                // table or its own string table, which would then change too.
                if (symtab.Size > 0)
                {
                    if (symtab.Offset < headerSize) throw Corrupt($"the symbol table (section {index}, offset {symtab.Offset}, {symtab.Size} bytes) lies over the ELF header ({headerSize} bytes)");
                    if (Overlap(symtab.Offset, symtab.Size, sectionTableOffset, sectionTableSize)) throw Corrupt($"the symbol table (section {index}, offset {symtab.Offset}, {symtab.Size} bytes) lies over the section header table (offset {sectionTableOffset}, {sectionTableSize} bytes)");
                    if (Overlap(symtab.Offset, symtab.Size, strtab.Offset, strtab.Size)) throw Corrupt($"the symbol table (section {index}, offset {symtab.Offset}, {symtab.Size} bytes) lies over its string table (section {symtab.Link}, offset {strtab.Offset}, {strtab.Size} bytes)");
                }

                var list = new ElfSymbol[count];
                for (int i = 0; i < list.Length; i++)
                {
                    if ((i & 0xFFF) == 0) _cancellationToken.ThrowIfCancellationRequested();
                    int offset = i * (int)symbolSize;
                    list[i] = new ElfSymbol(i, offset, U32(symbols, offset), symbols[offset + (_is64 ? 4 : 12)], U16(symbols, offset + (_is64 ? 6 : 14)));
                    // Every name is checked and counted here, so that a corrupt one fails the read and reading all of them is bounded.
                    if (i > 0) _budget.Take(NameLength(strings, list[i].NameOffset, symtab.Link));
                }
                return (list, strings);
            }

            private static bool Overlap(ulong start, ulong size, ulong otherStart, ulong otherSize) =>
                size > 0 && otherSize > 0 && start < otherStart + otherSize && otherStart < start + size;

            /// <summary>The length of the name at <paramref name="offset"/>, found within <see cref="ObjectCodeLimits.MaximumSymbolNameBytes"/>.</summary>
            private static int NameLength(byte[] strings, uint offset, ulong section)
            {
                if (offset >= (ulong)strings.Length)
                {
                    throw Corrupt($"a symbol name starts at offset {offset}, past the end of its string table (section {section}, {strings.Length} bytes)");
                }
                int searched = Math.Min(strings.Length - (int)offset, ObjectCodeLimits.MaximumSymbolNameBytes + 1);
                int end = Array.IndexOf(strings, (byte)0, (int)offset, searched);
                if (end >= 0) return end - (int)offset;
                if (searched > ObjectCodeLimits.MaximumSymbolNameBytes)
                {
                    throw new ObjectCodeTooLargeException($"it holds a symbol name longer than {ObjectCodeLimits.MaximumSymbolNameBytes >> 10} KiB (at offset {offset} of string table section {section})");
                }
                throw Corrupt($"the symbol name at offset {offset} of string table section {section} is not terminated");
            }

            /// <summary>The name's bytes as Latin-1 text, one char per byte, as C sources are read: names are bytes, not UTF-8.</summary>
            internal static string ReadName(byte[] strings, uint offset, ulong section) =>
                Latin1.GetString(strings, (int)offset, NameLength(strings, offset, section));

            private ElfSection ParseSection(byte[] table, int at) =>
                _is64
                    ? new ElfSection(U32(table, at + 4), U64(table, at + 24), U64(table, at + 32), U32(table, at + 40), U64(table, at + 56), U64(table, at + 8), U32(table, at))
                    : new ElfSection(U32(table, at + 4), U32(table, at + 16), U32(table, at + 20), U32(table, at + 24), U32(table, at + 36), U32(table, at + 8), U32(table, at));

            /// <summary>Reads [offset, offset + size) of the ELF data after checking it lies within the data.</summary>
            private byte[] ReadRange(ulong offset, ulong size, string what)
            {
                if (offset > _length || size > _length - offset)
                {
                    throw Corrupt($"the {what} (offset {offset}, {size} bytes) extends past the end of the data ({_length} bytes)");
                }
                var buffer = new byte[size];
                _stream.Position = _start + (long)offset;
                int total = 0;
                while (total < buffer.Length)
                {
                    int read = _stream.Read(buffer, total, buffer.Length - total);
                    if (read <= 0) throw Corrupt($"the data ended while reading the {what}");
                    total += read;
                }
                return buffer;
            }

            private int ReadAvailable(ulong offset, byte[] buffer)
            {
                _stream.Position = _start + (long)offset;
                int total = 0;
                while (total < buffer.Length)
                {
                    int read = _stream.Read(buffer, total, buffer.Length - total);
                    if (read <= 0) break;
                    total += read;
                }
                return total;
            }

            private int U16(byte[] b, int at) =>
                _bigEndian ? (b[at] << 8) | b[at + 1] : b[at] | (b[at + 1] << 8);

            private uint U32(byte[] b, int at) =>
                _bigEndian
                    ? ((uint)b[at] << 24) | ((uint)b[at + 1] << 16) | ((uint)b[at + 2] << 8) | b[at + 3]
                    : b[at] | ((uint)b[at + 1] << 8) | ((uint)b[at + 2] << 16) | ((uint)b[at + 3] << 24);

            private ulong U64(byte[] b, int at) =>
                _bigEndian
                    ? ((ulong)U32(b, at) << 32) | U32(b, at + 4)
                    : U32(b, at) | ((ulong)U32(b, at + 4) << 32);

            internal static InvalidDataException Corrupt(string detail) => new InvalidDataException("Corrupt ELF object: " + detail + ".");
        }
    }
}
