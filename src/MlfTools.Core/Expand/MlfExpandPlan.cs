using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Archive;
using MlfTools.Expand;

namespace MlfTools
{
    /// <summary>An archive that passed every check and can be extracted: what it would write.</summary>
    public sealed class MlfExpandPlan
    {
        internal MlfExpandPlan(ArchiveIndex index, IReadOnlyList<MlfModule> modules)
        {
            Index = index;
            ModuleNames = modules.Select(m => m.Name).ToList().AsReadOnly();
            var files = index.Members.Where(m => !m.IsDirectory).ToList();
            FileCount = files.Count;
            TotalBytes = files.Sum(m => m.Size);
            var folders = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in index.Members)
            {
                if (member.IsDirectory) folders.Add(member.Path);
                for (int slash = member.Path.IndexOf('/'); slash > 0; slash = member.Path.IndexOf('/', slash + 1))
                {
                    folders.Add(member.Path.Substring(0, slash));
                }
            }
            FolderCount = folders.Count;
        }

        internal ArchiveIndex Index { get; }

        /// <summary>Full path of the archive.</summary>
        public string SourcePath => Index.SourcePath;

        /// <summary>The modules its metadata describes.</summary>
        public IReadOnlyList<string> ModuleNames { get; }

        public int FileCount { get; }

        /// <summary>Folders that will exist under the destination, listed in the archive or implied by a file's path.</summary>
        public int FolderCount { get; }

        /// <summary>Bytes of file data to write.</summary>
        public long TotalBytes { get; }
    }
}
