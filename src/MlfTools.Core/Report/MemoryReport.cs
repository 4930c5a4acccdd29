using System.Collections.Generic;

namespace MlfTools
{
    /// <summary>
    /// What one module (or, with <see cref="IsTotal"/>, every module the command received) needs on one device. Every
    /// figure is in bytes. A figure that the module's metadata or files do not give is null, never 0.
    /// </summary>
    public sealed class MemoryReport
    {
        /// <summary>The <see cref="Module"/> of a total report.</summary>
        public const string TotalModuleName = "(total)";

        /// <summary>The <see cref="Module"/> of a C runtime report (<see cref="IsRuntime"/>).</summary>
        public const string RuntimeModuleName = "(runtime)";

        /// <summary>The <see cref="Module"/> of -Link's row for the helper sources' glue and main() (<see cref="IsFirmwarePart"/>).</summary>
        public const string HelpersModuleName = "(helpers)";

        /// <summary>The <see cref="Module"/> of -Link's row for the C library, libm and the compiler's support library.</summary>
        public const string LibraryModuleName = "(C library)";

        /// <summary>The <see cref="Module"/> of -Link's row for the rest of the image: the user's startup files, linker stubs, padding.</summary>
        public const string OtherModuleName = "(other)";

        private IReadOnlyList<TensorSize> _inputs;
        private IReadOnlyList<TensorSize> _outputs;
        private IReadOnlyList<FunctionMemoryReport> _functions;

        internal MemoryReport()
        {
        }

        /// <summary>The module's name (<see cref="MlfModule.Name"/>: the new name when one was given); "(total)" for a total, "(runtime)" for a C runtime.</summary>
        public string Module { get; internal set; }

        /// <summary>Full path of the archive or folder the module was read from.</summary>
        public string Archive { get; internal set; }

        /// <summary>
        /// Whether the table view names the archive beside the module (<see cref="MemoryReportText.Module"/>): set by
        /// Get-MlfMemoryReport where the module's name does not tell its row apart from the others.
        /// </summary>
        internal bool ShowsArchive { get; set; }

        /// <summary>The module's executors in lowercase ("graph", "aot"; comma-separated if several); null for operator style and totals.</summary>
        public string Executor { get; internal set; }

        /// <summary>The DLPack device type number (1 CPU, 2 CUDA, ...).</summary>
        public int DeviceType { get; internal set; }

        /// <summary>The device's name ("CPU", "CUDA", ...), or the number as text when it is not a known device.</summary>
        public string Device { get; internal set; }

        /// <summary>memory.functions.main workspace_size_bytes for this device: the largest operator workspace plus main's own.</summary>
        public long? WorkspaceBytes { get; internal set; }

        /// <summary>memory.functions.main constants_size_bytes for this device.</summary>
        public long? ConstantsBytes { get; internal set; }

        /// <summary>
        /// The constant data the module's C sources define, counted from their declarations: the weights compiled into the
        /// code (linked parameters, .rodata.tvm constants, USMP's constant pool). On the host's row of a module whose
        /// weights are in the code; null otherwise. AOT builds without USMP's constant pool (TVM 0.9 and later) report
        /// no constants (ConstantsBytes 0) although their code holds the weights as arrays: this figure counts them.
        /// </summary>
        public long? CodeConstantsBytes { get; internal set; }

        /// <summary>
        /// TVM's io_size_bytes for this device, copied as written: the bytes TVM's memory planner attributed to main's
        /// parameters and results. It is not the model's inputs plus outputs (see <see cref="InputBytes"/> and
        /// <see cref="OutputBytes"/>), is often far larger, and is no allocation a firmware makes. Operator style: the
        /// sum of every primfunc buffer.
        /// </summary>
        public long? IoBytes { get; internal set; }

        /// <summary>
        /// The model's input tensors, in bytes: from metadata inputs (TVM 0.11+), else the graph config's input nodes, else
        /// (AOT) the inputs the C header names, typed by @main in the Relay text; null when none of them gives them.
        /// </summary>
        public long? InputBytes { get; internal set; }

        /// <summary>
        /// The model's output tensors, in bytes: from metadata outputs (TVM 0.11+), else the graph config's heads, else
        /// (AOT) @main's return type in the Relay text (TVM 0.9+), else, for AOT builds of TVM 0.8 (format 5, or exported
        /// before May 2022), IoBytes less InputBytes (0.8 counted exactly main's inputs and result there); null when none
        /// gives them.
        /// </summary>
        public long? OutputBytes { get; internal set; }

        /// <summary>Where the weights live at run time: "code" (compiled in: AOT, link-params), "params" (a graph executor loads the .params file), or null (unknown, operator style).</summary>
        public string WeightsIn { get; internal set; }

        /// <summary>
        /// The static arena the firmware helpers give the model: AOT workspace requests, or the graph executor's storage,
        /// bookkeeping and workspace. AOT: the workspace of metadata.json plus 16 bytes for every TVMBackendAllocWorkspace
        /// call in the C sources (0 when they make none: USMP's static workspace). Graph executor: the peak of the
        /// helpers' allocator through TVMGraphExecutor_Create, LoadParams (weights from the .params file) and a run, for
        /// the target's pointer size (4 bytes for -mcpu=cortex-m*, -mtriple=arm*, thumb*, riscv32*; 8 for aarch64,
        /// x86_64, riscv64; 4 when the target says neither). On the host device's row; null where unknown (an AOT
        /// model without C sources, such as an LLVM object; a graph model whose kernels are neither C sources nor in the
        /// metadata) and on other devices. A total sums its modules' arenas (each model has its own), null when one is unknown.
        /// </summary>
        public long? ArenaBytes { get; internal set; }

        /// <summary>True on the host row of a graph-executor module whose arena the archive does not tell (RamBytes is then unknown).</summary>
        internal bool ArenaUnknown { get; set; }

        /// <summary>
        /// RAM the module needs on this device: for a graph executor on the host, the arena (<see cref="ArenaBytes"/>:
        /// storage, parameters loaded at run time, bookkeeping and kernel workspaces); on another device, its workspace
        /// and storage; for AOT, the workspace and the input and output buffers. With measured code, plus its
        /// initialised and zero-initialised data (a workspace the code defines itself is not added twice). Null when a
        /// part is unknown. See about_MlfTools for the table.
        /// </summary>
        public long? RamBytes { get; internal set; }

        /// <summary>
        /// Flash the module needs on this device: without measured code, only the weights (linked constants: the larger of
        /// ConstantsBytes and CodeConstantsBytes; or the .params file a graph executor loads); with measured code, code + read-only data (weights included) + initial
        /// data, plus the .params file when it is loaded at run time. Null when a part is unknown.
        /// </summary>
        public long? FlashBytes { get; internal set; }

        /// <summary>
        /// What is known of RamBytes: equal to it when it is known; when it is not, the sum of the parts that are known
        /// (the workspace, say, without the inputs and outputs), a lower bound a budget is checked against.
        /// </summary>
        public long RamAtLeastBytes { get => RamBytes ?? _ramKnownPart; internal set => _ramKnownPart = value; }

        /// <summary>What is known of FlashBytes: equal to it when it is known, else the sum of its known parts, a lower bound.</summary>
        public long FlashAtLeastBytes { get => FlashBytes ?? _flashKnownPart; internal set => _flashKnownPart = value; }

        private long _ramKnownPart;
        private long _flashKnownPart;

        /// <summary>Executable sections of the compiled code (-Compiler, or the module's LLVM objects); null when not measured.</summary>
        public long? CodeBytes { get; internal set; }

        /// <summary>Allocated read-only sections of the compiled code (weights in .rodata.tvm included); null when not measured.</summary>
        public long? ReadOnlyDataBytes { get; internal set; }

        /// <summary>Allocated writable sections with contents (.data); null when not measured.</summary>
        public long? DataBytes { get; internal set; }

        /// <summary>Allocated sections without contents (.bss); null when not measured.</summary>
        public long? ZeroInitBytes { get; internal set; }

        /// <summary>The sum of memory.sids size_bytes, exactly as TVM wrote them (graph executor only; on the host device's row).</summary>
        public long? SidsBytes { get; internal set; }

        /// <summary>memory.functions.main inputs for this device (TVM 0.11 and later), in metadata order; null when not given.</summary>
        public IReadOnlyList<TensorSize> Inputs { get => _inputs; internal set => _inputs = ItemList.Of(value); }

        /// <summary>memory.functions.main outputs for this device (TVM 0.11 and later), in metadata order; null when not given.</summary>
        public IReadOnlyList<TensorSize> Outputs { get => _outputs; internal set => _outputs = ItemList.Of(value); }

        /// <summary>
        /// Each operator function's workspace on this device, largest first, ties by name (ordinal). Its text (Export-Csv)
        /// is the functions with their workspace: "tvmgen_default_fused_add (64 B on CPU); ...".
        /// </summary>
        public IReadOnlyList<FunctionMemoryReport> Functions { get => _functions; internal set => _functions = ItemList.Of(value); }

        /// <summary>
        /// The sum of the tensor data bytes in the module's .params file that belong to this device; null when the archive has
        /// no params file for the module, 0 when the file holds no tensor (TVM writes an empty one for AOT builds).
        /// </summary>
        public long? ParametersBytes { get; internal set; }

        /// <summary>How many tensors of the module's .params file belong to this device.</summary>
        public int ParameterCount { get; internal set; }

        /// <summary>
        /// What the graph executor allocates on this device, computed from the graph config: per storage id the largest
        /// entry, summed, inputs and parameters included. Null for AOT, operator style and totals.
        /// </summary>
        public long? GraphStorageBytes { get; internal set; }

        /// <summary>True for the sum over every module received that -Total adds.</summary>
        public bool IsTotal { get; internal set; }

        /// <summary>
        /// True for the compiled C runtime (runtime/, TVM's standalone CRT) of an archive, which -Total with -Compiler
        /// reports once per distinct runtime and counts once in the total. It carries no budgets.
        /// </summary>
        public bool IsRuntime { get; internal set; }

        /// <summary>
        /// True for the rows of the firmware's parts that -Link adds besides the models: "(runtime)", "(helpers)", "(C library)"
        /// and "(other)". They carry no budgets; the total is the linked image.
        /// </summary>
        public bool IsFirmwarePart { get; internal set; }

        /// <summary>
        /// -Link, on the total: the deepest stack from main(), from the compiler's call graphs (gcc 10 or later), which
        /// RamBytes includes; null when it is unknown (RamBytes is then unknown too).
        /// </summary>
        public long? StackBytes { get; internal set; }

        /// <summary>Each budget given, with this report's use of it, in budget order (RAM, flash, workspace, constants, I/O); empty without budgets.</summary>
        public IReadOnlyList<MemoryBudgetUse> Budgets { get; internal set; } = ItemList.Of(new MemoryBudgetUse[0]);

        /// <summary>The largest use of a budget, in percent (100 = exactly at the budget); null without budgets or when no budgeted figure is known.</summary>
        public double? UsedPercent { get; internal set; }

        /// <summary>
        /// "OVER" when a figure (or the known part of an unknown one) is over its budget; else "UNKNOWN" when a budgeted
        /// figure is unknown, which is an error unless -AllowUnknown; "OK" when every budgeted figure is known and fits;
        /// null without budgets.
        /// </summary>
        public string Status { get; internal set; }

        /// <summary>True when <paramref name="figure"/> (a property name such as "RamBytes") is over its budget.</summary>
        public bool IsOver(string figure)
        {
            foreach (var use in Budgets) if (use.IsOver && use.Figure == figure) return true;
            return false;
        }

        public override string ToString() => $"{Module} on {Device}";
    }
}
