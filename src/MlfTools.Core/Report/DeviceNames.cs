using System.Collections.Generic;
using System.Globalization;

namespace MlfTools
{
    /// <summary>DLPack's device types by name, as the memory reports and tensor infos show them.</summary>
    public static class DeviceNames
    {
        /// <summary>DLPack's CPU device type: the host, where module-wide figures (sids, stray parameters) are reported.</summary>
        public const int CpuDeviceType = 1;

        private static readonly Dictionary<int, string> Names = new Dictionary<int, string>
        {
            [1] = "CPU",
            [2] = "CUDA",
            [3] = "CUDAHost",
            [4] = "OpenCL",
            [7] = "Vulkan",
            [8] = "Metal",
            [9] = "VPI",
            [10] = "ROCm",
            [11] = "ROCmHost",
            [12] = "ExtDev",
            [13] = "CUDAManaged",
            [14] = "OneAPI",
            [15] = "WebGPU",
            [16] = "Hexagon",
            [32] = "AOCL",
            [33] = "SDAccel",
            [34] = "OpenGL",
            [35] = "MicroDev",
        };

        /// <summary>The name of a DLPack device type (TVM's additions 32-35 included), or the number as text when unknown.</summary>
        public static string Of(int deviceType) =>
            Names.TryGetValue(deviceType, out string name) ? name : deviceType.ToString(CultureInfo.InvariantCulture);
    }
}
