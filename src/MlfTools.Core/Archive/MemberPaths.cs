using System;
using System.Collections.Generic;

namespace MlfTools.Archive
{
    /// <summary>Turns raw member names into archive-relative paths and refuses the ones that could escape the archive root.</summary>
    internal static class MemberPaths
    {
        /// <summary>
        /// "./codegen//host/x.c" becomes "codegen/host/x.c"; "." and "./" become "" (the root). Absolute
        /// paths (Unix or Windows) and ".." components are refused with UnsafeArchiveEntry.
        /// </summary>
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
                foreach (string piece in part.Split('\\'))
                {
                    if (piece == "..") throw Unsafe(rawName, archivePath, "its path contains '..'");
                }
                if (part.IndexOf('\0') >= 0) throw Unsafe(rawName, archivePath, "its name contains a NUL character");
                parts.Add(part);
            }
            return string.Join("/", parts);
        }

        public static MlfException Unsafe(string rawName, string archivePath, string why) =>
            new MlfException(MlfErrorIds.UnsafeArchiveEntry,
                $"The archive '{archivePath}' holds an unsafe member '{rawName}': {why}. MLF archives never need such members; rebuild the archive or remove the member.",
                archivePath);
    }
}
