namespace MlfTools.Linking
{
    /// <summary>The bytes of a linked image a part (an object, a library member, a module: what the caller groups by) brought.</summary>
    internal sealed class LinkedPart
    {
        public LinkedPart(string name, CodeSize size)
        {
            Name = name;
            Size = size;
        }

        public string Name { get; }

        public CodeSize Size { get; }

        public long CodeBytes => Size.CodeBytes;

        public long ReadOnlyDataBytes => Size.ReadOnlyDataBytes;

        public long DataBytes => Size.DataBytes;

        public long ZeroInitBytes => Size.ZeroInitBytes;

        public override string ToString() => $"{Name}: {Size}";
    }
}
