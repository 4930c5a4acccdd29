namespace MlfTools
{
    /// <summary>Upper limits, in bytes, for the figures of a <see cref="MemoryReport"/>; null means no limit.</summary>
    public sealed class MemoryBudgets
    {
        public long? RamBytes { get; set; }
        public long? FlashBytes { get; set; }
        public long? WorkspaceBytes { get; set; }
        public long? ConstantsBytes { get; set; }
        public long? IoBytes { get; set; }

        /// <summary>
        /// Whether a budgeted figure that cannot be known passes (its known part is still checked). By default it is an
        /// error (MemoryFigureUnknown): a gate never says yes to what it did not measure.
        /// </summary>
        public bool AllowUnknown { get; set; }

        public bool IsEmpty => RamBytes == null && FlashBytes == null && WorkspaceBytes == null && ConstantsBytes == null && IoBytes == null;
    }
}
