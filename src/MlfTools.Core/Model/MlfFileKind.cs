using System;

namespace MlfTools
{
    /// <summary>The lowercase kinds that <see cref="MlfFile.Kind"/> takes, and how a member path maps to one.</summary>
    public static class MlfFileKind
    {
        public const string Metadata = "metadata";
        public const string Source = "source";
        public const string Object = "object";
        public const string Header = "header";
        public const string Parameters = "parameters";
        public const string Graph = "graph";
        public const string Relay = "relay";
        public const string Tir = "tir";
        public const string Runtime = "runtime";
        public const string Template = "template";
        public const string Other = "other";

        /// <summary>Classifies a path relative to an archive's root, with '/' separators and no leading "./".</summary>
        public static string Classify(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (path == "metadata.json") return Metadata;
            if (path.StartsWith("runtime/", StringComparison.Ordinal)) return Runtime;
            if (path.StartsWith("templates/", StringComparison.Ordinal)) return Template;

            string folder = FolderOf(path, out string fileName);
            switch (folder)
            {
                case "codegen/host/src":
                    return HasExtension(fileName, ".c", ".cc", ".cpp") ? Source : Other;
                case "codegen/host/lib":
                    return HasExtension(fileName, ".o", ".a") ? Object : Other;
                case "codegen/host/include":
                    return HasExtension(fileName, ".h") ? Header : Other;
                case "parameters":
                    return HasExtension(fileName, ".params") ? Parameters : Other;
                case "executor-config/graph":
                case "runtime-config/graph":
                    return HasExtension(fileName, ".graph") || fileName == "graph.json" ? Graph : Other;
                case "src":
                    if (fileName == "relay.txt" || HasExtension(fileName, ".relay")) return Relay;
                    return fileName.StartsWith("tir-", StringComparison.Ordinal) && HasExtension(fileName, ".txt") ? Tir : Other;
                case "":
                    return fileName == "relay.txt" ? Relay : Other;
                default:
                    return Other;
            }
        }

        private static string FolderOf(string path, out string fileName)
        {
            int slash = path.LastIndexOf('/');
            fileName = slash < 0 ? path : path.Substring(slash + 1);
            return slash < 0 ? string.Empty : path.Substring(0, slash);
        }

        private static bool HasExtension(string fileName, params string[] extensions)
        {
            foreach (string extension in extensions)
            {
                if (fileName.Length > extension.Length && fileName.EndsWith(extension, StringComparison.Ordinal)) return true;
            }
            return false;
        }
    }
}
