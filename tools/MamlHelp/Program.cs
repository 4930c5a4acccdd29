using System;
using System.IO;
using System.Xml.Linq;
using MlfTools.MamlHelp.Help;
using MlfTools.MamlHelp.Maml;

namespace MlfTools.MamlHelp
{
    /// <summary>
    /// MamlHelp DOCS-FOLDER OUTPUT-FILE [--check]
    /// Writes the MAML of the docs whose "external help file" is OUTPUT-FILE's name; with --check writes nothing and
    /// exits 1 when OUTPUT-FILE is not the same help.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            bool check = args.Length == 3 && args[2] == "--check";
            if (args.Length != 2 && !check)
            {
                Console.Error.WriteLine("usage: MamlHelp DOCS-FOLDER OUTPUT-FILE [--check]");
                return 2;
            }
            string docs = args[0];
            string output = args[1];
            try
            {
                var commands = HelpFolder.ForHelpFile(HelpFolder.ReadCommands(docs), Path.GetFileName(output));
                if (commands.Count == 0)
                {
                    Console.Error.WriteLine($"No markdown file in '{docs}' names '{Path.GetFileName(output)}' as its external help file.");
                    return 1;
                }
                string text = MamlWriter.ToText(commands);
                if (check)
                {
                    if (!File.Exists(output))
                    {
                        Console.Error.WriteLine($"'{output}' is missing.");
                        return 1;
                    }
                    string? difference = MamlComparison.FirstDifference(XDocument.Parse(text), XDocument.Load(output));
                    if (difference == null) return 0;
                    Console.Error.WriteLine($"'{output}' is not the help '{docs}' describes; regenerate it.\n  {difference}");
                    return 1;
                }
                string? folder = Path.GetDirectoryName(Path.GetFullPath(output));
                if (folder != null) Directory.CreateDirectory(folder);
                File.WriteAllText(output, text);
                Console.WriteLine($"Wrote {output} ({commands.Count} commands).");
                return 0;
            }
            catch (HelpSchemaException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        }
    }
}
