using System;
using System.Collections.Generic;

namespace MlfTools.Linking
{
    /// <summary>
    /// Which part of a measured firmware a kept input section belongs to: a model (its code, its data file, and what the
    /// helpers hold for it alone, named mlf_&lt;m&gt;_...), the C runtime (its sources, and the helpers' runtime arena), the
    /// helpers (the rest of their glue and the entry), the C library (archives of the toolchain), or something else the
    /// user linked in (startup files of -LinkerArgument).
    /// </summary>
    internal sealed class FirmwareParts
    {
        public const string Runtime = MemoryReport.RuntimeModuleName;
        public const string Helpers = MemoryReport.HelpersModuleName;
        public const string Library = MemoryReport.LibraryModuleName;
        public const string Other = MemoryReport.OtherModuleName;

        private const string RuntimeArenaSymbol = "mlf_runtime_arena";

        private readonly Dictionary<string, string> _partOfFile = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly HashSet<string> _splitByName = new HashSet<string>(StringComparer.Ordinal);
        // Helper symbol prefixes (mlf_<m>_), longest first, so that model a_b's mlf_a_b_ wins over a's mlf_a_.
        private readonly List<(string Prefix, string Model)> _modelPrefixes = new List<(string, string)>();

        /// <param name="models">Each model's name and the prefix of the helper symbols that are its own (mlf_&lt;m&gt;).</param>
        public FirmwareParts(IEnumerable<(string Model, string HelperSymbol)> models)
        {
            foreach (var (model, symbol) in models) _modelPrefixes.Add((symbol + "_", model));
            _modelPrefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
        }

        /// <summary>A file (as the link command names it, '/' separated) all of whose sections belong to <paramref name="part"/>.</summary>
        public void Add(string file, string part) => _partOfFile[file] = part;

        /// <summary>A helpers' file whose sections named after a model (mlf_&lt;m&gt;_...) belong to that model, the rest to the helpers.</summary>
        public void AddSplitByName(string file)
        {
            _partOfFile[file] = Helpers;
            _splitByName.Add(file);
        }

        /// <summary>
        /// The part of an input section of <paramref name="file"/> (a static library's path when <paramref name="member"/>
        /// is set). A file the link command did not name from the measured folder is the toolchain's or the user's:
        /// a static library is the C library, anything else "(other)".
        /// </summary>
        public string Of(string file, string member, string section)
        {
            if (file != null && _partOfFile.TryGetValue(Normalise(file), out string part))
            {
                if (!_splitByName.Contains(Normalise(file))) return part;
                string symbol = SectionSymbol.Of(section);
                if (symbol.StartsWith(RuntimeArenaSymbol, StringComparison.Ordinal)) return Runtime;
                foreach (var (prefix, model) in _modelPrefixes)
                {
                    if (symbol.StartsWith(prefix, StringComparison.Ordinal)) return model;
                }
                return Helpers;
            }
            return member != null || (file != null && file.EndsWith(".a", StringComparison.Ordinal)) ? Library : Other;
        }

        private static string Normalise(string file) => file.Replace('\\', '/');
    }
}
