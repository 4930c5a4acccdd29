using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Format;

namespace MlfTools
{
    /// <summary>Reads the modules of an MLF archive (.tar, .tar.gz, .tgz) or of an extracted archive folder.</summary>
    public static class MlfReader
    {
        /// <summary>Every module of the archive, in metadata order. Throws <see cref="MlfException"/> for any bad input.</summary>
        public static IReadOnlyList<MlfModule> ReadModules(string path, CancellationToken cancellationToken = default) =>
            ReadModules(path, new MlfArchiveLimits(), cancellationToken);

        /// <summary>Every module of the archive, read within <paramref name="limits"/>.</summary>
        public static IReadOnlyList<MlfModule> ReadModules(string path, MlfArchiveLimits limits, CancellationToken cancellationToken = default) =>
            ReadModules(ArchiveScanner.Scan(FullPath(path), limits, cancellationToken), cancellationToken);

        /// <summary>The modules an indexed archive describes.</summary>
        internal static IReadOnlyList<MlfModule> ReadModules(ArchiveIndex index, CancellationToken cancellationToken = default)
        {
            string fullPath = index.SourcePath;
            if (!index.MetadataFiles.TryGetValue("metadata.json", out byte[] metadataBytes)) throw MetadataMissing(fullPath);
            var described = MetadataReader.Read(metadataBytes, fullPath, cancellationToken);
            return BuildModules(index, described, (module, member, error) => throw error, cancellationToken);
        }

        /// <summary>
        /// The modules <paramref name="described"/> names, each with its files. A module's own params file or graph config
        /// that could not be read goes to <paramref name="unreadableOwnFile"/> (the module's name, the member path and why);
        /// the module then has none.
        /// </summary>
        internal static IReadOnlyList<MlfModule> BuildModules(ArchiveIndex index, IReadOnlyList<ModuleMetadata> described,
            Action<string, string, MlfException> unreadableOwnFile, CancellationToken cancellationToken = default)
        {
            var names = described.Select(m => m.Name).ToList();
            var selected = ModuleFiles.SelectAll(index, described, cancellationToken);
            var modules = new List<MlfModule>(described.Count);
            for (int m = 0; m < described.Count; m++)
            {
                if ((m & 0xFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                var metadata = described[m];
                var (root, files) = selected[m];
                bool ownTree = root.Length > 0;
                string paramsPath = ModuleFiles.OwnFileOfKind(files, MlfFileKind.Parameters, metadata.Name, names, ownTree);
                string graphPath = ModuleFiles.OwnFileOfKind(files, MlfFileKind.Graph, metadata.Name, names, ownTree);
                string relayPath = ModuleFiles.OwnFileOfKind(files, MlfFileKind.Relay, metadata.Name, names, ownTree);
                foreach (string own in new[] { paramsPath, graphPath })
                {
                    if (own != null && index.DeferredErrors.TryGetValue(own, out var deferred)) unreadableOwnFile(metadata.Name, own, deferred);
                }
                modules.Add(new MlfModule(index, metadata, files,
                    paramsPath == null || index.DeferredErrors.ContainsKey(paramsPath) ? null : Parsed(index.Parameters, paramsPath, metadata.Name, index.SourcePath),
                    graphPath == null || index.DeferredErrors.ContainsKey(graphPath) ? null : Parsed(index.GraphConfigs, graphPath, metadata.Name, index.SourcePath),
                    relayPath,
                    root,
                    described.Count));
            }
            return modules.AsReadOnly();
        }

        /// <summary>
        /// The names of the archive's modules, in metadata order, from its root metadata.json alone: nothing else of
        /// the archive is read (see <see cref="RootMetadataReader"/>), so this is cheap enough for tab completion.
        /// The names are those <see cref="ReadModules(string, CancellationToken)"/> gives (an archive that holds metadata.json twice, which TVM
        /// never writes, lists the first). Throws <see cref="MlfException"/> for any bad input.
        /// </summary>
        public static IReadOnlyList<string> ReadModuleNames(string path, CancellationToken cancellationToken = default)
        {
            string fullPath = FullPath(path);
            byte[] metadata = RootMetadataReader.Read(fullPath, cancellationToken);
            return MetadataReader.Read(metadata, fullPath, cancellationToken).Select(m => m.Name).ToList().AsReadOnly();
        }

        internal static MlfException MetadataMissing(string fullPath) =>
            new MlfException(MlfErrorIds.MetadataMissing,
                $"'{fullPath}' has no metadata.json at its root, so it is not a Model Library Format archive. Export the model with TVM's export_model_library_format or 'tvmc compile --output-format mlf'.",
                fullPath);

        /// <summary>
        /// The params or graph config the scan parsed for a module's own file. The scan classifies a path on its own, so a
        /// module whose folder is runtime/ or templates/ (per-module layout) has files it took for the shared C runtime.
        /// </summary>
        private static T Parsed<T>(Dictionary<string, T> parsed, string path, string module, string archivePath)
        {
            if (parsed.TryGetValue(path, out T value)) return value;
            throw new MlfException(MlfErrorIds.InvalidArchive,
                $"'{archivePath}' keeps module '{module}' in a folder that MLF reserves for files shared by all modules, so '{path}' is both the module's and shared. Rebuild the archive with the module under another name.",
                archivePath);
        }

        internal static string FullPath(string path)
        {
            try
            {
                return Path.GetFullPath(path);
            }
            catch (System.Exception ex) when (ex is System.ArgumentException || ex is System.NotSupportedException || ex is PathTooLongException)
            {
                throw new MlfException(MlfErrorIds.PathNotFound, $"'{path}' is not a valid file or folder path: {ex.Message}", path, ex);
            }
        }
    }
}
