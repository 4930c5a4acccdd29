using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using MlfTools.Tar;

namespace MlfTools.Archive
{
    /// <summary>
    /// The safe-member rules, in one place: turns raw member names into archive-relative paths, refuses names that
    /// could escape the archive root or that Windows cannot hold, and refuses sets of members that would land on
    /// one another. Every refusal is UnsafeArchiveEntry naming the member and the reason.
    /// </summary>
    internal static class MemberPaths
    {
        /// <summary>The longest component most file systems hold (ext4: 255 bytes; NTFS: 255 UTF-16 units, never more than the UTF-8 bytes).</summary>
        public const int MaxComponentBytes = 255;

        /// <summary>No MLF member path comes close; a bound keeps hostile names from costing more than their bytes.</summary>
        public const int MaxPathBytes = 1024;

        private const string CharactersWindowsRefuses = "<>\"|?*";

        // DOS device names: Windows opens the device instead of a file for these, with any extension ("nul.txt",
        // "NUL .c") and in any case. COM and LPT also take the superscript digits 1 to 3.
        private static readonly HashSet<string> DeviceNames = BuildDeviceNames();

        /// <summary>
        /// "./codegen//host/x.c" becomes "codegen/host/x.c"; "." and "./" become "" (the root). Refused with
        /// UnsafeArchiveEntry: absolute paths (Unix or Windows), ".." components, and names Windows cannot hold
        /// (see <see cref="WhyUnsafeComponent"/>).
        /// </summary>
        /// <summary>The last part of a member path ("codegen/host/src/default_lib0.c": "default_lib0.c").</summary>
        public static string FileName(string path) => path.Substring(path.LastIndexOf('/') + 1);

        public static string Normalize(string rawName, string archivePath)
        {
            if (rawName.Length == 0) throw Unsafe(rawName, archivePath, "it has an empty name");
            if (rawName[0] == '/' || rawName[0] == '\\' || (rawName.Length >= 2 && rawName[1] == ':' && char.IsLetter(rawName[0])))
            {
                throw Unsafe(rawName, archivePath, "it has an absolute path");
            }
            var parts = new List<string>();
            foreach (string part in rawName.Split('/'))
            {
                if (part.Length == 0 || part == ".") continue;
                string why = WhyUnsafeComponent(part);
                if (why != null) throw Unsafe(rawName, archivePath, why);
                parts.Add(part);
            }
            string path = string.Join("/", parts);
            if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            {
                throw Unsafe(Shorten(rawName), archivePath, $"its path is longer than {MaxPathBytes} bytes; no MLF archive needs such a path, and Windows stops at 260 characters");
            }
            return path;
        }

        /// <summary>Why one path component cannot be written safely on every system, or null when it can.</summary>
        internal static string WhyUnsafeComponent(string part)
        {
            foreach (string piece in part.Split('\\'))
            {
                if (piece == "..") return "its path contains '..'";
            }
            if (part.IndexOf('\0') >= 0) return "its name contains a NUL character";
            if (part.IndexOf('\uFFFD') >= 0)
            {
                return "its name is not valid UTF-8 (it reads as U+FFFD, the replacement character), so two such names could not be told apart";
            }
            foreach (char c in part)
            {
                if (c == '\\') return "its name contains '\\', which Windows reads as a folder separator";
                if (c == ':') return "its name contains ':', which Windows reads as a drive or an alternate data stream";
                if (CharactersWindowsRefuses.IndexOf(c) >= 0) return $"its name contains '{c}', which Windows does not allow in file names";
                if (c < ' ') return $"its name contains the control character U+{(int)c:X4}, which Windows does not allow in file names";
            }
            char last = part[part.Length - 1];
            if (last == '.' || last == ' ')
            {
                return $"the name '{part}' ends in {(last == '.' ? "a dot" : "a space")}, which Windows drops, so it would be written under another name";
            }
            if (IsDeviceName(part))
            {
                return $"'{part}' is a device name on Windows (CON, PRN, AUX, NUL, COM1-9 and LPT1-9 are reserved with any extension)";
            }
            if (Encoding.UTF8.GetByteCount(part) > MaxComponentBytes)
            {
                return $"a component of its name is longer than {MaxComponentBytes} bytes, more than file systems hold";
            }
            return null;
        }

        /// <summary>True for names Windows takes as a device: the part before the first dot, trailing spaces dropped, is a device name.</summary>
        internal static bool IsDeviceName(string component)
        {
            int dot = component.IndexOf('.');
            string stem = (dot < 0 ? component : component.Substring(0, dot)).TrimEnd(' ');
            return stem.Length >= 3 && stem.Length <= 7 && DeviceNames.Contains(stem.ToUpperInvariant());
        }

        /// <summary>
        /// Refuses members that would land on one another when written out: two paths equal ignoring case (Windows
        /// and macOS keep one of them), counting the folders a path implies, and a file that another member needs
        /// as a folder. A folder entry and the files under it are fine. The same exact path twice is not checked
        /// here: the scanner keeps the last one, as tar does.
        /// </summary>
        public static void RefuseCollisions(IReadOnlyList<ArchiveMember> members, string archivePath)
        {
            var paths = new List<SplitPath>(members.Count);
            for (int i = 0; i < members.Count; i++) AddPath(paths, members[i].Path, members[i].IsDirectory);
            var collision = FindCollision(paths);
            if (collision != null) throw Unsafe(collision.Value.Path, archivePath, collision.Value.Why);
        }

        /// <summary>The first pair of paths that would land on one another (see <see cref="RefuseCollisions"/>), or null.</summary>
        /// <remarks>
        /// Sorted component by component, ignoring case, everything under a path follows it directly, and any two
        /// paths that share a folder prefix ignoring case have only such paths between them; so comparing
        /// neighbours finds every clash without building the folder tree.
        /// </remarks>
        public static (string Path, string Why)? FindCollision(IEnumerable<(string Path, bool IsDirectory)> members)
        {
            var paths = new List<SplitPath>();
            foreach (var member in members) AddPath(paths, member.Path, member.IsDirectory);
            return FindCollision(paths);
        }

        /// <summary>
        /// A member path split into components, as a class rather than a tuple: a list of a reference type is sorted by
        /// the runtime's precompiled shared code, where a list of a value tuple needs its own code compiled by the JIT
        /// (tens of methods) the first time a fresh process reads an archive.
        /// </summary>
        private sealed class SplitPath
        {
            public SplitPath(string path, bool isDirectory)
            {
                Path = path;
                IsDirectory = isDirectory;
                Parts = path.Split('/');
                Folded = Array.ConvertAll(Parts, Text.FoldedName.Fold);
            }

            public string Path { get; }

            public bool IsDirectory { get; }

            public string[] Parts { get; }

            public string[] Folded { get; }
        }

        private static void AddPath(List<SplitPath> paths, string path, bool isDirectory)
        {
            if (path.Length > 0) paths.Add(new SplitPath(path, isDirectory));
        }

        private static (string Path, string Why)? FindCollision(List<SplitPath> sorted)
        {
            sorted.Sort((a, b) => CompareFolded(a.Folded, b.Folded));
            for (int i = 1; i < sorted.Count; i++)
            {
                var earlier = sorted[i - 1];
                var later = sorted[i];
                int shared = 0;
                while (shared < earlier.Parts.Length && shared < later.Parts.Length &&
                    string.Equals(earlier.Folded[shared], later.Folded[shared], StringComparison.Ordinal))
                {
                    if (!string.Equals(earlier.Parts[shared], later.Parts[shared], StringComparison.Ordinal))
                    {
                        string first = string.Join("/", earlier.Parts, 0, shared + 1);
                        string second = string.Join("/", later.Parts, 0, shared + 1);
                        string of = first == earlier.Path ? string.Empty : $" (of '{earlier.Path}')";
                        string how = string.Equals(earlier.Parts[shared], later.Parts[shared], StringComparison.OrdinalIgnoreCase)
                            ? "differ only in case"
                            : "are the same name after Unicode normalization (NFC/NFD) and case folding";
                        return (later.Path, $"'{second}' and '{first}'{of} {how}, so Windows and macOS would write them as one");
                    }
                    shared++;
                }
                if (shared == earlier.Parts.Length && later.Parts.Length > shared && !earlier.IsDirectory)
                {
                    return (later.Path, $"it lies under '{earlier.Path}', which is also a file");
                }
            }
            return null;
        }

        private static int CompareFolded(string[] a, string[] b)
        {
            int common = Math.Min(a.Length, b.Length);
            for (int i = 0; i < common; i++)
            {
                int order = string.CompareOrdinal(a[i], b[i]);
                if (order != 0) return order;
            }
            return a.Length.CompareTo(b.Length);
        }

        /// <summary>The normalized path of a tar entry; links, devices and FIFOs are refused with UnsafeArchiveEntry.</summary>
        public static string OfEntry(TarEntry entry, string archivePath)
        {
            string memberPath = Normalize(entry.Name, archivePath);
            switch (entry.Type)
            {
                case TarEntryType.SymbolicLink:
                case TarEntryType.HardLink:
                    throw Unsafe(entry.Name, archivePath, $"it is a link (to '{entry.LinkName}')");
                case TarEntryType.CharacterDevice:
                case TarEntryType.BlockDevice:
                case TarEntryType.Fifo:
                    throw Unsafe(entry.Name, archivePath, "it is a device or FIFO");
            }
            return memberPath;
        }

        public static MlfException Unsafe(string rawName, string archivePath, string why) =>
            new MlfException(MlfErrorIds.UnsafeArchiveEntry,
                $"The archive '{archivePath}' holds an unsafe member '{rawName}': {why}. MLF archives never need such members; rebuild the archive or remove the member.",
                archivePath);

        private static string Shorten(string name) => name.Length <= 200 ? name : name.Substring(0, 200) + "...";

        private static HashSet<string> BuildDeviceNames()
        {
            var names = new HashSet<string>(StringComparer.Ordinal) { "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$" };
            foreach (string digit in new[] { "1", "2", "3", "4", "5", "6", "7", "8", "9", "\u00B9", "\u00B2", "\u00B3" })
            {
                names.Add("COM" + digit);
                names.Add("LPT" + digit);
            }
            return names;
        }
    }
}
