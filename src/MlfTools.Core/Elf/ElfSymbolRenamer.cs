using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace MlfTools.Elf
{
    /// <summary>
    /// Renames symbols of an ELF relocatable object (ELF32 or ELF64, either byte order), changing nothing else.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Symbols are renamed where they are named: the st_name of each renamed entry of the symbol table points at its
    /// new name. Relocations refer to symbols by index and are untouched; so are code, data, debug sections and every
    /// other symbol field. The new names are appended to a copy of the symbol table's string table placed at the end of
    /// the file: unchanged symbols keep their offsets in it.
    /// </para>
    /// <para>
    /// When the string table serves no other section, its section header is pointed at the copy and the original bytes
    /// stay in place, unreferenced. When it is also the section-name table (e_shstrndx, as LLVM writes objects) or
    /// linked from another section, it is kept as it was and the copy becomes a new section of the same name, after the
    /// others; the section header table, with that section added, then moves to the end of the file. Either way every
    /// existing byte keeps its offset.
    /// </para>
    /// </remarks>
    internal static class ElfSymbolRenamer
    {
        /// <summary>The object with <paramref name="rename"/> applied to every symbol's name.</summary>
        /// <param name="elf">A relocatable ELF object.</param>
        /// <param name="rename">The new name of a symbol, or the name itself when it keeps it.</param>
        /// <param name="renamed">How many symbol table entries changed name.</param>
        /// <param name="budget">What the symbols read count against (a new budget when null).</param>
        /// <param name="cancellationToken">Stops reading a large symbol table.</param>
        /// <returns>The renamed object; a copy of the input when no name changed.</returns>
        /// <exception cref="InvalidDataException">The data is not a relocatable ELF object, or is corrupt, or the rename
        /// would give two symbols that bind by name (global, weak, or undefined) one name.</exception>
        /// <exception cref="ObjectCodeTooLargeException">The symbols are over <see cref="ObjectCodeLimits"/>.</exception>
        public static byte[] Rename(byte[] elf, Func<string, string> rename, out int renamed, SymbolBudget budget = null, CancellationToken cancellationToken = default)
        {
            if (elf == null) throw new ArgumentNullException(nameof(elf));
            if (rename == null) throw new ArgumentNullException(nameof(rename));
            var table = ElfSymbolReader.ReadTable(elf, budget, cancellationToken) ?? throw new InvalidDataException("The data is not an ELF object.");
            if (table.Type != ElfConstants.ET_REL)
            {
                throw new InvalidDataException($"The ELF file is of type {table.Type}, not a relocatable object (type 1).");
            }
            renamed = 0;
            if (table.SymbolTableIndex < 0) return (byte[])elf.Clone();

            // The new names, appended to a copy of the string table; a name is added once however many symbols take it.
            var strings = new MemoryStream();
            strings.Write(table.Strings, 0, table.Strings.Length);
            var added = new Dictionary<string, uint>(StringComparer.Ordinal);
            var newOffsets = new List<(ElfSymbol Symbol, uint NameOffset)>();
            var boundNames = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var symbol in table.Symbols)
            {
                if (symbol.Index == 0) continue;
                string name = table.NameOf(symbol);
                string newName = rename(name) ?? name;
                if (symbol.Binding != ElfConstants.STB_LOCAL && name.Length > 0) CheckApart(boundNames, name, newName);
                if (string.Equals(newName, name, StringComparison.Ordinal)) continue;
                if (newName.IndexOf('\0') >= 0) throw new ArgumentException($"The new name of '{name}' holds a NUL character.", nameof(rename));
                if (!added.TryGetValue(newName, out uint offset))
                {
                    offset = checked((uint)strings.Length);
                    byte[] bytes = Latin1.GetBytes(newName);
                    strings.Write(bytes, 0, bytes.Length);
                    strings.WriteByte(0);
                    added[newName] = offset;
                }
                newOffsets.Add((symbol, offset));
            }
            renamed = newOffsets.Count;
            if (renamed == 0) return (byte[])elf.Clone();

            var layout = new Layout(elf, table);
            uint stringTable = table.SymbolTable.Link;
            bool shared = layout.SectionNameTable == stringTable || IsLinkedFromElsewhere(table, stringTable);

            var output = new MemoryStream(elf.Length + (int)strings.Length + (table.Sections.Count + 1) * table.SectionEntrySize + 16);
            output.Write(elf, 0, elf.Length);
            ulong stringsOffset = (ulong)output.Length;
            strings.Position = 0;
            strings.CopyTo(output);
            byte[] result;
            if (!shared)
            {
                result = output.ToArray();
                layout.WriteSectionField(result, layout.SectionTableOffset, (int)stringTable, SectionField.Offset, stringsOffset);
                layout.WriteSectionField(result, layout.SectionTableOffset, (int)stringTable, SectionField.Size, (ulong)strings.Length);
            }
            else
            {
                // A new string table section after the others, and the section header table moved to the end to hold it.
                int alignment = table.Is64 ? 8 : 4;
                while (output.Length % alignment != 0) output.WriteByte(0);
                ulong newTableOffset = (ulong)output.Length;
                int count = table.Sections.Count;
                int entrySize = table.SectionEntrySize;
                output.Write(elf, checked((int)table.SectionTableOffset), count * entrySize);
                output.Write(elf, checked((int)table.SectionTableOffset) + (int)stringTable * entrySize, entrySize);
                result = output.ToArray();
                int newIndex = count;
                layout.WriteSectionField(result, newTableOffset, newIndex, SectionField.Offset, stringsOffset);
                layout.WriteSectionField(result, newTableOffset, newIndex, SectionField.Size, (ulong)strings.Length);
                layout.WriteSectionField(result, newTableOffset, newIndex, SectionField.Link, 0);
                layout.WriteSectionField(result, newTableOffset, newIndex, SectionField.Info, 0);
                layout.WriteSectionField(result, newTableOffset, newIndex, SectionField.Flags, 0);
                layout.WriteSectionField(result, newTableOffset, newIndex, SectionField.Address, 0);
                layout.WriteSectionField(result, newTableOffset, newIndex, SectionField.Alignment, 1);
                layout.WriteSectionField(result, newTableOffset, newIndex, SectionField.EntrySize, 0);
                layout.WriteSectionField(result, newTableOffset, table.SymbolTableIndex, SectionField.Link, (ulong)newIndex);
                layout.SetSectionTable(result, newTableOffset, count + 1);
            }
            if (!table.Is64 && (ulong)result.Length > uint.MaxValue)
            {
                throw new InvalidDataException("The renamed ELF32 object would be larger than 4 GiB.");
            }
            foreach (var (symbol, nameOffset) in newOffsets)
            {
                layout.Write(result, (long)table.SymbolTable.Offset + symbol.EntryOffset, 4, nameOffset);
            }
            return result;
        }

        /// <summary>
        /// Two symbols the linker binds by name must keep different names: a global renamed to the name of another (or
        /// of an undefined reference) would make the linker bind calls to the wrong one.
        /// </summary>
        private static void CheckApart(Dictionary<string, string> boundNames, string name, string newName)
        {
            if (!boundNames.TryGetValue(newName, out string other))
            {
                boundNames[newName] = name;
                return;
            }
            if (string.Equals(other, name, StringComparison.Ordinal)) return;
            throw new InvalidDataException($"renaming would give its symbols '{other}' and '{name}' the one name '{newName}', and the linker would bind one's calls to the other");
        }

        private static bool IsLinkedFromElsewhere(ElfSymbolTable table, uint stringTable)
        {
            for (int i = 0; i < table.Sections.Count; i++)
            {
                if (i != table.SymbolTableIndex && table.Sections[i].Link == stringTable && table.Sections[i].Type != 0) return true;
            }
            return false;
        }

        private enum SectionField
        {
            Flags,
            Address,
            Offset,
            Size,
            Link,
            Info,
            Alignment,
            EntrySize,
        }

        /// <summary>Writes the ELF header and section header fields of one object, in its class and byte order.</summary>
        private sealed class Layout
        {
            private readonly ElfSymbolTable _table;

            public Layout(byte[] elf, ElfSymbolTable table)
            {
                _table = table;
                SectionTableOffset = table.SectionTableOffset;
                int index = (int)Read(elf, table.Is64 ? 62 : 50, 2);
                SectionNameTable = index == ElfConstants.SHN_XINDEX ? table.Sections[0].Link : (uint)index;
            }

            public ulong SectionTableOffset { get; }

            /// <summary>e_shstrndx, followed into section header 0 when the index does not fit the header.</summary>
            public uint SectionNameTable { get; }

            public void SetSectionTable(byte[] data, ulong offset, int count)
            {
                bool is64 = _table.Is64;
                Write(data, is64 ? 40 : 32, is64 ? 8 : 4, offset);
                if (_table.ExtendedCount || count >= ElfConstants.SHN_LORESERVE)
                {
                    Write(data, is64 ? 60 : 48, 2, 0);
                    WriteSectionField(data, offset, 0, SectionField.Size, (ulong)count);
                }
                else
                {
                    Write(data, is64 ? 60 : 48, 2, (ulong)count);
                }
            }

            public void WriteSectionField(byte[] data, ulong tableOffset, int section, SectionField field, ulong value)
            {
                bool is64 = _table.Is64;
                int at;
                switch (field)
                {
                    case SectionField.Flags: at = 8; break;
                    case SectionField.Address: at = is64 ? 16 : 12; break;
                    case SectionField.Offset: at = is64 ? 24 : 16; break;
                    case SectionField.Size: at = is64 ? 32 : 20; break;
                    case SectionField.Link: at = is64 ? 40 : 24; break;
                    case SectionField.Info: at = is64 ? 44 : 28; break;
                    case SectionField.Alignment: at = is64 ? 48 : 32; break;
                    default: at = is64 ? 56 : 36; break;
                }
                int width = !is64 || field == SectionField.Link || field == SectionField.Info ? 4 : 8;
                Write(data, checked((long)tableOffset + (long)section * _table.SectionEntrySize + at), width, value);
            }

            public void Write(byte[] data, long at, int width, ulong value)
            {
                for (int i = 0; i < width; i++)
                {
                    int shift = 8 * (_table.BigEndian ? width - 1 - i : i);
                    data[at + i] = (byte)(value >> shift);
                }
            }

            private ulong Read(byte[] data, long at, int width)
            {
                ulong value = 0;
                for (int i = 0; i < width; i++)
                {
                    int shift = 8 * (_table.BigEndian ? width - 1 - i : i);
                    value |= (ulong)data[at + i] << shift;
                }
                return value;
            }
        }
    }
}
