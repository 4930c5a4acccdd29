namespace MlfTools
{
    /// <summary>A module or total whose figure is over its budget.</summary>
    public sealed class MemoryBudgetFinding
    {
        internal MemoryBudgetFinding(MemoryReport report, string figure, long value, long budget, string message)
        {
            Report = report;
            Figure = figure;
            Value = value;
            Budget = budget;
            Message = message;
        }

        /// <summary>The report that is over budget (a module's or a total).</summary>
        public MemoryReport Report { get; }

        public string Module => Report.Module;
        public string Archive => Report.Archive;
        public string Device => Report.Device;
        public bool IsTotal => Report.IsTotal;

        /// <summary>The property that is over budget: "WorkspaceBytes", "ConstantsBytes" or "IoBytes".</summary>
        public string Figure { get; }

        public long Value { get; }
        public long Budget { get; }

        /// <summary>A sentence naming the module (or total), figure, value and budget, and what to do.</summary>
        public string Message { get; }

        /// <summary>The finding as the MemoryBudgetExceeded error, with the report as its target.</summary>
        public MlfException ToException() => new MlfException(MlfErrorIds.MemoryBudgetExceeded, Message, Report);

        public override string ToString() => Message;
    }
}
