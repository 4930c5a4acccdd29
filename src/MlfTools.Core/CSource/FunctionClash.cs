namespace MlfTools.CSource
{
    internal enum FunctionClashKind
    {
        /// <summary>Two bodies for one function: "redefinition of 'f'".</summary>
        Redefinition,

        /// <summary>Two prototypes that differ in their number of parameters: "conflicting types for 'f'".</summary>
        ConflictingParameters,
    }

    /// <summary>A function that one C file defines twice or declares in two incompatible ways; compilers refuse the file.</summary>
    internal sealed class FunctionClash
    {
        public FunctionClash(string name, FunctionClashKind kind, int firstLine, int line, int? firstParameterCount, int? parameterCount)
        {
            Name = name;
            Kind = kind;
            FirstLine = firstLine;
            Line = line;
            FirstParameterCount = firstParameterCount;
            ParameterCount = parameterCount;
        }

        /// <summary>The C identifier.</summary>
        public string Name { get; }

        public FunctionClashKind Kind { get; }

        /// <summary>1-based line of the earlier definition or declaration.</summary>
        public int FirstLine { get; }

        /// <summary>1-based line of the one that clashes with it.</summary>
        public int Line { get; }

        /// <summary>Parameter counts of the two prototypes (ConflictingParameters only).</summary>
        public int? FirstParameterCount { get; }

        public int? ParameterCount { get; }

        public override string ToString() => $"{Name} ({Kind}, lines {FirstLine} and {Line})";
    }
}
