namespace MlfTools.Elf
{
    /// <summary>A section header with its name from the section header string table.</summary>
    internal readonly struct ElfNamedSection
    {
        public ElfNamedSection(string name, ElfSection section)
        {
            Name = name;
            Section = section;
        }

        public string Name { get; }

        public ElfSection Section { get; }
    }
}
