using System.Text.RegularExpressions;

namespace MlfTools
{
    /// <summary>Rules for the names a module may be given.</summary>
    public static class MlfModuleNames
    {
        private static readonly Regex Allowed = new Regex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);

        /// <summary>
        /// A new name must be a lowercase C identifier that does not end in '_': it becomes the prefix
        /// "tvmgen_&lt;name&gt;_" of every generated symbol and the header name "tvmgen_&lt;name&gt;.h". It must not be
        /// a device name Windows reserves (nul, con, com1, ...): it also names files such as parameters/&lt;name&gt;.params.
        /// </summary>
        public static bool IsValidNewName(string name) => name != null && Allowed.IsMatch(name) && !name.EndsWith("_") && !IsWindowsDeviceName(name);

        /// <summary>True for a name Windows reserves for a device, so that no file may be called &lt;name&gt;.anything.</summary>
        public static bool IsWindowsDeviceName(string name) => name != null && Archive.MemberPaths.IsDeviceName(name);

        /// <summary>
        /// Why a module name cannot be part of a file name on every system (TVM writes parameters/&lt;name&gt;.params,
        /// src/&lt;name&gt;.relay, ...), or null when it can. One rule for reading, testing and joining.
        /// </summary>
        internal static string WhyNotAFileName(string name)
        {
            if (name.IndexOf('/') >= 0) return "it contains '/', a folder separator";
            return Archive.MemberPaths.WhyUnsafeComponent(name);
        }

        internal static MlfException InvalidName(string name) =>
            new MlfException(MlfErrorIds.InvalidModuleName,
                IsWindowsDeviceName(name)
                    ? $"'{name}' is not a valid module name: Windows reserves it for a device, and the module's files (parameters/{name}.params, src/{name}.relay) would carry it. Choose another name (for example 'kws' or 'person_detect')."
                    : $"'{name}' is not a valid module name. Use lowercase letters, digits and '_', starting with a letter and not ending in '_' (for example 'kws' or 'person_detect').",
                name);
    }
}
