using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Format;
using MlfTools.Report;

namespace MlfTools.Validation
{
    /// <summary>
    /// The files a module's metadata implies, at the paths its MLF version gives them: code for each C or LLVM target
    /// (numbered from 0 with no gap), params, the graph config of a graph executor module, the C interface header when
    /// the target asks for one, runtime/ when the module depends on the C runtime, and the Relay or TIR text.
    /// </summary>
    internal static class ModuleLayout
    {
        public static void Check(MlfModule module, IReadOnlyCollection<string> moduleNames, Findings findings)
        {
            bool operatorStyle = module.Style == MetadataReader.OperatorStyle;
            CheckCode(module, operatorStyle, findings);
            if (operatorStyle)
            {
                if (!module.Files.Any(f => f.Kind == MlfFileKind.Tir))
                {
                    findings.Add(ArchiveFindingIds.MissingIrText, module.OriginalName, module.ModuleRoot + "src/",
                        $"Operator-style module '{module.OriginalName}' has no TIR text (src/tir-<device>.txt), which TVM writes for every tvm.build export. No build needs it; it only documents the code.");
                }
                return;
            }

            string name = module.OriginalName;
            int version = module.FormatVersion;
            bool ownTree = module.ModuleRoot.Length > 0;
            // Only a build that loads its weights at run time needs the params file; AOT and link-params builds have
            // them compiled into the code (constants, global_const_workspace, _lookup_linked_param).
            if (WeightPlacement.Of(module) == WeightPlacement.ParamsFile)
            {
                CheckOwnFile(module, MlfFileKind.Parameters, $"parameters/{name}.params", "params file", ArchiveFindingIds.MissingFile, moduleNames, ownTree, findings,
                    "Its graph executor loads the weights from that file at run time, so without it the model has no weights: re-export the model with TVM.");
            }
            if (module.Executors.Contains("graph"))
            {
                string graph = version >= 7 ? $"executor-config/graph/{name}.graph" : version >= 5 ? "executor-config/graph/graph.json" : "runtime-config/graph/graph.json";
                CheckOwnFile(module, MlfFileKind.Graph, graph, "graph executor config", ArchiveFindingIds.MissingFile, moduleNames, ownTree, findings,
                    "The graph executor cannot run the model without it: re-export the model with TVM.");
            }
            string relay = version >= 7 ? $"src/{name}.relay" : version >= 4 ? "src/relay.txt" : "relay.txt";
            CheckOwnFile(module, MlfFileKind.Relay, relay, "Relay text", ArchiveFindingIds.MissingIrText, moduleNames, ownTree, findings,
                "No build needs it; it only documents the model.");

            if (module.Targets.Any(t => t.IndexOf("-interface-api=c", StringComparison.Ordinal) >= 0))
            {
                string header = module.InterfaceHeaderModulePath;
                if (module.InterfaceHeaderPath == null)
                {
                    findings.Add(ArchiveFindingIds.MissingFile, name, module.ModuleRoot + header,
                        $"Module '{name}' targets the C interface (-interface-api=c) but its header '{header}' is missing; application code includes it to call tvmgen_{name}_run. Re-export the model with TVM.");
                }
            }
            if (module.DependsOnRuntime && !module.Files.Any(f => f.Kind == MlfFileKind.Runtime))
            {
                findings.Add(ArchiveFindingIds.MissingFile, name, "runtime/",
                    $"Module '{name}' depends on TVM's standalone C runtime (external_dependencies names ./runtime), but the archive has no runtime/ folder. Re-export the model with TVM, or copy runtime/ from an archive made by the same TVM version.");
            }
        }

        /// <summary>
        /// C sources for a "c" target, objects for an "llvm" target (some code at all for anything else), and every
        /// lib&lt;N&gt; from 0 up to the highest one present: TVM numbers sources and objects from 0 without gaps.
        /// </summary>
        private static void CheckCode(MlfModule module, bool operatorStyle, Findings findings)
        {
            string name = module.OriginalName;
            string prefix = operatorStyle || module.FormatVersion < 3 ? string.Empty : name + "_";
            var kinds = module.Targets.Select(TargetString.Kind).ToList();
            bool hasSources = module.Files.Any(f => f.Kind == MlfFileKind.Source);
            bool hasObjects = module.Files.Any(f => f.Kind == MlfFileKind.Object);
            bool needsSources = kinds.Contains("c") || (!kinds.Contains("llvm") && !hasObjects);
            bool needsObjects = kinds.Contains("llvm");
            if (needsSources && !hasSources)
            {
                findings.Add(ArchiveFindingIds.MissingFile, name, module.ModuleRoot + $"codegen/host/src/{prefix}lib0.c",
                    $"Module '{name}' has no generated C source (codegen/host/src/{prefix}lib0.c and on), though its target is '{module.Targets.FirstOrDefault()}'. There is no code to build: re-export the model with TVM.");
            }
            if (needsObjects && !hasObjects)
            {
                findings.Add(ArchiveFindingIds.MissingFile, name, module.ModuleRoot + $"codegen/host/lib/{prefix}lib0.o",
                    $"Module '{name}' has no object file (codegen/host/lib/{prefix}lib0.o and on), though its target is '{module.Targets.First(t => TargetString.Kind(t) == "llvm")}'. There is no code to link: re-export the model with TVM.");
            }
            ReportGaps(module, "codegen/host/src/", prefix, new[] { "c", "cc", "cpp" }, findings);
            ReportGaps(module, "codegen/host/lib/", prefix, new[] { "o" }, findings);
        }

        private static void ReportGaps(MlfModule module, string folder, string prefix, string[] extensions, Findings findings)
        {
            var indices = new SortedSet<int>();
            foreach (var file in module.Files)
            {
                if (!file.ModulePath.StartsWith(folder, StringComparison.Ordinal)) continue;
                if (!TvmNames.TryParseCodegenFile(file.ModulePath.Substring(folder.Length), out string owner, out string number, out string extension)) continue;
                if ((owner == null ? string.Empty : owner + "_") != prefix || !extensions.Contains(extension)) continue;
                if (int.TryParse(number, out int index) && index < 100000) indices.Add(index);
            }
            if (indices.Count == 0) return;
            string present = string.Join(", ", indices.Select(i => $"{prefix}lib{i}"));
            for (int missing = 0; missing < indices.Max; missing++)
            {
                if (indices.Contains(missing)) continue;
                string expected = $"{folder}{prefix}lib{missing}.{extensions[0]}";
                findings.Add(ArchiveFindingIds.MissingFile, module.OriginalName, module.ModuleRoot + expected,
                    $"Module '{module.OriginalName}' has {present} in {folder} but no {prefix}lib{missing}: TVM numbers its code files from 0 without gaps, so code the others call is missing and the model does not link. Re-export the model with TVM.");
            }
        }

        /// <summary>The file at its version's path; else the module's own file of that kind elsewhere (UnexpectedFilePath); else <paramref name="missingId"/>.</summary>
        private static void CheckOwnFile(MlfModule module, string kind, string expected, string what, string missingId,
            IReadOnlyCollection<string> moduleNames, bool ownTree, Findings findings, string consequence)
        {
            string name = module.OriginalName;
            if (module.Files.Any(f => f.ModulePath == expected)) return;
            string own = ModuleFiles.OwnFileOfKind(module.Files, kind, name, moduleNames, ownTree);
            if (own != null)
            {
                findings.Add(ArchiveFindingIds.UnexpectedFilePath, name, own,
                    $"The {what} of module '{name}' is '{own}', but MLF version {module.FormatVersion} puts it at '{module.ModuleRoot + expected}', where TVM's tools look for it. Move it there (Join-MlfArchive writes every file where version 7 puts it).");
                return;
            }
            findings.Add(missingId, name, module.ModuleRoot + expected, $"Module '{name}' has no {what} ('{module.ModuleRoot + expected}'). {consequence}");
        }

    }
}
