using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace MlfTools.IO
{
    /// <summary>
    /// Finds the program a command names: a path is taken as it is (made full against the process's current folder, so
    /// callers with a location of their own, such as a PowerShell cmdlet, resolve it first), a bare name is looked up
    /// in the folders of PATH only. Process.Start would look first in the folder of the running program and in the
    /// process's current folder, and so run a program of that name found there instead of the one on PATH.
    /// </summary>
    internal static class ProgramSearch
    {
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>True when <paramref name="command"/> names a path (it holds a folder separator or is rooted) rather than a program on PATH.</summary>
        public static bool IsPath(string command) =>
            command.IndexOf('/') >= 0 || command.IndexOf(Path.DirectorySeparatorChar) >= 0 || Path.IsPathRooted(command);

        /// <summary>The full path of the program <paramref name="command"/> names, or null when there is no such file.</summary>
        public static string Find(string command)
        {
            if (string.IsNullOrEmpty(command)) return null;
            try
            {
                if (IsPath(command))
                {
                    string full = Path.GetFullPath(command);
                    return File.Exists(full) ? full : null;
                }
                // Windows runs "gcc" as gcc.exe; a name such as "gcc-12.2" may be complete or want ".exe" too.
                var extensions = new List<string>();
                if (!IsWindows || Path.HasExtension(command)) extensions.Add(string.Empty);
                if (IsWindows) extensions.AddRange((Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries));
                foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
                {
                    string trimmed = folder.Trim().Trim('"');
                    if (trimmed.Length == 0 || !Path.IsPathRooted(trimmed)) continue; // a relative PATH entry would be the current folder again
                    foreach (string candidate in extensions.Select(e => Path.Combine(trimmed, command + e)))
                    {
                        if (File.Exists(candidate)) return candidate;
                    }
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException || ex is System.Security.SecurityException)
            {
            }
            return null;
        }
    }
}
