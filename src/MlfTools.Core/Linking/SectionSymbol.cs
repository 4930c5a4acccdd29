using System;

namespace MlfTools.Linking
{
    /// <summary>
    /// The symbol -ffunction-sections and -fdata-sections named an input section after: ".bss.mlf_a_arena_storage" gives
    /// "mlf_a_arena_storage", ".text.main" and gcc's ".text.startup.main" (also ".text.unlikely.", ".text.hot.",
    /// ".text.exit.") give "main"; a section named otherwise is returned as it is.
    /// </summary>
    internal static class SectionSymbol
    {
        private const string Code = ".text.";
        private static readonly string[] DataKinds = { ".rodata.", ".data.rel.ro.", ".data.", ".bss.", ".sdata.", ".sbss.", ".srodata." };
        private static readonly string[] CodeGroups = { "startup.", "unlikely.", "hot.", "exit." };

        public static string Of(string section)
        {
            if (string.IsNullOrEmpty(section)) return string.Empty;
            if (IsFunction(section)) return FunctionOf(section);
            foreach (string kind in DataKinds)
            {
                if (section.StartsWith(kind, StringComparison.Ordinal)) return section.Substring(kind.Length);
            }
            return section;
        }

        /// <summary>Whether the section holds one function of its own (".text.&lt;name&gt;").</summary>
        public static bool IsFunction(string section) => section != null && section.StartsWith(Code, StringComparison.Ordinal);

        private static string FunctionOf(string section)
        {
            string name = section.Substring(Code.Length);
            foreach (string group in CodeGroups)
            {
                if (name.StartsWith(group, StringComparison.Ordinal)) return name.Substring(group.Length);
            }
            return name;
        }
    }
}
