using MlfTools.Text;
using System;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Elf;
using MlfTools.Join;
using MlfTools.Rename;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Elf
{
    /// <summary>
    /// A rename never merges two symbols and never writes a broken object: names are bytes (renamed byte for byte, as C
    /// text is), a rename that would give two symbols of one module the same name is refused naming both, and an object
    /// whose symbol table lies over its ELF header is corrupt.
    /// </summary>
    public class RenameIntegrityTests : IDisposable
    {
        private static readonly Encoding Latin1 = Encoding.Latin1;
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private byte[] Compile(string source)
        {
            string c = _temp.File($"code{Guid.NewGuid():N}.c");
            File.WriteAllText(c, source);
            ExternalTool.Run("gcc", _temp.Path, "-c", "-O1", "-fno-inline", "-o", c + ".o", c);
            return File.ReadAllBytes(c + ".o");
        }

        /// <summary>Every occurrence of the ASCII text <paramref name="from"/> replaced by the same number of other bytes.</summary>
        private static byte[] Patch(byte[] data, string from, byte[] to)
        {
            Assert.Equal(from.Length, to.Length);
            byte[] pattern = Encoding.ASCII.GetBytes(from);
            byte[] result = (byte[])data.Clone();
            int found = 0;
            for (int i = 0; i + pattern.Length <= result.Length; i++)
            {
                if (!result.AsSpan(i, pattern.Length).SequenceEqual(pattern)) continue;
                to.CopyTo(result, i);
                found++;
            }
            Assert.True(found > 0, $"'{from}' is not in the object");
            return result;
        }

        private string Archive(string file, params (string Path, byte[] Data)[] members)
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "graph").Replace("\"c -keys=cpu\"", "\"llvm -keys=cpu\""));
            foreach (var (path, data) in members) archive.File(path, data);
            return archive.WriteTar(_temp.File(file));
        }

        [ToolFact("gcc")]
        public void Names_that_are_not_UTF8_are_renamed_byte_for_byte_and_calls_keep_their_targets()
        {
            // Two globals whose names end in the bytes 0xFE and 0xFF, which no UTF-8 text holds.
            byte[] original = Compile(
                "int tvmgen_default_fA(int x) { return x + 1; }\n" +
                "int tvmgen_default_fB(int x) { return x * 2; }\n" +
                "int tvmgen_default_run(int x) { return tvmgen_default_fA(x) * 100 + tvmgen_default_fB(x); }\n");
            original = Patch(original, "tvmgen_default_fA", Latin1.GetBytes("tvmgen_default_f\u00fe"));
            original = Patch(original, "tvmgen_default_fB", Latin1.GetBytes("tvmgen_default_f\u00ff"));

            byte[] renamed = ObjectCode.Rename(original, new ModuleRenamer("default", "conv"));

            var names = new ElfDump(renamed, Latin1).Symbols.Select(s => s.Name).ToList();
            Assert.Contains("tvmgen_conv_f\u00fe", names);
            Assert.Contains("tvmgen_conv_f\u00ff", names);
            Assert.DoesNotContain(names, n => n.Contains("\u00ef\u00bf\u00bd", StringComparison.Ordinal));
            Assert.Equal(3, ObjectCode.FindGlobalDefinitions(renamed).Count(n => n.StartsWith("tvmgen_conv_", StringComparison.Ordinal)));

            // The renamed object links, and the kernels are still told apart: run(5) = (5 + 1) * 100 + 5 * 2.
            File.WriteAllBytes(_temp.File("renamed.o"), renamed);
            File.WriteAllText(_temp.File("main.c"), "int tvmgen_conv_run(int);\nint main(void) { return tvmgen_conv_run(5) == 610 ? 0 : 1; }\n");
            ExternalTool.Run("gcc", _temp.Path, "-o", "main", "main.c", "renamed.o");
            ExternalTool.Run(_temp.File("main"), _temp.Path);
        }

        [ToolFact("gcc")]
        public void A_rename_that_gives_two_symbols_of_an_object_one_name_is_refused_naming_both()
        {
            byte[] code = Compile("int tvmgen_default_f(void) { return 1; }\nint tvmgen_conv_f(void) { return 2; }\n");

            var direct = Assert.Throws<InvalidDataException>(() => ObjectCode.Rename(code, new ModuleRenamer("default", "conv")));
            Assert.Contains("'tvmgen_default_f'", direct.Message);
            Assert.Contains("'tvmgen_conv_f'", direct.Message);

            var module = MlfReader.ReadModules(Archive("merge.tar", ("codegen/host/lib/default_lib0.o", code))).Single().WithName("conv");
            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { module }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.SymbolCollision, error.ErrorId);
            Assert.Contains("'tvmgen_default_f'", error.Message);
            Assert.Contains("'tvmgen_conv_f'", error.Message);
            Assert.Contains("'conv'", error.Message);
        }

        [ToolFact("gcc")]
        public void A_rename_that_gives_a_global_the_name_of_a_call_the_object_makes_is_refused()
        {
            // The object calls another module's tvmgen_conv_f: renamed default -> conv, its own tvmgen_default_f would take the call.
            byte[] code = Compile("int tvmgen_conv_f(void);\nint tvmgen_default_f(void) { return 1; }\nint tvmgen_default_run(void) { return tvmgen_conv_f() + tvmgen_default_f(); }\n");
            var error = Assert.Throws<InvalidDataException>(() => ObjectCode.Rename(code, new ModuleRenamer("default", "conv")));
            Assert.Contains("'tvmgen_conv_f'", error.Message);
            Assert.Contains("'tvmgen_default_f'", error.Message);
            ObjectCode.Rename(code, new ModuleRenamer("default", "kws"));
        }

        [Fact]
        public void A_rename_that_gives_two_C_symbols_of_a_module_one_name_is_refused_naming_both()
        {
            string tar = new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "aot"))
                .File("codegen/host/src/default_lib0.c", "int tvmgen_default_f(void) { return 1; }\n")
                .File("codegen/host/src/default_lib1.c", "int tvmgen_conv_f(void) { return 2; }\nint tvmgen_default_run(void) { return 0; }\n")
                .WriteTar(_temp.File("c.tar"));
            var module = MlfReader.ReadModules(tar).Single();

            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { module.WithName("conv") }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.SymbolCollision, error.ErrorId);
            Assert.Contains("'tvmgen_default_f'", error.Message);
            Assert.Contains("'tvmgen_conv_f'", error.Message);
            // Under another new name the two stay apart, and the module joins.
            Assert.NotNull(JoinPlanner.Plan(new[] { module.WithName("kws") }, new MlfJoinOptions()));
        }

        [Fact]
        public void An_object_whose_symbol_table_lies_over_its_ELF_header_is_corrupt_and_never_renamed()
        {
            byte[] elf = SymbolTableOverHeader();
            // As written, the object reads: its one global is named by the bytes that are also e_shoff.
            Assert.Equal("tvmgen_default_x", Latin1.GetString(elf, 184 + 64, 16));

            var error = Assert.Throws<InvalidDataException>(() => ObjectCode.Rename(elf, new ModuleRenamer("default", "kws")));
            Assert.Contains("ELF header", error.Message);
            Assert.Contains("ELF header", Assert.Throws<InvalidDataException>(() => ObjectCode.FindGlobalDefinitions(elf)).Message);

            string tar = Archive("overlap.tar", ("codegen/host/lib/default_lib0.o", elf));
            var module = MlfReader.ReadModules(tar).Single();
            var refused = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { module.WithName("kws") }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.CannotRenameObjectCode, refused.ErrorId);
            Assert.Contains("ELF header", refused.Message);
            Assert.Contains(MlfArchiveValidator.Validate(tar), f => f.Id == ArchiveFindingIds.InvalidArchive && f.Message.Contains("ELF header"));
        }

        /// <summary>
        /// An ELF32 little-endian relocatable object whose symbol table starts at offset 16, inside the ELF header: its
        /// second entry's st_name is e_shoff (64), where the string table holds "tvmgen_default_x"; its st_info is the
        /// low byte of e_phnum (0x10: a global), its st_shndx is e_shentsize (40, defined).
        /// </summary>
        private static byte[] SymbolTableOverHeader()
        {
            var data = new byte[184 + 64 + 17];
            void U16(int at, int v) { data[at] = (byte)v; data[at + 1] = (byte)(v >> 8); }
            void U32(int at, uint v) { U16(at, (int)(v & 0xFFFF)); U16(at + 2, (int)(v >> 16)); }
            new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 1, 1 }.CopyTo(data, 0);
            U16(16, 1);       // e_type ET_REL
            U16(18, 3);       // e_machine EM_386
            U32(20, 1);       // e_version
            U32(32, 64);      // e_shoff
            U16(40, 52);      // e_ehsize
            U16(44, 0x10);    // e_phnum
            U16(46, 40);      // e_shentsize
            U16(48, 3);       // e_shnum
            U16(50, 0);       // e_shstrndx
            // Section 1: the string table, after the section header table; section 2: the symbol table, at offset 16.
            int s1 = 64 + 40, s2 = 64 + 80;
            U32(s1 + 4, 3); U32(s1 + 16, 184); U32(s1 + 20, 64 + 17); U32(s1 + 32, 1);
            U32(s2 + 4, 2); U32(s2 + 16, 16); U32(s2 + 20, 32); U32(s2 + 24, 1); U32(s2 + 28, 1); U32(s2 + 32, 4); U32(s2 + 36, 16);
            Encoding.ASCII.GetBytes("tvmgen_default_x").CopyTo(data, 184 + 64);
            return data;
        }
    }
}
