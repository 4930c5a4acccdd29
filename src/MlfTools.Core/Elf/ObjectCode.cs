using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.Rename;
using MlfTools.Symbols;

namespace MlfTools.Elf
{
    /// <summary>
    /// Compiled code a module ships: an ELF relocatable object (.o) or a static library of them (.a), told apart by
    /// content. What the symbol checks read and what renaming a module rewrites.
    /// </summary>
    internal static class ObjectCode
    {
        /// <summary>True for a file name that holds compiled code (.o, .a, .obj, .lib), wherever it lies.</summary>
        public static bool IsObjectFileName(string path)
        {
            string name = path.Substring(path.LastIndexOf('/') + 1);
            return new[] { ".o", ".a", ".obj", ".lib" }.Any(e => name.Length > e.Length && name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// The global symbols the object, or the members of the library, define; null when it is not ELF (or a library
        /// with a member that is not), or an ELF file of another kind.
        /// </summary>
        /// <exception cref="InvalidDataException">It is a corrupt ELF object or static library.</exception>
        public static IReadOnlyList<string> FindGlobalDefinitions(byte[] bytes)
        {
            if (!StaticLibrary.IsStaticLibrary(bytes)) return ElfSymbolReader.FindGlobalDefinitions(new MemoryStream(bytes, writable: false));
            var library = StaticLibrary.Read(bytes);
            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var member in library.Files)
            {
                IReadOnlyList<string> own;
                try
                {
                    own = ElfSymbolReader.FindGlobalDefinitions(new MemoryStream(library.DataOf(member), writable: false));
                }
                catch (InvalidDataException ex)
                {
                    throw new InvalidDataException($"Its member '{member.Name}': {ex.Message}", ex);
                }
                if (own == null) return null;
                names.AddRange(own.Where(seen.Add));
            }
            return names;
        }

        /// <summary>True for a static library without a symbol index, which a linker refuses ("archive has no index; run ranlib").</summary>
        public static bool IsLibraryWithoutIndex(byte[] bytes) => StaticLibrary.IsStaticLibrary(bytes) && !StaticLibrary.Read(bytes).HasIndex;

        /// <summary>What the data is when it is not ELF: "a Mach-O object", "a COFF object", ...; null for ELF or an ar archive.</summary>
        public static string DescribeForeignFormat(byte[] bytes)
        {
            if (bytes.Length >= 4 && bytes[0] == 0x7F && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F') return null;
            if (StaticLibrary.IsStaticLibrary(bytes)) return null;
            if (bytes.Length >= 4)
            {
                uint le = BitConverter.ToUInt32(bytes, 0);
                uint be = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
                if (le == 0xFEEDFACE || le == 0xFEEDFACF || be == 0xFEEDFACE || be == 0xFEEDFACF) return "a Mach-O object";
                if (be == 0xCAFEBABE) return "a Mach-O universal binary";
            }
            if (bytes.Length >= 20)
            {
                int machine = bytes[0] | (bytes[1] << 8);
                if (machine == 0x14C || machine == 0x8664 || machine == 0xAA64 || machine == 0x1C0 || machine == 0x1C4) return "a COFF object";
            }
            if (bytes.Length >= 2 && bytes[0] == (byte)'M' && bytes[1] == (byte)'Z') return "a Windows executable";
            if (bytes.Length >= 4 && bytes[0] == 0x7F && bytes[1] == (byte)'E' && bytes[2] == (byte)'L') return "a truncated ELF file";
            return "not an object file";
        }

        /// <summary>
        /// The object or library with the module's symbols renamed (every symbol <see cref="ModuleRenamer.RenameString"/>
        /// changes, local or global); for a library, its index rebuilt.
        /// </summary>
        /// <exception cref="InvalidDataException">Why it cannot be renamed: not ELF, corrupt, or no symbol carries the
        /// module's prefix (so it is no code TVM generated for the module). The message completes "it ...".</exception>
        public static byte[] Rename(byte[] bytes, ModuleRenamer renamer)
        {
            string foreign = DescribeForeignFormat(bytes);
            if (foreign != null) throw new InvalidDataException($"is {foreign}, not ELF: only ELF objects and static libraries can be renamed");
            byte[] result;
            int renamed;
            try
            {
                result = StaticLibrary.IsStaticLibrary(bytes)
                    ? StaticLibrary.Read(bytes).Rename(renamer.RenameString, out renamed)
                    : ElfSymbolRenamer.Rename(bytes, renamer.RenameString, out renamed);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException("is corrupt or not a relocatable ELF object: " + ex.Message, ex);
            }
            if (renamed == 0) throw new InvalidDataException(NotTvmNaming(renamer.OldName));
            return result;
        }

        /// <summary>The reason, completing "it ...", for code in which no symbol carries the module's prefix.</summary>
        public static string NotTvmNaming(string oldName) =>
            $"has no symbol named as TVM names module '{oldName}''s (tvmgen_{oldName.ToLowerInvariant()}_...), so it is not code TVM generated for the module";

        /// <summary>The error for a module whose object code cannot be renamed, with the reason.</summary>
        public static MlfException CannotRename(MlfModule module, string path, string reason) =>
            new MlfException(MlfErrorIds.CannotRenameObjectCode,
                $"Module '{module.OriginalName}' of '{module.SourcePath}' cannot be renamed to '{module.Name}': its compiled code '{path}' {reason}. Rebuild the model with TVM under the new name (mod_name), or keep the module's name.",
                module.SourcePath);
    }
}
