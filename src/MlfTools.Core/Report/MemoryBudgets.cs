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

        public bool IsEmpty => RamBytes == null && FlashBytes == null && WorkspaceBytes == null && ConstantsBytes == null && IoBytes == null;
    }
}
