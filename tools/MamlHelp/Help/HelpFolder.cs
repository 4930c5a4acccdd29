using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MlfTools.MamlHelp.Help
{
    /// <summary>The cmdlet help files of a docs folder, picked as New-ExternalHelp picks them.</summary>
    public static class HelpFolder
    {
        public const string ExternalHelpFileKey = "external help file";

        /// <summary>
        /// Every "*-*.md" file that is neither an about_ topic nor a module page ("Module Guid" in its header), in name
        /// order, read into commands.
        /// </summary>
        public static List<CommandHelp> ReadCommands(string docsFolder)
        {
            var commands = new List<CommandHelp>();
            foreach (string file in CommandFiles(docsFolder))
            {
                string name = Path.GetFileName(file);
                var read = CommandHelpReader.Read(name, File.ReadAllText(file));
                if (read.Count > 0 && read[0].Metadata.ContainsKey("Module Guid")) continue;
                commands.AddRange(read);
            }
            return commands;
        }

        public static IEnumerable<string> CommandFiles(string docsFolder) =>
            Directory.GetFiles(docsFolder, "*-*.md")
                .Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => Path.GetFileName(f), StringComparer.OrdinalIgnoreCase);

        /// <summary>The commands whose header names <paramref name="helpFileName"/> as their external help file.</summary>
        public static List<CommandHelp> ForHelpFile(IEnumerable<CommandHelp> commands, string helpFileName) =>
            commands.Where(c => c.Metadata.TryGetValue(ExternalHelpFileKey, out string? file) && string.Equals(file, helpFileName, StringComparison.OrdinalIgnoreCase)).ToList();
    }
}
