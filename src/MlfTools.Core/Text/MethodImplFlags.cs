using System.Runtime.CompilerServices;

namespace MlfTools
{
    /// <summary>The <see cref="MethodImplOptions"/> flags netstandard2.0 does not name, for the loops that see every character of an archive's C code.</summary>
    internal static class MethodImplFlags
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name: the method is compiled
        /// optimized at its first call. A join runs these loops a few hundred times over megabytes in a fresh process,
        /// mostly before tiered compilation would have promoted them from unoptimized tier-0 code (measured: the
        /// symbol check of 11 MiB of C in a fresh process took about 0.75 s without it, 0.5 s with it). Keep it to loops
        /// that call little: such a method is not profiled, so small helpers it calls must stay inlinable.
        /// .NET Framework, which does not tier, ignores the flag.
        /// </summary>
        public const MethodImplOptions AggressiveOptimization = (MethodImplOptions)512;
    }
}
