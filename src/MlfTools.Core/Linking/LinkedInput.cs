namespace MlfTools.Linking
{
    /// <summary>
    /// One input section a GNU linker placed in its output, as its map file lists it: ".text.main 0x08000100 0x24 obj/main.o"
    /// or, for a static library member, "… 0x8 …/libc_nano.a(lib_a-memcpy.o)".
    /// </summary>
    internal sealed class LinkedInput
    {
        /// <summary>The file name the linker writes for the sections it makes itself (veneers, glue, stubs).</summary>
        public const string LinkerStubs = "linker stubs";

        public LinkedInput(string outputSection, string inputSection, ulong address, long size, string file)
        {
            OutputSection = outputSection;
            InputSection = inputSection;
            Address = address;
            Size = size;
            File = file;
            (Library, Member) = SplitMember(file);
        }

        /// <summary>The output section it is placed in: ".text", ".data", ".bss", ...</summary>
        public string OutputSection { get; }

        /// <summary>The input section's name: ".text.main", "COMMON", ".rodata.str1.4", ".glue_7", ...</summary>
        public string InputSection { get; }

        /// <summary>Its address in the output (the run-time address, for an output section with a load address).</summary>
        public ulong Address { get; }

        public long Size { get; }

        /// <summary>The file as the map writes it: "obj/x.o", "…/libc_nano.a(lib_a-memcpy.o)", "linker stubs".</summary>
        public string File { get; }

        /// <summary>The static library's path for an archive member ("…/libc_nano.a"), else null.</summary>
        public string Library { get; }

        /// <summary>The member's name for an archive member ("lib_a-memcpy.o"), else null.</summary>
        public string Member { get; }

        /// <summary>Made by the linker, from no input file (<see cref="LinkerStubs"/>).</summary>
        public bool IsLinkerGenerated => File == LinkerStubs;

        /// <summary>"lib.a(member.o)" split at its last "(" when it ends with ")"; (null, null) for a plain file.</summary>
        internal static (string Library, string Member) SplitMember(string file)
        {
            if (file == null || file.Length < 4 || file[file.Length - 1] != ')') return (null, null);
            int open = file.LastIndexOf('(', file.Length - 2);
            if (open <= 0 || open == file.Length - 2) return (null, null);
            return (file.Substring(0, open), file.Substring(open + 1, file.Length - open - 2));
        }

        public override string ToString() => $"{OutputSection} {InputSection} 0x{Address:x} {Size} {File}";
    }
}
