using System;
using System.Collections.Generic;
using System.IO;

namespace MlfTools.IO
{
    /// <summary>Deleting folders this code made, as far as it can: a failure leaves what could not be deleted, never throws.</summary>
    internal static class Folders
    {
        /// <summary>Deletes a folder and everything in it, read-only files included; a failure leaves what could not be deleted.</summary>
        public static void TryDeleteTree(string folder, OutputFiles files = null)
        {
            files = files ?? OutputFiles.Real;
            try
            {
                if (!Directory.Exists(folder)) return;
                try
                {
                    files.DeleteDirectoryTree(folder);
                }
                catch (UnauthorizedAccessException)
                {
                    foreach (string file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories)) File.SetAttributes(file, FileAttributes.Normal);
                    files.DeleteDirectoryTree(folder);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        /// <summary>
        /// Deletes a folder child processes worked in: a few tries, 100 ms apart, for a file that a process being ended
        /// still held; a failure leaves what could not be deleted.
        /// </summary>
        public static void DeleteTreeAfterProcesses(string folder)
        {
            for (int attempt = 0; attempt < 5 && Directory.Exists(folder); attempt++)
            {
                if (attempt > 0) System.Threading.Thread.Sleep(100);
                TryDeleteTree(folder);
            }
        }

        /// <summary>Removes folders this extraction created on the way to the destination, deepest first, as long as they are empty.</summary>
        public static void TryDeleteEmpty(IEnumerable<string> folders)
        {
            if (folders == null) return;
            foreach (string folder in folders)
            {
                try
                {
                    if (Directory.Exists(folder)) Directory.Delete(folder, recursive: false);
                }
                catch (IOException)
                {
                    return;
                }
                catch (UnauthorizedAccessException)
                {
                    return;
                }
            }
        }
    }
}
