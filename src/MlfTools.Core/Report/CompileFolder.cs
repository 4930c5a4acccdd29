using System;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.IO;

namespace MlfTools.Report
{
    /// <summary>
    /// A temporary folder that compilers and the linker work in (-Compiler's, -Link's): named by a prefix and a new id
    /// under the temporary root, the ones a killed run left there more than a day ago removed first, tracked so that
    /// the process's exit deletes it, and deleted on <see cref="Dispose"/> whatever happened. Its
    /// <see cref="Token"/> also stops when the process is told to exit. The caller creates the folder.
    /// </summary>
    internal sealed class CompileFolder : IDisposable
    {
        private readonly Temporaries.Tracked _tracked;
        private readonly CancellationTokenSource _stop;

        private CompileFolder(string path, CancellationToken cancellationToken)
        {
            Path = path;
            _tracked = Temporaries.Track(path, isFolder: true);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Temporaries.Exiting);
        }

        public string Path { get; }

        /// <summary>The caller's token, or the process exiting.</summary>
        public CancellationToken Token => _stop.Token;

        /// <summary>A new folder's path under <paramref name="root"/> (created by the caller), after removing stale ones of the prefix.</summary>
        public static CompileFolder Under(string root, string prefix, CancellationToken cancellationToken)
        {
            var stale = new Regex("^" + Regex.Escape(prefix) + "[0-9a-f]{32}$", RegexOptions.CultureInvariant);
            Temporaries.RemoveStale(root, prefix + "*", stale, folders: true); // left by a run that was killed outright
            return new CompileFolder(System.IO.Path.Combine(root, prefix + Guid.NewGuid().ToString("N")), cancellationToken);
        }

        /// <summary>
        /// Runs <paramref name="action"/> for 0 .. <paramref name="count"/> - 1 in parallel, one at a time per core, stopped by
        /// <see cref="Token"/>. A failure is thrown as itself: the first MlfException, else the cancellation, else the first
        /// I/O failure (which the caller words).
        /// </summary>
        public void ForEach(int count, Action<int> action)
        {
            var parallel = new ParallelOptions { CancellationToken = Token, MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };
            try
            {
                Parallel.For(0, count, parallel, action);
            }
            catch (AggregateException ex)
            {
                var inner = ex.Flatten().InnerExceptions;
                var first = inner.OfType<MlfException>().FirstOrDefault() ?? (Exception)inner.OfType<OperationCanceledException>().FirstOrDefault() ??
                    inner.FirstOrDefault(e => e is System.IO.IOException || e is UnauthorizedAccessException);
                if (first != null) ExceptionDispatchInfo.Capture(first).Throw();
                throw;
            }
        }

        public void Dispose()
        {
            try
            {
                Folders.DeleteTreeAfterProcesses(Path);
            }
            finally
            {
                _stop.Dispose();
                _tracked.Dispose();
            }
        }
    }
}
