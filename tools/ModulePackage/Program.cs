using System;
using System.IO;

namespace MlfTools.ModulePackage
{
    /// <summary>ModulePackage MODULE-FOLDER CHANGELOG OUTPUT-FOLDER: writes OUTPUT-FOLDER/&lt;Name&gt;.&lt;Version&gt;.nupkg.</summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: ModulePackage MODULE-FOLDER CHANGELOG OUTPUT-FOLDER   (e.g. out/MlfTools CHANGELOG.md out)");
                return 2;
            }
            try
            {
                string package = ModulePackager.Pack(args[0], args[1], args[2], FindPackProject());
                Console.WriteLine($"Wrote {package}");
                return 0;
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is FormatException || ex is IOException)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        }

        /// <summary>tools/NuspecPack/NuspecPack.csproj of the repository this tool was built in.</summary>
        private static string FindPackProject()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
            {
                string candidate = Path.Combine(folder.FullName, "tools", "NuspecPack", "NuspecPack.csproj");
                if (File.Exists(candidate)) return candidate;
            }
            throw new InvalidOperationException("Cannot find tools/NuspecPack/NuspecPack.csproj above the tool.");
        }
    }
}
