using System;
using System.Threading;

namespace MlfTools.Elf
{
    /// <summary>
    /// How much compiled code (ELF objects and static libraries) MlfTools reads: far more than TVM writes (an object with
    /// a model's weights linked in is a few MiB, its symbol names a few dozen bytes each), and little enough that a
    /// crafted file of a few KB compressed cannot take gigabytes of memory or minutes of time. Beyond a limit the reader
    /// stops with <see cref="ObjectCodeTooLargeException"/>, which callers report as ArchiveTooLarge naming the file.
    /// </summary>
    internal static class ObjectCodeLimits
    {
        /// <summary>The largest object or static library read whole into memory (256 MiB).</summary>
        public const long MaximumBytes = 256L << 20;

        /// <summary>The longest symbol name read (64 KiB; C++ names run to a few KiB at most).</summary>
        public const int MaximumSymbolNameBytes = 64 << 10;

        /// <summary>
        /// The most symbol table a pass reads over all the objects it reads (64 MiB): each symbol's name bytes plus
        /// <see cref="SymbolEntryCost"/>, however many symbols share the bytes of one name.
        /// </summary>
        public const long MaximumSymbolBytes = 64L << 20;

        /// <summary>What each symbol costs besides its name: what is held of it once read.</summary>
        public const int SymbolEntryCost = 32;

        /// <summary>The most members (headers) a static library may hold (100,000; a C library has a few thousand).</summary>
        public const int MaximumLibraryMembers = 100000;

        /// <summary>Throws ArchiveTooLarge when an object of <paramref name="size"/> bytes is over <see cref="MaximumBytes"/>.</summary>
        public static void CheckSize(long size, string archivePath, string memberPath)
        {
            if (size > MaximumBytes)
            {
                throw TooLarge(archivePath, memberPath, $"it is {Text.ByteCount.Number(size)} bytes, more than the {MaximumBytes >> 20} MiB MlfTools reads whole");
            }
        }

        /// <summary>The ArchiveTooLarge error for compiled code over a limit; <paramref name="why"/> completes the sentence.</summary>
        public static MlfException TooLarge(string archivePath, string memberPath, string why) =>
            new MlfException(MlfErrorIds.ArchiveTooLarge,
                $"The compiled code '{memberPath}' in '{archivePath}' was not read: {why}, far beyond any code TVM generates, so reading stopped. " +
                "If the file is genuine, leave its module out of the join, check or report, or leave the file out with -ExcludePath.",
                archivePath);
    }

    /// <summary>Compiled code over one of <see cref="ObjectCodeLimits"/>; callers name the file in the error (<see cref="ObjectCodeLimits.TooLarge"/>).</summary>
    internal sealed class ObjectCodeTooLargeException : Exception
    {
        public ObjectCodeTooLargeException(string why)
            : base(why)
        {
        }

        /// <summary>Why, completing "it was not read: ...".</summary>
        public string Why => Message;
    }

    /// <summary>
    /// The symbol table bytes one pass may still read (<see cref="ObjectCodeLimits.MaximumSymbolBytes"/>), shared by
    /// every object the pass reads, on any thread.
    /// </summary>
    internal sealed class SymbolBudget
    {
        private long _left;

        public SymbolBudget(long bytes = ObjectCodeLimits.MaximumSymbolBytes)
        {
            _left = bytes;
        }

        /// <exception cref="ObjectCodeTooLargeException">The pass has read more than the budget allows.</exception>
        public void Take(long bytes)
        {
            if (Interlocked.Add(ref _left, -bytes) < 0)
            {
                throw new ObjectCodeTooLargeException(
                    $"with it, the symbol tables read come to more than {ObjectCodeLimits.MaximumSymbolBytes >> 20} MiB of symbols and their names");
            }
        }
    }
}
