using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace MlfTools.IO
{
    /// <summary>
    /// Ends a child process with everything it started. A compiler driver or a wrapper script starts children of its own
    /// (cc1, as, or anything a script runs); killing only the direct child leaves them running, holding its output pipes
    /// open and writing into its folder.
    /// </summary>
    /// <remarks>
    /// Two means, because each misses what the other finds. Process.Kill(entireProcessTree) (.NET Core 3.0 and later,
    /// so PowerShell 7; found at run time, netstandard2.0 lacks it) stops the process and walks its descendants while
    /// they still have it as parent; on .NET Framework (Windows PowerShell 5.1) taskkill /T does the same walk. On
    /// Linux and macOS the child is also started through setsid(1) where it exists, which makes it the leader of a
    /// process group of its own: killing the group also ends the processes whose parent already exited (a script's
    /// background jobs), which no walk of the tree can find any more.
    /// </remarks>
    internal static class ProcessTree
    {
        private const int SigKill = 9;
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private static readonly bool IsLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        private static readonly MethodInfo KillEntireTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });
        private static bool _nativeKillUnavailable;

        /// <summary>setsid(1), which runs a program as the leader of a new process group (and session); null on Windows or where it is missing.</summary>
        public static string GroupLauncher { get; } = IsWindows ? null : ProgramSearch.Find("setsid") ?? ProgramSearch.Find("/usr/bin/setsid") ?? ProgramSearch.Find("/bin/setsid");

        [DllImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
        private static extern int KillGlibc(int pid, int signal);

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int KillLibc(int pid, int signal);

        /// <summary>
        /// Ends <paramref name="process"/> and its descendants; with <paramref name="ownGroup"/> (it was started through
        /// <see cref="GroupLauncher"/>) also every process left in its group. Never throws.
        /// </summary>
        public static void End(Process process, bool ownGroup)
        {
            int id;
            try
            {
                id = process.Id;
            }
            catch (InvalidOperationException)
            {
                return;
            }
            try
            {
                if (KillEntireTree != null) KillEntireTree.Invoke(process, new object[] { true });
                else if (IsWindows) TaskKill(id);
                else process.Kill();
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is InvalidOperationException || ex is Win32Exception || ex is NotSupportedException || ex is AggregateException)
            {
            }
            if (IsWindows && KillEntireTree == null) KillDirectChild(process);
            if (ownGroup) EndGroup(id);
        }

        /// <summary>
        /// Ends every process left in the group whose leader was <paramref name="leader"/>, started through
        /// <see cref="GroupLauncher"/>: after the leader exited, what is left are processes it started and did not wait for.
        /// </summary>
        public static void EndGroup(int leader)
        {
            // Only a group of our own child: its id is the child's, never our own group's (1 and 0 would mean every process).
            if (leader <= 1) return;
            if (!_nativeKillUnavailable)
            {
                try
                {
                    if (IsLinux) KillGlibc(-leader, SigKill);
                    else KillLibc(-leader, SigKill);
                    return;
                }
                catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException || ex is BadImageFormatException)
                {
                    _nativeKillUnavailable = true;
                }
            }
            RunQuietly("/bin/kill", "-s KILL -- -" + leader.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        private static void KillDirectChild(Process process)
        {
            try
            {
                if (!process.HasExited) process.Kill();
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is Win32Exception || ex is NotSupportedException)
            {
            }
        }

        /// <summary>taskkill /T /F: Windows' own walk of the process tree, for .NET Framework, which has no Kill(entireProcessTree).</summary>
        private static void TaskKill(int id) =>
            RunQuietly(System.IO.Path.Combine(Environment.SystemDirectory, "taskkill.exe"), "/T /F /PID " + id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        private static void RunQuietly(string program, string arguments)
        {
            try
            {
                // Its few lines of output stay in the pipe, unread, instead of reaching the console.
                var start = new ProcessStartInfo(program, arguments) { UseShellExecute = false, CreateNoWindow = true, RedirectStandardOutput = true, RedirectStandardError = true };
                using (var helper = Process.Start(start))
                {
                    helper?.WaitForExit(10000);
                }
            }
            catch (Exception ex) when (ex is Win32Exception || ex is InvalidOperationException || ex is System.IO.IOException)
            {
            }
        }
    }
}
