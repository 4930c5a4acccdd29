namespace MlfTools
{
    /// <summary>One file of a module: what it is, where it sits in the archive, how big it is.</summary>
    public sealed class MlfFile
    {
        public MlfFile(string kind, string path, long size)
        {
            Kind = kind;
            Path = path;
            Size = size;
        }

        /// <summary>One of the <see cref="MlfFileKind"/> values.</summary>
        public string Kind { get; }

        /// <summary>Relative to the archive root, '/' separated, without a leading "./".</summary>
        public string Path { get; }

        public long Size { get; }

        public override string ToString() => Path;
    }
}
