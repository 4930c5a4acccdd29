using System.Management.Automation;

namespace MlfTools
{
    /// <summary>Turns Core failures into ErrorRecords with stable ids and the category each id deserves.</summary>
    internal static class MlfErrorRecords
    {
        public static ErrorRecord From(MlfException exception, object fallbackTarget = null) =>
            new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.ErrorId), exception.Target ?? fallbackTarget);

        public static ErrorRecord Create(string errorId, string message, object target) =>
            From(new MlfException(errorId, message, target));

        public static ErrorCategory CategoryOf(string errorId)
        {
            switch (errorId)
            {
                case MlfErrorIds.PathNotFound:
                case MlfErrorIds.ModuleNotFound:
                case MlfErrorIds.RuntimeNotFound:
                case MlfErrorIds.CompilerNotFound:
                    return ErrorCategory.ObjectNotFound;
                case MlfErrorIds.ArchiveReadFailed:
                    return ErrorCategory.ReadError;
                case MlfErrorIds.UnsupportedMlfVersion:
                    return ErrorCategory.NotImplemented;
                case MlfErrorIds.UnsafeArchiveEntry:
                    return ErrorCategory.SecurityError;
                case MlfErrorIds.MemoryBudgetExceeded:
                case MlfErrorIds.ArchiveTooLarge:
                    return ErrorCategory.LimitsExceeded;
                case MlfErrorIds.InvalidModuleName:
                case MlfErrorIds.NameRequiresSingleModule:
                case MlfErrorIds.DestinationIsInput:
                case MlfErrorIds.DestinationRequired:
                case MlfErrorIds.UnsupportedDestinationType:
                case MlfErrorIds.NoModules:
                case MlfErrorIds.NullInput:
                case MlfErrorIds.ConflictingParameters:
                    return ErrorCategory.InvalidArgument;
                case MlfErrorIds.DestinationExists:
                    return ErrorCategory.ResourceExists;
                case MlfErrorIds.DuplicateModuleName:
                case MlfErrorIds.OperatorModuleMix:
                case MlfErrorIds.CannotRenameObjectCode:
                case MlfErrorIds.CompilerFailed:
                    return ErrorCategory.InvalidOperation;
                case MlfErrorIds.MemoryFigureUnknown:
                    return ErrorCategory.InvalidResult;
                case MlfErrorIds.WriteFailed:
                    return ErrorCategory.WriteError;
                default:
                    // Also SymbolCollision, RuntimeConflict, RuntimeMissingDeclaration and PathConflict: the inputs' contents do not fit together.
                    return ErrorCategory.InvalidData;
            }
        }
    }
}
