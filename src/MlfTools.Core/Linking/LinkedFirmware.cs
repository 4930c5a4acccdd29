using System.Collections.Generic;

namespace MlfTools.Linking
{
    /// <summary>What a measured firmware keeps, by part, and the image the linker wrote.</summary>
    internal sealed class LinkedFirmware
    {
        /// <summary>Each model's bytes, by its name in the firmware (the modules measured, in order).</summary>
        public IReadOnlyList<(string Model, CodeSize Size)> Models { get; set; }

        /// <summary>The C runtime's code and data the linker kept (with the helpers' runtime arena).</summary>
        public CodeSize Runtime { get; set; }

        /// <summary>The helpers' glue and main(), with the buffer of a model's inputs and outputs.</summary>
        public CodeSize Helpers { get; set; }

        /// <summary>What the C library, libm and the compiler's support library brought in.</summary>
        public CodeSize Library { get; set; }

        /// <summary>The rest of the image: the user's startup files, linker stubs, padding between sections.</summary>
        public CodeSize Other { get; set; }

        /// <summary>The linked image, from its section headers: the parts sum to it.</summary>
        public CodeSize Image { get; set; }

        /// <summary>The deepest stack from main(), from the compiler's call graphs; null when the compiler writes none.</summary>
        public long? StackBytes { get; set; }

        /// <summary>Why the RAM may need a heap the figures do not count, or null when nothing linked calls malloc.</summary>
        public string HeapNote { get; set; }

        /// <summary>Why <see cref="StackBytes"/> may be short, or null when it is complete.</summary>
        public string StackNote { get; set; }
    }
}
