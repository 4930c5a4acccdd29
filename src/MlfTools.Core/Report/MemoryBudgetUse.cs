using System;

namespace MlfTools
{
    /// <summary>One budget applied to one report: the figure, its value, the budget and how much of it is used.</summary>
    public sealed class MemoryBudgetUse
    {
        internal MemoryBudgetUse(string figure, long? value, long budget, long atLeast = 0)
        {
            Figure = figure;
            Value = value;
            Budget = budget;
            AtLeast = value ?? atLeast;
            // Rounded to a tenth, as people read it (also in CSV and JSON); no percentage of a budget of 0.
            UsedPercent = value == null || (budget == 0 && value.Value != 0) ? (double?)null
                : budget == 0 ? 0 : Math.Round(100.0 * value.Value / budget, 1, MidpointRounding.AwayFromZero);
        }

        /// <summary>The report property the budget limits: "RamBytes", "FlashBytes", "WorkspaceBytes", "ConstantsBytes" or "IoBytes".</summary>
        public string Figure { get; }

        /// <summary>The figure's value; null when the report does not know it (then its known part, AtLeast, is checked).</summary>
        public long? Value { get; }

        /// <summary>The value when known; else what is known of it (a lower bound, 0 when nothing is).</summary>
        public long AtLeast { get; }

        /// <summary>True when the figure is unknown: the budget cannot be said to hold.</summary>
        public bool IsUnknown => Value == null;

        public long Budget { get; }

        /// <summary>Value as a percentage of Budget, to a tenth; null when the value is unknown, or above a budget of 0.</summary>
        public double? UsedPercent { get; }

        /// <summary>True when the value, or the known part of an unknown value, is over the budget.</summary>
        public bool IsOver => AtLeast > Budget;

        public override string ToString() => UsedPercent == null ? $"{Figure}: unknown (at least {AtLeast}) of {Budget}" : $"{Figure}: {UsedPercent.Value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}% of {Budget}";
    }
}
