using MlfTools.Archive;
using MlfTools.Rename;

namespace MlfTools.Join
{
    internal enum ContentTransform
    {
        Copy,
        RenameCSource,
        RenameText,
        RenameObject,
    }

    /// <summary>One file of the joined archive: where it goes and where its bytes come from.</summary>
    internal sealed class PlannedFile
    {
        public string OutputPath { get; set; }
        public string Kind { get; set; }

        /// <summary>The module the file came from; null for files the join makes (metadata.json).</summary>
        public MlfModule Module { get; set; }
        public ArchiveMember Member { get; set; }
        public ContentTransform Transform { get; set; }
        public ModuleRenamer Renamer { get; set; }
        public byte[] Generated { get; set; }

        public long SizeHint => Generated?.LongLength ?? Member.Size;

        public override string ToString() => OutputPath;
    }
}
