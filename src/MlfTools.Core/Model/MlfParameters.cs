using System.Collections.Generic;
using System.Linq;

namespace MlfTools
{
    /// <summary>The tensor directory of a .params file (TVM's save_param_dict format).</summary>
    public sealed class MlfParameters
    {
        internal MlfParameters(string path, long fileSize, IReadOnlyList<MlfTensorInfo> tensors)
        {
            Path = path;
            FileSize = fileSize;
            Tensors = ItemList.Of(tensors);
            TotalBytes = tensors.Sum(t => t.ByteSize);
        }

        /// <summary>Member path of the .params file inside its archive.</summary>
        public string Path { get; }

        public long FileSize { get; }

        /// <summary>Tensors in file order (TVM's hash-map order, not sorted).</summary>
        public IReadOnlyList<MlfTensorInfo> Tensors { get; }

        public int Count => Tensors.Count;

        /// <summary>Sum of the tensors' data bytes.</summary>
        public long TotalBytes { get; }

        public override string ToString() => $"{Count} tensors, {TotalBytes} bytes";
    }
}
