using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Firmware;
using MlfTools.Format;
using MlfTools.IO;
using MlfTools.Report;

namespace MlfTools.Linking
{
    /// <summary>
    /// The compile and link commands of a measured firmware in a folder holding a joined archive with its helper
    /// sources, run there with paths relative to it (so -Verbose's command lines can be run by hand in an extracted
    /// archive), and what the linker kept, read from its map and the image.
    /// </summary>
    internal sealed class FirmwareBuild
    {
        private const string ObjectFolder = "obj";
        private const string CallGraphFlag = "-fcallgraph-info=su";

        private readonly string _folder;
        private readonly string _compiler;
        private readonly CodeSizeOptions _options;
        private readonly string _archive;
        private readonly List<(string Source, string Object)> _compiles = new List<(string, string)>();
        private readonly List<string> _linkInputs = new List<string>();
        private readonly List<string> _compileFlags = new List<string>();
        private FirmwareParts _parts;
        private bool _callGraphs;

        private FirmwareBuild(string folder, string compiler, CodeSizeOptions options, string archive)
        {
            _folder = folder;
            _compiler = compiler;
            _options = options;
            _archive = archive;
        }

        /// <summary>The commands for the joined modules extracted in <paramref name="folder"/>; writes main() into helpers/.</summary>
        public static FirmwareBuild Plan(IReadOnlyList<MlfModule> joined, string folder, CodeSizeOptions options, string compiler, CancellationToken cancellationToken)
        {
            var build = new FirmwareBuild(folder, compiler, options, joined[0].SourcePath);
            File.WriteAllText(Path.Combine(folder, HelperLayout.Folder + FirmwareEntry.FileName), FirmwareEntry.Source);
            bool graph = joined.Any(m => m.GraphConfig != null && m.Executors.Contains("graph"));
            build._parts = new FirmwareParts(joined.Select(m => (m.Name, HelperNames.Symbol(m.Name))));

            string helpers = HelperLayout.Folder;
            foreach (var module in joined)
            {
                string data = helpers + HelperNames.DataFile(module.Name);
                if (File.Exists(Path.Combine(folder, data))) build.AddSource(data, module.Name);
            }
            foreach (string file in new[] { HelperSources.ModelsSource, HelperSources.PlatformSource, HelperSources.GraphSource, FirmwareEntry.FileName })
            {
                if (!File.Exists(Path.Combine(folder, helpers + file))) continue;
                string obj = build.AddSource(helpers + file, FirmwareParts.Helpers);
                if (file == HelperSources.ModelsSource) build._parts.AddSplitByName(obj);
            }
            foreach (var module in joined)
            {
                foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Source)) build.AddSource(file.Path, module.Name);
                foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Object))
                {
                    build._linkInputs.Add(file.Path);
                    build._parts.Add(file.Path, module.Name);
                }
            }
            foreach (string source in HelperSources.RuntimeSources(graph)) build.AddSource(source, FirmwareParts.Runtime);

            build._compileFlags.AddRange(options.Arguments ?? new List<string>());
            build._compileFlags.AddRange(SectionFlags.Where(f => !build._compileFlags.Contains(f)));
            build._compileFlags.AddRange(HelperSources.CompilerFlags);
            build._callGraphs = build.WritesCallGraphs(cancellationToken);
            if (build._callGraphs) build._compileFlags.Add(CallGraphFlag);
            build._compileFlags.AddRange((options.IncludePaths ?? new List<string>()).Select(p => "-I" + p));
            build._compileFlags.AddRange(HelperSources.IncludeFolders.Select(p => "-I" + p));
            return build;
        }

        /// <summary>Code generation flags the measurement adds when the user's lack them: sections --gc-sections can drop one by one.</summary>
        private static readonly string[] SectionFlags = { "-ffunction-sections", "-fdata-sections" };

        private string AddSource(string source, string part)
        {
            string obj = ObjectFolder + "/" + _compiles.Count.ToString(CultureInfo.InvariantCulture) + ".o";
            _compiles.Add((source, obj));
            _parts.Add(obj, part);
            return obj;
        }

        /// <summary>Compiles every source in <paramref name="work"/>, in parallel (one compiler process per source and core).</summary>
        public void CompileAll(CompileFolder work)
        {
            Directory.CreateDirectory(Path.Combine(_folder, ObjectFolder));
            var commands = _compiles.Select(c => _compileFlags.Concat(new[] { "-c", c.Source, "-o", c.Object }).ToList()).ToList();
            for (int i = 0; i < commands.Count; i++)
            {
                _options.Verbose?.Invoke($"Compiling '{_compiles[i].Source}' of the measured firmware (in a folder holding the joined archive with -IncludeHelpers, and {HelperLayout.Folder}{FirmwareEntry.FileName}): " +
                    CommandLine.Of(_compiler, commands[i]));
            }
            work.ForEach(commands.Count, i =>
                CodeSizeMeasurer.Compile(_compiler, commands[i], _folder, $"'{_compiles[i].Source}' of the measured firmware", _archive, null, _options, work.Token));
        }

        /// <summary>Links the objects with --gc-sections and a map: the user's linker arguments, or main() as the entry without start files.</summary>
        public void Link(CancellationToken cancellationToken)
        {
            var words = new List<string>(_options.Arguments ?? new List<string>());
            words.AddRange(_options.LinkerArguments ?? DefaultLinkerArguments(cancellationToken));
            words.AddRange(new[] { "-Wl,--gc-sections", "-Wl,-Map=" + FirmwareMeasurement.MapName, "-o", FirmwareMeasurement.ElfName });
            words.AddRange(_compiles.Select(c => c.Object));
            words.AddRange(_linkInputs);
            words.Add("-lm");
            _options.Verbose?.Invoke("Linking the measured firmware: " + CommandLine.Of(_compiler, words));
            CodeSizeMeasurer.Compile(_compiler, words, _folder, "the measured firmware", _archive, LinkHint, _options, cancellationToken, link: true, output: FirmwareMeasurement.ElfName);
        }

        /// <summary>
        /// Without linker arguments: no start files and main() as the entry, so only what the models need is linked; and a
        /// bare-metal C library's system call stubs (nosys.specs) where the compiler has them, for abort() and the like.
        /// </summary>
        private List<string> DefaultLinkerArguments(CancellationToken cancellationToken)
        {
            var words = new List<string> { "-nostartfiles", "-Wl,--entry=main" };
            if (CompilerFile("nosys.specs", cancellationToken)) words.Add("--specs=nosys.specs");
            return words;
        }

        private bool CompilerFile(string name, CancellationToken cancellationToken)
        {
            try
            {
                var result = ChildProcess.Run(_compiler, new[] { "-print-file-name=" + name }, _folder, _options.Timeout, cancellationToken);
                string path = result.Output.Trim();
                return result.ExitCode == 0 && path != name && Path.IsPathRooted(path) && File.Exists(path);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        /// <summary>gcc 10 and later write a call graph with each function's stack (-fcallgraph-info=su); clang does not.</summary>
        private bool WritesCallGraphs(CancellationToken cancellationToken)
        {
            try
            {
                var result = ChildProcess.Run(_compiler, new[] { "--version" }, _folder, _options.Timeout, cancellationToken);
                if (result.ExitCode != 0 || result.Output.IndexOf("clang", StringComparison.OrdinalIgnoreCase) >= 0) return false;
                var version = System.Text.RegularExpressions.Regex.Match(result.Output, @"\) (\d+)\.\d+");
                return version.Success && int.Parse(version.Groups[1].Value, CultureInfo.InvariantCulture) >= 10;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        private static string LinkHint(string linkerText) =>
            linkerText.Contains("undefined reference to `_") || linkerText.Contains("undefined reference to `__")
                ? "the C library needs system calls or start-up code the link does not have: give -LinkerArgument your board's linker script and startup (e.g. -T board.ld, startup.o) or the C library's stubs (--specs=nosys.specs)."
                : "give -LinkerArgument what your firmware links with (linker script, startup files, libraries); -Verbose shows the command line.";

        /// <summary>
        /// The functions the linker kept, by the sections -ffunction-sections gave them (".text.f", and gcc's
        /// ".text.startup.f", ".text.unlikely.f", ".text.hot.f"): the only ones a call through a pointer can reach.
        /// </summary>
        private static HashSet<string> KeptFunctions(LinkMap map)
        {
            var kept = new HashSet<string>(StringComparer.Ordinal);
            foreach (var input in map.Inputs)
            {
                if (SectionSymbol.IsFunction(input.InputSection)) kept.Add(SectionSymbol.Of(input.InputSection));
            }
            return kept;
        }

        /// <summary>
        /// Whether the image keeps malloc: a kept section named for it (-ffunction-sections), or a kept library member the
        /// linker took for it (the C library's own objects keep every function in one .text).
        /// </summary>
        private static bool LinksMalloc(LinkMap map, HashSet<string> kept)
        {
            if (kept.Contains("malloc") || kept.Contains("_malloc_r")) return true;
            var members = new HashSet<string>(map.ArchiveMembers.Where(m => m.Symbol == "malloc" || m.Symbol == "_malloc_r").Select(m => m.File), StringComparer.Ordinal);
            return members.Count > 0 && map.Inputs.Any(i => i.Size > 0 && members.Contains(i.File) && i.InputSection.StartsWith(".text", StringComparison.Ordinal));
        }

        /// <summary>Why a stack estimate may be short, in words; null when it is complete.</summary>
        private static string StackNote(StackEstimate stack)
        {
            if (stack.Bytes == null) return "the compiler's call graphs give main() no stack figure";
            var reasons = new List<string>();
            if (stack.WithoutFigures.Count > 0) reasons.Add("the frames of functions without a call graph (the C library's, object code's: " + Names(stack.WithoutFigures) + ") are not counted");
            if (stack.UnboundedFrames.Count > 0) reasons.Add("the dynamic frames of " + Names(stack.UnboundedFrames) + " count their static part only");
            if (stack.Recursive.Count > 0) reasons.Add("recursion through " + Names(stack.Recursive) + " is counted once");
            if (stack.IndirectCallers.Count > 0 && stack.IndirectTargets.Count == 0) reasons.Add("calls through pointers in " + Names(stack.IndirectCallers) + " reach functions the call graphs do not name");
            return reasons.Count == 0 ? null : string.Join("; ", reasons);
        }

        private static string Names(IReadOnlyList<string> names) =>
            string.Join(", ", names.Take(4)) + (names.Count > 4 ? $" and {names.Count - 4} more" : string.Empty);

        /// <summary>What the linker kept, by part, from its map and the image; the deepest stack from the call graphs.</summary>
        public LinkedFirmware Read(IReadOnlyList<string> modelNames)
        {
            string map = File.ReadAllText(Path.Combine(_folder, FirmwareMeasurement.MapName));
            LinkedImage image;
            using (var elf = File.OpenRead(Path.Combine(_folder, FirmwareMeasurement.ElfName))) image = LinkedImage.Read(elf);
            if (image == null)
            {
                throw new MlfException(MlfErrorIds.CompilerFailed,
                    $"'{_options.Compiler}' linked the measured firmware into something that is not an ELF executable; only ELF images can be measured. Check -LinkerArgument (no -r, -c or -shared).",
                    _archive);
            }
            var linkMap = LinkMap.Parse(map);
            var attribution = LinkAttribution.Compute(linkMap, image, input => _parts.Of(input.Library ?? input.File, input.Member, input.InputSection));
            CodeSize Part(string name) => attribution.Find(name)?.Size ?? new CodeSize(0, 0, 0, 0);
            var firmware = new LinkedFirmware
            {
                Models = modelNames.Select(m => (m, Part(m))).ToList(),
                Runtime = Part(FirmwareParts.Runtime),
                Helpers = Part(FirmwareParts.Helpers),
                Library = Part(FirmwareParts.Library),
                Other = Part(FirmwareParts.Other).Plus(attribution.Rest),
                Image = image.Totals,
            };
            var kept = KeptFunctions(linkMap);
            if (LinksMalloc(linkMap, kept))
            {
                firmware.HeapNote = "the firmware links the C library's malloc (its stdio buffers, or a model's code, may call it), and the heap it takes at run time is not counted: leave room for it";
            }
            if (_callGraphs)
            {
                var stack = StackDepth.Deepest(StackDepth.ReadCallGraphs(Path.Combine(_folder, ObjectFolder)), "main", kept.Contains);
                firmware.StackBytes = stack.Bytes;
                firmware.StackNote = StackNote(stack);
            }
            else
            {
                firmware.StackNote = "the compiler writes no call graph (gcc 10 or later does, with -fcallgraph-info=su), so the stack is not counted";
            }
            return firmware;
        }
    }
}
