using System.Collections.Generic;

namespace MlfTools.Linking
{
    /// <summary>An output section a map file places: ".data 0x20000000 0x68 load address 0x0800858c".</summary>
    internal sealed class LinkOutputSection
    {
        public LinkOutputSection(string name, ulong address, long size, ulong? loadAddress)
        {
            Name = name;
            Address = address;
            Size = size;
            LoadAddress = loadAddress;
        }

        public string Name { get; }

        /// <summary>The run-time address (VMA).</summary>
        public ulong Address { get; }

        public long Size { get; }

        /// <summary>Where its contents are stored (LMA) when the map gives one apart from the address, else null.</summary>
        public ulong? LoadAddress { get; }

        /// <summary>The first address after it (saturating at the top of the address space).</summary>
        /// <summary>The input sections placed in it, in map order.</summary>
        public IReadOnlyList<LinkedInput> Inputs => InputList;

        /// <summary>The linker's padding between them ("*fill*"), in map order.</summary>
        public IReadOnlyList<LinkFill> Fills => FillList;

        internal List<LinkedInput> InputList { get; } = new List<LinkedInput>();

        internal List<LinkFill> FillList { get; } = new List<LinkFill>();

        public ulong End => Address > ulong.MaxValue - (ulong)Size ? ulong.MaxValue : Address + (ulong)Size;
    }
}
