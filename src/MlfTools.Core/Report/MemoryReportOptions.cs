namespace MlfTools
{
    /// <summary>What a <see cref="MemoryReportSession"/> emits: module or function reports, per-archive totals, budget findings.</summary>
    public sealed class MemoryReportOptions
    {
        /// <summary>Emit one <see cref="FunctionMemoryReport"/> per operator function instead of the module's <see cref="MemoryReport"/>s.</summary>
        public bool ByFunction { get; set; }

        /// <summary>After each archive's modules, emit one total <see cref="MemoryReport"/> per device.</summary>
        public bool Total { get; set; }

        public MemoryBudgets Budgets { get; set; } = new MemoryBudgets();
    }
}
