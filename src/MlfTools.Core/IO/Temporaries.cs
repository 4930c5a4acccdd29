using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;

namespace MlfTools.IO
{
    /// <summary>
    /// The temporary files and folders that writes in progress keep beside their destinations, so that they are removed
    /// when the process is told to stop (SIGTERM from CI cancellation, <c>timeout</c> or <c>docker stop</c>; SIGHUP), as
    /// they are after Ctrl+C, and so that the leftovers of a process that was killed outright can be found later.
    /// </summary>
    /// <remarks>
    /// PowerShell 7 does not raise AppDomain.ProcessExit on SIGTERM (measured with 7.6: the process ends without running
    /// it), but it does run handlers registered with PosixSignalRegistration (.NET 6 and later). netstandard2.0 has no
    /// such type, so it is found at run time; ProcessExit is hooked as well, for hosts that do raise it. On a signal the
    /// writes are cancelled, given a few seconds to remove their own temporaries on the way out, and whatever is left is
    /// removed; the signal then takes its normal course. The last renames into place run under the same lock, so a signal
    /// finds a write either not yet published (and removes its temporary) or published.
    /// </remarks>
    internal static class Temporaries
    {
        /// <summary>How long a signal waits for writes to clean up after themselves before removing what is left.</summary>
        private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

        /// <summary>Leftovers older than this are taken to belong to a process that is gone.</summary>
        public static readonly TimeSpan StaleAge = TimeSpan.FromDays(1);

        private static readonly object Sync = new object();
        private static readonly Dictionary<string, bool> Live = new Dictionary<string, bool>(StringComparer.Ordinal);
        private static readonly CancellationTokenSource ExitingSource = new CancellationTokenSource();
        private static readonly List<object> SignalRegistrations = new List<object>();
        private static int _hooked;

        /// <summary>Cancelled when the process is told to stop; writes link it into their own cancellation.</summary>
        public static CancellationToken Exiting
        {
            get
            {
                Hook();
                return ExitingSource.Token;
            }
        }

        /// <summary>The name of a new temporary beside <paramref name="destination"/>: ".&lt;name&gt;.&lt;12 hex digits&gt;&lt;suffix&gt;".</summary>
        public static string NameBeside(string destination, string suffix) =>
            Path.Combine(Path.GetDirectoryName(destination), "." + Path.GetFileName(destination) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + suffix);

        /// <summary>Records a temporary about to be created; dispose the result once it is gone or published.</summary>
        public static Tracked Track(string path, bool isFolder)
        {
            Hook();
            lock (Sync)
            {
                ExitingSource.Token.ThrowIfCancellationRequested();
                Live[path] = isFolder;
            }
            return new Tracked(path);
        }

        /// <summary>Runs the renames that publish <paramref name="tracked"/>, never at the same time as the clean-up after a signal.</summary>
        public static void Publish(Tracked tracked, Action rename)
        {
            lock (Sync)
            {
                ExitingSource.Token.ThrowIfCancellationRequested();
                rename();
                Live.Remove(tracked.Path);
            }
        }

        /// <summary>
        /// Removes leftovers of earlier writes to <paramref name="destination"/> (".&lt;name&gt;.&lt;id&gt;&lt;suffix&gt;" beside it,
        /// files or folders as <paramref name="folders"/> says) that are older than <see cref="StaleAge"/>; returns their paths.
        /// </summary>
        public static IReadOnlyList<string> RemoveStale(string destination, bool folders, params string[] suffixes)
        {
            var pattern = new Regex("^\\." + Regex.Escape(Path.GetFileName(destination)) + "\\.[0-9a-f]{12}(?:" + string.Join("|", Array.ConvertAll(suffixes, Regex.Escape)) + ")$",
                RegexOptions.CultureInvariant);
            return RemoveStale(Path.GetDirectoryName(destination), "." + Path.GetFileName(destination) + ".*", pattern, folders);
        }

        /// <summary>
        /// Removes the files or folders of <paramref name="parent"/> that match <paramref name="wildcard"/> and
        /// <paramref name="pattern"/>, are older than <see cref="StaleAge"/> and are no live temporary of this process; returns their paths.
        /// </summary>
        public static IReadOnlyList<string> RemoveStale(string parent, string wildcard, Regex pattern, bool folders)
        {
            var removed = new List<string>();
            if (parent == null || !Directory.Exists(parent)) return removed;
            DateTime before = DateTime.UtcNow - StaleAge;
            try
            {
                IEnumerable<FileSystemInfo> candidates = folders
                    ? (IEnumerable<FileSystemInfo>)new DirectoryInfo(parent).EnumerateDirectories(wildcard)
                    : new DirectoryInfo(parent).EnumerateFiles(wildcard);
                foreach (var candidate in candidates)
                {
                    if (!pattern.IsMatch(candidate.Name) || candidate.LastWriteTimeUtc >= before) continue;
                    if ((candidate.Attributes & FileAttributes.ReparsePoint) != 0) continue; // never follow a link out of the folder
                    lock (Sync)
                    {
                        if (Live.ContainsKey(candidate.FullName)) continue;
                    }
                    Remove(candidate.FullName, folders);
                    if (!File.Exists(candidate.FullName) && !Directory.Exists(candidate.FullName)) removed.Add(candidate.FullName);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }
            return removed;
        }

        private static void Remove(string path, bool isFolder)
        {
            if (isFolder)
            {
                Folders.TryDeleteTree(path);
                return;
            }
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }
        }

        private static void Hook()
        {
            if (Interlocked.Exchange(ref _hooked, 1) != 0) return;
            AppDomain.CurrentDomain.ProcessExit += (sender, args) => CleanUp();
            RegisterSignal("SIGTERM");
            RegisterSignal("SIGHUP");
        }

        /// <summary>PosixSignalRegistration.Create(signal, context => CleanUp()), where the runtime has it.</summary>
        private static void RegisterSignal(string signalName)
        {
            try
            {
                var registrationType = Type.GetType("System.Runtime.InteropServices.PosixSignalRegistration, System.Runtime.InteropServices", throwOnError: false);
                var signalType = Type.GetType("System.Runtime.InteropServices.PosixSignal, System.Runtime.InteropServices", throwOnError: false);
                var contextType = Type.GetType("System.Runtime.InteropServices.PosixSignalContext, System.Runtime.InteropServices", throwOnError: false);
                if (registrationType == null || signalType == null || contextType == null) return;
                var handlerType = typeof(Action<>).MakeGenericType(contextType);
                var create = registrationType.GetMethod("Create", new[] { signalType, handlerType });
                if (create == null) return;
                var handler = typeof(Temporaries).GetMethod(nameof(OnSignal), BindingFlags.NonPublic | BindingFlags.Static)
                    .MakeGenericMethod(contextType).CreateDelegate(handlerType);
                object registration = create.Invoke(null, new[] { Enum.Parse(signalType, signalName), handler });
                lock (SignalRegistrations) SignalRegistrations.Add(registration); // kept: disposing it would unregister
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is PlatformNotSupportedException || ex is ArgumentException || ex is MemberAccessException || ex is TypeLoadException || ex is IOException)
            {
            }
        }

        // The context is left alone (Cancel stays false), so the signal ends the process after the clean-up, as it would have.
        // The handler's type is Action<PosixSignalContext>, made by reflection: the parameter is there for that signature.
#pragma warning disable IDE0060
        private static void OnSignal<TContext>(TContext context) => CleanUp();
#pragma warning restore IDE0060

        private static void CleanUp()
        {
            try
            {
                ExitingSource.Cancel();
            }
            catch (AggregateException)
            {
            }
            lock (Sync)
            {
                var deadline = DateTime.UtcNow + GracePeriod;
                while (Live.Count > 0)
                {
                    var left = deadline - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero) break;
                    Monitor.Wait(Sync, left);
                }
                foreach (var temporary in Live) Remove(temporary.Key, temporary.Value);
                Live.Clear();
            }
        }

        /// <summary>A temporary being written; disposing it (after the temporary was removed or published) forgets it.</summary>
        public sealed class Tracked : IDisposable
        {
            internal Tracked(string path)
            {
                Path = path;
            }

            public string Path { get; }

            public void Dispose()
            {
                lock (Sync)
                {
                    Live.Remove(Path);
                    Monitor.PulseAll(Sync);
                }
            }
        }
    }
}
