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
        public static IReadOnlyList<MlfModule> ReadModules(string path, CancellationToken cancellationToken = default)
        {
            string fullPath = FullPath(path);
            var index = ArchiveScanner.Scan(fullPath, cancellationToken);
            if (!index.MetadataFiles.TryGetValue("metadata.json", out byte[] metadataBytes))
            {
                throw new MlfException(MlfErrorIds.MetadataMissing,
                    $"'{fullPath}' has no metadata.json at its root, so it is not a Model Library Format archive. Export the model with TVM's export_model_library_format or 'tvmc compile --output-format mlf'.",
                    fullPath);
            }
            var described = MetadataReader.Read(metadataBytes, fullPath);
            var names = described.Select(m => m.Name).ToList();
            var modules = new List<MlfModule>(described.Count);
            foreach (var metadata in described)
            {
                var files = ModuleFiles.Select(index, metadata, names);
                string paramsPath = ModuleFiles.OwnFileOfKind(files, MlfFileKind.Parameters, metadata.Name, names);
                string graphPath = ModuleFiles.OwnFileOfKind(files, MlfFileKind.Graph, metadata.Name, names);
                modules.Add(new MlfModule(index, metadata, files,
                    paramsPath == null ? null : index.Parameters[paramsPath],
                    graphPath == null ? null : index.GraphConfigs[graphPath],
                    described.Count));
            }
            return modules.AsReadOnly();
        }

        private static string FullPath(string path)
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
