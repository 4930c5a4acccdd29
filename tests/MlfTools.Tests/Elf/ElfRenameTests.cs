using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.Elf;
using MlfTools.Rename;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Elf
{
    /// <summary>
    /// Renaming the symbols of ELF objects, checked against binutils' objcopy --redefine-sym: the same sections with
    /// the same contents, the same symbols, the same relocations (readelf -r), and every byte of the original where it was.
    /// </summary>
    public class ElfRenameTests
    {
        private readonly ITestOutputHelper _output;

        public ElfRenameTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>TVM-style code: global and local kernels, a call to a global (a relocation naming it), data, a weak slot, an undefined symbol.</summary>
        internal const string TvmStyleSource = @"
int tvmgen_default_counter = 1;
__attribute__((weak)) void* __TVMAPISetLastError = 0;
extern int external_fn(int);
static int tvmgen_default_fused_add_compute_(int x) { return x * 3 + tvmgen_default_counter; }
int tvmgen_default_fused_add(int x) { return tvmgen_default_fused_add_compute_(x) + 1; }
int tvmgen_default_fused_mul(int x) { return tvmgen_default_fused_add(x) * 2; }
int tvmgen_default_run(int x) { return external_fn(tvmgen_default_fused_mul(x)); }
const char* tvmgen_default_name = ""tvmgen_default_fused_add"";
";

        [SampleToolFact("aarch64-linux-gnu-objcopy", "readelf", "tar")]
        public void The_samples_llvm_object_renamed_equals_objcopy_redefine_sym()
        {
            using var temp = new TempFolder();
            ExternalTool.Run("tar", temp.Path, "-xf", TestPaths.Sample("v5-graph-llvm-conv1d.tar"), "./codegen/host/lib/default_lib0.o");
            byte[] original = File.ReadAllBytes(temp.File("codegen/host/lib/default_lib0.o"));
            var dump = new ElfDump(original);
            Assert.Equal(".strtab", dump.Sections[(int)dump.Sections.Single(s => s.Type == ElfDump.SHT_SYMTAB).Link].Name);

            var renamed = AssertRenameMatchesObjcopy(temp, original, "aarch64-linux-gnu-objcopy", "conv_a");
            var symbols = new ElfDump(renamed).Symbols;
            // Two global and two local kernels renamed; the weak runtime slots keep their names.
            Assert.Equal(4, symbols.Count(s => s.Name.StartsWith("tvmgen_conv_a_fused_nn_", StringComparison.Ordinal)));
            Assert.Contains(symbols, s => s.Name == "__TVMAPISetLastError");
            Assert.Contains(symbols, s => s.Name == "__TVMBackendParallelLaunch");
            Assert.DoesNotContain(symbols, s => s.Name.Contains("tvmgen_default"));
            // The string table doubles as the section-name table: it is kept, and the new names are in a table of their own.
            var renamedDump = new ElfDump(renamed);
            Assert.Equal(dump.Sections.Count + 1, renamedDump.Sections.Count);
            Assert.Equal(dump.Sections[1].Content, renamedDump.Sections[1].Content);
        }

        // One fact per compiler and target, each skipped visibly where its tools are missing. gcc writes a separate
        // .shstrtab; clang's integrated assembler, like TVM's LLVM, makes .strtab the section-name table too.
        [ToolFact("gcc", "objcopy", "readelf")]
        public void Gcc_x86_64_ELF64_little_endian_RELA() => RenameCompiledObject("gcc", "", "objcopy");

        [ToolFact("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-objcopy", "readelf")]
        public void Gcc_aarch64_ELF64_little_endian_RELA() => RenameCompiledObject("aarch64-linux-gnu-gcc", "", "aarch64-linux-gnu-objcopy");

        [ToolFact("arm-linux-gnueabihf-gcc", "arm-linux-gnueabihf-objcopy", "readelf")]
        public void Gcc_arm_ELF32_little_endian_REL() => RenameCompiledObject("arm-linux-gnueabihf-gcc", "", "arm-linux-gnueabihf-objcopy");

        [ToolFact("mips-linux-gnu-gcc", "mips-linux-gnu-objcopy", "readelf")]
        public void Gcc_mips_ELF32_big_endian_REL() => RenameCompiledObject("mips-linux-gnu-gcc", "", "mips-linux-gnu-objcopy");

        [ToolFact("mips-linux-gnu-gcc", "mips-linux-gnu-objcopy", "readelf")]
        public void Gcc_mips64_ELF64_big_endian_RELA() => RenameCompiledObject("mips-linux-gnu-gcc", "-mabi=64", "mips-linux-gnu-objcopy");

        [ToolFact("clang-14", "objcopy", "readelf")]
        public void Clang_x86_64_ELF64_little_endian_RELA() => RenameCompiledObject("clang-14", "--target=x86_64-linux-gnu", "objcopy");

        [ToolFact("clang-14", "objcopy", "readelf")]
        public void Clang_i386_ELF32_little_endian_REL() => RenameCompiledObject("clang-14", "--target=i386-linux-gnu", "objcopy");

        [ToolFact("clang-14", "aarch64-linux-gnu-objcopy", "readelf")]
        public void Clang_aarch64_ELF64_little_endian_RELA() => RenameCompiledObject("clang-14", "--target=aarch64-linux-gnu", "aarch64-linux-gnu-objcopy");

        [ToolFact("clang-14", "arm-linux-gnueabihf-objcopy", "readelf")]
        public void Clang_arm_ELF32_little_endian_REL() => RenameCompiledObject("clang-14", "--target=armv7-linux-gnueabihf", "arm-linux-gnueabihf-objcopy");

        [ToolFact("clang-14", "mips-linux-gnu-objcopy", "readelf")]
        public void Clang_mips_ELF32_big_endian_REL() => RenameCompiledObject("clang-14", "--target=mips-linux-gnu", "mips-linux-gnu-objcopy");

        [ToolFact("clang-14", "mips-linux-gnu-objcopy", "readelf")]
        public void Clang_mips64_ELF64_big_endian_RELA() => RenameCompiledObject("clang-14", "--target=mips64-linux-gnuabi64", "mips-linux-gnu-objcopy");

        private void RenameCompiledObject(string compiler, string options, string objcopy)
        {
            using var temp = new TempFolder();
            File.WriteAllText(temp.File("model.c"), TvmStyleSource);
            var arguments = new List<string> { "-c", "-O1", "-fno-inline", "-o", "model.o", "model.c" };
            if (options.Length > 0) arguments.Insert(0, options);
            ExternalTool.Run(compiler, temp.Path, arguments.ToArray());
            byte[] original = File.ReadAllBytes(temp.File("model.o"));
            var dump = new ElfDump(original);
            _output.WriteLine($"{compiler} {options}: ELF{(dump.Is64 ? 64 : 32)} {(dump.IsBigEndian ? "big" : "little")} endian, {string.Join(", ", dump.Sections.Where(s => s.Type == 4 || s.Type == 9).Select(s => s.Name))}");

            byte[] renamed = AssertRenameMatchesObjcopy(temp, original, objcopy, "kws");
            var symbols = new ElfDump(renamed).Symbols.Select(s => s.Name).ToList();
            Assert.Contains("tvmgen_kws_fused_add", symbols);
            Assert.Contains("tvmgen_kws_counter", symbols);
            Assert.Contains("__TVMAPISetLastError", symbols);
            Assert.Contains("external_fn", symbols);
            Assert.DoesNotContain(symbols, s => s.Contains("tvmgen_default"));
        }

        [ToolFact("gcc")]
        public void An_object_without_the_modules_symbols_is_refused_with_the_reason()
        {
            using var temp = new TempFolder();
            File.WriteAllText(temp.File("other.c"), "int helper(int x) { return x + 1; }\n");
            ExternalTool.Run("gcc", temp.Path, "-c", "-o", "other.o", "other.c");
            var error = Assert.Throws<InvalidDataException>(() => ObjectCode.Rename(File.ReadAllBytes(temp.File("other.o")), new ModuleRenamer("default", "kws")));
            Assert.Contains("tvmgen_default_", error.Message);
        }

        [Fact]
        public void Mach_O_and_COFF_objects_are_refused_as_not_ELF()
        {
            var renamer = new ModuleRenamer("default", "kws");
            var machO = new byte[64];
            BitConverter.GetBytes(0xFEEDFACFu).CopyTo(machO, 0);
            Assert.Contains("Mach-O", Assert.Throws<InvalidDataException>(() => ObjectCode.Rename(machO, renamer)).Message);
            var coff = new byte[64];
            coff[0] = 0x64;
            coff[1] = 0x86;
            Assert.Contains("COFF", Assert.Throws<InvalidDataException>(() => ObjectCode.Rename(coff, renamer)).Message);
        }

        [ToolFact("gcc")]
        public void A_truncated_object_is_refused_as_corrupt()
        {
            using var temp = new TempFolder();
            File.WriteAllText(temp.File("model.c"), TvmStyleSource);
            ExternalTool.Run("gcc", temp.Path, "-c", "-o", "model.o", "model.c");
            byte[] data = File.ReadAllBytes(temp.File("model.o"));
            var error = Assert.Throws<InvalidDataException>(() => ObjectCode.Rename(data.AsSpan(0, data.Length / 2).ToArray(), new ModuleRenamer("default", "kws")));
            Assert.Contains("corrupt", error.Message);
        }

        /// <summary>
        /// Renames <paramref name="original"/> from module default to <paramref name="newName"/> with our code and with
        /// objcopy --redefine-sym (one per renamed symbol), and compares them; returns ours.
        /// </summary>
        internal byte[] AssertRenameMatchesObjcopy(TempFolder temp, byte[] original, string objcopy, string newName)
        {
            var renamer = new ModuleRenamer("default", newName);
            byte[] ours = ObjectCode.Rename(original, renamer);
            File.WriteAllBytes(temp.File("original.o"), original);
            File.WriteAllBytes(temp.File("ours.o"), ours);

            var before = new ElfDump(original);
            var pairs = before.Symbols.Select(s => s.Name).Distinct().Where(n => renamer.RenameString(n) != n).Select(n => (Old: n, New: renamer.RenameString(n))).ToList();
            Assert.NotEmpty(pairs);
            var arguments = pairs.SelectMany(p => new[] { "--redefine-sym", $"{p.Old}={p.New}" }).Concat(new[] { "original.o", "objcopy.o" }).ToArray();
            ExternalTool.Run(objcopy, temp.Path, arguments);
            var expected = new ElfDump(File.ReadAllBytes(temp.File("objcopy.o")));
            var actual = new ElfDump(ours);

            // Section by section: every section but the symbol and string tables, with the same header and contents.
            // objcopy marks relocation sections SHF_INFO_LINK (0x40), which the assembler may leave out: that bit is not
            // compared. objcopy does not know LLVM's .llvm_addrsig (0x6fff4c03) and clears its link to the symbol table,
            // which renaming keeps: that link is not compared either.
            const uint LlvmAddrsig = 0x6fff4c03;
            string Describe(ElfDump dump, ElfDump.Section s) =>
                $"{s.Name} type {s.Type} flags {(s.Type == 4 || s.Type == 9 ? s.Flags & ~0x40UL : s.Flags):x} size {s.Size} align {s.Align} entsize {s.EntrySize} " +
                $"link {(s.Type == LlvmAddrsig ? "-" : s.Link == 0 ? "0" : dump.Sections[(int)s.Link].Name)} info {(s.Type == 4 || s.Type == 9 ? dump.Sections[(int)s.Info].Name : s.Info.ToString())} " +
                Convert.ToHexString(s.Content);
            Assert.Equal(expected.ContentSections.Select(s => Describe(expected, s)).OrderBy(x => x, StringComparer.Ordinal),
                         actual.ContentSections.Select(s => Describe(actual, s)).OrderBy(x => x, StringComparer.Ordinal));

            // Symbol by symbol, in symbol table order (relocations refer to symbols by their index).
            Assert.Equal(expected.Symbols, actual.Symbols);
            Assert.Equal(before.Symbols.Select(s => s with { Name = renamer.RenameString(s.Name) }), actual.Symbols);

            // Relocations name the same symbols as before: readelf -r identical apart from the names.
            string relocationsBefore = ExternalTool.Run("readelf", temp.Path, "-r", "-W", "original.o");
            string relocationsAfter = ExternalTool.Run("readelf", temp.Path, "-r", "-W", "ours.o");
            foreach (var (old, @new) in pairs.OrderByDescending(p => p.Old.Length)) relocationsBefore = relocationsBefore.Replace(old, @new);
            Assert.Equal(Normalize(relocationsBefore), Normalize(relocationsAfter));
            Assert.Equal(Normalize(ExternalTool.Run("readelf", temp.Path, "-r", "-W", "objcopy.o")), Normalize(relocationsAfter));

            // Everything else byte for byte: the original's bytes stay where they were, but for the ELF header, the
            // section header table and the st_name fields of renamed symbols.
            var symtab = before.Sections.Single(s => s.Type == ElfDump.SHT_SYMTAB);
            int entry = before.Is64 ? 24 : 16;
            var allowed = new HashSet<int>(Enumerable.Range(0, before.Is64 ? 64 : 52));
            for (int at = (int)symtab.Offset; at < (int)(symtab.Offset + symtab.Size); at += entry) allowed.UnionWith(Enumerable.Range(at, 4));
            var tableStart = before.Is64 ? BitConverter.ToInt64(Swap(original, 40, 8, before.IsBigEndian)) : BitConverter.ToInt32(Swap(original, 32, 4, before.IsBigEndian));
            allowed.UnionWith(Enumerable.Range((int)tableStart, before.Sections.Count * (before.Is64 ? 64 : 40)));
            var changed = Enumerable.Range(0, original.Length).Where(i => original[i] != ours[i]).ToList();
            Assert.DoesNotContain(changed, i => !allowed.Contains(i));
            _output.WriteLine($"{pairs.Count} names renamed; {original.Length} -> {ours.Length} bytes, {changed.Count} bytes of the original changed");
            return ours;
        }

        /// <summary>readelf -r output without the offsets of the relocation sections in the file, which differ by layout.</summary>
        private static string Normalize(string readelf) =>
            System.Text.RegularExpressions.Regex.Replace(readelf, @"at offset 0x[0-9a-f]+", "at offset ?");

        private static byte[] Swap(byte[] data, int at, int width, bool big)
        {
            var bytes = data.AsSpan(at, width).ToArray();
            if (big == BitConverter.IsLittleEndian) Array.Reverse(bytes);
            return bytes;
        }
    }
}
