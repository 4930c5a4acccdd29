namespace MlfTools.Elf
{
    /// <summary>
    /// The ELF constants MlfTools reads and writes, named as in the System V ABI's &lt;elf.h&gt;: the one place they are
    /// defined, for the readers, the renamer and the checks of <see cref="ObjectCode"/>.
    /// </summary>
    internal static class ElfConstants
    {
        /// <summary>e_ident[EI_CLASS]: a 32-bit object.</summary>
        public const byte ELFCLASS32 = 1;

        /// <summary>e_ident[EI_CLASS]: a 64-bit object.</summary>
        public const byte ELFCLASS64 = 2;

        /// <summary>e_ident[EI_DATA]: little endian.</summary>
        public const byte ELFDATA2LSB = 1;

        /// <summary>e_ident[EI_DATA]: big endian.</summary>
        public const byte ELFDATA2MSB = 2;

        /// <summary>e_type: a relocatable object.</summary>
        public const int ET_REL = 1;

        /// <summary>e_type: an executable, linked already.</summary>
        public const int ET_EXEC = 2;

        /// <summary>e_type: a shared object.</summary>
        public const int ET_DYN = 3;

        /// <summary>e_type: a core dump.</summary>
        public const int ET_CORE = 4;

        /// <summary>sh_type: a symbol table.</summary>
        public const uint SHT_SYMTAB = 2;

        /// <summary>sh_type: a string table.</summary>
        public const uint SHT_STRTAB = 3;

        /// <summary>sh_type: a section that occupies no bytes in the file (.bss).</summary>
        public const uint SHT_NOBITS = 8;

        /// <summary>sh_type: the dynamic linking symbol table.</summary>
        public const uint SHT_DYNSYM = 11;

        /// <summary>sh_flags: writable at run time.</summary>
        public const ulong SHF_WRITE = 0x1;

        /// <summary>sh_flags: occupies memory at run time.</summary>
        public const ulong SHF_ALLOC = 0x2;

        /// <summary>sh_flags: executable instructions.</summary>
        public const ulong SHF_EXECINSTR = 0x4;

        /// <summary>st_shndx: an undefined symbol.</summary>
        public const int SHN_UNDEF = 0;

        /// <summary>The first reserved section index: a count or index from here up does not fit its 16-bit field.</summary>
        public const int SHN_LORESERVE = 0xFF00;

        /// <summary>e_shstrndx: the index is in section header 0's sh_link.</summary>
        public const int SHN_XINDEX = 0xFFFF;

        /// <summary>Symbol binding: local.</summary>
        public const int STB_LOCAL = 0;

        /// <summary>Symbol binding: global.</summary>
        public const int STB_GLOBAL = 1;

        /// <summary>Symbol binding: weak.</summary>
        public const int STB_WEAK = 2;

        /// <summary>Symbol binding: GNU unique.</summary>
        public const int STB_GNU_UNIQUE = 10;

        /// <summary>Symbol type: a section.</summary>
        public const int STT_SECTION = 3;

        /// <summary>Symbol type: a source file.</summary>
        public const int STT_FILE = 4;
    }
}
