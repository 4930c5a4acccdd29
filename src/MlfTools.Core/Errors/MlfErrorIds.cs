namespace MlfTools
{
    /// <summary>Stable error identifiers. They end up in FullyQualifiedErrorId, so they are public contract.</summary>
    public static class MlfErrorIds
    {
        public const string PathNotFound = "PathNotFound";
        public const string ArchiveReadFailed = "ArchiveReadFailed";
        public const string InvalidArchive = "InvalidArchive";
        public const string MetadataMissing = "MetadataMissing";
        public const string MetadataInvalid = "MetadataInvalid";
        public const string UnsupportedMlfVersion = "UnsupportedMlfVersion";
        public const string ParamsInvalid = "ParamsInvalid";
        public const string GraphConfigInvalid = "GraphConfigInvalid";
        public const string UnsafeArchiveEntry = "UnsafeArchiveEntry";
        public const string ModuleNotFound = "ModuleNotFound";
        public const string InvalidModuleName = "InvalidModuleName";
        public const string NameRequiresSingleModule = "NameRequiresSingleModule";
        public const string DestinationExists = "DestinationExists";
        public const string DestinationIsInput = "DestinationIsInput";
        public const string DestinationRequired = "DestinationRequired";
        public const string UnsupportedDestinationType = "UnsupportedDestinationType";
        public const string DuplicateModuleName = "DuplicateModuleName";
        public const string SymbolCollision = "SymbolCollision";
        public const string RuntimeConflict = "RuntimeConflict";
        public const string RuntimeNotFound = "RuntimeNotFound";
        public const string RuntimeMissingDeclaration = "RuntimeMissingDeclaration";
        public const string PathConflict = "PathConflict";
        public const string OperatorModuleMix = "OperatorModuleMix";
        public const string CannotRenameObjectCode = "CannotRenameObjectCode";
        public const string WriteFailed = "WriteFailed";
        public const string NoModules = "NoModules";
        public const string NullInput = "NullInput";
        public const string MemoryBudgetExceeded = "MemoryBudgetExceeded";
        public const string MemoryFigureUnknown = "MemoryFigureUnknown";
        public const string ArchiveTooLarge = "ArchiveTooLarge";
        public const string ConflictingParameters = "ConflictingParameters";
        public const string InputChanged = "InputChanged";
        public const string CompilerNotFound = "CompilerNotFound";
        public const string CompilerFailed = "CompilerFailed";
        public const string FunctionRegistryInvalid = "FunctionRegistryInvalid";
        public const string HelpersUnsupported = "HelpersUnsupported";
    }
}
