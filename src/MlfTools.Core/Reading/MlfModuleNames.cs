using System;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace MlfTools
{
    /// <summary>Rules for the names a module may be given.</summary>
    public static class MlfModuleNames
    {
        private static readonly Regex Allowed = new Regex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);

        // The extensions of the archives MLF tools read, longest first; a folder keeps its whole name.
        private static readonly string[] ArchiveExtensions = { ".tar.gz", ".tgz", ".tar" };

        /// <summary>
        /// A new name must be a lowercase C identifier that does not end in '_': it becomes the prefix
        /// "tvmgen_&lt;name&gt;_" of every generated symbol and the header name "tvmgen_&lt;name&gt;.h". It must not be
        /// a device name Windows reserves (nul, con, com1, ...): it also names files such as parameters/&lt;name&gt;.params.
        /// </summary>
        public static bool IsValidNewName(string name) => name != null && Allowed.IsMatch(name) && !name.EndsWith("_") && !IsWindowsDeviceName(name);

        /// <summary>True for a name Windows reserves for a device, so that no file may be called &lt;name&gt;.anything.</summary>
        public static bool IsWindowsDeviceName(string name) => name != null && Archive.MemberPaths.IsDeviceName(name);

        /// <summary>
        /// The name New-MlfModule -NameFromFile gives the module read from <paramref name="path"/>: the file's name without
        /// .tar, .tar.gz or .tgz (a folder's whole name), lowercased, every character outside [a-z0-9_] turned into '_'.
        /// A result that is still no valid name (empty, starting with a digit or '_', ending in '_', a Windows device
        /// name) is <c>InvalidModuleName</c>, with the path as target and a message that says how to fix it.
        /// </summary>
        public static string FromPath(string path)
        {
            string name = CandidateFromPath(path, out string leaf);
            if (IsValidNewName(name)) return name;
            throw new MlfException(MlfErrorIds.InvalidModuleName,
                $"-NameFromFile cannot name the module of '{path}': its name '{leaf}' gives {(name.Length == 0 ? "an empty module name" : $"'{name}'")}, " +
                $"which is not a valid module name because {WhyInvalid(name)}. Rename the file so that its name starts with a letter " +
                "and holds only letters, digits, '_' and '-' (for example kws.tar or person-detect.tar), or give the module its name with -Name instead of -NameFromFile.",
                path);
        }

        /// <summary>The name <see cref="FromPath"/> derives, valid or not; <paramref name="leaf"/> is the file or folder name it came from.</summary>
        internal static string CandidateFromPath(string path, out string leaf)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            leaf = Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            string stem = leaf;
            if (!Directory.Exists(path))
            {
                foreach (string extension in ArchiveExtensions)
                {
                    if (stem.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                    {
                        stem = stem.Substring(0, stem.Length - extension.Length);
                        break;
                    }
                }
            }
            return FromText(stem);
        }

        /// <summary>Lowercases <paramref name="text"/> and turns every character (code point) outside [a-z0-9_] into '_'.</summary>
        internal static string FromText(string text)
        {
            string lower = text.ToLowerInvariant();
            var name = new StringBuilder(lower.Length);
            for (int i = 0; i < lower.Length; i++)
            {
                char c = lower[i];
                if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
                {
                    name.Append(c);
                    continue;
                }
                if (char.IsHighSurrogate(c) && i + 1 < lower.Length && char.IsLowSurrogate(lower[i + 1])) i++;
                name.Append('_');
            }
            return name.ToString();
        }

        private static string WhyInvalid(string name)
        {
            if (name.Length == 0) return "a module name needs at least one letter";
            if (name[0] >= '0' && name[0] <= '9') return "it starts with a digit (it becomes part of C identifiers such as tvmgen_<name>_run)";
            if (name[0] == '_') return "it starts with '_' instead of a letter";
            if (name.EndsWith("_", StringComparison.Ordinal)) return "it ends in '_'";
            return $"Windows reserves '{name}' for a device, and the module's files (parameters/{name}.params) would carry it";
        }

        /// <summary>
        /// Why a module name cannot be part of a file name on every system (TVM writes parameters/&lt;name&gt;.params,
        /// src/&lt;name&gt;.relay, ...), or null when it can. One rule for reading, testing and joining.
        /// </summary>
        internal static string WhyNotAFileName(string name)
        {
            if (name.IndexOf('/') >= 0) return "it contains '/', a folder separator";
            return Archive.MemberPaths.WhyUnsafeComponent(name);
        }

        /// <summary>The InvalidModuleName error for a new name that <see cref="IsValidNewName"/> refuses, saying what a valid name is.</summary>
        public static MlfException InvalidName(string name) =>
            new MlfException(MlfErrorIds.InvalidModuleName,
                IsWindowsDeviceName(name)
                    ? $"'{name}' is not a valid module name: Windows reserves it for a device, and the module's files (parameters/{name}.params, src/{name}.relay) would carry it. Choose another name (for example 'kws' or 'person_detect')."
                    : $"'{name}' is not a valid module name. Use lowercase letters, digits and '_', starting with a letter and not ending in '_' (for example 'kws' or 'person_detect').",
                name);
    }
}
