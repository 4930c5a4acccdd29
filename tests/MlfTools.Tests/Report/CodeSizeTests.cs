using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// Measured code size: the report compiles a module's C sources and reads the objects' section headers; the oracle
    /// compiles the same sources with the same compiler, flags and include paths by hand and asks GNU size -A.
    /// </summary>
    public sealed class CodeSizeTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [SampleToolFact("gcc", "size")]
        public void Kws_with_gcc_Os_has_the_text_total_of_size_A()
        {
            AssertMatchesSizeA("v6-aot-kws.tar", "gcc", "size", new[] { "-Os" });
        }

        [SampleToolFact("arm-none-eabi-gcc", "arm-none-eabi-size")]
        public void Mlp_with_arm_none_eabi_gcc_for_cortex_m7_has_the_text_total_of_size_A()
        {
            AssertMatchesSizeA("v7-aot-crt-mlp.tar", "arm-none-eabi-gcc", "arm-none-eabi-size", new[] { "-mcpu=cortex-m7", "-mthumb", "-Os" });
        }

        private void AssertMatchesSizeA(string sample, string compiler, string size, string[] flags)
        {
            var module = MlfReader.ReadModules(TestPaths.Sample(sample)).Single();
            var options = new CodeSizeOptions { Compiler = compiler, Arguments = flags.ToList(), TemporaryRoot = _temp.Path };

            var report = ModuleMemoryReports.ForModule(module, options, CancellationToken.None).Single();

            // The oracle: the archive extracted by test code, each source compiled by hand, size -A over the objects.
            string folder = Directory.CreateDirectory(_temp.File("by-hand")).FullName;
            var oracle = IndependentArchive.Read(TestPaths.Sample(sample));
            foreach (var file in oracle.Files)
            {
                string path = Path.Combine(folder, file.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Value);
            }
            var objects = new List<string>();
            foreach (string source in oracle.Files.Keys.Where(f => f.StartsWith("codegen/host/src/") && f.EndsWith(".c")))
            {
                string output = Path.Combine(folder, Path.GetFileNameWithoutExtension(source) + ".o");
                ExternalTool.Run(compiler, folder, flags.Concat(new[] { "-Icodegen/host/include", "-Iruntime/include", "-c", source, "-o", output }).ToArray());
                objects.Add(output);
            }
            var sections = SizeA.Sections(size, objects.ToArray());

            Assert.Equal(SizeA.Total(sections, ".text"), report.CodeBytes);
            Assert.Equal(SizeA.Total(sections, ".data"), report.DataBytes);
            Assert.Equal(SizeA.Total(sections, ".bss"), report.ZeroInitBytes);
            Assert.True(report.ReadOnlyDataBytes >= SizeA.Total(sections, ".rodata")); // weights (.rodata.tvm) and any .eh_frame
            Assert.True(report.CodeBytes > 0);
            Assert.Empty(Directory.GetDirectories(_temp.Path, "mlftools-size-*"));
            // Flash is what was measured, weights included once (they are in .rodata.tvm, not added again from metadata).
            Assert.Equal(report.CodeBytes + report.ReadOnlyDataBytes + report.DataBytes, report.FlashBytes);
        }

        [SampleToolFact("gcc")]
        public void Every_module_of_a_joined_archive_compiles_against_the_runtime_the_archive_carries()
        {
            // sine (TVM 0.8 AOT) brings no runtime; joined with mlp, the archive carries mlp's, which sine compiles against.
            string joined = JoinedArchive.Write(_temp.File("sine-mlp.tar"), new MlfTools.MlfJoinOptions { RuntimeFrom = "mlp" },
                JoinedArchive.Sample("v5-aot-sine.tar", "sine"), JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"));
            var modules = MlfReader.ReadModules(joined).ToDictionary(m => m.Name);
            Assert.DoesNotContain(modules["sine"].Files, f => f.Kind == MlfFileKind.Runtime);
            // Arm's DSP intrinsics of mlp compile on a PC against an empty stand-in for arm_acle.h.
            string stub = _temp.File("stub");
            Directory.CreateDirectory(stub);
            File.WriteAllText(Path.Combine(stub, "arm_acle.h"), string.Empty);
            var options = new CodeSizeOptions { Compiler = "gcc", Arguments = new List<string> { "-Os" }, IncludePaths = new List<string> { stub }, TemporaryRoot = _temp.Path };

            var sine = ModuleMemoryReports.ForModule(modules["sine"], options, CancellationToken.None).Single();

            Assert.True(sine.CodeBytes > 0);
            var alone = ModuleMemoryReports.ForModule(MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single(), new CodeSizeOptions
            {
                Compiler = "gcc", Arguments = new List<string> { "-Os" }, TemporaryRoot = _temp.Path,
                IncludePaths = new List<string> { ExtractedRuntimeInclude() },
            }, CancellationToken.None).Single();
            Assert.Equal(alone.CodeBytes, sine.CodeBytes);
            Assert.Empty(Directory.GetDirectories(_temp.Path, "mlftools-size-*"));
        }

        /// <summary>mlp's runtime/include, extracted: the headers sine alone needs from -IncludePath.</summary>
        private string ExtractedRuntimeInclude()
        {
            string folder = _temp.File("mlp-runtime");
            Directory.CreateDirectory(folder);
            ExternalTool.Run("tar", folder, "-xf", TestPaths.Sample("v7-aot-crt-mlp.tar"), "./runtime/include");
            return Path.Combine(folder, "runtime", "include");
        }

        [SampleToolFact("gcc")]
        public void A_workspace_the_code_defines_in_bss_is_not_added_again()
        {
            // v6-aot-kws defines static uint8_t global_workspace[46560] in .bss.noinit.tvm.
            var module = MlfReader.ReadModules(TestPaths.Sample("v6-aot-kws.tar")).Single();
            var options = new CodeSizeOptions { Compiler = "gcc", Arguments = new List<string> { "-Os" }, TemporaryRoot = _temp.Path };
            var report = ModuleMemoryReports.ForModule(module, options, CancellationToken.None).Single();
            Assert.True(report.ZeroInitBytes >= report.WorkspaceBytes);

            var aww = MlfReader.ReadModules(TestPaths.Sample("v7-aot-muriscvnn-aww.tar")).Single();
            // Its BYOC kernel library's headers are not in the archive: the compiler fails, clearly, and leaves nothing.
            var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(aww, options, CancellationToken.None));
            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Contains("'gcc' could not compile 'codegen/host/src/default_lib", error.Message);
            Assert.Contains("No such file or directory", error.Message);
            Assert.Contains("-IncludePath", error.Message);
            Assert.DoesNotContain(_temp.Path, error.Message);
            Assert.Empty(Directory.GetDirectories(_temp.Path, "mlftools-size-*"));
        }

        [SampleToolFact("gcc")]
        public void A_module_whose_archive_carries_no_runtime_headers_is_told_where_to_get_them()
        {
            var wand = MlfReader.ReadModules(TestPaths.Sample("v7-graph-magicwand.tar")).Single();
            var options = new CodeSizeOptions { Compiler = "gcc", TemporaryRoot = _temp.Path };

            var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(wand, options, CancellationToken.None));

            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Contains("tvm/runtime/", error.Message);
            Assert.Contains("the archive carries no C runtime headers (runtime/include): give -IncludePath the runtime/include folder", error.Message.Split('\n')[0]);
            // aww carries its runtime and fails on a BYOC kernel header: that failure does not say so.
            var aww = MlfReader.ReadModules(TestPaths.Sample("v7-aot-muriscvnn-aww.tar")).Single();
            Assert.DoesNotContain("carries no C runtime headers", Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(aww, options, CancellationToken.None)).Message);
            Assert.Empty(Directory.GetDirectories(_temp.Path, "mlftools-size-*"));
        }

        [SampleToolFact("gcc")]
        public void Ram_with_measured_code_adds_its_data_and_keeps_io()
        {
            // magicwand carries no runtime/: its code includes tvm/runtime/metadata_types.h, taken from another
            // sample's C runtime through -IncludePath.
            string include = Directory.CreateDirectory(_temp.File("crt-include")).FullName;
            foreach (var file in IndependentArchive.Read(TestPaths.Sample("v7-aot-crt-mlp.tar")).Files.Where(f => f.Key.StartsWith("runtime/include/")))
            {
                string path = Path.Combine(include, file.Key.Substring("runtime/include/".Length));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Value);
            }
            var module = MlfReader.ReadModules(TestPaths.Sample("v7-graph-magicwand.tar")).Single();
            var options = new CodeSizeOptions { Compiler = "gcc", Arguments = new List<string> { "-Os" }, IncludePaths = new List<string> { include }, TemporaryRoot = _temp.Path };
            var plain = ModuleMemoryReports.ForModule(module).Single();
            var measured = ModuleMemoryReports.ForModule(module, options, CancellationToken.None).Single();

            Assert.Null(plain.CodeBytes);
            Assert.Equal(plain.RamBytes + measured.DataBytes + measured.ZeroInitBytes, measured.RamBytes);
            Assert.Equal(measured.CodeBytes + measured.ReadOnlyDataBytes + measured.DataBytes + plain.FlashBytes, measured.FlashBytes);
        }

        [SampleFact]
        public void A_compiler_that_does_not_exist_is_CompilerNotFound()
        {
            var module = MlfReader.ReadModules(TestPaths.Sample("v7-graph-magicwand.tar")).Single();
            var options = new CodeSizeOptions { Compiler = "no-such-compiler-mlftools", TemporaryRoot = _temp.Path };
            var error = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(module, options, CancellationToken.None));
            Assert.Equal(MlfErrorIds.CompilerNotFound, error.ErrorId);
            Assert.Contains("-Compiler", error.Message);
            Assert.Empty(Directory.GetDirectories(_temp.Path, "mlftools-size-*"));
        }

        [Fact]
        public void Sections_are_classified_by_type_and_flags_not_by_name()
        {
            // An ELF32 big-endian relocatable object written here: a code section named like data, a NOBITS section named
            // like read-only data, a writable one, a read-only one named like code but without SHF_EXECINSTR, and a
            // non-allocated one that takes no memory.
            var sections = new (string Name, uint Type, uint Flags, uint Size)[]
            {
                (".data.fast", 1, 0x6, 100),     // PROGBITS, ALLOC|EXECINSTR: code
                (".rodata.noinit", 8, 0x3, 200), // NOBITS, ALLOC|WRITE: zero-init
                (".mine", 1, 0x3, 30),           // PROGBITS, ALLOC|WRITE: data
                (".text.table", 1, 0x2, 40),     // PROGBITS, ALLOC: read-only
                (".comment", 1, 0x0, 999),       // not allocated
            };
            var size = MlfTools.Elf.ElfSectionSizes.Read(new MemoryStream(Elf32BigEndian(sections)))!;
            Assert.Equal((100L, 40L, 30L, 200L), (size.CodeBytes, size.ReadOnlyDataBytes, size.DataBytes, size.ZeroInitBytes));
            Assert.Null(MlfTools.Elf.ElfSectionSizes.Read(new MemoryStream(new byte[] { 1, 2, 3 })));
        }

        private static byte[] Elf32BigEndian((string Name, uint Type, uint Flags, uint Size)[] sections)
        {
            var data = new MemoryStream();
            void U16(int v) { data.WriteByte((byte)(v >> 8)); data.WriteByte((byte)v); }
            void U32(uint v) { U16((int)(v >> 16)); U16((int)(v & 0xFFFF)); }
            int count = sections.Length + 1;
            data.Write(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
            U16(1); U16(8); U32(1); U32(0); U32(0); U32(52); U32(0); U16(52); U16(0); U16(0); U16(40); U16(count); U16(0);
            U32(0); U32(0); U32(0); U32(0); U32(0); U32(0); U32(0); U32(0); U32(0); U32(0); // section 0
            uint offset = (uint)(52 + 40 * count);
            foreach (var s in sections)
            {
                U32(0); U32(s.Type); U32(s.Flags); U32(0); U32(s.Type == 8 ? 0 : offset); U32(s.Size); U32(0); U32(0); U32(1); U32(0);
            }
            foreach (var s in sections.Where(s => s.Type != 8)) data.Write(new byte[s.Size]);
            return data.ToArray();
        }
    }
}
