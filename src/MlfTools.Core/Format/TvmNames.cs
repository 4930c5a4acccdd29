using System.Text.RegularExpressions;

namespace MlfTools.Format
{
    /// <summary>
    /// How TVM names a module's files and symbols, in one place: everything that reads, checks, joins or renames a
    /// module asks here, so that the join never writes a name the reader gives to another module.
    /// </summary>
    internal static class TvmNames
    {
        public const string SourceFolder = "codegen/host/src/";
        public const string ObjectFolder = "codegen/host/lib/";
        public const string IncludeFolder = "codegen/host/include/";

        // "<module>_lib<N>.<ext>" from format 3 on, "lib<N>.<ext>" before it and in operator style.
        private static readonly Regex CodegenFilePattern =
            new Regex(@"^(?:(?<module>.+)_)?lib(?<index>[0-9]+)\.(?<ext>c|cc|cpp|o|a)\z", RegexOptions.CultureInvariant);

        private static readonly Regex InterfaceHeaderPattern = new Regex(@"^tvmgen_(?<module>.+)\.h\z", RegexOptions.CultureInvariant);

        private static readonly Regex IdentifierPart = new Regex("^[A-Za-z0-9_]+\\z", RegexOptions.CultureInvariant);

        /// <summary>
        /// Reads a code file name (no folder) as TVM writes it: <paramref name="module"/> is the prefix, or null for
        /// an unprefixed <c>lib&lt;N&gt;</c>; false for any other name.
        /// </summary>
        public static bool TryParseCodegenFile(string fileName, out string module, out string index, out string extension)
        {
            var match = fileName == null ? Match.Empty : CodegenFilePattern.Match(fileName);
            module = match.Success && match.Groups["module"].Success ? match.Groups["module"].Value : null;
            index = match.Success ? match.Groups["index"].Value : null;
            extension = match.Success ? match.Groups["ext"].Value : null;
            return match.Success;
        }

        /// <summary>The module a code file name is prefixed with (<c>mod_lib0.c</c> is mod's), or null.</summary>
        public static string CodegenFileModule(string fileName) =>
            TryParseCodegenFile(fileName, out string module, out _, out _) ? module : null;

        public static string CodegenFileName(string module, string index, string extension) => $"{module}_lib{index}.{extension}";

        /// <summary>Sources and objects are numbered apart: lib0.c and lib0.o are two files.</summary>
        public static bool IsSourceExtension(string extension) => extension == "c" || extension == "cc" || extension == "cpp";

        /// <summary>The first source, <c>lib0</c> or <c>&lt;module&gt;_lib0</c>: where TVM writes a system library's registry.</summary>
        public static bool IsFirstSource(string fileName, string module) =>
            TryParseCodegenFile(fileName, out string prefix, out string index, out string extension)
            && index == "0" && IsSourceExtension(extension) && (prefix == null || prefix == module);

        /// <summary>The C interface header's file name: TVM lowercases the module name in it.</summary>
        public static string InterfaceHeaderFileName(string module) => "tvmgen_" + module.ToLowerInvariant() + ".h";

        /// <summary>Where TVM writes the module's AOT C interface header, inside the module's tree.</summary>
        public static string InterfaceHeaderPath(string module) => IncludeFolder + InterfaceHeaderFileName(module);

        /// <summary>The lowercased module name an interface header file name holds (<c>tvmgen_kws.h</c>: kws), or null.</summary>
        public static string InterfaceHeaderModule(string fileName)
        {
            var match = fileName == null ? Match.Empty : InterfaceHeaderPattern.Match(fileName);
            return match.Success ? match.Groups["module"].Value : null;
        }

        /// <summary>The prefix of every symbol TVM generates for the module, as its ToCVariableStyle spells it.</summary>
        public static string SymbolPrefix(string module) => "tvmgen_" + module.ToLowerInvariant() + "_";

        /// <summary>Whether <paramref name="symbol"/> carries the module's prefix <see cref="SymbolPrefix"/>.</summary>
        public static bool HasSymbolPrefix(string symbol, string module) =>
            symbol != null && symbol.StartsWith(SymbolPrefix(module), System.StringComparison.Ordinal);

        /// <summary>
        /// The name TVM gives a kernel <paramref name="name"/> of the module (TVM 0.9 and later prefix every kernel:
        /// <c>fused_add</c> of module a is <c>tvmgen_a_fused_add</c>); also what a join calls a kernel that an older TVM
        /// left unprefixed.
        /// </summary>
        public static string PrefixedSymbol(string module, string name) => SymbolPrefix(module) + name;

        /// <summary>The graph executor's built-in operators (<c>__nop</c>, <c>__copy</c>): a graph names them, no code defines them.</summary>
        public static bool IsGraphExecutorBuiltin(string functionName) => functionName == "__nop" || functionName == "__copy";

        /// <summary>Whether <paramref name="name"/> is one whole C identifier of ASCII letters, digits and '_' (not starting with a digit).</summary>
        public static bool IsCIdentifier(string name) => name != null && CIdentifier.IsMatch(name);

        private static readonly Regex CIdentifier = new Regex("^[A-Za-z_][A-Za-z0-9_]*\\z", RegexOptions.CultureInvariant);

        /// <summary>Whether a module name can be part of C identifiers, as TVM's prefixes make it.</summary>
        public static bool IsIdentifierPart(string name) => name != null && IdentifierPart.IsMatch(name);
    }
}
