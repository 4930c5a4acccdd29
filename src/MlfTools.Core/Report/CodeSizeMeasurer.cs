using MlfTools.CSource;
using MlfTools.Text;
using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.IO;

namespace MlfTools.Report
{
    /// <summary>
    /// Measures code size. A module's LLVM objects are read as they are; its C sources are written, with the archive's
    /// codegen/host/include and runtime/include, to a temporary folder, compiled there (in parallel, one compiler process
    /// per source) and the objects read. A C runtime's libraries go through the same compilation. The folder is deleted
    /// whatever happens.
    /// </summary>
    internal static class CodeSizeMeasurer
    {
        private const string FolderPrefix = "mlftools-size-";
        private const string GlobalWorkspace = "global_workspace";

        /// <summary>
        /// True when the active code of a C source declares <c>global_workspace[N]</c> at file scope, the static
        /// workspace TVM's AOT executor puts in the code (read with the C lexer and the conditionals of the symbol scan,
        /// function bodies and initializers stepped over: a comment or an <c>#if 0</c> group does not count).
        /// </summary>
        internal static bool NamesStaticWorkspace(string source, string archivePath, string memberPath, CancellationToken cancellationToken)
        {
            // A file that never spells the name needs no lexing (one that splits it with a backslash-newline is missed).
            if (source.IndexOf(GlobalWorkspace, StringComparison.Ordinal) < 0) return false;
            List<CToken> tokens;
            try
            {
                tokens = CConditionals.ActiveTokens(CLexer.Tokenize(source, skipGroupInsides: true, cancellationToken), out _);
            }
            catch (CSourceTooLargeException)
            {
                throw CSourceLimits.TooManyTokens(archivePath, memberPath);
            }
            int depth = 0;
            for (int i = 0; i < tokens.Count; i++)
            {
                var token = tokens[i];
                if (token.IsPunctuator("{"))
                {
                    bool linkage = i >= 2 && tokens[i - 1].Kind == CTokenKind.String && tokens[i - 2].IsIdentifier("extern");
                    if (!linkage) depth++;
                    continue;
                }
                if (token.IsPunctuator("}"))
                {
                    if (depth > 0) depth--;
                    continue;
                }
                if (depth == 0 && i + 3 < tokens.Count && token.IsIdentifier(GlobalWorkspace) && tokens[i + 1].IsPunctuator("[") &&
                    tokens[i + 2].Kind == CTokenKind.Number && tokens[i + 2].Text.All(c => c >= '0' && c <= '9') && tokens[i + 3].IsPunctuator("]"))
                {
                    return true;
                }
            }
            return false;
        }

        internal sealed class Result
        {
            public CodeSize Size;

            /// <summary>True when a source defines the AOT workspace as a static array (TVM's global_workspace), which the measured zero-init data then holds.</summary>
            public bool WorkspaceInCode;
        }

        /// <summary>
        /// The module's measured size, or null when it cannot be measured: C sources without a compiler, or no code at all.
        /// Throws MlfException CompilerNotFound / CompilerFailed / InvalidArchive (corrupt object).
        /// </summary>
        public static Result Measure(MlfModule module, CodeSizeOptions options, CancellationToken cancellationToken)
        {
            var code = module.Files.Where(f => f.Kind == MlfFileKind.Source || f.Kind == MlfFileKind.Object).ToList();
            var sources = code.Where(f => f.Kind == MlfFileKind.Source).ToList();
            var objects = code.Where(f => f.Kind == MlfFileKind.Object).ToList();
            string compiler = options?.Compiler;
            if (code.Count == 0 || (sources.Count > 0 && string.IsNullOrEmpty(compiler))) return null;

            var result = new Result { Size = new CodeSize(0, 0, 0, 0) };
            using (var content = new ArchiveContent(module.Archive))
            {
                foreach (var file in objects)
                {
                    byte[] bytes = ObjectCode.ReadAll(content, Member(module, file), module.SourcePath, cancellationToken);
                    result.Size = result.Size.Plus(ReadObjectCode(bytes, file.Path, module.SourcePath, cancellationToken));
                }
                if (sources.Count == 0) return result;

                var run = new CompileRun
                {
                    Owner = module,
                    What = $"module '{module.OriginalName}'",
                    Sources = sources,
                    Inspect = (file, bytes) =>
                    {
                        if (file.Kind == MlfFileKind.Source && !result.WorkspaceInCode && NamesStaticWorkspace(CText.Decode(bytes), module.SourcePath, file.Path, cancellationToken))
                        {
                            result.WorkspaceInCode = true;
                        }
                    },
                };
                var runtimeHeaders = RuntimeHeaders(module);
                run.Hint = runtimeHeaders.Count > 0 ? (Func<string, string>)null : MissingRuntimeHint;
                foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Source || (f.Kind != MlfFileKind.Runtime && IsInclude(f, module)))) run.Files.Add((file, file.Path));
                foreach (var file in runtimeHeaders) run.Files.Add((file, file.Path));
                run.IncludeFolders.Add(module.ModuleRoot + "codegen/host/include");
                run.IncludeFolders.Add("runtime/include");
                result.Size = result.Size.Plus(CompileAndRead(run, content, options, cancellationToken));
            }
            return result;
        }

        /// <summary>
        /// The size of a C runtime's libraries (<see cref="StandaloneRuntime"/>), graph_executor included when
        /// <paramref name="graphExecutor"/>, compiled like module sources with <paramref name="options"/>' compiler: the
        /// user's include folders first, then crt_config.h made from the archive's template, then runtime/include.
        /// Throws MlfException CompilerNotFound / CompilerFailed.
        /// </summary>
        public static CodeSize MeasureRuntime(StandaloneRuntime runtime, bool graphExecutor, CodeSizeOptions options, CancellationToken cancellationToken)
        {
            if (string.IsNullOrEmpty(options?.Compiler)) throw new ArgumentException("A compiler is needed to measure a C runtime.", nameof(options));
            var run = new CompileRun
            {
                Owner = runtime.Carrier,
                What = "the C runtime",
                Sources = runtime.Sources(graphExecutor),
            };
            foreach (var file in runtime.Headers.Concat(runtime.LibraryFiles(graphExecutor))) run.Files.Add((file, file.Path));
            if (runtime.ConfigTemplate != null)
            {
                run.Files.Add((runtime.ConfigTemplate, StandaloneRuntime.ConfigFolder + "/crt_config.h"));
                run.IncludeFolders.Add(StandaloneRuntime.ConfigFolder);
                run.FolderNote = $", {StandaloneRuntime.ConfigFolder}/crt_config.h a copy of {runtime.ConfigTemplate.Path}";
            }
            run.IncludeFolders.Add(runtime.IncludeFolder);
            using (var content = new ArchiveContent(runtime.Carrier.Archive))
            {
                return CompileAndRead(run, content, options, cancellationToken);
            }
        }

        /// <summary>What to do when the sources of a module whose archive has no runtime/include miss TVM's headers.</summary>
        private static string MissingRuntimeHint(string compilerText) =>
            compilerText.Contains("tvm/runtime/") || compilerText.Contains("dlpack/dlpack.h")
                ? "the archive carries no C runtime headers (runtime/include): give -IncludePath the runtime/include folder of a TVM C runtime of the model's TVM version or later, such as one Expand-MlfArchive extracts from an archive that carries it."
                : null;

        /// <summary>One compilation of C sources in a temporary folder: what is laid out there, what is compiled, the include folders.</summary>
        private sealed class CompileRun
        {
            /// <summary>The module whose archive holds the files; it names the archive in errors.</summary>
            public MlfModule Owner;

            /// <summary>What the sources are, in errors: "module 'default'", "the C runtime".</summary>
            public string What;

            /// <summary>Each member to write, and where in the folder ('/' separated).</summary>
            public readonly List<(MlfFile File, string Target)> Files = new List<(MlfFile, string)>();

            /// <summary>The files to compile (among <see cref="Files"/>, each written at its own path).</summary>
            public IReadOnlyList<MlfFile> Sources;

            /// <summary>Include folders relative to the folder ('/' separated), searched after the user's.</summary>
            public readonly List<string> IncludeFolders = new List<string>();

            /// <summary>Sees each member's bytes as it is written (optional).</summary>
            public Action<MlfFile, byte[]> Inspect;

            /// <summary>What to do about a failed compilation, from the compiler's text, or null (optional).</summary>
            public Func<string, string> Hint;

            /// <summary>What else the folder holds that the archive does not, for the command lines shown (", x a copy of y").</summary>
            public string FolderNote = string.Empty;
        }

        /// <summary>
        /// Writes the run's files to a new temporary folder, compiles each source there (in parallel, one compiler process
        /// per source, stopped on cancellation and when PowerShell is told to stop), reads the objects' section sizes and
        /// deletes the folder whatever happens. Paths inside the folder are given to the compiler relative to it, so each
        /// command line (<see cref="CodeSizeOptions.Verbose"/>) can be run by hand in a folder the archive was extracted to.
        /// </summary>
        private static CodeSize CompileAndRead(CompileRun run, ArchiveContent content, CodeSizeOptions options, CancellationToken cancellationToken)
        {
            string compiler = FindCompiler(options);
            var commands = new List<string>[run.Sources.Count];
            for (int i = 0; i < commands.Length; i++)
            {
                var words = new List<string>(options.Arguments ?? new List<string>());
                words.AddRange((options.IncludePaths ?? new List<string>()).Concat(run.IncludeFolders).Select(folder => "-I" + folder));
                words.AddRange(new[] { "-c", run.Sources[i].Path, "-o", ObjectName(i) });
                commands[i] = words;
                options.Verbose?.Invoke($"Compiling '{run.Sources[i].Path}' of {run.What} in '{run.Owner.SourcePath}' (in a folder holding the archive's files{run.FolderNote}): " +
                    CommandLine.Of(compiler, words));
            }

            using (var work = CompileFolder.Under(options.TemporaryRoot ?? Path.GetTempPath(), FolderPrefix, cancellationToken))
            {
                string folder = work.Path;
                try
                {
                    Directory.CreateDirectory(folder);
                    foreach (var (file, target) in run.Files)
                    {
                        byte[] bytes = content.ReadAll(Member(run.Owner, file), work.Token);
                        run.Inspect?.Invoke(file, bytes);
                        string path = Path.Combine(folder, target.Replace('/', Path.DirectorySeparatorChar));
                        Directory.CreateDirectory(Path.GetDirectoryName(path));
                        File.WriteAllBytes(path, bytes);
                    }
                    var sizes = new CodeSize[run.Sources.Count];
                    work.ForEach(run.Sources.Count, i =>
                    {
                        Compile(compiler, commands[i], folder, $"'{run.Sources[i].Path}' of {run.What} in '{run.Owner.SourcePath}'", run.Owner.SourcePath, run.Hint, options, work.Token);
                        using (var stream = File.OpenRead(Path.Combine(folder, ObjectName(i)))) sizes[i] = ReadObject(stream, run.Sources[i].Path, run.Owner.SourcePath, options.Compiler);
                    });
                    var total = new CodeSize(0, 0, 0, 0);
                    foreach (var size in sizes) total = total.Plus(size);
                    return total;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw FolderFailed(run, options, ex);
                }
            }
        }

        /// <summary>The full path of <paramref name="options"/>' compiler; CompilerNotFound when there is none.</summary>
        internal static string FindCompiler(CodeSizeOptions options) =>
            ProgramSearch.Find(options.Compiler) ?? throw new MlfException(MlfErrorIds.CompilerNotFound,
                ProgramSearch.IsPath(options.Compiler)
                    ? $"The compiler '{options.Compiler}' does not exist. Give -Compiler the path of a C compiler (e.g. arm-none-eabi-gcc or gcc), or a name on PATH."
                    : $"The compiler '{options.Compiler}' is not on PATH. Give -Compiler the path of a C compiler (e.g. arm-none-eabi-gcc or gcc), or put it on PATH.",
                options.Compiler);

        private static string ObjectName(int index) => "obj" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".o";

        private static MlfException FolderFailed(CompileRun run, CodeSizeOptions options, Exception ex) =>
            new MlfException(MlfErrorIds.CompilerFailed,
                $"Compiling {run.What} of '{run.Owner.SourcePath}' in a temporary folder of '{options.TemporaryRoot ?? Path.GetTempPath()}' failed: {ex.Message} Make room there, or point TMPDIR (TEMP on Windows) to a folder that can be written.",
                run.Owner.SourcePath, ex);

        internal static ArchiveMember Member(MlfModule module, MlfFile file) =>
            module.Archive.Find(file.Path) ?? throw new MlfException(MlfErrorIds.ArchiveReadFailed,
                $"'{file.Path}' of module '{module.OriginalName}' is no longer in '{module.SourcePath}'. Read the archive again (New-MlfModule) and retry.",
                module.SourcePath);

        /// <summary>
        /// The C runtime headers a module compiles against: its own runtime/include, else the one its archive carries. A
        /// joined archive keeps one runtime for all its modules, also those that did not bring one (a TVM 0.8 AOT model).
        /// </summary>
        private static List<MlfFile> RuntimeHeaders(MlfModule module)
        {
            var own = module.Files.Where(f => f.Kind == MlfFileKind.Runtime && IsInclude(f, module)).ToList();
            if (own.Count > 0) return own;
            return module.Archive.Members.Where(m => !m.IsDirectory && m.Path.StartsWith("runtime/include/", StringComparison.Ordinal))
                .Select(m => new MlfFile(MlfFileKind.Runtime, m.Path, m.Size, m.Path)).ToList();
        }

        private static bool IsInclude(MlfFile file, MlfModule module) =>
            (file.Kind == MlfFileKind.Header && file.Path.StartsWith(module.ModuleRoot + "codegen/host/include/", StringComparison.Ordinal)) ||
            (file.Kind == MlfFileKind.Runtime && file.Path.StartsWith("runtime/include/", StringComparison.Ordinal));

        /// <summary>Runs one compilation (<see cref="ChildProcess"/>: bounded in time and output, its process tree ended) and turns its failure into our errors.</summary>
        /// <param name="compiler">The compiler's full path.</param>
        /// <param name="words">Its arguments.</param>
        /// <param name="folder">The folder it runs in.</param>
        /// <param name="compiling">What is compiled, for errors: "'x.c' of module 'm' in 'a.tar'".</param>
        /// <param name="archive">The archive errors name.</param>
        /// <param name="hint">What to do about a failure, from the compiler's text, or null (optional).</param>
        /// <param name="options">The user's compiler options (name, timeout).</param>
        /// <param name="cancellationToken">Stops the compiler.</param>
        /// <param name="link">True when the command links (the errors say so).</param>
        /// <param name="output">The file the command writes, relative to the folder; null: the command's last word.</param>
        internal static void Compile(string compiler, IList<string> words, string folder, string compiling, string archive, Func<string, string> hint, CodeSizeOptions options,
            CancellationToken cancellationToken, bool link = false, string output = null)
        {
            ChildProcess.Result result;
            try
            {
                result = ChildProcess.Run(compiler, words, folder, options.Timeout, cancellationToken);
            }
            catch (Win32Exception ex)
            {
                throw new MlfException(MlfErrorIds.CompilerNotFound,
                    $"The compiler '{options.Compiler}' could not be started ({ex.Message}). Give -Compiler the path of a C compiler (e.g. arm-none-eabi-gcc or gcc), or put it on PATH.",
                    options.Compiler);
            }
            string text = result.Output.Replace(folder + Path.DirectorySeparatorChar, string.Empty);
            string quoted = CompilerDiagnostics.Quote(text);
            if (result.TimedOut)
            {
                throw new MlfException(MlfErrorIds.CompilerFailed,
                    $"'{options.Compiler}' did not finish {(link ? "linking" : "compiling")} {compiling} within {Seconds(options.Timeout)} and was stopped. " +
                    "Give -CompilerTimeout more seconds if the compiler needs them for a file this large; -Verbose shows the command line to try by hand." +
                    (quoted.Length > 0 ? Environment.NewLine + quoted : string.Empty),
                    archive);
            }
            if (result.Flooded)
            {
                throw new MlfException(MlfErrorIds.CompilerFailed,
                    $"'{options.Compiler}' wrote more than {ChildProcess.MaximumOutputBytes / (1024 * 1024)} MiB of messages {(link ? "linking" : "compiling")} {compiling} and was stopped; " +
                    "an include loop does this. Its first lines:" + Environment.NewLine + quoted,
                    archive);
            }
            if (result.ExitCode == 0 && File.Exists(Path.Combine(folder, output ?? words[words.Count - 1]))) return;
            string fix = CompilerDiagnostics.KnownFix(text) ?? hint?.Invoke(text);
            throw new MlfException(MlfErrorIds.CompilerFailed,
                $"'{options.Compiler}' could not {(link ? "link" : "compile")} {compiling} (exit code {result.ExitCode})" + (fix != null ? ": " + fix : ".") +
                (quoted.Length > 0 ? Environment.NewLine + quoted : string.Empty) +
                (fix != null ? string.Empty : Environment.NewLine + "Give -CompilerArgument the flags of the model's target (e.g. -mcpu=cortex-m7 -mthumb for Arm code), and -IncludePath the folders of headers the archive does not carry; -Verbose shows each command line."),
                archive);
        }

        private static string Seconds(TimeSpan time)
        {
            double seconds = time.TotalSeconds;
            return (seconds == Math.Floor(seconds) ? ((long)seconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)) +
                (seconds == 1 ? " second" : " seconds");
        }

        /// <summary>The size of object code a module ships: an object, or every member of a static library.</summary>
        private static CodeSize ReadObjectCode(byte[] bytes, string memberPath, string archive, CancellationToken cancellationToken)
        {
            try
            {
                return ObjectCode.ReadSizes(bytes, cancellationToken);
            }
            catch (NotObjectCodeException ex)
            {
                throw new MlfException(MlfErrorIds.InvalidArchive, $"'{memberPath}' in '{archive}' {ObjectCode.NotObjectCode(ex.What)}, so its size cannot be read. Re-export the model with TVM.", archive);
            }
            catch (InvalidDataException ex)
            {
                throw new MlfException(MlfErrorIds.InvalidArchive, $"The object code '{memberPath}' in '{archive}' is a corrupt ELF file or static library ({ex.Message}).", archive);
            }
            catch (ObjectCodeTooLargeException ex)
            {
                throw ObjectCodeLimits.TooLarge(archive, memberPath, ex.Why);
            }
        }

        /// <summary>The size of an object the compiler wrote.</summary>
        private static CodeSize ReadObject(Stream stream, string memberPath, string archive, string compiler)
        {
            try
            {
                var size = ElfSectionSizes.Read(stream);
                if (size != null) return size;
            }
            catch (InvalidDataException ex)
            {
                throw new MlfException(MlfErrorIds.InvalidArchive, $"The object of '{memberPath}' in '{archive}' is a corrupt ELF file ({ex.Message}).", archive);
            }
            throw new MlfException(MlfErrorIds.CompilerFailed, $"'{compiler}' compiled '{memberPath}' of '{archive}' into something that is not an ELF object; only ELF objects can be measured. Use a compiler that writes ELF (gcc, clang, arm-none-eabi-gcc).", archive);
        }
    }
}
