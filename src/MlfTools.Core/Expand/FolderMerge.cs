using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.IO;

namespace MlfTools.Expand
{
    /// <summary>
    /// Moves the files of a ready tree into an existing folder, as Expand-Archive -Force does: a file the folder has at
    /// the same path is replaced, nothing else in it is touched. A failure part way puts back every file replaced and
    /// takes out every file and folder added, so the folder is as it was. Like the rename that publishes a new folder, it
    /// is too late to cancel once it has begun: it is only renames.
    /// </summary>
    internal static class FolderMerge
    {
        private sealed class Step
        {
            public string Target;
            public string Saved;
            public bool Placed;
        }

        public static void MoveInto(string ready, string destination, OutputFiles files)
        {
            string saved = Temporaries.NameBeside(destination, ".old");
            var steps = new List<Step>();
            var createdFolders = new List<string>();
            try
            {
                foreach (string folder in Directory.EnumerateDirectories(ready, "*", SearchOption.AllDirectories).OrderBy(f => f.Length))
                {
                    string target = Path.Combine(destination, Relative(ready, folder));
                    if (Directory.Exists(target)) continue;
                    files.CreateDirectory(target);
                    createdFolders.Add(target);
                }
                foreach (string file in Directory.EnumerateFiles(ready, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
                {
                    string relative = Relative(ready, file);
                    var step = new Step { Target = Path.Combine(destination, relative) };
                    steps.Add(step);
                    if (File.Exists(step.Target))
                    {
                        string aside = Path.Combine(saved, relative);
                        files.CreateDirectory(Path.GetDirectoryName(aside));
                        files.Move(step.Target, aside);
                        step.Saved = aside;
                    }
                    files.Move(file, step.Target);
                    step.Placed = true;
                }
            }
            catch
            {
                Undo(steps, createdFolders);
                // A file that could not be put back stays in the saved folder rather than being lost with it.
                if (!Directory.Exists(saved) || !Directory.EnumerateFiles(saved, "*", SearchOption.AllDirectories).Any()) Folders.TryDeleteTree(saved);
                throw;
            }
            Folders.TryDeleteTree(saved, files);
        }

        /// <summary>Puts every replaced file back and removes what was added, last step first; best effort, as the first failure is what is reported.</summary>
        private static void Undo(List<Step> steps, List<string> createdFolders)
        {
            for (int i = steps.Count - 1; i >= 0; i--)
            {
                var step = steps[i];
                try
                {
                    if (step.Placed) File.Delete(step.Target);
                    if (step.Saved != null && File.Exists(step.Saved)) File.Move(step.Saved, step.Target);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                }
            }
            Folders.TryDeleteEmpty(Enumerable.Reverse(createdFolders));
        }

        private static string Relative(string root, string path) => path.Substring(root.Length).TrimStart(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
    }
}
