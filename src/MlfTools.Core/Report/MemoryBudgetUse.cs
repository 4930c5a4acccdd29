namespace MlfTools
{
    /// <summary>One budget applied to one report: the figure, its value, the budget and how much of it is used.</summary>
    public sealed class MemoryBudgetUse
    {
        internal MemoryBudgetUse(string figure, long? value, long budget)
        {
            Figure = figure;
            Value = value;
            Budget = budget;
            UsedPercent = value == null ? (double?)null : budget == 0 ? (value.Value == 0 ? 0 : double.PositiveInfinity) : 100.0 * value.Value / budget;
        }

        /// <summary>The report property the budget limits: "RamBytes", "FlashBytes", "WorkspaceBytes", "ConstantsBytes" or "IoBytes".</summary>
        public string Figure { get; }

        /// <summary>The figure's value; null when the report does not know it (then it is not checked).</summary>
        public long? Value { get; }

        public long Budget { get; }

        /// <summary>Value as a percentage of Budget; null when the value is unknown.</summary>
        public double? UsedPercent { get; }

        public bool IsOver => Value != null && Value.Value > Budget;

        public override string ToString() => UsedPercent == null ? $"{Figure}: unknown of {Budget}" : $"{Figure}: {UsedPercent.Value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}% of {Budget}";
    }
}
