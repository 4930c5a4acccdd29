using System;

namespace MlfTools.Firmware
{
    /// <summary>A module as a join writes it, for the helper sources: what its new names and written files are.</summary>
    internal sealed class HelperInput
    {
        public MlfModule Module { get; set; }

        /// <summary>The function that returns its system library after the join, or null when it has none.</summary>
        public string SystemLibFunction { get; set; }

        /// <summary>True when its weights are linked into its code (_lookup_linked_param in its registry).</summary>
        public bool LinkedParams { get; set; }

        /// <summary>A symbol's name in the joined archive.</summary>
        public Func<string, string> Rename { get; set; }

        /// <summary>Its graph JSON as the joined archive holds it; null for AOT models.</summary>
        public byte[] GraphJson { get; set; }
    }
}
