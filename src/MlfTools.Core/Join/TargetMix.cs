using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Format;

namespace MlfTools.Join
{
    /// <summary>
    /// Modules built for different machines can be joined, but their code may not link or run in one image: an aarch64
    /// LLVM object beside Cortex-M7 C code, say. The join says so, naming what each module was built for.
    /// </summary>
    internal static class TargetMix
    {
        private static readonly (string Option, string What)[] Options =
        {
            ("-mtriple", "target triples"),
            ("-mcpu", "CPUs"),
            ("-march", "architectures"),
        };

        public static IEnumerable<string> Warnings(IReadOnlyList<MlfModule> modules)
        {
            var kinds = modules.Select(m => (m.Name, Value: string.Join("+", m.Targets.Select(TargetString.Kind).Distinct(StringComparer.Ordinal)))).ToList();
            if (kinds.Select(k => k.Value).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                yield return $"The modules are built as different kinds of code ({Listed(kinds)}): compile the C sources for the machine the LLVM objects were built for, or the image will not link.";
            }
            foreach (var (option, what) in Options)
            {
                var stated = modules.Select(m => (m.Name, Value: m.Targets.Select(t => TargetString.Option(t, option)).FirstOrDefault(v => v != null)))
                    .Where(s => s.Value != null).ToList();
                if (stated.Select(s => s.Value).Distinct(StringComparer.Ordinal).Count() < 2) continue;
                yield return $"The modules were built for different {what} ({option}: {Listed(stated)}): code tuned for one may not build, link or run on the other. Rebuild them for the firmware's target, or check that it runs them all.";
            }
        }

        private static string Listed(IEnumerable<(string Name, string Value)> values) =>
            string.Join(", ", values.Select(v => $"'{v.Name}' {v.Value}"));
    }
}
