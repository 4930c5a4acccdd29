using MlfTools.Text;
using System;
using System.IO;
using static MlfTools.Elf.ElfConstants;

namespace MlfTools.Elf
{
    /// <summary>
    /// What an ELF object occupies once linked, summed over its allocated sections and classified by section type and
    /// flags, never by name (TVM puts weights in ".rodata.tvm" and workspaces in ".bss.noinit.tvm"): executable sections
    /// are code, NOBITS sections are zero-initialised RAM, writable ones initialised data, the rest read-only data.
    /// Sections without SHF_ALLOC (symbols, debug information, comments) take no memory and are not counted.
    /// </summary>
    internal static class ElfSectionSizes
    {
        /// <summary>The object's code, read-only data, initialised data and zero-initialised data, or null when the data is not an ELF object.</summary>
        /// <exception cref="InvalidDataException">The data starts like ELF but is inconsistent.</exception>
        public static CodeSize Read(Stream stream)
        {
            var sections = ElfSymbolReader.ReadSections(stream);
            if (sections == null) return null;
            long code = 0, readOnly = 0, data = 0, zero = 0;
            foreach (var section in sections)
            {
                if ((section.Flags & SHF_ALLOC) == 0) continue;
                long size = section.Size > long.MaxValue ? long.MaxValue : (long)section.Size;
                if ((section.Flags & SHF_EXECINSTR) != 0) code = Saturating.Add(code, size);
                else if (section.Type == SHT_NOBITS) zero = Saturating.Add(zero, size);
                else if ((section.Flags & SHF_WRITE) != 0) data = Saturating.Add(data, size);
                else readOnly = Saturating.Add(readOnly, size);
            }
            return new CodeSize(code, readOnly, data, zero);
        }
    }
}
