using System;
using System.IO;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace MlfTools.Expand
{
    /// <summary>
    /// The permissions an extracted file gets on Linux and macOS, by the rule of Python's tarfile 'data' filter: the
    /// member's bits less setuid, setgid, sticky and group/other write; executable only if the owner could execute
    /// it; always readable and writable by the owner. Folders keep the default mode, and Windows ignores modes.
    /// </summary>
    internal static class ExtractedFileMode
    {
        // File.SetUnixFileMode exists from .NET 7 on, which PowerShell 7.4 and later run on; this assembly targets
        // netstandard2.0, so it is found at run time. Without it (older runtimes), files keep the mode they were
        // created with (0666 less the umask), which never has a special bit either.
        private static readonly Lazy<Action<string, int>> SetMode = new Lazy<Action<string, int>>(FindSetUnixFileMode);

        public static int Sanitize(int memberMode)
        {
            int mode = memberMode & 0x1ED;            // 0755: no special bits, no group/other write
            if ((mode & 0x40) == 0) mode &= ~0x49;     // not executable by the owner: by nobody
            return mode | 0x180;                       // 0600: the owner can read and write
        }

        public static bool CanApply => Path.DirectorySeparatorChar == '/' && SetMode.Value != null;

        public static void Apply(string path, int memberMode)
        {
            if (memberMode < 0 || !CanApply) return;
            try
            {
                SetMode.Value(path, Sanitize(memberMode));
            }
            catch (TargetInvocationException ex) when (ex.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            }
        }

        private static Action<string, int> FindSetUnixFileMode()
        {
            var modeType = typeof(File).Assembly.GetType("System.IO.UnixFileMode");
            if (modeType == null) return null;
            var method = typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), modeType });
            if (method == null) return null;
            return (path, mode) => method.Invoke(null, new[] { path, Enum.ToObject(modeType, mode) });
        }
    }
}
