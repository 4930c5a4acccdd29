using System.Runtime.CompilerServices;

namespace MlfTools
{
    /// <summary>How the loops that see every character of an archive's C code are compiled.</summary>
    internal static class Hot
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name: the method is compiled
        /// optimized at its first call. A join runs these loops a few hundred times over megabytes in a fresh process,
        /// mostly before tiered compilation would have promoted them from unoptimized tier-0 code (measured: the
        /// symbol check of 11 MiB of C in a fresh process took about 0.75 s without it, 0.5 s with it). Keep it to loops
        /// that call little: such a method is not profiled, so small helpers it calls must stay inlinable.
        /// .NET Framework, which does not tier, ignores the flag.
        /// </summary>
        public const MethodImplOptions Optimize = (MethodImplOptions)512;
    }
}
