using System.Collections.Generic;

namespace MlfTools.Firmware
{
    /// <summary>How a model is called: the C interface of AOT, the packed entry of TVM 0.8 AOT, or the graph executor.</summary>
    internal enum HelperModelKind
    {
        AotInterface,
        AotPacked,
        Graph,
    }

    /// <summary>One input or output of a model as the helper header describes it.</summary>
    internal sealed class HelperTensor
    {
        public HelperTensor(string name, string member, string dtype, IReadOnlyList<long> shape, long bytes)
        {
            Name = name;
            Member = member;
            DType = dtype;
            Shape = shape;
            Bytes = bytes;
        }

        /// <summary>The tensor's name in the model (graph node name, Relay parameter, header member).</summary>
        public string Name { get; }

        /// <summary>The member of tvmgen_&lt;m&gt;_inputs/_outputs that carries it (AOT with the C interface), else null.</summary>
        public string Member { get; }

        /// <summary>TVM's dtype ("int8", "float32"); "unknown" where the archive does not tell (the output of a TVM 0.8 AOT model).</summary>
        public string DType { get; }

        public IReadOnlyList<long> Shape { get; }

        public long Bytes { get; }
    }

    /// <summary>Everything the helper sources need to know of one model of the joined archive, with its names as joined.</summary>
    internal sealed class HelperModel
    {
        /// <summary>The module's name as joined.</summary>
        public string Name { get; set; }

        public HelperModelKind Kind { get; set; }

        public IReadOnlyList<HelperTensor> Inputs { get; set; }

        public IReadOnlyList<HelperTensor> Outputs { get; set; }

        /// <summary>
        /// The bytes of the model's arena, what its C runtime requests come from, with 32-bit pointers (a microcontroller:
        /// Get-MlfMemoryReport's ArenaBytes for such a target) and with 64-bit ones (a PC, aarch64).
        /// </summary>
        public long ArenaBytes32 { get; set; }

        public long ArenaBytes64 { get; set; }

        /// <summary>The model's workspace as TVM reports it (for the header's description).</summary>
        public long? WorkspaceBytes { get; set; }

        /// <summary>The entry point: tvmgen_&lt;m&gt;_run (C interface) or tvmgen_&lt;m&gt;_run_model (packed).</summary>
        public string EntryPoint { get; set; }

        /// <summary>Graph models: the function that returns the model's system library, or null when it has none.</summary>
        public string SystemLibFunction { get; set; }

        /// <summary>Graph models: the kernels the graph calls, as joined (the registry of the helpers' own lists them where the code has none).</summary>
        public IReadOnlyList<string> Kernels { get; set; }

        /// <summary>
        /// The runtime functions its object code calls through pointers it defines weak and null (LLVM's
        /// __TVMAPISetLastError, __TVMBackendParallelLaunch, ...), without the leading "__".
        /// </summary>
        public IReadOnlyList<string> RuntimeSlots { get; set; } = new string[0];

        /// <summary>Graph models: the graph JSON as the joined archive holds it.</summary>
        public byte[] GraphJson { get; set; }

        /// <summary>Graph models: the params file's bytes; null where the weights are linked into the code.</summary>
        public byte[] Params { get; set; }
    }
}
