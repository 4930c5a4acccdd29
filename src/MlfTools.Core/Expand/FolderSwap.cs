using System;
using System.Collections.Generic;
using System.IO;
using MlfTools.IO;

namespace MlfTools.Expand
{
    /// <summary>Moves a finished folder into place, replacing an existing one with two renames, and cleans up after failures.</summary>
    internal static class FolderSwap
    {
        /// <summary>
        /// Renames <paramref name="ready"/> to <paramref name="destination"/>. An existing destination folder (allowed by
        /// <paramref name="overwrite"/>) is first renamed aside, then deleted once the new folder is in place; if the
        /// new folder cannot be moved in, the old one is put back. Returns where the old folder went, for the caller to
        /// delete (and to name when it cannot), or null when there was none.
        /// </summary>
        public static string MoveIntoPlace(string ready, string destination, bool overwrite, OutputFiles files)
        {
            if (!Directory.Exists(destination) && !File.Exists(destination))
            {
                files.MoveDirectory(ready, destination);
                return null;
            }
            if (File.Exists(destination) || !overwrite)
            {
                throw new MlfException(MlfErrorIds.DestinationExists,
                    $"'{destination}' appeared while the archive was extracted. Use -Force to write into it, or -ReplaceFolder to replace it.", destination);
            }
            string aside = Temporaries.NameBeside(destination, ".old");
            files.MoveDirectory(destination, aside);
            try
            {
                files.MoveDirectory(ready, destination);
            }
            catch
            {
                try
                {
                    files.MoveDirectory(aside, destination);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
                throw;
            }
            return aside;
        }
    }
}
