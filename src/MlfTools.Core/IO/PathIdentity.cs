using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace MlfTools.IO
{
    /// <summary>
    /// The one policy for path identity, which the join, the expansion and the cmdlets all ask: whether two paths name the
    /// same file or folder, or one lies inside a folder, links and all, so that no spelling of a path (a symbolic link, a
    /// junction, a different case on a case-insensitive system) lets a write land on an input. Two paths are the same
    /// when their full paths are equal as spelt (separators at the end aside) or once every link is resolved, or, on
    /// Windows, when both exist and are one file; names compare ignoring case on Windows and macOS.
    /// </summary>
    /// <remarks>
    /// netstandard2.0 has no API for device and inode numbers, and a P/Invoke of stat() depends on the layout of
    /// struct stat, which differs between C libraries and architectures. So paths are compared by their real path:
    /// every symbolic link in every component is followed (with FileSystemInfo.LinkTarget, found at run time: .NET 6
    /// and later, which every supported PowerShell 7 runs on). On Windows existing paths are also compared by volume
    /// serial number and file index (GetFileInformationByHandle), which covers junctions, hard links, 8.3 names and
    /// case on every .NET, Windows PowerShell 5.1 included. Hard links need nothing more on Linux and macOS: MlfTools
    /// writes by renaming a finished temporary file into place, which replaces the directory entry and leaves the
    /// linked input's content untouched.
    /// </remarks>
    public static class PathIdentity
    {
        private const int MaxLinks = 40; // as Linux's ELOOP

        private static readonly Lazy<PropertyInfo> LinkTargetProperty =
            new Lazy<PropertyInfo>(() => typeof(FileSystemInfo).GetProperty("LinkTarget", BindingFlags.Public | BindingFlags.Instance));

        private static bool IsWindows => Path.DirectorySeparatorChar == '\\';

        /// <summary>Windows and macOS compare names ignoring case by default.</summary>
        internal static StringComparison NameComparison =>
            IsWindows || RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        /// <summary>True when both paths name the same file or folder: as spelt, through links, or (Windows) by file identity.</summary>
        public static bool Same(string a, string b)
        {
            if (a == null) throw new ArgumentNullException(nameof(a));
            if (b == null) throw new ArgumentNullException(nameof(b));
            if (string.Equals(Spelt(a), Spelt(b), NameComparison)) return true;
            if (IsWindows)
            {
                var idA = WindowsFileId.Of(a);
                var idB = WindowsFileId.Of(b);
                if (idA != null && idB != null) return idA.Value.Equals(idB.Value);
            }
            return string.Equals(RealPath(a), RealPath(b), NameComparison);
        }

        /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies anywhere under it, through links or not.</summary>
        public static bool IsSameOrInside(string path, string folder)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (folder == null) throw new ArgumentNullException(nameof(folder));
            if (IsSpeltInside(path, folder)) return true;
            string realPath = RealPath(path);
            string realFolder = RealPath(folder);
            if (string.Equals(realPath, realFolder, NameComparison)) return true;
            string prefix = realFolder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? realFolder : realFolder + Path.DirectorySeparatorChar;
            if (realPath.StartsWith(prefix, NameComparison)) return true;
            if (IsWindows)
            {
                var folderId = WindowsFileId.Of(folder);
                if (folderId == null) return false;
                for (string current = realPath; current != null; current = Path.GetDirectoryName(current))
                {
                    var id = WindowsFileId.Of(current);
                    if (id != null && id.Value.Equals(folderId.Value)) return true;
                }
            }
            return false;
        }

        /// <summary>
        /// True when the full path of <paramref name="path"/> is <paramref name="folder"/>'s or starts with it and a
        /// separator, as spelt, links not followed: for a path yet to be written, or the first, cheap half of <see cref="IsSameOrInside"/>.
        /// </summary>
        internal static bool IsSpeltInside(string path, string folder)
        {
            string full = Spelt(path);
            string container = Spelt(folder);
            return string.Equals(full, container, NameComparison) ||
                full.StartsWith(container.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, NameComparison);
        }

        /// <summary>The full path, without the separators at its end (but for a root's, as "/" or "C:\").</summary>
        private static string Spelt(string path)
        {
            string full = Path.GetFullPath(path);
            string trimmed = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return trimmed.Length == 0 || trimmed.EndsWith(":", StringComparison.Ordinal) ? full : trimmed;
        }

        /// <summary>
        /// The full path with every symbolic link (and junction) resolved, component by component. Components that do not
        /// exist are kept as written, so the path of a file yet to be written resolves too.
        /// </summary>
        internal static string RealPath(string path)
        {
            string full = Path.GetFullPath(path);
            string root = Path.GetPathRoot(full);
            var pending = new Stack<string>();
            foreach (string part in Reverse(full.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries)))
            {
                pending.Push(part);
            }
            string current = root;
            int links = 0;
            while (pending.Count > 0)
            {
                string part = pending.Pop();
                if (part == ".") continue;
                if (part == "..")
                {
                    current = Path.GetDirectoryName(current) ?? current;
                    continue;
                }
                string next = Path.Combine(current, part);
                string target = LinkTarget(next);
                if (target == null)
                {
                    current = next;
                    continue;
                }
                if (++links > MaxLinks) return Path.GetFullPath(path); // a loop: nothing can be written through it anyway
                string resolved = Path.IsPathRooted(target) ? target : Path.Combine(current, target);
                string resolvedRoot = Path.GetPathRoot(resolved);
                var parts = resolved.Substring(resolvedRoot.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
                for (int i = parts.Length - 1; i >= 0; i--) pending.Push(parts[i]);
                current = resolvedRoot;
            }
            return current;
        }

        private static IEnumerable<string> Reverse(string[] parts)
        {
            for (int i = parts.Length - 1; i >= 0; i--) yield return parts[i];
        }

        /// <summary>The target of a link as stored in it, or null when the path is no link (or does not exist).</summary>
        private static string LinkTarget(string path)
        {
            try
            {
                FileSystemInfo info = new FileInfo(path);
                if (!info.Exists)
                {
                    info = new DirectoryInfo(path);
                    if (!info.Exists)
                    {
                        // A dangling link exists as neither; its attributes still say what it is.
                        if (!IsLinkAttribute(path)) return null;
                    }
                }
                if ((info.Attributes & FileAttributes.ReparsePoint) == 0) return null;
                var property = LinkTargetProperty.Value;
                return property == null ? null : (string)property.GetValue(info);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is TargetInvocationException || ex is ArgumentException || ex is NotSupportedException)
            {
                return null;
            }
        }

        private static bool IsLinkAttribute(string path)
        {
            try
            {
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>Volume serial number and file index of an existing file or folder on Windows.</summary>
        private static class WindowsFileId
        {
            private const uint FileReadAttributes = 0x80;
            private const uint ShareAll = 0x7;
            private const uint OpenExisting = 3;
            private const uint BackupSemantics = 0x02000000; // needed to open a folder

            public static (uint Volume, uint High, uint Low)? Of(string path)
            {
                try
                {
                    using (var handle = CreateFile(path, FileReadAttributes, ShareAll, IntPtr.Zero, OpenExisting, BackupSemantics, IntPtr.Zero))
                    {
                        if (handle.IsInvalid) return null;
                        if (!GetFileInformationByHandle(handle, out var info)) return null;
                        return (info.VolumeSerialNumber, info.FileIndexHigh, info.FileIndexLow);
                    }
                }
                catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
                {
                    return null;
                }
            }

            [StructLayout(LayoutKind.Sequential)]
            private struct ByHandleFileInformation
            {
                public uint FileAttributes;
                public System.Runtime.InteropServices.ComTypes.FILETIME CreationTime;
                public System.Runtime.InteropServices.ComTypes.FILETIME LastAccessTime;
                public System.Runtime.InteropServices.ComTypes.FILETIME LastWriteTime;
                public uint VolumeSerialNumber;
                public uint FileSizeHigh;
                public uint FileSizeLow;
                public uint NumberOfLinks;
                public uint FileIndexHigh;
                public uint FileIndexLow;
            }

            [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true, EntryPoint = "CreateFileW")]
            private static extern Microsoft.Win32.SafeHandles.SafeFileHandle CreateFile(string name, uint access, uint share, IntPtr security, uint disposition, uint flags, IntPtr template);

            [DllImport("kernel32.dll", SetLastError = true)]
            [return: MarshalAs(UnmanagedType.Bool)]
            private static extern bool GetFileInformationByHandle(Microsoft.Win32.SafeHandles.SafeFileHandle handle, out ByHandleFileInformation information);
        }
    }
}
