using System.Collections.Generic;

namespace MlfTools.Format
{
    /// <summary>A tensor type of the Relay text: <c>Tensor[(1, 49, 10), int8]</c>, or a bare dtype for a 0-d tensor.</summary>
    internal sealed class RelayTensorType
    {
        public RelayTensorType(string dtype, IReadOnlyList<long> shape)
        {
            DType = dtype;
            Shape = shape;
        }

        public string DType { get; }

        /// <summary>The dimensions; null when one is not fixed (<c>?</c>, a variable).</summary>
        public IReadOnlyList<long> Shape { get; }
    }
}
