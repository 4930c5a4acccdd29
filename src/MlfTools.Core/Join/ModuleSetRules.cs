using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Format;

namespace MlfTools.Join
{
    /// <summary>
    /// What modules must keep to share one archive and one firmware image. The join refuses to write an archive that
    /// breaks a rule (the first problem stops it); Test-MlfArchive reports every problem of an archive that already does.
    /// </summary>
    internal static class ModuleSetRules
    {
        /// <summary>Operator-style modules mixed with full-model ones, or two of them (TVM's exporter refuses both); at most one problem.</summary>
        public static IEnumerable<MlfException> StyleProblems(IReadOnlyList<MlfModule> modules)
        {
            var operators = modules.Where(m => m.Style == MetadataReader.OperatorStyle).ToList();
            if (operators.Count == 0 || modules.Count == 1) yield break;
            string message = operators.Count == modules.Count
                ? $"Modules '{operators[0].Name}' and '{operators[1].Name}' are both operator style (tvm.build). An MLF archive holds at most one operator module, as TVM's exporter enforces; keep each in an archive of its own."
                : $"Module '{operators[0].Name}' is operator style (tvm.build) and cannot share an archive with full-model modules (relay.build), as TVM's exporter enforces. Keep it in an archive of its own.";
            yield return new MlfException(MlfErrorIds.OperatorModuleMix, message, operators[0].SourcePath);
        }

        /// <summary>Each module whose name equals an earlier one's ignoring case (they would share a header and every symbol), with that earlier one.</summary>
        public static IEnumerable<(MlfModule First, MlfModule Second)> NameClashes(IReadOnlyList<MlfModule> modules)
        {
            var seen = new Dictionary<string, MlfModule>(Text.FoldedName.Comparer);
            foreach (var module in modules)
            {
                if (seen.TryGetValue(module.Name, out var first))
                {
                    yield return (first, module);
                    continue;
                }
                seen[module.Name] = module;
            }
        }

        /// <summary>
        /// One SymbolCollision error per global symbol that files of two or more modules define, in symbol order, with the
        /// second module to define it and its file. <paramref name="symbols"/> maps each symbol to the (module, file) pairs that define it.
        /// </summary>
        public static IEnumerable<(MlfException Error, string Module, string Path)> SymbolCollisions(IReadOnlyDictionary<string, List<(string Module, string Path)>> symbols)
        {
            foreach (var symbol in symbols.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                var modules = symbol.Value.Select(d => d.Module).Distinct(StringComparer.Ordinal).ToList();
                if (modules.Count < 2) continue;
                var first = symbol.Value.First(d => d.Module == modules[0]);
                var second = symbol.Value.First(d => d.Module == modules[1]);
                var error = new MlfException(MlfErrorIds.SymbolCollision,
                    $"The global symbol '{symbol.Key}' is defined by module '{first.Module}' ({first.Path}) and by module '{second.Module}' ({second.Path})" +
                    (modules.Count > 2 ? $" and {modules.Count - 2} more" : "") +
                    ". It carries no module prefix, so the modules' code fails to link into one image. Rebuild one of the models without it (graph executor: without system-lib; Arm DSP kernels: a TVM that makes such helpers static), or put the models in separate images.",
                    symbol.Key);
                yield return (error, second.Module, second.Path);
            }
        }
    }
}
