using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Join;

namespace MlfTools.Report
{
    /// <summary>
    /// The C runtime of one archive (runtime/, TVM's standalone CRT) as a firmware links it: the C libraries of
    /// runtime/src/runtime/crt/common and memory always, graph_executor when a module uses the graph executor, compiled
    /// against runtime/include and a crt_config.h made from the archive's template. The RPC server, the module loader and
    /// the AOT executor library are left out: AOT's C interface calls tvmgen_&lt;m&gt;_run directly.
    /// </summary>
    internal sealed class StandaloneRuntime
    {
        /// <summary>The folder of the temporary compile folder that holds crt_config.h (no archive path starts so).</summary>
        internal const string ConfigFolder = "mlftools-crt-config";

        private const string CrtSources = "runtime/src/runtime/crt/";
        private const string Includes = "runtime/include/";
        private const string GraphExecutorLibrary = "graph_executor";
        private static readonly string[] AlwaysLinked = { "common", "memory" };

        /// <summary>TVM 0.12 and later ship the template beside the runtime; older archives inside it.</summary>
        private static readonly string[] ConfigTemplates = { "templates/crt_config.h.template", "runtime/template/crt_config-template.h" };

        private readonly List<(MlfFile File, string Library)> _libraryFiles;

        private StandaloneRuntime(MlfModule carrier, List<MlfFile> headers, List<(MlfFile, string)> libraryFiles, MlfFile configTemplate)
        {
            Carrier = carrier;
            Headers = headers.AsReadOnly();
            _libraryFiles = libraryFiles;
            ConfigTemplate = configTemplate;
        }

        /// <summary>The first module received whose archive carries this runtime: it names the archive and the TVM version.</summary>
        public MlfModule Carrier { get; }

        /// <summary>Every file of runtime/include.</summary>
        public IReadOnlyList<MlfFile> Headers { get; }

        /// <summary>The archive's crt_config.h template, or null when it has none.</summary>
        public MlfFile ConfigTemplate { get; }

        /// <summary>
        /// The folder holding runtime/include, relative to the archive root, where the headers are written: at the root,
        /// also in a per-module layout (the runtime is shared), unless the headers sit in a module's folder.
        /// </summary>
        public string IncludeFolder
        {
            get
            {
                var header = Headers.FirstOrDefault();
                string prefix = header == null ? string.Empty : header.Path.Substring(0, header.Path.Length - header.ModulePath.Length);
                return prefix + Includes.TrimEnd('/');
            }
        }

        /// <summary>"the C runtime of 'kws.tar' (TVM 0.9.dev0)".</summary>
        public string Describe() => $"the C runtime of '{Carrier.SourcePath}' ({RuntimeSelection.Describe(Carrier)})";

        /// <summary>The files of the libraries a firmware links (headers beside them included); the C files among them are compiled.</summary>
        public IReadOnlyList<MlfFile> LibraryFiles(bool graphExecutor) =>
            _libraryFiles.Where(f => graphExecutor || f.Library != GraphExecutorLibrary).Select(f => f.File).ToList().AsReadOnly();

        /// <summary>The C files to compile.</summary>
        public IReadOnlyList<MlfFile> Sources(bool graphExecutor) =>
            LibraryFiles(graphExecutor).Where(f => f.ModulePath.EndsWith(".c", StringComparison.Ordinal)).ToList().AsReadOnly();

        /// <summary>
        /// The distinct runtimes the modules' archives carry, in the order the modules came: runtimes whose files (those
        /// compiled or included, the template too) have the same paths and contents are one, whichever archive they are
        /// in. A module without runtime C sources carries none.
        /// </summary>
        public static IReadOnlyList<StandaloneRuntime> DistinctOf(IEnumerable<MlfModule> modules, CancellationToken cancellationToken)
        {
            var runtimes = new List<StandaloneRuntime>();
            var identities = new HashSet<string>(StringComparer.Ordinal);
            var archivesSeen = new HashSet<ArchiveIndex>();
            foreach (var module in modules)
            {
                if (!archivesSeen.Add(module.Archive)) continue;
                var runtime = Of(module);
                if (runtime != null && identities.Add(runtime.Identity(cancellationToken))) runtimes.Add(runtime);
            }
            return runtimes.AsReadOnly();
        }

        /// <summary>The module's runtime, or null when its files hold no C library of the runtime.</summary>
        private static StandaloneRuntime Of(MlfModule module)
        {
            var headers = new List<MlfFile>();
            var libraryFiles = new List<(MlfFile, string)>();
            MlfFile template = null;
            foreach (var file in module.Files.Where(f => f.Kind == MlfFileKind.Runtime || f.Kind == MlfFileKind.Template))
            {
                string path = file.ModulePath;
                if (path.StartsWith(Includes, StringComparison.Ordinal))
                {
                    headers.Add(file);
                }
                else if (path.StartsWith(CrtSources, StringComparison.Ordinal))
                {
                    string[] parts = path.Substring(CrtSources.Length).Split('/');
                    if (parts.Length == 2 && (AlwaysLinked.Contains(parts[0]) || parts[0] == GraphExecutorLibrary)) libraryFiles.Add((file, parts[0]));
                }
                else if (Array.IndexOf(ConfigTemplates, path) >= 0 && (template == null || path == ConfigTemplates[0]))
                {
                    template = file;
                }
            }
            bool hasCommonCode = libraryFiles.Any(f => f.Item2 == AlwaysLinked[0] && f.Item1.ModulePath.EndsWith(".c", StringComparison.Ordinal));
            return hasCommonCode ? new StandaloneRuntime(module, headers, libraryFiles, template) : null;
        }

        /// <summary>SHA-256 over the path and contents of every file the compilation reads.</summary>
        private string Identity(CancellationToken cancellationToken)
        {
            var files = Headers.Concat(_libraryFiles.Select(f => f.File));
            if (ConfigTemplate != null) files = files.Concat(new[] { ConfigTemplate });
            var text = new StringBuilder();
            using (var content = new ArchiveContent(Carrier.Archive))
            {
                foreach (var file in files.OrderBy(f => f.ModulePath, StringComparer.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var member = CodeSizeMeasurer.Member(Carrier, file);
                    text.Append(file.ModulePath).Append('\0').Append(content.Hash(member, cancellationToken)).Append('\n');
                }
            }
            using (var sha = SHA256.Create())
            {
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString())));
            }
        }
    }
}
