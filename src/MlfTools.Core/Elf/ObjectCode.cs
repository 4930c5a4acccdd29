using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Archive;
using MlfTools.Rename;

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
            string name = MemberPaths.FileName(path);
            return new[] { ".o", ".a", ".obj", ".lib" }.Any(e => name.Length > e.Length && name.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// The member's bytes, for reading whole: ArchiveTooLarge (naming it) over <see cref="ObjectCodeLimits.MaximumBytes"/>,
        /// checked before anything is read.
        /// </summary>
        public static byte[] ReadAll(ArchiveContent content, ArchiveMember member, string archivePath, CancellationToken cancellationToken)
        {
            ObjectCodeLimits.CheckSize(member.Size, archivePath, member.Path);
            return content.ReadAll(member, cancellationToken);
        }

        /// <summary>
        /// The one rule for what a module's compiled code must be: a relocatable ELF object (e_type ET_REL), or a static
        /// library (ar archive) of them. Null when <paramref name="bytes"/> are one (as far as their first bytes tell;
        /// corruption shows when they are read); else what they are instead, completing "it is ...": "empty", "text",
        /// "a Mach-O object", "an ELF executable (e_type 2)", ...
        /// </summary>
        public static string WhatElse(byte[] bytes)
        {
            if (bytes.Length == 0) return "empty";
            if (StaticLibrary.IsStaticLibrary(bytes)) return null;
            if (bytes.Length >= 4 && bytes[0] == 0x7F && bytes[1] == (byte)'E' && bytes[2] == (byte)'L' && bytes[3] == (byte)'F')
            {
                // A header too short to hold e_type, or an unknown class or byte order: corrupt, as the reader says.
                if (bytes.Length < 18 || (bytes[5] != ElfConstants.ELFDATA2LSB && bytes[5] != ElfConstants.ELFDATA2MSB)) return null;
                bool big = bytes[5] == ElfConstants.ELFDATA2MSB;
                int type = big ? (bytes[16] << 8) | bytes[17] : bytes[16] | (bytes[17] << 8);
                int swapped = ((type & 0xFF) << 8) | (type >> 8);
                switch (type)
                {
                    case ElfConstants.ET_REL: return null;
                    case ElfConstants.ET_EXEC: return "an ELF executable (e_type 2), which is linked already";
                    case ElfConstants.ET_DYN: return "an ELF shared object (e_type 3)";
                    case ElfConstants.ET_CORE: return "an ELF core dump (e_type 4)";
                    default:
                        return swapped == ElfConstants.ET_REL
                            ? $"an ELF file of e_type {type}: its header says {(big ? "big" : "little")} endian, but it reads as a relocatable object only in the other byte order"
                            : $"an ELF file of e_type {type}";
                }
            }
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
            if (bytes.Length < 4 && bytes[0] == 0x7F) return "a truncated ELF file";
            if (bytes.Take(512).All(b => b == '\t' || b == '\n' || b == '\r' || (b >= 0x20 && b < 0x7F))) return "text";
            return "not an object file";
        }

        /// <summary>The end of every sentence about code that breaks <see cref="WhatElse"/>'s rule: "... is {what}, not a ...".</summary>
        public static string NotObjectCode(string what) => $"is {what}, not a relocatable ELF object or a static library of them";

        /// <summary>
        /// The global symbols the object, or the members of the library, define (each name once, Latin-1: one char per byte).
        /// </summary>
        /// <param name="bytes">The object or library.</param>
        /// <param name="budget">What the symbols read count against (a new budget when null): the pass's, to bound many objects.</param>
        /// <param name="cancellationToken">Stops reading a large library or symbol table.</param>
        /// <exception cref="NotObjectCodeException">It is not object code (<see cref="WhatElse"/>).</exception>
        /// <exception cref="InvalidDataException">It is a corrupt ELF object or static library.</exception>
        /// <exception cref="ObjectCodeTooLargeException">It is over one of <see cref="ObjectCodeLimits"/>.</exception>
        public static IReadOnlyList<string> FindGlobalDefinitions(byte[] bytes, SymbolBudget budget = null, CancellationToken cancellationToken = default) =>
            FindDefinitions(bytes, ElfSymbolReader.GlobalDefinitions, budget, cancellationToken);

        /// <summary>The weak symbols the object, or the members of the library, define (exceptions as <see cref="FindGlobalDefinitions"/>).</summary>
        public static IReadOnlyList<string> FindWeakDefinitions(byte[] bytes, CancellationToken cancellationToken = default) =>
            FindDefinitions(bytes, ElfSymbolReader.WeakDefinitions, null, cancellationToken);

        /// <summary>The symbols the object, or the members of the library, use without defining (exceptions as <see cref="FindGlobalDefinitions"/>).</summary>
        public static IReadOnlyList<string> FindUndefined(byte[] bytes, CancellationToken cancellationToken = default) =>
            FindDefinitions(bytes, ElfSymbolReader.Undefined, null, cancellationToken);

        private static IReadOnlyList<string> FindDefinitions(byte[] bytes, Func<ElfSymbolTable, IReadOnlyList<string>> which, SymbolBudget budget, CancellationToken cancellationToken)
        {
            budget = budget ?? new SymbolBudget();
            var names = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            ForEachObject(bytes, cancellationToken, elf =>
            {
                var table = ElfSymbolReader.ReadTable(elf, budget, cancellationToken) ?? throw ElfSymbolReader.Corrupt("it is not a relocatable object");
                names.AddRange(which(table).Where(seen.Add));
            });
            return names;
        }

        /// <summary>What the object, or all members of the library, occupy once linked (<see cref="ElfSectionSizes"/>).</summary>
        /// <exception cref="NotObjectCodeException">It is not object code (<see cref="WhatElse"/>).</exception>
        /// <exception cref="InvalidDataException">It is a corrupt ELF object or static library.</exception>
        /// <exception cref="ObjectCodeTooLargeException">It is a library of more members than the limit.</exception>
        public static CodeSize ReadSizes(byte[] bytes, CancellationToken cancellationToken = default)
        {
            var total = new CodeSize(0, 0, 0, 0);
            ForEachObject(bytes, cancellationToken, elf => total = total.Plus(ElfSectionSizes.Read(new MemoryStream(elf, writable: false))));
            return total;
        }

        /// <summary>Runs <paramref name="read"/> over the object, or over each member of the library, after checking each against the rule.</summary>
        private static void ForEachObject(byte[] bytes, CancellationToken cancellationToken, Action<byte[]> read)
        {
            string what = WhatElse(bytes);
            if (what != null) throw new NotObjectCodeException(what);
            if (!StaticLibrary.IsStaticLibrary(bytes))
            {
                read(bytes);
                return;
            }
            var library = StaticLibrary.Read(bytes, cancellationToken);
            foreach (var member in library.Files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[] data = library.DataOf(member);
                string memberWhat = WhatElse(data);
                if (memberWhat != null || StaticLibrary.IsStaticLibrary(data))
                {
                    throw new NotObjectCodeException($"a static library whose member '{member.Name}' is {memberWhat ?? "a static library"}");
                }
                try
                {
                    read(data);
                }
                catch (InvalidDataException ex)
                {
                    throw new InvalidDataException($"Its member '{member.Name}': {ex.Message}", ex);
                }
            }
        }

        /// <summary>True for a static library without a symbol index, which a linker refuses ("archive has no index; run ranlib").</summary>
        public static bool IsLibraryWithoutIndex(byte[] bytes) => StaticLibrary.IsStaticLibrary(bytes) && !StaticLibrary.Read(bytes).HasIndex;

        /// <summary>
        /// The object or library with the module's symbols renamed (every symbol <see cref="ModuleRenamer.RenameString"/>
        /// changes, local or global); for a library, its index rebuilt.
        /// </summary>
        /// <exception cref="InvalidDataException">Why it cannot be renamed: not object code, corrupt, a rename that would
        /// merge two symbols, or no symbol carries the module's prefix (so it is no code TVM generated for the module).
        /// The message completes "it ...".</exception>
        /// <exception cref="ObjectCodeTooLargeException">It is over one of <see cref="ObjectCodeLimits"/>.</exception>
        public static byte[] Rename(byte[] bytes, ModuleRenamer renamer, CancellationToken cancellationToken = default)
        {
            string what = WhatElse(bytes);
            if (what != null) throw new InvalidDataException(NotObjectCode(what) + ": only those can be renamed");
            byte[] result;
            int renamed;
            var budget = new SymbolBudget();
            try
            {
                result = StaticLibrary.IsStaticLibrary(bytes)
                    ? StaticLibrary.Read(bytes, cancellationToken).Rename(renamer.RenameString, out renamed, budget, cancellationToken)
                    : ElfSymbolRenamer.Rename(bytes, renamer.RenameString, out renamed, budget, cancellationToken);
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

    /// <summary>Data that is not object code by <see cref="ObjectCode.WhatElse"/>'s rule; <see cref="What"/> says what it is instead.</summary>
    internal sealed class NotObjectCodeException : Exception
    {
        public NotObjectCodeException(string what)
            : base("It " + ObjectCode.NotObjectCode(what) + ".")
        {
            What = what;
        }

        /// <summary>What the data is, completing "it is ...".</summary>
        public string What { get; }
    }
}
