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
            Shape = shape;
            ByteSize = byteSize;
            DeviceType = deviceType;
            DeviceId = deviceId;
            DataOffset = dataOffset;
        }

        public string Name { get; }

        /// <summary>TVM's spelling of the element type, e.g. "float32", "int8".</summary>
        public string DType { get; }

        public IReadOnlyList<long> Shape { get; }

        public long ByteSize { get; }

        public int DeviceType { get; }

        public int DeviceId { get; }

        /// <summary>Where the tensor's bytes start inside the .params file.</summary>
        public long DataOffset { get; }

        public override string ToString() => $"{Name} {DType}[{string.Join(",", Shape)}]";
    }
}
