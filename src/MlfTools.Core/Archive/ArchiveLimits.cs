namespace MlfTools.Archive
{
    /// <summary>The ArchiveTooLarge error, worded once for every limit that raises it.</summary>
    internal static class ArchiveLimits
    {
        public static MlfException TooLarge(string archivePath, string why, string howToRaise) =>
            new MlfException(MlfErrorIds.ArchiveTooLarge,
                $"'{archivePath}' was not read to the end: {why}, far beyond any real MLF archive, so reading stopped (it may be a decompression bomb). " +
                $"If the archive is genuine, {howToRaise}.",
                archivePath);
    }
}
