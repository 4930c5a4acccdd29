namespace MlfTools.Linking
{
    /// <summary>
    /// A line of a map's "Archive member included to satisfy reference by file (symbol)" table: why the linker took a
    /// static library member ("libx.a(lib1.o)  b.o (lib_twice)").
    /// </summary>
    internal sealed class ArchiveMemberReference
    {
        public ArchiveMemberReference(string file, string referencedBy, string symbol)
        {
            File = file;
            (Library, Member) = LinkedInput.SplitMember(file);
            ReferencedBy = referencedBy;
            Symbol = symbol;
        }

        /// <summary>The member as the map writes it: "…/libc_nano.a(lib_a-memcpy.o)".</summary>
        public string File { get; }

        /// <summary>The library's path, or null when <see cref="File"/> is not "library(member)".</summary>
        public string Library { get; }

        /// <summary>The member's name, or null when <see cref="File"/> is not "library(member)".</summary>
        public string Member { get; }

        /// <summary>The file whose reference pulled the member in.</summary>
        public string ReferencedBy { get; }

        /// <summary>The symbol it referenced.</summary>
        public string Symbol { get; }
    }
}
