using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Rename;

namespace MlfTools.Join
{
    /// <summary>
    /// How the join renames each module, system libraries included: a renamed module gets its new name; when two or more
    /// modules carry a system library, each one's TVMSystemLibEntryPoint becomes tvmgen_&lt;name&gt;_system_lib (with one,
    /// it keeps its name, so single-model programs that call runtime.SystemLib keep working); and a registry with the
    /// one-byte count of TVM 0.8 and older gets the two-byte count that the C runtime of TVM 0.9 and later reads, because
    /// the joined archive is version 7, which such a runtime reads.
    /// </summary>
    internal static class SystemLibraryRenames
    {
        /// <summary>The C runtime's default TVM_CRT_MAX_STRLEN_FUNCTION_NAME (crt_config.h template).</summary>
        public const int RuntimeFunctionNameBuffer = 120;

        /// <summary>
        /// Each module's renamer, or null when the join copies its files as they are. A renamed module's unprefixed kernels
        /// (<paramref name="kernels"/>, see <see cref="KernelScan"/>) get the prefix of its new name.
        /// </summary>
        public static Dictionary<MlfModule, ModuleRenamer> Renamers(IReadOnlyList<MlfModule> modules, IReadOnlyDictionary<MlfModule, SystemLibrary> systemLibs,
            IReadOnlyDictionary<MlfModule, HashSet<string>> kernels = null)
        {
            bool several = systemLibs.Values.Count(s => s != null && s.DefinesEntryPoint) >= 2;
            return modules.ToDictionary(m => m, m =>
            {
                var lib = systemLibs[m];
                bool entry = several && lib != null && lib.DefinesEntryPoint;
                bool widen = lib != null && lib.CountBytes == 1;
                if (!m.IsRenamed && !entry && !widen) return null;
                if (!ModuleRenamer.CanRename(m.OriginalName)) return null; // such a module cannot be renamed either; a collision stays a collision
                HashSet<string> own = null;
                kernels?.TryGetValue(m, out own);
                return new ModuleRenamer(m.OriginalName, m.Name, entry, widen, own);
            });
        }

        /// <summary>What a user must know to build the joined archive: the system-lib entry points renamed, function names too long for the C runtime's default buffer.</summary>
        public static IEnumerable<string> Warnings(IReadOnlyList<MlfModule> modules, IReadOnlyDictionary<MlfModule, ModuleRenamer> renamers)
        {
            var entries = modules.Where(m => renamers[m]?.SystemLibEntry != null).Select(m => $"'{m.Name}': {renamers[m].SystemLibEntry}()").ToList();
            if (entries.Count > 0)
            {
                yield return $"Several modules carry a system library, so each one's TVMSystemLibEntryPoint was renamed ({string.Join(", ", entries)}). Create one module handle per model with TVMModCreateFromCModule(tvmgen_<name>_system_lib(), &handle); the C runtime still references TVMSystemLibEntryPoint, so the program must define it (see Get-Help about_MlfTools).";
            }
            foreach (var module in modules)
            {
                var renamer = renamers[module];
                if (renamer == null || !renamer.ChangesName || module.GraphConfig == null) continue;
                foreach (string name in module.GraphConfig.FunctionNames.Select(renamer.RenameString).Where(TooLongForRuntime).OrderBy(n => n, StringComparer.Ordinal))
                {
                    yield return $"Module '{module.Name}' calls the function '{name}' ({name.Length} characters): the C runtime's graph executor reads function names into a buffer of TVM_CRT_MAX_STRLEN_FUNCTION_NAME characters, {RuntimeFunctionNameBuffer} in its crt_config.h template, which holds at most {RuntimeFunctionNameBuffer - 2}. Set TVM_CRT_MAX_STRLEN_FUNCTION_NAME to at least {name.Length + 2} in the program's crt_config.h, or choose a shorter module name.";
                }
            }
        }

        /// <summary>The CRT's JSON loader stops one character short of its buffer and then misreads the rest of the graph: a name needs length + 2.</summary>
        public static bool TooLongForRuntime(string name) => name.Length + 2 > RuntimeFunctionNameBuffer;
    }
}
