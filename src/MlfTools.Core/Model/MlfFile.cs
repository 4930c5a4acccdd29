namespace MlfTools
{
    /// <summary>One file of a module: what it is, where it sits in the archive, how big it is.</summary>
    public sealed class MlfFile
    {
        public MlfFile(string kind, string path, long size)
            : this(kind, path, size, path)
        {
        }

        internal MlfFile(string kind, string path, long size, string modulePath)
        {
            Kind = kind;
            Path = path;
            Size = size;
            ModulePath = modulePath;
        }

        /// <summary>One of the <see cref="MlfFileKind"/> values.</summary>
        public string Kind { get; }

        /// <summary>Relative to the archive root, '/' separated, without a leading "./".</summary>
        public string Path { get; }

        public long Size { get; }

        /// <summary>The path inside the module's own tree: Path without the "&lt;module&gt;/" folder of a per-module layout.</summary>
        internal string ModulePath { get; }

        public override string ToString() => Path;
    }
}
