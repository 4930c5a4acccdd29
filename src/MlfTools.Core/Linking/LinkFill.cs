namespace MlfTools.Linking
{
    /// <summary>Padding the linker put between input sections of an output section, as a map's "*fill*" line gives it.</summary>
    internal sealed class LinkFill
    {
        public LinkFill(string outputSection, ulong address, long size)
        {
            OutputSection = outputSection;
            Address = address;
            Size = size;
        }

        public string OutputSection { get; }

        public ulong Address { get; }

        public long Size { get; }
    }
}
