using System;

namespace MlfTools.Format
{
    /// <summary>What a TVM target string says: "c -keys=cpu -mcpu=cortex-m7" is C code for a Cortex-M7.</summary>
    internal static class TargetString
    {
        /// <summary>The target kind: the first word, such as "c" or "llvm".</summary>
        public static string Kind(string target)
        {
            string trimmed = (target ?? string.Empty).TrimStart();
            int end = 0;
            while (end < trimmed.Length && !char.IsWhiteSpace(trimmed[end])) end++;
            return trimmed.Substring(0, end);
        }

        /// <summary>The value of an option such as "-mcpu" ("-mcpu=cortex-m7" gives "cortex-m7"), or null when the target does not give it.</summary>
        public static string Option(string target, string name)
        {
            foreach (string word in (target ?? string.Empty).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (word.StartsWith(name + "=", StringComparison.Ordinal)) return word.Substring(name.Length + 1);
            }
            return null;
        }
    }
}
