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
using MlfTools.Symbols;

namespace MlfTools.Report
{
    /// <summary>
    /// Measures a module's code size: its LLVM objects are read as they are; its C sources are written, with the
    /// archive's codegen/host/include and runtime/include, to a temporary folder, compiled there (in parallel, one
    /// compiler process per source) and the objects read. The folder is deleted whatever happens.
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
            var objects = code.Where(f => f.Kind == MlfFileKind.Object && f.Path.EndsWith(".o", StringComparison.Ordinal)).ToList();
            string compiler = options?.Compiler;
            if (code.Count == 0 || (sources.Count > 0 && string.IsNullOrEmpty(compiler))) return null;

            var result = new Result { Size = new CodeSize(0, 0, 0, 0) };
            using (var content = new ArchiveContent(module.Archive))
            {
                foreach (var file in objects)
                {
                    byte[] bytes = content.ReadAll(Member(module, file), cancellationToken);
                    result.Size = result.Size.Plus(ReadObject(bytes, file.Path, module.SourcePath));
                }
                if (sources.Count == 0) return result;

                string folder = Path.Combine(options.TemporaryRoot ?? Path.GetTempPath(), "mlftools-size-" + Guid.NewGuid().ToString("N"));
                try
                {
                    Directory.CreateDirectory(folder);
                    foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Source || IsInclude(f, module)))
                    {
                        byte[] bytes = content.ReadAll(Member(module, file), cancellationToken);
                        if (file.Kind == MlfFileKind.Source && StaticWorkspace.IsMatch(Encoding.UTF8.GetString(bytes))) result.WorkspaceInCode = true;
                        string target = Path.Combine(folder, file.Path.Replace('/', Path.DirectorySeparatorChar));
                        Directory.CreateDirectory(Path.GetDirectoryName(target));
                        File.WriteAllBytes(target, bytes);
                    }
                    var includes = (options.IncludePaths ?? new List<string>()).ToList();
                    includes.Add(Path.Combine(folder, (module.ModuleRoot + "codegen/host/include").Replace('/', Path.DirectorySeparatorChar)));
                    includes.Add(Path.Combine(folder, "runtime", "include"));
                    var sizes = new CodeSize[sources.Count];
                    var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };
                    try
                    {
                        Parallel.For(0, sources.Count, parallel, i =>
                        {
                            string source = Path.Combine(folder, sources[i].Path.Replace('/', Path.DirectorySeparatorChar));
                            string output = Path.Combine(folder, "obj" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".o");
                            Compile(compiler, options.Arguments, includes, source, output, sources[i].Path, module, folder, cancellationToken);
                            using (var stream = File.OpenRead(output)) sizes[i] = ReadObject(stream, sources[i].Path, module.SourcePath, compiler);
                        });
                    }
                    catch (AggregateException ex) when (ex.InnerExceptions.FirstOrDefault(e => e is MlfException) is MlfException first)
                    {
                        throw first;
                    }
                    foreach (var size in sizes) result.Size = result.Size.Plus(size);
                }
                finally
                {
                    TryDelete(folder);
                }
            }
            return result;
        }

        private static ArchiveMember Member(MlfModule module, MlfFile file) =>
            module.Archive.Find(file.Path) ?? throw new MlfException(MlfErrorIds.ArchiveReadFailed,
                $"'{file.Path}' of module '{module.OriginalName}' is no longer in '{module.SourcePath}'. Read the archive again (New-MlfModule) and retry.",
                module.SourcePath);

        private static bool IsInclude(MlfFile file, MlfModule module) =>
            (file.Kind == MlfFileKind.Header && file.Path.StartsWith(module.ModuleRoot + "codegen/host/include/", StringComparison.Ordinal)) ||
            (file.Kind == MlfFileKind.Runtime && file.Path.StartsWith("runtime/include/", StringComparison.Ordinal));

        private static void Compile(string compiler, IList<string> arguments, IEnumerable<string> includes, string source, string output,
            string memberPath, MlfModule module, string folder, CancellationToken cancellationToken)
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
                    $"'{compiler}' could not compile '{memberPath}' of module '{module.OriginalName}' in '{module.SourcePath}' (exit code {process.ExitCode}): {text}" +
                    $"{Environment.NewLine}Give -CompilerArgument the flags of the model's target (e.g. -mcpu=cortex-m7 -mthumb for Arm code), and -IncludePath the folders of headers the archive does not carry.",
                    module.SourcePath);
            }
        }

        private static CodeSize ReadObject(byte[] bytes, string memberPath, string archive) =>
            ReadObject(new MemoryStream(bytes, writable: false), memberPath, archive, null);

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
            throw compiler == null
                ? new MlfException(MlfErrorIds.InvalidArchive, $"'{memberPath}' in '{archive}' is not an ELF object, so its size cannot be read. Re-export the model with TVM.", archive)
                : new MlfException(MlfErrorIds.CompilerFailed, $"'{compiler}' compiled '{memberPath}' of '{archive}' into something that is not an ELF object; only ELF objects can be measured. Use a compiler that writes ELF (gcc, clang, arm-none-eabi-gcc).", archive);
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
