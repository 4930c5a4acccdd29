namespace MlfTools.CSource
{
    /// <summary>A symbol with external linkage that one C translation unit defines.</summary>
    internal sealed class DefinedSymbol
    {
        public DefinedSymbol(string name, bool isFunction, int line)
        {
            Name = name;
            IsFunction = isFunction;
            Line = line;
        }

        /// <summary>The linker name: the C identifier, or its <c>__asm__("label")</c> where one is given.</summary>
        public string Name { get; }

        /// <summary>True for a function definition, false for a variable (initialized or tentative).</summary>
        public bool IsFunction { get; }

        /// <summary>1-based line of the identifier in its first definition (as GCC's debug information gives it).</summary>
        public int Line { get; }

        public override string ToString() => $"{Name} ({(IsFunction ? "function" : "variable")}, line {Line})";
    }
}
