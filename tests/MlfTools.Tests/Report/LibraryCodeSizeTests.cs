using System;
using System.IO;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>Code an LLVM module ships as a static library counts as the same code shipped as its objects.</summary>
    public sealed class LibraryCodeSizeTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private MlfModule Module(string file, params (string Path, byte[] Data)[] members)
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, "default", "aot").Replace("\"c -keys=cpu\"", "\"llvm -keys=cpu\""));
            foreach (var (path, data) in members) archive.File(path, data);
            return MlfReader.ReadModules(archive.WriteTar(_temp.File(file))).Single();
        }

        [ToolFact("gcc", "ar", "size")]
        public void A_static_library_counts_the_code_and_data_of_every_member()
        {
            File.WriteAllText(_temp.File("a.c"), "int tvmgen_default_table[64] = {1};\nint tvmgen_default_run(int x) { return tvmgen_default_table[x & 63] * 3 + x; }\n");
            File.WriteAllText(_temp.File("b.c"), "static const char tvmgen_default_text[] = \"weights weights weights\";\nint tvmgen_default_zero[100];\nint tvmgen_default_f(int x) { return tvmgen_default_text[x & 7] + tvmgen_default_zero[x & 7]; }\n");
            ExternalTool.Run("gcc", _temp.Path, "-c", "-O1", "a.c", "b.c");
            ExternalTool.Run("ar", _temp.Path, "rcs", "lib.a", "a.o", "b.o");

            var objects = ModuleMemoryReports.ForModule(Module("o.tar", ("codegen/host/lib/default_lib0.o", File.ReadAllBytes(_temp.File("a.o"))),
                ("codegen/host/lib/default_lib1.o", File.ReadAllBytes(_temp.File("b.o"))))).Single();
            var library = ModuleMemoryReports.ForModule(Module("a.tar", ("codegen/host/lib/default_lib0.a", File.ReadAllBytes(_temp.File("lib.a"))))).Single();

            var sections = SizeA.Sections("size", _temp.File("a.o"), _temp.File("b.o"));
            Assert.Equal(SizeA.Total(sections, ".text"), library.CodeBytes);
            Assert.True(library.CodeBytes > 0);
            Assert.Equal(SizeA.Total(sections, ".data"), library.DataBytes);
            Assert.Equal(SizeA.Total(sections, ".bss"), library.ZeroInitBytes);
            Assert.Equal((objects.CodeBytes, objects.ReadOnlyDataBytes, objects.DataBytes, objects.ZeroInitBytes, objects.FlashBytes),
                         (library.CodeBytes, library.ReadOnlyDataBytes, library.DataBytes, library.ZeroInitBytes, library.FlashBytes));
        }
    }
}
