using System.IO;

namespace MlfTools.IO
{
    /// <summary>
    /// The file-system operations of an atomic write (create the temporary file or folder beside the target, flush
    /// it, rename it into place, remove it after a failure). Writers take them from here so that tests can substitute
    /// operations that fail or cancel at a chosen point.
    /// </summary>
    internal class OutputFiles
    {
        public static readonly OutputFiles Real = new OutputFiles();

        public virtual void CreateDirectory(string path) => Directory.CreateDirectory(path);

        /// <summary>A new file, opened for writing; fails when the path exists.</summary>
        public virtual Stream CreateNew(string path, int bufferSize) =>
            new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);

        /// <summary>Flushes what <see cref="CreateNew"/> returned, through to the disk when it is a file.</summary>
        public virtual void FlushToDisk(Stream stream)
        {
            if (stream is FileStream file) file.Flush(true);
            else stream.Flush();
        }

        public virtual bool FileExists(string path) => File.Exists(path);

        public virtual void Move(string source, string destination) => File.Move(source, destination);

        public virtual void Replace(string source, string destination) => File.Replace(source, destination, null);

        public virtual void Delete(string path) => File.Delete(path);

        /// <summary>Renames a folder (a finished extraction into place, or an old one aside and back).</summary>
        public virtual void MoveDirectory(string source, string destination) => Directory.Move(source, destination);

        /// <summary>Deletes a folder and everything in it (the folder a replacing extraction moved aside).</summary>
        public virtual void DeleteDirectoryTree(string path) => Directory.Delete(path, recursive: true);
    }
}
