using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.IO;
using MlfTools.Expand;

namespace MlfTools
{
    /// <summary>
    /// Extracts an MLF archive into a new folder, safely: the whole archive is indexed and checked first (the
    /// safe-member rules, the limits, and everything New-MlfModule checks), then its files are written into a
    /// hidden temporary folder beside the destination, which is renamed into place only when complete. On any
    /// failure or cancellation the temporary folder is removed and the destination is as it was.
    /// </summary>
    public static class ArchiveExtractor
    {
        private const int BufferSize = 1 << 20;
        private const long ProgressStep = 4L << 20;

        /// <summary>
        /// Refuses a destination that is a file, that holds the archive itself, or that exists when <paramref name="existing"/>
        /// is <see cref="MlfExistingFolder.Refuse"/>.
        /// </summary>
        public static void CheckDestination(string destination, string archivePath, MlfExistingFolder existing)
        {
            destination = FullFolderPath(destination);
            if (File.Exists(destination))
            {
                throw new MlfException(MlfErrorIds.DestinationExists,
                    $"'{destination}' is a file. Give the path of a folder; -Force and -ReplaceFolder take only a folder.", destination);
            }
            if (!Directory.Exists(destination)) return;
            if (archivePath != null && PathIdentity.IsSameOrInside(MlfReader.FullPath(archivePath), destination))
            {
                throw new MlfException(MlfErrorIds.DestinationIsInput,
                    $"'{destination}' holds the archive '{archivePath}' that is being expanded, which writing into the folder could overwrite or delete. Expand it into another folder.",
                    destination);
            }
            if (existing == MlfExistingFolder.Refuse)
            {
                throw new MlfException(MlfErrorIds.DestinationExists,
                    $"'{destination}' already exists. Use -Force to write into it (the files the archive holds are overwritten, every other file is kept), " +
                    "or -ReplaceFolder to replace the folder as a whole (every file in it that the archive does not hold is deleted).", destination);
            }
            if (Path.GetDirectoryName(destination) == null)
            {
                throw new MlfException(MlfErrorIds.DestinationExists, $"'{destination}' is the root of a drive. Expand into a folder.", destination);
            }
        }

        /// <summary>
        /// Files of an existing <paramref name="destination"/> that the archive does not hold, relative to it with '/':
        /// what replacing the folder would delete. Empty when the folder does not exist.
        /// </summary>
        public static IReadOnlyList<string> FilesNotInArchive(MlfExpandPlan plan, string destination)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            destination = FullFolderPath(destination);
            if (!Directory.Exists(destination)) return Array.Empty<string>();
            var inArchive = new HashSet<string>(plan.Index.Members.Where(m => !m.IsDirectory).Select(m => m.Path), StringComparer.Ordinal);
            return Directory.EnumerateFiles(destination, "*", SearchOption.AllDirectories)
                .Select(f => f.Substring(destination.Length).TrimStart(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(p => !inArchive.Contains(p))
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToList().AsReadOnly();
        }

        /// <summary>Writing into an existing folder: a member whose path the folder holds as the other kind (file or folder) is refused before anything is written.</summary>
        private static void CheckMerge(MlfExpandPlan plan, string destination)
        {
            var checkedFolders = new HashSet<string>(StringComparer.Ordinal); // each folder once, not once per member under it
            foreach (var member in plan.Index.Members)
            {
                string[] parts = member.Path.Split('/');
                for (int i = 0; i < parts.Length; i++)
                {
                    bool isFolder = i < parts.Length - 1 || member.IsDirectory;
                    string relative = string.Join(Path.DirectorySeparatorChar.ToString(), parts, 0, i + 1);
                    if (isFolder && !checkedFolders.Add(relative)) continue;
                    string target = Path.Combine(destination, relative);
                    bool clash = isFolder ? File.Exists(target) : Directory.Exists(target);
                    if (!clash) continue;
                    throw new MlfException(MlfErrorIds.DestinationExists,
                        $"'{target}' is a {(isFolder ? "file" : "folder")}, but the archive '{plan.SourcePath}' holds a {(isFolder ? "folder" : "file")} there ('{member.Path}'), so -Force cannot write into '{destination}' without deleting it. " +
                        "Move it out of the way, expand into another folder, or use -ReplaceFolder to replace the folder as a whole.",
                        target);
                }
            }
        }

        /// <summary>Reads and checks the archive; nothing is written. A folder is refused: it is extracted already.</summary>
        public static MlfExpandPlan Plan(string archivePath, MlfArchiveLimits limits = null, CancellationToken cancellationToken = default)
        {
            if (archivePath == null) throw new ArgumentNullException(nameof(archivePath));
            string fullPath = MlfReader.FullPath(archivePath);
            if (Directory.Exists(fullPath))
            {
                throw new MlfException(MlfErrorIds.InvalidArchive,
                    $"'{fullPath}' is a folder, not an archive: it is extracted already. Give a .tar, .tar.gz or .tgz file.", fullPath);
            }
            var index = ArchiveScanner.Scan(fullPath, limits ?? new MlfArchiveLimits(), cancellationToken);
            return new MlfExpandPlan(index, MlfReader.ReadModules(index));
        }

        /// <summary>
        /// Writes the planned archive's files into <paramref name="destination"/>, a folder that is created, or, when it exists,
        /// written into or replaced as <paramref name="existing"/> says. The archive is extracted beside the destination first,
        /// so a failure or Ctrl+C leaves the destination as it was. Returns warnings: the extraction succeeded, but something
        /// was left behind (the replaced folder, when it could not be deleted completely).
        /// </summary>
        public static IReadOnlyList<string> Extract(MlfExpandPlan plan, string destination, MlfExistingFolder existing, Action<MlfExpandProgress> progress = null,
            CancellationToken cancellationToken = default) =>
            Extract(plan, destination, existing, progress, cancellationToken, OutputFiles.Real);

        /// <summary>
        /// Removes what earlier extractions into <paramref name="destination"/> left behind when they were killed (SIGKILL, a
        /// power cut): folders ".&lt;name&gt;.&lt;id&gt;.tmp" and ".&lt;name&gt;.&lt;id&gt;.old" beside it that are more than a day old.
        /// Returns their paths.
        /// </summary>
        public static IReadOnlyList<string> RemoveStaleTemporaries(string destination) =>
            Temporaries.RemoveStale(FullFolderPath(destination), folders: true, ".tmp", ".old");

        /// <summary>As the public overload, with the folders and files made through <paramref name="files"/> (tests substitute failing ones).</summary>
        internal static IReadOnlyList<string> Extract(MlfExpandPlan plan, string destination, MlfExistingFolder existing, Action<MlfExpandProgress> progress,
            CancellationToken cancellationToken, OutputFiles files)
        {
            if (plan == null) throw new ArgumentNullException(nameof(plan));
            destination = FullFolderPath(destination);
            CheckDestination(destination, plan.SourcePath, existing);
            bool merge = existing == MlfExistingFolder.Merge && Directory.Exists(destination);
            if (merge) CheckMerge(plan, destination);
            string parent = Path.GetDirectoryName(destination);
            if (parent == null)
            {
                throw new MlfException(MlfErrorIds.DestinationExists, $"'{destination}' is the root of a drive. Expand into a folder.", destination);
            }
            string temporary = Temporaries.NameBeside(destination, ".tmp");
            List<string> createdParents = null;
            bool published = false;
            string aside = null;
            using (var tracked = Temporaries.Track(temporary, isFolder: true))
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Temporaries.Exiting))
            try
            {
                cancellationToken = stop.Token;
                createdParents = CreateMissingFolders(parent, files);
                files.CreateDirectory(temporary);
                var folder = new DirectoryInfo(temporary);
                if (Path.DirectorySeparatorChar == '\\') folder.Attributes |= FileAttributes.Hidden;
                WriteMembers(plan, temporary, progress, cancellationToken, files);
                cancellationToken.ThrowIfCancellationRequested();
                if (Path.DirectorySeparatorChar == '\\') folder.Attributes &= ~FileAttributes.Hidden;
                if (merge)
                {
                    Temporaries.Publish(tracked, () => FolderMerge.MoveInto(temporary, destination, files));
                    Folders.TryDeleteTree(temporary);
                }
                else
                {
                    Temporaries.Publish(tracked, () => aside = FolderSwap.MoveIntoPlace(temporary, destination, existing == MlfExistingFolder.Replace, files));
                }
                published = true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new MlfException(MlfErrorIds.WriteFailed, $"Cannot extract into '{destination}': {ex.Message}", destination, ex);
            }
            finally
            {
                if (!published)
                {
                    Folders.TryDeleteTree(temporary);
                    Folders.TryDeleteEmpty(createdParents);
                }
            }
            if (aside == null) return Array.Empty<string>();
            Folders.TryDeleteTree(aside, files);
            if (!Directory.Exists(aside)) return Array.Empty<string>();
            return new[]
            {
                $"'{destination}' was replaced, but the folder it replaced could not be deleted completely: what is left of it is in '{aside}'. Delete that folder yourself.",
            };
        }

        private static void WriteMembers(MlfExpandPlan plan, string root, Action<MlfExpandProgress> progress, CancellationToken cancellationToken, OutputFiles files)
        {
            var index = plan.Index;
            // In archive order, so a .tar.gz is read once from start to end.
            var members = index.Members.OrderBy(m => m.DataOffset).ThenBy(m => m.Path, StringComparer.Ordinal).ToList();
            long done = 0;
            long reported = 0;
            int filesDone = 0;
            var buffer = new byte[BufferSize];
            using (var content = new ArchiveContent(index))
            {
                foreach (var member in members)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    string target = TargetPath(root, member, index.SourcePath);
                    if (member.IsDirectory)
                    {
                        files.CreateDirectory(target);
                        continue;
                    }
                    progress?.Invoke(new MlfExpandProgress(done, plan.TotalBytes, filesDone, plan.FileCount, member.Path));
                    files.CreateDirectory(Path.GetDirectoryName(target));
                    using (var output = files.CreateNew(target, BufferSize))
                    using (var input = content.Open(member, cancellationToken))
                    {
                        long remaining = member.Size;
                        while (remaining > 0)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            int read = content.Guard(member, () => input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining)));
                            if (read <= 0) throw Changed(index.SourcePath, member);
                            output.Write(buffer, 0, read);
                            remaining -= read;
                            done += read;
                            if (progress != null && done - reported >= ProgressStep)
                            {
                                reported = done;
                                progress(new MlfExpandProgress(done, plan.TotalBytes, filesDone, plan.FileCount, member.Path));
                            }
                        }
                    }
                    File.SetLastWriteTimeUtc(target, member.ModificationTime.UtcDateTime);
                    ExtractedFileMode.Apply(target, member.Mode);
                    filesDone++;
                }
                // The gzip trailers after the last member are checked too, before the folder is moved into place.
                content.VerifyToEnd(cancellationToken);
                ArchiveContent.VerifyUnchanged(index);
            }
            // Last, and deepest first: writing a folder's files changes its time.
            foreach (var folder in members.Where(m => m.IsDirectory).OrderByDescending(m => m.Path.Length))
            {
                Directory.SetLastWriteTimeUtc(TargetPath(root, folder, index.SourcePath), folder.ModificationTime.UtcDateTime);
            }
            progress?.Invoke(new MlfExpandProgress(plan.TotalBytes, plan.TotalBytes, filesDone, plan.FileCount, null));
        }

        /// <summary>Where a member goes; the rules already keep it inside the folder, and this makes sure of it.</summary>
        private static string TargetPath(string root, ArchiveMember member, string archivePath)
        {
            string target = Path.GetFullPath(Path.Combine(root, member.Path.Replace('/', Path.DirectorySeparatorChar)));
            string inside = root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (!target.StartsWith(inside, PathIdentity.NameComparison))
            {
                throw MemberPaths.Unsafe(member.Path, archivePath, "it would be written outside the destination folder");
            }
            return target;
        }

        private static MlfException Changed(string archivePath, ArchiveMember member) =>
            new MlfException(MlfErrorIds.InputChanged,
                $"'{archivePath}' changed while it was extracted: member '{member.Path}' ends early. Nothing was written; expand it again.", archivePath);

        /// <summary>Creates the missing folders on the way to <paramref name="folder"/>; returns them, deepest first, so a failure can remove them.</summary>
        private static List<string> CreateMissingFolders(string folder, OutputFiles files)
        {
            var missing = new List<string>();
            for (string current = folder; current != null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
            {
                missing.Add(current);
            }
            files.CreateDirectory(folder);
            return missing;
        }

        private static string FullFolderPath(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            string full = MlfReader.FullPath(path);
            string trimmed = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            return trimmed.Length == 0 || trimmed.EndsWith(":", StringComparison.Ordinal) ? full : trimmed;
        }

    }
}
