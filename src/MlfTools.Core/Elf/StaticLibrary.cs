using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace MlfTools.Elf
{
    /// <summary>
    /// A static library in the common (System V / GNU) ar format: "!&lt;arch&gt;\n", then members each behind a 60-byte
    /// header and padded to an even size. The member "/" (or "/SYM64/") is the symbol index linkers search, "//" holds
    /// member names longer than 15 characters.
    /// </summary>
    internal sealed class StaticLibrary
    {
        public const string Magic = "!<arch>\n";
        private const int HeaderSize = 60;
        private const string Index32 = "/";
        private const string Index64 = "/SYM64/";
        private const string LongNames = "//";

        private readonly byte[] _data;
        private readonly ArMember _longNames;

        private StaticLibrary(byte[] data, List<ArMember> members)
        {
            _data = data;
            Members = members;
            _longNames = members.FirstOrDefault(m => m.RawName == LongNames);
        }

        /// <summary>Every member, the index and the long-name table included, in archive order.</summary>
        public IReadOnlyList<ArMember> Members { get; }

        /// <summary>True when the library has a symbol index ("/" or "/SYM64/"), which linkers need to use it.</summary>
        public bool HasIndex => Members.Any(m => m.IsIndex);

        /// <summary>The members that are files of the library: not the index, not the long-name table.</summary>
        public IEnumerable<ArMember> Files => Members.Where(m => !m.IsIndex && m.RawName != LongNames);

        public static bool IsStaticLibrary(byte[] data) =>
            data != null && data.Length >= Magic.Length && Encoding.ASCII.GetString(data, 0, Magic.Length) == Magic;

        /// <summary>
        /// The library's members, in time linear in their number. Like binutils, which reads each member header with one
        /// 60-byte read and takes a short read for the end of the archive (bfd_error_no_more_archived_files), fewer than
        /// 60 bytes after the last member end the library whatever they are: GNU ar, nm and ld all accept them.
        /// </summary>
        /// <exception cref="InvalidDataException">The data is not an ar archive, a member header is not one, or a member runs past the end.</exception>
        /// <exception cref="ObjectCodeTooLargeException">More members than <see cref="ObjectCodeLimits.MaximumLibraryMembers"/>.</exception>
        public static StaticLibrary Read(byte[] data, CancellationToken cancellationToken = default)
        {
            if (!IsStaticLibrary(data)) throw Corrupt("it does not start with \"!<arch>\\n\"");
            var members = new List<ArMember>();
            long at = Magic.Length;
            while (data.Length - at >= HeaderSize)
            {
                if ((members.Count & 0x3FF) == 0) cancellationToken.ThrowIfCancellationRequested();
                if (members.Count >= ObjectCodeLimits.MaximumLibraryMembers)
                {
                    throw new ObjectCodeTooLargeException($"it is a static library of more than {Text.ByteCount.Number(ObjectCodeLimits.MaximumLibraryMembers)} members");
                }
                if (data[at + 58] != (byte)'`' || data[at + 59] != (byte)'\n') throw Corrupt($"the member header at offset {at} does not end in \"`\\n\"");
                string rawName = Encoding.ASCII.GetString(data, (int)at, 16).TrimEnd(' ');
                string sizeText = Encoding.ASCII.GetString(data, (int)at + 48, 10).Trim(' ');
                if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                {
                    throw Corrupt($"the member header at offset {at} has the size '{sizeText}', not a decimal number");
                }
                long dataOffset = at + HeaderSize;
                if (size > data.Length - dataOffset) throw Corrupt($"member '{rawName}' at offset {at} ({size} bytes) runs past the end of the data");
                members.Add(new ArMember(at, rawName, dataOffset, size));
                at = dataOffset + size + (size & 1);
            }
            var library = new StaticLibrary(data, members);
            foreach (var member in library.Files)
            {
                member.Library = library;
                if (LongNameOffset(member.RawName) is long offset && (library._longNames == null || offset >= library._longNames.Size))
                {
                    throw Corrupt($"member name '{member.RawName}' points outside the long-name table");
                }
            }
            return library;
        }

        public byte[] DataOf(ArMember member)
        {
            var bytes = new byte[member.Size];
            Buffer.BlockCopy(_data, (int)member.DataOffset, bytes, 0, bytes.Length);
            return bytes;
        }

        /// <summary>
        /// The library with every member's symbols renamed by <see cref="ElfSymbolRenamer"/> and, when it had one, its
        /// index rebuilt as GNU ranlib writes it for the renamed members. Member headers, the long-name table and member
        /// order are kept; only sizes and offsets change.
        /// </summary>
        /// <exception cref="InvalidDataException">A member is not a relocatable ELF object or is corrupt.</exception>
        /// <exception cref="ObjectCodeTooLargeException">The members' symbols are over <see cref="ObjectCodeLimits"/>.</exception>
        public byte[] Rename(Func<string, string> rename, out int renamed, SymbolBudget budget, CancellationToken cancellationToken)
        {
            renamed = 0;
            var contents = new List<(ArMember Member, byte[] Data)>();
            foreach (var member in Members.Where(m => !m.IsIndex))
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[] data = DataOf(member);
                if (member.RawName != LongNames)
                {
                    try
                    {
                        data = ElfSymbolRenamer.Rename(data, rename, out int count, budget, cancellationToken);
                        renamed += count;
                    }
                    catch (InvalidDataException ex)
                    {
                        throw new InvalidDataException($"Its member '{member.Name}': {ex.Message}", ex);
                    }
                }
                contents.Add((member, data));
            }
            var index = Members.FirstOrDefault(m => m.IsIndex);
            return Write(contents, index, budget, cancellationToken);
        }

        /// <summary>
        /// The library's files with <paramref name="contents"/>, behind a symbol index when <paramref name="index"/> is
        /// given (its header's date, owner and mode are kept). The index is what binutils' ranlib writes: the defined
        /// global, weak and unique symbols of each ELF member in member order and symbol table order, each with the
        /// offset of its member's header; 32-bit ("/", padded to an even size with a NUL) unless the original was
        /// "/SYM64/" or an offset needs 64 bits ("/SYM64/", padded to a multiple of 8).
        /// </summary>
        private byte[] Write(List<(ArMember Member, byte[] Data)> contents, ArMember index, SymbolBudget budget, CancellationToken cancellationToken)
        {
            var entries = new List<(int Member, string Name)>();
            if (index != null)
            {
                for (int i = 0; i < contents.Count; i++)
                {
                    if (contents[i].Member.RawName == LongNames) continue;
                    var table = ElfSymbolReader.ReadTable(contents[i].Data, budget, cancellationToken);
                    if (table == null || table.SymbolTableIndex < 0) continue;
                    foreach (var symbol in table.Symbols.Where(s => s.IsIndexed)) entries.Add((i, table.NameOf(symbol)));
                }
            }
            var names = entries.Select(e => Latin1.GetBytes(e.Name)).ToList();
            long stringBytes = names.Sum(n => (long)n.Length + 1);
            long filesSize = contents.Sum(c => HeaderSize + c.Data.Length + (c.Data.Length & 1L));

            bool wide = index != null && index.RawName == Index64;
            long IndexSize(bool sym64)
            {
                long size = (sym64 ? 8 : 4) * (1L + entries.Count) + stringBytes;
                return sym64 ? (size + 7) & ~7L : (size + 1) & ~1L;
            }
            if (index != null && !wide && Magic.Length + HeaderSize + IndexSize(false) + filesSize > uint.MaxValue) wide = true;
            long indexSize = index == null ? 0 : IndexSize(wide);

            var offsets = new long[contents.Count];
            long at = Magic.Length + (index == null ? 0 : HeaderSize + indexSize);
            for (int i = 0; i < contents.Count; i++)
            {
                offsets[i] = at;
                at += HeaderSize + contents[i].Data.Length + (contents[i].Data.Length & 1L);
            }

            var output = new MemoryStream(checked((int)at));
            output.Write(Encoding.ASCII.GetBytes(Magic), 0, Magic.Length);
            if (index != null)
            {
                WriteHeader(output, index, wide ? Index64 : Index32, indexSize);
                int width = wide ? 8 : 4;
                WriteBigEndian(output, entries.Count, width);
                foreach (var entry in entries) WriteBigEndian(output, offsets[entry.Member], width);
                foreach (byte[] name in names)
                {
                    output.Write(name, 0, name.Length);
                    output.WriteByte(0);
                }
                while (output.Length < Magic.Length + HeaderSize + indexSize) output.WriteByte(0);
            }
            foreach (var (member, data) in contents)
            {
                WriteHeader(output, member, null, data.Length);
                output.Write(data, 0, data.Length);
                if ((data.Length & 1) != 0) output.WriteByte((byte)'\n');
            }
            return output.ToArray();
        }

        /// <summary>The member's header with its size (and, for the index, its name) replaced.</summary>
        private void WriteHeader(Stream output, ArMember member, string name, long size)
        {
            var header = new byte[HeaderSize];
            Buffer.BlockCopy(_data, (int)member.HeaderOffset, header, 0, HeaderSize);
            if (name != null) Encoding.ASCII.GetBytes(name.PadRight(16)).CopyTo(header, 0);
            string sizeText = size.ToString(CultureInfo.InvariantCulture);
            if (sizeText.Length > 10) throw new InvalidDataException($"Member '{member.Name ?? member.RawName}' would be {size} bytes, too large for an ar header.");
            Encoding.ASCII.GetBytes(sizeText.PadRight(10)).CopyTo(header, 48);
            output.Write(header, 0, HeaderSize);
        }

        private static void WriteBigEndian(Stream output, long value, int width)
        {
            for (int i = width - 1; i >= 0; i--) output.WriteByte((byte)(value >> (8 * i)));
        }

        /// <summary>The offset into "//" that a GNU long name "/123" gives; null for any other name.</summary>
        private static long? LongNameOffset(string raw) =>
            raw.Length > 1 && raw[0] == '/' && raw.Skip(1).All(c => c >= '0' && c <= '9')
                ? long.Parse(raw.Substring(1), CultureInfo.InvariantCulture)
                : (long?)null;

        /// <summary>"name/" (GNU), "/123" (offset into "//", the name ending at "/\n"), or a plain name (BSD ar without long names).</summary>
        private string ResolveName(ArMember member)
        {
            string raw = member.RawName;
            if (LongNameOffset(raw) is long offset)
            {
                long start = _longNames.DataOffset + offset;
                long limit = Math.Min(_longNames.DataOffset + _longNames.Size, start + MaximumNameLength);
                long end = start;
                while (end < limit && _data[end] != (byte)'\n') end++;
                string name = Latin1.GetString(_data, (int)start, (int)(end - start));
                return name.EndsWith("/", StringComparison.Ordinal) ? name.Substring(0, name.Length - 1) : name;
            }
            return raw.EndsWith("/", StringComparison.Ordinal) ? raw.Substring(0, raw.Length - 1) : raw;
        }

        /// <summary>How much of a long name is read: names only serve messages, and no file name is longer (PATH_MAX).</summary>
        private const int MaximumNameLength = 4096;

        private static InvalidDataException Corrupt(string detail) => new InvalidDataException("Corrupt static library: " + detail + ".");

        /// <summary>One member of the library: where its header and data are.</summary>
        internal sealed class ArMember
        {
            public ArMember(long headerOffset, string rawName, long dataOffset, long size)
            {
                HeaderOffset = headerOffset;
                RawName = rawName;
                DataOffset = dataOffset;
                Size = size;
            }

            public long HeaderOffset { get; }

            /// <summary>The name field as written, trailing spaces removed ("/", "//", "name.o/", "/42").</summary>
            public string RawName { get; }

            /// <summary>The file name of a library file (long names resolved, when first asked for); null for the index and the long-name table.</summary>
            public string Name => _name ?? (_name = Library?.ResolveName(this));

            private string _name;

            /// <summary>The library that resolves the name of a file; null for the index and the long-name table.</summary>
            internal StaticLibrary Library { get; set; }

            public long DataOffset { get; }

            public long Size { get; }

            public bool IsIndex => RawName == Index32 || RawName == Index64;
        }
    }
}
