using System.Collections.Generic;
using System.Linq;

namespace MlfTools
{
    /// <summary>
    /// The -Name of one New-MlfModule call names one module. Several inputs at once (a list of paths, a wildcard that
    /// matches several) are refused before anything is read; through the pipeline, the second module is refused.
    /// Either way the error is <c>NameRequiresSingleModule</c>: two modules of one name cannot be joined, and a second
    /// module silently called the same would only fail later, in the join.
    /// </summary>
    public sealed class NewNameGuard
    {
        private string _namedSource;

        public NewNameGuard(string newName)
        {
            NewName = newName;
        }

        public string NewName { get; }

        /// <summary>
        /// Checks the inputs of one pipeline object before any is read: <paramref name="given"/> are the values bound
        /// (paths, perhaps with wildcards), <paramref name="resolved"/> the paths they resolved to.
        /// </summary>
        public void CheckInputs(IReadOnlyList<string> given, IReadOnlyList<string> resolved)
        {
            if (resolved.Count == 0) return;
            if (given.Count > 1 || resolved.Count > 1)
            {
                var inputs = given.Count > 1 ? given : resolved;
                throw new MlfException(MlfErrorIds.NameRequiresSingleModule,
                    $"-Name '{NewName}' names one module, but {inputs.Count} inputs were given at once ({Describe(inputs)}), " +
                    "and every module needs a name of its own. Read each input with its own New-MlfModule -Name, or name each module after its file with -NameFromFile.",
                    resolved[0]);
            }
            if (_namedSource != null) throw Second(resolved[0]);
        }

        /// <summary>Records that a module of <paramref name="source"/> now carries the name; a second module is refused.</summary>
        public void Claim(string source)
        {
            if (_namedSource != null) throw Second(source);
            _namedSource = source;
        }

        private MlfException Second(string source) =>
            new MlfException(MlfErrorIds.NameRequiresSingleModule,
                $"-Name '{NewName}' was given to the module of '{_namedSource}' already; '{source}' would be a second module called '{NewName}'. " +
                "Every module needs a name of its own: read each input with its own New-MlfModule -Name, or name each module after its file with -NameFromFile.",
                source);

        private static string Describe(IReadOnlyList<string> paths) =>
            string.Join(", ", paths.Take(3).Select(p => $"'{p}'")) + (paths.Count > 3 ? $" and {paths.Count - 3} more" : string.Empty);
    }
}
