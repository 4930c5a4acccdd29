namespace MlfTools.Archive
{
    internal enum ArchiveKind
    {
        Tar,
        GzipTar,
        Directory,
    }
}
