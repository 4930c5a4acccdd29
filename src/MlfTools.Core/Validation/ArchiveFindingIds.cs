namespace MlfTools
{
    /// <summary>
    /// The stable ids of <see cref="ArchiveFinding.Id"/>. An archive that cannot be read at all gives one finding with the
    /// reader's own error id; the rest come from checking what can be read. Each id always has the same severity.
    /// </summary>
    public static class ArchiveFindingIds
    {
        // ------------------------------------------------------------------ reading (Error)

        /// <summary>Error: not a tar or gzip archive, truncated, or corrupt (also a corrupt ELF object file).</summary>
        public const string InvalidArchive = MlfErrorIds.InvalidArchive;

        /// <summary>Error: a member that could escape the destination when extracted (absolute path, '..', link, device).</summary>
        public const string UnsafeArchiveEntry = MlfErrorIds.UnsafeArchiveEntry;

        /// <summary>Error: the file system refused a read.</summary>
        public const string ArchiveReadFailed = MlfErrorIds.ArchiveReadFailed;

        /// <summary>Error: no metadata.json at the archive root.</summary>
        public const string MetadataMissing = MlfErrorIds.MetadataMissing;

        // ------------------------------------------------------------------ metadata.json

        /// <summary>Error: metadata.json is not valid JSON, or breaks the schema of its version (a key missing or of the wrong type).</summary>
        public const string MetadataInvalid = MlfErrorIds.MetadataInvalid;

        /// <summary>Error: an MLF version MlfTools does not know (newer than 7, or below 1).</summary>
        public const string UnsupportedMlfVersion = MlfErrorIds.UnsupportedMlfVersion;

        /// <summary>Information: a key TVM never writes for this version; it is kept, nothing reads it.</summary>
        public const string UnknownMetadataKey = "UnknownMetadataKey";

        /// <summary>Warning: a version-7 module entry whose model_name differs from its key under "modules".</summary>
        public const string ModuleNameMismatch = "ModuleNameMismatch";

        // ------------------------------------------------------------------ files

        /// <summary>Error: a file the metadata implies is absent (code, params, graph config, C interface header, runtime/).</summary>
        public const string MissingFile = "MissingFile";

        /// <summary>Warning: the Relay text (full-model) or TIR text (operator style) is absent; no build needs it.</summary>
        public const string MissingIrText = "MissingIrText";

        /// <summary>Warning: a module's params, graph config or Relay text is not at the path its MLF version puts it.</summary>
        public const string UnexpectedFilePath = "UnexpectedFilePath";

        /// <summary>Error: the module's .params file cannot be read.</summary>
        public const string ParamsInvalid = MlfErrorIds.ParamsInvalid;

        /// <summary>Error: the module's graph executor config cannot be read.</summary>
        public const string GraphConfigInvalid = MlfErrorIds.GraphConfigInvalid;

        // ------------------------------------------------------------------ files against each other

        /// <summary>Error: params and graph config disagree (a tensor the graph has no input for, a shape or dtype that differs, a graph input without a tensor).</summary>
        public const string ParamsMismatch = "ParamsMismatch";

        /// <summary>Warning: the memory section of metadata.json disagrees with the graph config (memory.sids, main inputs).</summary>
        public const string MetadataMismatch = "MetadataMismatch";

        /// <summary>Error: the graph config calls a kernel that no C source or object of the module defines.</summary>
        public const string UndefinedFunction = "UndefinedFunction";

        /// <summary>Error: the graph config calls a function that the module's system-lib function registry does not list (the C runtime skips it silently).</summary>
        public const string UnregisteredFunction = "UnregisteredFunction";

        /// <summary>Error: the system-lib function registry's count has the width (1 byte up to TVM 0.8, 2 from 0.9) that the archive's C runtime, or MLF version 7 without one, does not read.</summary>
        public const string RegistryCountMismatch = "RegistryCountMismatch";

        /// <summary>Error: the system-lib function registry is not a names string the C runtime reads as its count says (a count that disagrees with the names, no empty name ending the list), or is not a string literal MlfTools can read as the compiler does.</summary>
        public const string FunctionRegistryInvalid = MlfErrorIds.FunctionRegistryInvalid;

        // ------------------------------------------------------------------ names and C symbols

        /// <summary>Error: a module name that cannot be part of a C identifier (TVM prefixes every symbol with tvmgen_&lt;name&gt;_).</summary>
        public const string InvalidModuleName = MlfErrorIds.InvalidModuleName;

        /// <summary>Error: two modules whose names are equal ignoring case (same header, same symbols).</summary>
        public const string DuplicateModuleName = MlfErrorIds.DuplicateModuleName;

        /// <summary>Error: an operator-style module shares the archive with other modules.</summary>
        public const string OperatorModuleMix = MlfErrorIds.OperatorModuleMix;

        /// <summary>Error: two modules define the same global symbol (one without module prefix), so their code cannot be linked together.</summary>
        public const string SymbolCollision = MlfErrorIds.SymbolCollision;

        /// <summary>Error: one module defines a function twice, in one C file or in two of its files.</summary>
        public const string DuplicateFunction = "DuplicateFunction";

        /// <summary>Error: one C file declares a function with two different parameter lists ("conflicting types").</summary>
        public const string ConflictingFunctionTypes = "ConflictingFunctionTypes";

        /// <summary>Information: global symbols without the module's tvmgen_&lt;name&gt;_ prefix, which no module joined with it may define.</summary>
        public const string UnprefixedSymbols = "UnprefixedSymbols";

        /// <summary>Error: a static library (.a) among the module's code has no symbol index ("/" member), so linkers refuse it.</summary>
        public const string LibraryIndexMissing = "LibraryIndexMissing";

        /// <summary>Error: a module's object file (.o, .a) is not a relocatable ELF object or a static library of them (text, empty, an executable, a Mach-O object, ...), so a linker cannot take it; the memory report and the join refuse it.</summary>
        public const string InvalidObjectCode = "InvalidObjectCode";
    }
}
