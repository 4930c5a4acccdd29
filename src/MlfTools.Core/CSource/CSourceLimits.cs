using System;

namespace MlfTools.CSource
{
    /// <summary>
    /// How much C MlfTools reads into memory to find a file's symbols or to rename it: far more than TVM generates (its
    /// largest sources, with the weights inlined, are a few MiB), and little enough that a crafted file cannot take
    /// gigabytes of memory or minutes of time. Beyond either limit the file is refused with ArchiveTooLarge.
    /// </summary>
    internal static class CSourceLimits
    {
        /// <summary>The largest C or C++ source read whole (64 MiB).</summary>
        public const long MaximumBytes = 64L << 20;

        /// <summary>The most tokens the symbol scan keeps of one file (function bodies and initializers are stepped over, not kept).</summary>
        public const int MaximumTokens = 2 << 20;

        /// <summary>Throws ArchiveTooLarge when a source of <paramref name="size"/> bytes is over <see cref="MaximumBytes"/>.</summary>
        public static void CheckSize(long size, string archivePath, string memberPath)
        {
            if (size > MaximumBytes) throw TooLarge(archivePath, memberPath, $"is {Text.ByteCount.Number(size)} bytes, more than the {MaximumBytes >> 20} MiB MlfTools reads whole");
        }

        /// <summary>The ArchiveTooLarge error for a source that is over a limit; <paramref name="why"/> says which.</summary>
        public static MlfException TooLarge(string archivePath, string memberPath, string why) =>
            new MlfException(MlfErrorIds.ArchiveTooLarge,
                $"The C source '{memberPath}' in '{archivePath}' {why}, far beyond any source TVM generates (a few MiB), so its symbols were not read. " +
                "If the file is genuine, leave its module out of the join or check, or split the file.",
                archivePath);

        /// <summary>The error for <see cref="CSourceTooLargeException"/>.</summary>
        public static MlfException TooManyTokens(string archivePath, string memberPath) =>
            TooLarge(archivePath, memberPath, $"has more than {Text.ByteCount.Number(MaximumTokens)} tokens outside its function bodies and initializers, more than the symbol scan keeps");
    }

    /// <summary>The symbol scan met more tokens than <see cref="CSourceLimits.MaximumTokens"/>; callers name the file in the error.</summary>
    internal sealed class CSourceTooLargeException : Exception
    {
        public CSourceTooLargeException()
            : base("The C source has more tokens than the symbol scan reads.")
        {
        }
    }
}
