using System.Collections.Generic;
using System.Linq;

namespace MlfTools
{
    /// <summary>What New-MlfModule does with the modules of one input: pick by name, then rename.</summary>
    public static class MlfModuleSelection
    {
        /// <summary>
        /// Keeps the modules whose name matches any of <paramref name="namePatterns"/> (all when none are given) and
        /// gives the single result <paramref name="newName"/> when one is given. A pattern without wildcards that
        /// matches nothing is <c>ModuleNotFound</c>; a new name for several modules is <c>NameRequiresSingleModule</c>.
        /// </summary>
        public static IReadOnlyList<MlfModule> Apply(IReadOnlyList<MlfModule> modules, IReadOnlyCollection<string> namePatterns, string newName)
        {
            if (newName != null && !MlfModuleNames.IsValidNewName(newName)) throw MlfModuleNames.InvalidName(newName);
            IReadOnlyList<MlfModule> selected = modules;
            if (namePatterns != null && namePatterns.Count > 0)
            {
                var matchers = namePatterns.Select(p => new WildcardMatcher(p)).ToList();
                foreach (var matcher in matchers.Where(m => !WildcardMatcher.ContainsWildcard(m.Pattern)))
                {
                    if (!modules.Any(module => matcher.IsMatch(module.Name)))
                    {
                        string source = modules.Count > 0 ? modules[0].SourcePath : "the input";
                        throw new MlfException(MlfErrorIds.ModuleNotFound,
                            $"'{source}' has no module named '{matcher.Pattern}'. It holds: {string.Join(", ", modules.Select(m => m.Name))}.",
                            source);
                    }
                }
                selected = modules.Where(module => matchers.Any(m => m.IsMatch(module.Name))).ToList();
            }
            if (newName == null) return selected;
            if (selected.Count != 1)
            {
                string source = modules.Count > 0 ? modules[0].SourcePath : "the input";
                throw new MlfException(MlfErrorIds.NameRequiresSingleModule,
                    $"A new name (-Name or -NameFromFile) is for one module, but '{source}' yields {selected.Count} modules ({string.Join(", ", selected.Select(m => m.Name))}). Pick one with -ModuleName.",
                    source);
            }
            return new[] { selected[0].WithName(newName) };
        }
    }
}
