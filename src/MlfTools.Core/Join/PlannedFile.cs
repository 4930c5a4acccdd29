using System.IO;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.Rename;
using MlfTools.Symbols;

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

        /// <summary>The bytes written for a file with a transform other than Copy: its member read whole and transformed.</summary>
        public byte[] ReadTransformed(ArchiveContent content, CancellationToken cancellationToken)
        {
            if (Transform == ContentTransform.RenameCSource) CSourceLimits.CheckSize(Member.Size, Module.Archive.SourcePath, Member.Path);
            byte[] input = content.ReadAll(Member, cancellationToken);
            switch (Transform)
            {
                case ContentTransform.RenameCSource:
                    return Renamer.RenameCSource(input);
                case ContentTransform.RenameText:
                    return Renamer.RenameText(input);
                case ContentTransform.RenameObject:
                    try
                    {
                        return ObjectCode.Rename(input, Renamer);
                    }
                    catch (InvalidDataException ex)
                    {
                        throw ObjectCode.CannotRename(Module, Member.Path, ex.Message);
                    }
                default:
                    return input;
            }
        }

        public override string ToString() => OutputPath;
    }
}
