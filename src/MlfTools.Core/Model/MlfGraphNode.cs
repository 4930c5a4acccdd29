namespace MlfTools
{
    /// <summary>A node of a graph executor config: an input or parameter (op "null") or a kernel call (op "tvm_op").</summary>
    public sealed class MlfGraphNode
    {
        internal MlfGraphNode(string op, string name, string functionName, int outputCount)
        {
            Op = op;
            Name = name;
            FunctionName = functionName;
            OutputCount = outputCount;
        }

        public string Op { get; }
        public string Name { get; }

        /// <summary>attrs.func_name of a kernel node (carries the module prefix), else null.</summary>
        public string FunctionName { get; }

        public int OutputCount { get; }

        public override string ToString() => FunctionName ?? Name;
    }
}
