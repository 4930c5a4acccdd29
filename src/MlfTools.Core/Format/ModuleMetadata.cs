using System;
using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace MlfTools.Format
{
    /// <summary>One module's metadata as a version-7 module entry would hold it, plus the facts read off it.</summary>
    internal sealed class ModuleMetadata
    {
        public string Name { get; set; }
        public int FormatVersion { get; set; }

        /// <summary>Every key but "version", exactly as read (a v7 module entry, or a flat file minus its version).</summary>
        public JObject Entry { get; set; }

        public string Style { get; set; }
        public IReadOnlyList<string> Executors { get; set; }
        public IReadOnlyList<string> Targets { get; set; }
        public DateTime ExportDateTime { get; set; }
        public bool DependsOnRuntime { get; set; }
        public string RuntimeVersion { get; set; }
    }
}
