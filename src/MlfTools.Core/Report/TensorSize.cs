namespace MlfTools
{
    /// <summary>One input or output of a model's main function, as metadata.json lists it (TVM 0.11 and later).</summary>
    public sealed class TensorSize
    {
        public TensorSize(string name, string dtype, long bytes)
        {
            Name = name;
            DType = dtype;
            Bytes = bytes;
        }

        /// <summary>The tensor's name as the model names it, e.g. "serving_default_input_1:0".</summary>
        public string Name { get; }

        /// <summary>TVM's spelling of the element type, e.g. "int8"; null when the metadata gives none.</summary>
        public string DType { get; }

        public long Bytes { get; }

        public override string ToString() => DType == null ? $"{Name} ({Bytes} B)" : $"{Name} {DType} ({Bytes} B)";
    }
}
