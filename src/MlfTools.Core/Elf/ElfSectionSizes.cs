using MlfTools.Text;
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
            var sum = new Sum();
            foreach (var section in sections) sum.Add(Classify(section.Flags, section.Type), section.Size);
            return sum.ToCodeSize();
        }

        /// <summary>
        /// The one rule for what a section occupies, for objects and linked images alike: not allocated, code
        /// (executable), zero-initialised (NOBITS), data (writable) or read-only data.
        /// </summary>
        public static ElfSectionClass Classify(ulong flags, uint type)
        {
            if ((flags & SHF_ALLOC) == 0) return ElfSectionClass.NotAllocated;
            if ((flags & SHF_EXECINSTR) != 0) return ElfSectionClass.Code;
            if (type == SHT_NOBITS) return ElfSectionClass.ZeroInit;
            if ((flags & SHF_WRITE) != 0) return ElfSectionClass.Data;
            return ElfSectionClass.ReadOnlyData;
        }

        /// <summary>Byte counts summed by class (saturating); sizes of <see cref="ElfSectionClass.NotAllocated"/> are dropped.</summary>
        internal sealed class Sum
        {
            private long _code, _readOnly, _data, _zero;

            public void Add(ElfSectionClass kind, ulong size) => Add(kind, size > long.MaxValue ? long.MaxValue : (long)size);

            public void Add(ElfSectionClass kind, long size)
            {
                switch (kind)
                {
                    case ElfSectionClass.Code: _code = Saturating.Add(_code, size); break;
                    case ElfSectionClass.ReadOnlyData: _readOnly = Saturating.Add(_readOnly, size); break;
                    case ElfSectionClass.Data: _data = Saturating.Add(_data, size); break;
                    case ElfSectionClass.ZeroInit: _zero = Saturating.Add(_zero, size); break;
                }
            }

            public CodeSize ToCodeSize() => new CodeSize(_code, _readOnly, _data, _zero);
        }
    }
}
