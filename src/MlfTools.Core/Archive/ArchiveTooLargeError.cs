namespace MlfTools.Archive
{
    /// <summary>The ArchiveTooLarge error, worded once for every limit that raises it (the limits themselves are <see cref="MlfArchiveLimits"/>).</summary>
    internal static class ArchiveTooLargeError
    {
        public static MlfException Create(string archivePath, string why, string howToRaise) =>
            new MlfException(MlfErrorIds.ArchiveTooLarge,
                $"'{archivePath}' was not read to the end: {why}, far beyond any real MLF archive, so reading stopped (it may be a decompression bomb). " +
                $"If the archive is genuine, {howToRaise}.",
                archivePath);
    }
}
