using System.IO;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.Rename;
using MlfTools.CSource;

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
            string archive = Module.Archive.SourcePath;
            switch (Transform)
            {
                case ContentTransform.RenameCSource:
                    CSourceLimits.CheckSize(Member.Size, archive, Member.Path);
                    return Renamer.RenameCSource(content.ReadAll(Member, cancellationToken));
                case ContentTransform.RenameText:
                    // A graph config also names the module's unprefixed kernels, as string values; Relay text is renamed by the identity alone.
                    return Kind == MlfFileKind.Graph
                        ? Renamer.RenameGraph(content.ReadAll(Member, cancellationToken))
                        : Renamer.RenameText(content.ReadAll(Member, cancellationToken));
                case ContentTransform.RenameObject:
                    try
                    {
                        return ObjectCode.Rename(ObjectCode.ReadAll(content, Member, archive, cancellationToken), Renamer, cancellationToken);
                    }
                    catch (InvalidDataException ex)
                    {
                        throw ObjectCode.CannotRename(Module, Member.Path, ex.Message);
                    }
                    catch (ObjectCodeTooLargeException ex)
                    {
                        throw ObjectCodeLimits.TooLarge(archive, Member.Path, ex.Why);
                    }
                default:
                    return content.ReadAll(Member, cancellationToken);
            }
        }

        public override string ToString() => OutputPath;
    }
}
