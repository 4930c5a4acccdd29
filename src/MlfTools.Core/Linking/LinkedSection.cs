using MlfTools.Elf;

namespace MlfTools.Linking
{
    /// <summary>An allocated section of a linked ELF image, from its section header.</summary>
    internal sealed class LinkedSection
    {
        public LinkedSection(string name, long size, ulong flags, uint type)
        {
            Name = name;
            Size = size;
            Flags = flags;
            Type = type;
            Class = ElfSectionSizes.Classify(flags, type);
        }

        public string Name { get; }

        public long Size { get; }

        /// <summary>sh_flags: SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR, ...</summary>
        public ulong Flags { get; }

        /// <summary>sh_type: SHT_PROGBITS, SHT_NOBITS, ...</summary>
        public uint Type { get; }

        /// <summary>Code, read-only data, data or zero-initialised data, by the rule that sizes objects (<see cref="ElfSectionSizes.Classify"/>).</summary>
        public ElfSectionClass Class { get; }

        public override string ToString() => $"{Name} {Size} {Class}";
    }
}
