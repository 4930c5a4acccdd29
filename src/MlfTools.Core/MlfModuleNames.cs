using System.Text.RegularExpressions;

namespace MlfTools
{
    /// <summary>Rules for the names a module may be given.</summary>
    public static class MlfModuleNames
    {
        private static readonly Regex Allowed = new Regex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant);

        /// <summary>
        /// A new name must be a lowercase C identifier that does not end in '_': it becomes the prefix
        /// "tvmgen_&lt;name&gt;_" of every generated symbol and the header name "tvmgen_&lt;name&gt;.h".
        /// </summary>
        public static bool IsValidNewName(string name) => name != null && Allowed.IsMatch(name) && !name.EndsWith("_");

        internal static MlfException InvalidName(string name) =>
            new MlfException(MlfErrorIds.InvalidModuleName,
                $"'{name}' is not a valid module name. Use lowercase letters, digits and '_', starting with a letter and not ending in '_' (for example 'kws' or 'person_detect').",
                name);
    }
}
