using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace MlfTools
{
    /// <summary>
    /// Decides which assembly load requests the module answers: only for its own dependencies, only when one
    /// of its own assemblies asks, and only from its own dependencies folder. Everything else is left to
    /// PowerShell and to other modules, so their copies of the same libraries never clash with ours.
    /// </summary>
    public sealed class DependencyResolver
    {
        public const string DependencyFolderName = "dependencies";

        private static readonly Dictionary<string, string> OwnAssemblies = Names("MlfTools", "MlfTools.Core");
        private static readonly Dictionary<string, string> Dependencies = Names("Newtonsoft.Json");

        private static Dictionary<string, string> Names(params string[] names)
        {
            var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string name in names) byName[name] = name;
            return byName;
        }

        public DependencyResolver(string moduleFolder)
        {
            ModuleFolder = moduleFolder ?? throw new ArgumentNullException(nameof(moduleFolder));
        }

        public string ModuleFolder { get; }

        /// <summary>The file that answers the request, or null when the request is not ours to answer.</summary>
        public string ResolvePath(AssemblyName requested, Assembly requestingAssembly)
        {
            if (requested?.Name == null || requestingAssembly == null) return null;
            if (!OwnAssemblies.ContainsKey(requestingAssembly.GetName().Name)) return null;
            string folder;
            string fileName;
            if (Dependencies.TryGetValue(requested.Name, out fileName)) folder = Path.Combine(ModuleFolder, DependencyFolderName);
            else if (OwnAssemblies.TryGetValue(requested.Name, out fileName)) folder = ModuleFolder;
            else return null;
            // The file is named as we ship it, whatever the request's casing: file names are case-sensitive on Linux.
            string candidate = Path.Combine(folder, fileName + ".dll");
            return File.Exists(candidate) ? candidate : null;
        }

        /// <summary>An AppDomain.AssemblyResolve handler built on <see cref="ResolvePath"/>.</summary>
        public Assembly Resolve(object sender, ResolveEventArgs args)
        {
            string path = ResolvePath(new AssemblyName(args.Name), args.RequestingAssembly);
            return path == null ? null : Assembly.LoadFile(path);
        }
    }
}
