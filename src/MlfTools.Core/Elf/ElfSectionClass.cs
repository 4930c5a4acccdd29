namespace MlfTools.Elf
{
    /// <summary>What an ELF section occupies once loaded, by <see cref="ElfSectionSizes.Classify"/>'s rule.</summary>
    internal enum ElfSectionClass
    {
        /// <summary>No SHF_ALLOC: symbols, debug information, comments; no memory at run time.</summary>
        NotAllocated,

        /// <summary>SHF_EXECINSTR: flash.</summary>
        Code,

        /// <summary>Allocated, neither executable nor writable nor NOBITS: flash.</summary>
        ReadOnlyData,

        /// <summary>Allocated, writable, with contents: the initial values in flash, the data in RAM.</summary>
        Data,

        /// <summary>Allocated SHT_NOBITS (.bss): RAM only.</summary>
        ZeroInit,
    }
}
