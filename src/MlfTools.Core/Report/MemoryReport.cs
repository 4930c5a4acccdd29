using System.Collections.Generic;

namespace MlfTools
{
    /// <summary>
    /// What one module (or, with <see cref="IsTotal"/>, all modules of one archive) needs on one device. Every figure
    /// is in bytes. A figure that the module's metadata or files do not give is null, never 0.
    /// </summary>
    public sealed class MemoryReport
    {
        /// <summary>The <see cref="Module"/> of a total report.</summary>
        public const string TotalModuleName = "(total)";

        private IReadOnlyList<TensorSize> _inputs;
        private IReadOnlyList<TensorSize> _outputs;
        private IReadOnlyList<FunctionMemoryReport> _functions;

        internal MemoryReport()
        {
        }

        /// <summary>The module's name (<see cref="MlfModule.Name"/>: the new name when one was given); "(total)" for a total.</summary>
        public string Module { get; internal set; }

        /// <summary>Full path of the archive or folder the module was read from.</summary>
        public string Archive { get; internal set; }

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

        /// <summary>memory.functions.main io_size_bytes for this device (operator style: the sum of every primfunc buffer).</summary>
        public long? IoBytes { get; internal set; }

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

        /// <summary>The sum of the tensor data bytes in the module's .params file that belong to this device (0 when none).</summary>
        public long ParametersBytes { get; internal set; }

        /// <summary>How many tensors of the module's .params file belong to this device.</summary>
        public int ParameterCount { get; internal set; }

        /// <summary>
        /// What the graph executor allocates on this device, computed from the graph config: per storage id the largest
        /// entry, summed, inputs and parameters included. Null for AOT, operator style and totals.
        /// </summary>
        public long? GraphStorageBytes { get; internal set; }

        /// <summary>True for the per-archive sum that -Total adds.</summary>
        public bool IsTotal { get; internal set; }

        public override string ToString() => $"{Module} on {Device}";
    }
}
