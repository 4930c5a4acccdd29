namespace MlfTools
{
    /// <summary>What a <see cref="MemoryReportSession"/> emits: module or function reports, totals, budget findings; how code is measured.</summary>
    public sealed class MemoryReportOptions
    {
        /// <summary>Emit one <see cref="FunctionMemoryReport"/> per operator function instead of the module's <see cref="MemoryReport"/>s.</summary>
        public bool ByFunction { get; set; }

        /// <summary>After every module received, emit one total <see cref="MemoryReport"/> per device over all of them.</summary>
        public bool Total { get; set; }

        public MemoryBudgets Budgets { get; set; } = new MemoryBudgets();

        /// <summary>
        /// Measure the firmware as the linker sees it (needs <see cref="CodeSize"/>' compiler; implies <see cref="Total"/>):
        /// every model with the helper sources, the C runtime and a main() is compiled and linked with --gc-sections, each
        /// model's row gets what was kept of it, the C runtime, helpers, C library and the rest get rows of their own, and
        /// the total is the linked image with the deepest stack.
        /// </summary>
        public bool Link { get; set; }

        /// <summary>The compiler that measures C code (null: LLVM objects are measured, C sources are not).</summary>
        public CodeSizeOptions CodeSize { get; set; }
    }
}
