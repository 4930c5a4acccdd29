using System;
using System.IO;
using System.Linq;
using MlfTools.Elf;
using MlfTools.Rename;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Elf
{
    /// <summary>Static libraries made by GNU ar: read, renamed member by member, and their index rebuilt as ranlib writes it.</summary>
    public class StaticLibraryTests
    {
        private readonly ITestOutputHelper _output;

        public StaticLibraryTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private const string SecondSource = @"
int tvmgen_default_fused_sub(int x) { return x - 1; }
static int tvmgen_default_local_(int x) { return x; }
int tvmgen_default_common_counter;
int tvmgen_default_fused_neg(int x) { return -tvmgen_default_local_(x); }
";

        /// <summary>Three members, one with a name longer than 15 characters (so ar writes a "//" long-name table), one of odd size.</summary>
        private static string MakeLibrary(TempFolder temp, string compiler, string ar, string flags, string options = "")
        {
            File.WriteAllText(temp.File("model.c"), ElfRenameTests.TvmStyleSource);
            File.WriteAllText(temp.File("default_ops_with_a_long_name.c"), SecondSource);
            File.WriteAllText(temp.File("tiny.c"), "char tvmgen_default_tiny = 1;\n");
            foreach (string name in new[] { "model", "default_ops_with_a_long_name", "tiny" })
            {
                var arguments = new[] { "-c", "-fcommon", "-o", name + ".o", name + ".c" };
                if (options.Length > 0) arguments = new[] { options }.Concat(arguments).ToArray();
                ExternalTool.Run(compiler, temp.Path, arguments);
            }
            ExternalTool.Run(ar, temp.Path, flags, "libmodel.a", "model.o", "default_ops_with_a_long_name.o", "tiny.o");
            return temp.File("libmodel.a");
        }

        [ToolFact("gcc", "ar", "ranlib", "nm")]
        public void Members_are_read_with_their_symbols()
        {
            using var temp = new TempFolder();
            byte[] data = File.ReadAllBytes(MakeLibrary(temp, "gcc", "ar", "rcs"));
            var library = StaticLibrary.Read(data);
            Assert.True(library.HasIndex);
            Assert.Equal(new[] { "model.o", "default_ops_with_a_long_name.o", "tiny.o" }, library.Files.Select(m => m.Name));
            // The global definitions of all members, as nm lists them member by member.
            var expected = ExternalTool.Run("nm", temp.Path, "--defined-only", "-g", "libmodel.a").Split('\n')
                .Select(l => l.Trim().Split(' ')).Where(f => f.Length == 3 && "TDBRC".Contains(f[1])).Select(f => f[2]);
            Assert.Equal(NativeOracle.Sorted(expected), NativeOracle.Sorted(ObjectCode.FindGlobalDefinitions(data)!));
        }

        [ToolFact("gcc", "ar", "ranlib", "nm")]
        public void A_renamed_library_is_byte_identical_to_ar_rcs_of_its_renamed_members()
        {
            AssertRenamedLibraryMatchesAr("gcc", "ar", "ranlib", "nm", "");
        }

        [ToolFact("mips-linux-gnu-gcc", "mips-linux-gnu-ar", "mips-linux-gnu-ranlib", "mips-linux-gnu-nm")]
        public void A_big_endian_ELF32_library_is_byte_identical_to_ar_rcs_of_its_renamed_members()
        {
            AssertRenamedLibraryMatchesAr("mips-linux-gnu-gcc", "mips-linux-gnu-ar", "mips-linux-gnu-ranlib", "mips-linux-gnu-nm", "");
        }

        [ToolFact("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "aarch64-linux-gnu-ranlib", "aarch64-linux-gnu-nm")]
        public void An_aarch64_library_is_byte_identical_to_ar_rcs_of_its_renamed_members()
        {
            AssertRenamedLibraryMatchesAr("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "aarch64-linux-gnu-ranlib", "aarch64-linux-gnu-nm", "");
        }

        private void AssertRenamedLibraryMatchesAr(string compiler, string ar, string ranlib, string nm, string options)
        {
            using var temp = new TempFolder();
            byte[] original = File.ReadAllBytes(MakeLibrary(temp, compiler, ar, "rcs", options));
            byte[] renamed = ObjectCode.Rename(original, new ModuleRenamer("default", "kws"));
            File.WriteAllBytes(temp.File("renamed.a"), renamed);

            // ar itself, given the renamed members in the same order, writes the same bytes: headers, long-name table,
            // padding, and the index with the new names and offsets.
            Directory.CreateDirectory(temp.File("x"));
            ExternalTool.Run(ar, temp.File("x"), "x", "../renamed.a");
            ExternalTool.Run(ar, temp.File("x"), "rcs", "../rebuilt.a", "model.o", "default_ops_with_a_long_name.o", "tiny.o");
            Assert.Equal(File.ReadAllBytes(temp.File("rebuilt.a")), renamed);
            Assert.Contains(StaticLibrary.Read(renamed).Members, m => m.RawName == "//");

            // ranlib finds nothing to change in the index.
            File.Copy(temp.File("renamed.a"), temp.File("ranlib.a"));
            ExternalTool.Run(ranlib, temp.Path, "ranlib.a");
            Assert.Equal(File.ReadAllBytes(temp.File("ranlib.a")), renamed);

            string index = ExternalTool.Run(nm, temp.Path, "--print-armap", "renamed.a");
            _output.WriteLine(index);
            Assert.Contains("tvmgen_kws_fused_add in model.o", index);
            Assert.Contains("tvmgen_kws_fused_neg in default_ops_with_a_long_name.o", index);
            Assert.Contains("tvmgen_kws_tiny in tiny.o", index);
            Assert.DoesNotContain("tvmgen_default", ExternalTool.Run(nm, temp.Path, "-a", "renamed.a"));
        }

        [ToolFact("gcc", "ar")]
        public void A_library_without_an_index_is_renamed_without_one_and_reported_as_such()
        {
            using var temp = new TempFolder();
            byte[] original = File.ReadAllBytes(MakeLibrary(temp, "gcc", "ar", "rcS"));
            Assert.True(ObjectCode.IsLibraryWithoutIndex(original));
            byte[] renamed = ObjectCode.Rename(original, new ModuleRenamer("default", "kws"));
            Assert.True(ObjectCode.IsLibraryWithoutIndex(renamed));
            Directory.CreateDirectory(temp.File("x"));
            File.WriteAllBytes(temp.File("renamed.a"), renamed);
            ExternalTool.Run("ar", temp.File("x"), "x", "../renamed.a");
            ExternalTool.Run("ar", temp.File("x"), "rcS", "../rebuilt.a", "model.o", "default_ops_with_a_long_name.o", "tiny.o");
            Assert.Equal(File.ReadAllBytes(temp.File("rebuilt.a")), renamed);
        }

        [ToolFact("gcc", "ar")]
        public void A_member_that_runs_past_the_end_is_corrupt()
        {
            using var temp = new TempFolder();
            byte[] original = File.ReadAllBytes(MakeLibrary(temp, "gcc", "ar", "rcs"));
            var error = Assert.Throws<InvalidDataException>(() => ObjectCode.FindGlobalDefinitions(original.AsSpan(0, original.Length - 100).ToArray()));
            Assert.Contains("past the end", error.Message);
            Assert.Contains("corrupt", Assert.Throws<InvalidDataException>(() => ObjectCode.Rename(original.AsSpan(0, original.Length - 100).ToArray(), new ModuleRenamer("default", "kws"))).Message);
        }
    }
}
