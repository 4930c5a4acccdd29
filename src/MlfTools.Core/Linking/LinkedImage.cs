using MlfTools.Elf;
using System;
using System.Collections.Generic;
using System.IO;

namespace MlfTools.Linking
{
    /// <summary>
    /// What a linked ELF file (a firmware, an executable, a shared object; ELF32 or ELF64, either byte order) occupies,
    /// from its section headers: each allocated section classified as objects are (<see cref="ElfSectionSizes.Classify"/>),
    /// and the totals. Flash holds code, read-only data and the initial values of data; RAM holds data and zero-init.
    /// </summary>
    internal sealed class LinkedImage
    {
        private readonly Dictionary<string, LinkedSection> _byName;

        /// <summary>An image of these sections (those not allocated are left out).</summary>
        internal LinkedImage(IEnumerable<LinkedSection> sections)
        {
            var allocated = new List<LinkedSection>();
            foreach (var section in sections)
            {
                if (section.Class != ElfSectionClass.NotAllocated) allocated.Add(section);
            }
            Sections = allocated;
            _byName = new Dictionary<string, LinkedSection>(StringComparer.Ordinal);
            var sum = new ElfSectionSizes.Sum();
            foreach (var section in allocated)
            {
                if (!_byName.ContainsKey(section.Name)) _byName.Add(section.Name, section);
                sum.Add(section.Class, section.Size);
            }
            Totals = sum.ToCodeSize();
        }

        /// <summary>The allocated sections, in section header order.</summary>
        public IReadOnlyList<LinkedSection> Sections { get; }

        /// <summary>Code, read-only data, data and zero-init bytes, summed over <see cref="Sections"/>.</summary>
        public CodeSize Totals { get; }

        /// <summary>Code + read-only data + data (the initial values).</summary>
        public long FlashBytes => Totals.FlashBytes;

        /// <summary>Data + zero-init.</summary>
        public long RamBytes => Totals.RamBytes;

        /// <summary>The allocated section of that name (the first, should two share it), or null.</summary>
        public LinkedSection Find(string name) => name != null && _byName.TryGetValue(name, out var section) ? section : null;

        /// <summary>The class of the allocated output section of that name; <see cref="ElfSectionClass.NotAllocated"/> for one not allocated or absent.</summary>
        public ElfSectionClass ClassOf(string name) => Find(name)?.Class ?? ElfSectionClass.NotAllocated;

        /// <summary>Reads the section headers of a linked ELF file; null when the data is not ELF, or is a relocatable object or core dump.</summary>
        /// <exception cref="InvalidDataException">The data starts like ELF but its structures are inconsistent.</exception>
        public static LinkedImage Read(Stream stream)
        {
            var headers = ElfSymbolReader.ReadLinkedSections(stream);
            if (headers == null) return null;
            var sections = new List<LinkedSection>();
            foreach (var header in headers)
            {
                var s = header.Section;
                sections.Add(new LinkedSection(header.Name, s.Size > long.MaxValue ? long.MaxValue : (long)s.Size, s.Flags, s.Type));
            }
            return new LinkedImage(sections);
        }
    }
}
