using System.Collections.Generic;

namespace MlfTools
{
    /// <summary>One tensor of a .params file, described from its header; the tensor data itself is never held.</summary>
    public sealed class MlfTensorInfo
    {
        internal MlfTensorInfo(string name, string dtype, IReadOnlyList<long> shape, long byteSize, int deviceType, int deviceId, long dataOffset)
        {
            Name = name;
            DType = dtype;
            Shape = new TensorShape(shape);
            ByteSize = byteSize;
            DeviceType = deviceType;
            DeviceId = deviceId;
            DataOffset = dataOffset;
        }

        public string Name { get; }

        /// <summary>TVM's spelling of the element type, e.g. "float32", "int8".</summary>
        public string DType { get; }

        /// <summary>The dimensions; a <see cref="TensorShape"/>, whose text is "[1, 49, 10]".</summary>
        public IReadOnlyList<long> Shape { get; }

        public long ByteSize { get; }

        /// <summary>The DLPack device type number (1 CPU, 2 CUDA, ...).</summary>
        public int DeviceType { get; }

        /// <summary>The device's name ("CPU", "CUDA", ...), or the number as text when it is not a known device, as memory reports name it.</summary>
        public string Device => DeviceNames.Of(DeviceType);

        public int DeviceId { get; }

        /// <summary>Where the tensor's bytes start inside the .params file.</summary>
        public long DataOffset { get; }

        public override string ToString() => $"{Name} {DType}[{string.Join(",", Shape)}]";
    }
}
