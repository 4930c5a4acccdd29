using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.Archive;
using MlfTools.Elf;
using MlfTools.Symbols;

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
        private const int MaxErrorText = 4000;
        private static readonly Regex StaticWorkspace = new Regex(@"\bglobal_workspace\s*\[\s*\d+\s*\]", RegexOptions.CultureInvariant);

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
                        if (file.Kind == MlfFileKind.Source && StaticWorkspace.IsMatch(Encoding.UTF8.GetString(bytes))) result.WorkspaceInCode = true;
                    },
                    Hint = module.Files.Any(f => f.Kind == MlfFileKind.Runtime && IsInclude(f, module)) ? (Func<string, string>)null : MissingRuntimeHint,
                };
                foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Source || IsInclude(f, module))) run.Files.Add((file, file.Path));
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
                Hint = RuntimeHint,
            };
            foreach (var file in runtime.Headers.Concat(runtime.LibraryFiles(graphExecutor))) run.Files.Add((file, file.Path));
            if (runtime.ConfigTemplate != null)
            {
                run.Files.Add((runtime.ConfigTemplate, StandaloneRuntime.ConfigFolder + "/crt_config.h"));
                run.IncludeFolders.Add(StandaloneRuntime.ConfigFolder);
            }
            run.IncludeFolders.Add(runtime.IncludeFolder);
            using (var content = new ArchiveContent(runtime.Carrier.Archive))
            {
                return CompileAndRead(run, content, options, cancellationToken);
            }
        }

        /// <summary>What to do about a compiler message the runtime's sources are known to give.</summary>
        private static string RuntimeHint(string compilerText) =>
            compilerText.Contains("PRIu64")
                ? " The C library's inttypes.h does not match its stdint.h (Debian's arm-none-eabi-gcc with newlib): add -CompilerArgument -D__int64_t_defined=1."
                : string.Empty;

        /// <summary>What to do when the sources of a module whose archive has no runtime/include miss TVM's headers.</summary>
        private static string MissingRuntimeHint(string compilerText) =>
            compilerText.Contains("tvm/runtime/") || compilerText.Contains("dlpack/dlpack.h")
                ? " The archive carries no C runtime headers (runtime/include): give -IncludePath the runtime/include folder of a TVM C runtime of the model's TVM version or later, such as one Expand-MlfArchive extracts from an archive that carries it."
                : string.Empty;

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

            /// <summary>Extra advice for a failed compilation, from the compiler's text (optional).</summary>
            public Func<string, string> Hint;
        }

        /// <summary>
        /// Writes the run's files to a new temporary folder, compiles each source there (in parallel, one compiler process
        /// per source, stopped on cancellation), reads the objects' section sizes and deletes the folder whatever happens.
        /// </summary>
        private static CodeSize CompileAndRead(CompileRun run, ArchiveContent content, CodeSizeOptions options, CancellationToken cancellationToken)
        {
            string folder = Path.Combine(options.TemporaryRoot ?? Path.GetTempPath(), "mlftools-size-" + Guid.NewGuid().ToString("N"));
            try
            {
                Directory.CreateDirectory(folder);
                foreach (var (file, target) in run.Files)
                {
                    byte[] bytes = content.ReadAll(Member(run.Owner, file), cancellationToken);
                    run.Inspect?.Invoke(file, bytes);
                    string path = Path.Combine(folder, target.Replace('/', Path.DirectorySeparatorChar));
                    Directory.CreateDirectory(Path.GetDirectoryName(path));
                    File.WriteAllBytes(path, bytes);
                }
                var includes = (options.IncludePaths ?? new List<string>()).ToList();
                includes.AddRange(run.IncludeFolders.Select(i => Path.Combine(folder, i.Replace('/', Path.DirectorySeparatorChar))));
                var sizes = new CodeSize[run.Sources.Count];
                var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };
                try
                {
                    Parallel.For(0, run.Sources.Count, parallel, i =>
                    {
                        string source = Path.Combine(folder, run.Sources[i].Path.Replace('/', Path.DirectorySeparatorChar));
                        string output = Path.Combine(folder, "obj" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".o");
                        Compile(options.Compiler, options.Arguments, includes, source, output, run.Sources[i].Path, run, folder, cancellationToken);
                        using (var stream = File.OpenRead(output)) sizes[i] = ReadObject(stream, run.Sources[i].Path, run.Owner.SourcePath, options.Compiler);
                    });
                }
                catch (AggregateException ex) when (ex.InnerExceptions.FirstOrDefault(e => e is MlfException) is MlfException first)
                {
                    throw first;
                }
                var total = new CodeSize(0, 0, 0, 0);
                foreach (var size in sizes) total = total.Plus(size);
                return total;
            }
            finally
            {
                TryDelete(folder);
            }
        }

        internal static ArchiveMember Member(MlfModule module, MlfFile file) =>
            module.Archive.Find(file.Path) ?? throw new MlfException(MlfErrorIds.ArchiveReadFailed,
                $"'{file.Path}' of module '{module.OriginalName}' is no longer in '{module.SourcePath}'. Read the archive again (New-MlfModule) and retry.",
                module.SourcePath);

        private static bool IsInclude(MlfFile file, MlfModule module) =>
            (file.Kind == MlfFileKind.Header && file.Path.StartsWith(module.ModuleRoot + "codegen/host/include/", StringComparison.Ordinal)) ||
            (file.Kind == MlfFileKind.Runtime && file.Path.StartsWith("runtime/include/", StringComparison.Ordinal));

        private static void Compile(string compiler, IList<string> arguments, IEnumerable<string> includes, string source, string output,
            string memberPath, CompileRun run, string folder, CancellationToken cancellationToken)
        {
            var words = new List<string>(arguments ?? new List<string>());
            words.AddRange(includes.Select(i => "-I" + i));
            words.AddRange(new[] { "-c", source, "-o", output });
            var start = new ProcessStartInfo(compiler, string.Join(" ", words.Select(Quote)))
            {
                WorkingDirectory = folder,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            Process process;
            try
            {
                process = Process.Start(start);
            }
            catch (Win32Exception ex)
            {
                throw new MlfException(MlfErrorIds.CompilerNotFound,
                    $"The compiler '{compiler}' could not be started ({ex.Message}). Give -Compiler the path of a C compiler (e.g. arm-none-eabi-gcc or gcc), or put it on PATH.",
                    compiler);
            }
            using (process)
            using (cancellationToken.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } catch (Win32Exception) { } }))
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                string stderr = process.StandardError.ReadToEnd();
                process.WaitForExit();
                string text = (stderr + stdout.Result).Replace(folder + Path.DirectorySeparatorChar, string.Empty).Trim();
                cancellationToken.ThrowIfCancellationRequested();
                if (process.ExitCode == 0 && File.Exists(output)) return;
                if (text.Length > MaxErrorText) text = text.Substring(0, MaxErrorText) + " ...";
                throw new MlfException(MlfErrorIds.CompilerFailed,
                    $"'{compiler}' could not compile '{memberPath}' of {run.What} in '{run.Owner.SourcePath}' (exit code {process.ExitCode}): {text}" +
                    $"{Environment.NewLine}Give -CompilerArgument the flags of the model's target (e.g. -mcpu=cortex-m7 -mthumb for Arm code), and -IncludePath the folders of headers the archive does not carry." +
                    run.Hint?.Invoke(text),
                    run.Owner.SourcePath);
            }
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

        /// <summary>Quotes one argument for ProcessStartInfo.Arguments (the rules of CommandLineToArgvW, which .NET also follows on Unix).</summary>
        private static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\\' }) < 0) return argument;
            var quoted = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\') { backslashes++; continue; }
                if (c == '"') quoted.Append('\\', backslashes * 2 + 1);
                else quoted.Append('\\', backslashes);
                backslashes = 0;
                quoted.Append(c);
            }
            quoted.Append('\\', backslashes * 2).Append('"');
            return quoted.ToString();
        }

        private static void TryDelete(string folder)
        {
            for (int attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                    return;
                }
                catch (IOException) { Thread.Sleep(50); }
                catch (UnauthorizedAccessException) { Thread.Sleep(50); }
            }
        }
    }
}
