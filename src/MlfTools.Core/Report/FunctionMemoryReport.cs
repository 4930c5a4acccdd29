namespace MlfTools
{
    /// <summary>The workspace one operator function (kernel) needs on one device, as metadata.json states it.</summary>
    public sealed class FunctionMemoryReport
    {
        public FunctionMemoryReport(string module, string function, int deviceType, long workspaceBytes)
        {
            Module = module;
            Function = function;
            DeviceType = deviceType;
            Device = DeviceNames.Of(deviceType);
            WorkspaceBytes = workspaceBytes;
        }

        /// <summary>The module's name (<see cref="MlfModule.Name"/>: the new name when one was given).</summary>
        public string Module { get; }

        /// <summary>The function name exactly as metadata.json writes it (with the original module prefix, e.g. tvmgen_default_fused_...).</summary>
        public string Function { get; }

        /// <summary>The DLPack device type number (1 CPU, 2 CUDA, ...).</summary>
        public int DeviceType { get; }

        /// <summary>The device's name ("CPU", "CUDA", ...), or the number as text when it is not a known device.</summary>
        public string Device { get; }

        public long WorkspaceBytes { get; }

        public override string ToString() => $"{Function} ({WorkspaceBytes} B on {Device})";
    }
}
