using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.Elf;
using MlfTools.Linking;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Linking
{
    /// <summary>
    /// Real links: small C programs linked with <c>-Wl,--gc-sections -Wl,-Map=fw.map</c> by arm-none-eabi-gcc (a
    /// Cortex-M4 firmware on newlib-nano) and by the host gcc; the map read with <see cref="LinkMap"/>, the ELF with
    /// <see cref="LinkedImage"/>, the bytes attributed per object with <see cref="LinkAttribution"/>. The oracles are
    /// binutils: size -A for the section sizes, readelf -S for the flags and types, nm -S for the objects' symbols.
    /// </summary>
    public sealed class LinkAttributionTests : IDisposable
    {
        private const string LongName = "a_function_with_a_really_long_name_to_force_the_map_line_to_wrap_around";

        private const string SourceA = @"#include <string.h>
static char big[1000];
int counter;
int unused_function(int x) { return x * 3 + 1; }
void " + LongName + @"(char *d, const char *s, int n) { memcpy(d, s, n); big[n] = 1; }
int a_get(int i) { return big[i]; }
";

        private const string SourceB = @"const int table[4] = {1, 2, 3, 4};
int initialised = 42;
int lib_twice(int x);
extern int counter;
void " + LongName + @"(char *d, const char *s, int n);
int a_get(int i);
int main(void) { char buf[16]; " + LongName + @"(buf, ""hello"", 5); counter++; return lib_twice(table[counter & 3]) + initialised + a_get(2) + buf[1]; }
";

        private const string SourceLib = @"int lib_twice(int x) { return 2 * x; }
int lib_never(int x) { return 5 * x; }
";

        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private sealed class Linked
        {
            public string Folder = "";
            public string Elf = "";
            public string MapText = "";
            public LinkMap Map = null!;
            public LinkedImage Image = null!;
            public LinkAttribution Attribution = null!;
        }

        private static readonly string[] ArmFlags = { "-mcpu=cortex-m4", "-mthumb", "-Os", "-ffunction-sections", "-fdata-sections", "-fcommon" };
        private static readonly string[] HostFlags = { "-Os", "-ffunction-sections", "-fdata-sections", "-fcommon" };

        private Linked Link(string compiler, string archiver, string[] flags, string[] linkFlags)
        {
            string folder = _temp.File("link-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "a.c"), SourceA);
            File.WriteAllText(Path.Combine(folder, "b.c"), SourceB);
            File.WriteAllText(Path.Combine(folder, "lib1.c"), SourceLib);
            var objects = CBuild.Compile(compiler, Path.Combine(folder, "obj"), flags, new[] { Path.Combine(folder, "a.c"), Path.Combine(folder, "b.c") });
            var libObject = CBuild.Compile(compiler, Path.Combine(folder, "libobj"), flags, new[] { Path.Combine(folder, "lib1.c") }).Single();
            string member = Path.Combine(folder, "libobj", "lib1.o");
            File.Move(libObject, member);
            ExternalTool.Run(archiver, folder, "rcs", "libx.a", member);
            var arguments = flags.Concat(linkFlags).Concat(new[] { "-Wl,--gc-sections", "-Wl,-Map=fw.map", "-o", "fw.elf" })
                .Concat(objects.Select(o => Path.GetRelativePath(folder, o))).Concat(new[] { "libx.a" });
            ExternalTool.Run(compiler, folder, arguments.ToArray());

            var linked = new Linked { Folder = folder, Elf = Path.Combine(folder, "fw.elf"), MapText = File.ReadAllText(Path.Combine(folder, "fw.map")) };
            linked.Map = LinkMap.Parse(linked.MapText);
            using (var stream = File.OpenRead(linked.Elf)) linked.Image = LinkedImage.Read(stream)!;
            linked.Attribution = LinkAttribution.Compute(linked.Map, linked.Image, PartOf);
            return linked;
        }

        /// <summary>A library member by its member name, any other file by its file name.</summary>
        private static string PartOf(LinkedInput input) => input.Member ?? Path.GetFileName(input.File);

        private Linked LinkArm() => Link(CortexM4Firmware.Compiler, CortexM4Firmware.Archiver, ArmFlags, new[] { "--specs=nano.specs", "--specs=nosys.specs" });

        private Linked LinkHost() => Link("gcc", "ar", HostFlags, Array.Empty<string>());

        [ToolFact("arm-none-eabi-gcc", "arm-none-eabi-ar", "arm-none-eabi-size", "arm-none-eabi-nm", "readelf")]
        public void Cortex_m4_firmware_every_kept_byte_is_attributed_and_each_object_has_its_symbols_sizes()
        {
            var linked = LinkArm();
            AssertImageMatchesBinutils(linked, "arm-none-eabi-size");
            AssertEveryByteAccounted(linked);
            AssertObjectsHaveTheirSymbolsSizes(linked, "arm-none-eabi-nm", withReadOnlyData: true);
            AssertLibraryMember(linked, "arm-none-eabi-nm", withReadOnlyData: true);
            AssertDiscardedSectionsAreNotCounted(linked, "arm-none-eabi-nm");

            // memcpy is newlib-nano's member, pulled in by a.o.
            var memcpy = linked.Map.Inputs.Single(i => i.Member == "lib_a-memcpy.o" && i.OutputSection == ".text");
            Assert.EndsWith("libc_nano.a", memcpy.Library);
            Assert.Equal(memcpy.Size, linked.Attribution.Find("lib_a-memcpy.o")!.CodeBytes);
            Assert.Contains(linked.Map.ArchiveMembers, m => m.Member == "lib_a-memcpy.o" && m.Library!.EndsWith("libc_nano.a") && m.ReferencedBy == "obj/000-a.o" && m.Symbol == "memcpy");

            // The linker's own sections, in no file.
            Assert.Contains(linked.Map.Inputs, i => i.InputSection == ".glue_7" && i.IsLinkerGenerated && i.Library == null);
            Assert.Contains(linked.Map.Inputs, i => i.InputSection == ".vfp11_veneer" && i.IsLinkerGenerated);
            Assert.Contains(linked.Map.Inputs, i => i.OutputSection == ".ARM.exidx" && i.InputSection == ".ARM.exidx");
            Assert.Single(linked.Map.OutputSections, o => o.Name == ".text");
        }

        [ToolFact("gcc", "ar", "size", "nm", "readelf")]
        public void Host_executable_every_kept_byte_is_attributed_and_each_object_has_its_symbols_sizes()
        {
            var linked = LinkHost();
            Assert.Contains(linked.Map.OutputSections, o => o.Address > 0 && o.Name == ".text");
            AssertImageMatchesBinutils(linked, "size");
            AssertEveryByteAccounted(linked);
            AssertObjectsHaveTheirSymbolsSizes(linked, "nm", withReadOnlyData: false);
            AssertLibraryMember(linked, "nm", withReadOnlyData: false);
            AssertDiscardedSectionsAreNotCounted(linked, "nm");
        }

        [ToolFact("arm-none-eabi-gcc", "arm-none-eabi-ar")]
        public void A_big_endian_copy_of_the_firmware_has_the_same_sections()
        {
            var linked = LinkArm();
            var big = LinkedImage.Read(new MemoryStream(ElfByteSwap.ToBigEndian(File.ReadAllBytes(linked.Elf))))!;
            Assert.Equal(linked.Image.Sections.Select(s => s.ToString()), big.Sections.Select(s => s.ToString()));
            Assert.Equal(linked.Image.Totals.ToString(), big.Totals.ToString());
        }

        [ToolFact("gcc")]
        public void An_object_is_not_a_linked_image()
        {
            string folder = _temp.File("obj");
            File.WriteAllText(_temp.File("a.c"), SourceA);
            string obj = CBuild.Compile("gcc", folder, new[] { "-Os" }, new[] { _temp.File("a.c") }).Single();
            using var stream = File.OpenRead(obj);
            Assert.Null(LinkedImage.Read(stream));
            Assert.Null(LinkedImage.Read(new MemoryStream(new byte[] { 1, 2, 3 })));
        }

        /// <summary>The image's allocated sections are those readelf -S flags A, with size -A's sizes; their classes follow readelf's flags and type.</summary>
        private static void AssertImageMatchesBinutils(Linked linked, string sizeTool)
        {
            var sizeA = SizeA.Sections(sizeTool, linked.Elf);
            var readelf = ReadelfSections(linked.Elf);
            var allocated = readelf.Where(s => s.Flags.Contains('A')).ToList();
            Assert.Equal(allocated.Select(s => s.Name), linked.Image.Sections.Select(s => s.Name));
            long code = 0, readOnly = 0, data = 0, zero = 0;
            foreach (var section in linked.Image.Sections)
            {
                var header = allocated.Single(s => s.Name == section.Name);
                Assert.Equal(sizeA.Single(s => s.Name == section.Name).Size, section.Size);
                Assert.Equal(header.Size, section.Size);
                var expected = header.Flags.Contains('X') ? ElfSectionClass.Code
                    : header.Type == "NOBITS" ? ElfSectionClass.ZeroInit
                    : header.Flags.Contains('W') ? ElfSectionClass.Data
                    : ElfSectionClass.ReadOnlyData;
                Assert.Equal(expected, section.Class);
                switch (expected)
                {
                    case ElfSectionClass.Code: code += section.Size; break;
                    case ElfSectionClass.ReadOnlyData: readOnly += section.Size; break;
                    case ElfSectionClass.Data: data += section.Size; break;
                    default: zero += section.Size; break;
                }
            }
            var totals = linked.Image.Totals;
            Assert.Equal((code, readOnly, data, zero), (totals.CodeBytes, totals.ReadOnlyDataBytes, totals.DataBytes, totals.ZeroInitBytes));
            Assert.Equal(code + readOnly + data, linked.Image.FlashBytes);
            Assert.Equal(data + zero, linked.Image.RamBytes);
            Assert.True(code > 0 && zero >= 1004 && data > 0, totals.ToString());
        }

        /// <summary>Parts plus rest are the image's totals, and the rest is exactly the fill and the linker stubs of allocated sections.</summary>
        private static void AssertEveryByteAccounted(Linked linked)
        {
            var a = linked.Attribution;
            var totals = linked.Image.Totals;
            Assert.Equal(totals.CodeBytes, a.Parts.Sum(p => p.CodeBytes) + a.Rest.CodeBytes);
            Assert.Equal(totals.ReadOnlyDataBytes, a.Parts.Sum(p => p.ReadOnlyDataBytes) + a.Rest.ReadOnlyDataBytes);
            Assert.Equal(totals.DataBytes, a.Parts.Sum(p => p.DataBytes) + a.Rest.DataBytes);
            Assert.Equal(totals.ZeroInitBytes, a.Parts.Sum(p => p.ZeroInitBytes) + a.Rest.ZeroInitBytes);

            var expectedRest = new long[5];
            foreach (var output in linked.Map.OutputSections)
            {
                var kind = linked.Image.ClassOf(output.Name);
                expectedRest[(int)kind] += output.Fills.Sum(f => f.Size) + output.Inputs.Where(i => i.IsLinkerGenerated).Sum(i => i.Size);
            }
            Assert.Equal(
                (expectedRest[(int)ElfSectionClass.Code], expectedRest[(int)ElfSectionClass.ReadOnlyData], expectedRest[(int)ElfSectionClass.Data], expectedRest[(int)ElfSectionClass.ZeroInit]),
                (a.Rest.CodeBytes, a.Rest.ReadOnlyDataBytes, a.Rest.DataBytes, a.Rest.ZeroInitBytes));

            // Every allocated output section of the image is in the map, with the image's size.
            foreach (var section in linked.Image.Sections)
            {
                Assert.Equal(section.Size, linked.Map.OutputSections.Single(o => o.Name == section.Name).Size);
            }
        }

        /// <summary>a.o: the 1000-byte static array and the COMMON int are its zero-init, its two kept functions its code; b.o: main, table, initialised.</summary>
        private static void AssertObjectsHaveTheirSymbolsSizes(Linked linked, string nm, bool withReadOnlyData)
        {
            var symbols = NmSizes(nm, linked.Elf);
            var a = linked.Attribution.Find("000-a.o")!;
            Assert.Equal(symbols["big"] + symbols["counter"], a.ZeroInitBytes);
            Assert.Equal(1004, a.ZeroInitBytes);
            Assert.Equal(symbols[LongName] + symbols["a_get"], a.CodeBytes);
            Assert.Equal(0, a.DataBytes);
            if (withReadOnlyData) Assert.Equal(0, a.ReadOnlyDataBytes);

            var b = linked.Attribution.Find("001-b.o")!;
            Assert.Equal(symbols["main"], b.CodeBytes);
            Assert.Equal(symbols["initialised"], b.DataBytes);
            Assert.Equal(0, b.ZeroInitBytes);
            // table and "hello" (the string literal has no symbol).
            if (withReadOnlyData) Assert.Equal(symbols["table"] + 6, b.ReadOnlyDataBytes);

            var common = linked.Map.Inputs.Single(i => i.InputSection == "COMMON" && i.File.EndsWith("a.o"));
            Assert.Equal(".bss", common.OutputSection);
            Assert.Equal(symbols["counter"], common.Size);
            Assert.Equal(1000, linked.Map.Inputs.Single(i => i.InputSection == ".bss.big").Size);

            // The long name stands alone on its line in the map; its address, size and file are read from the next.
            Assert.Contains("\n .text." + LongName + "\n", linked.MapText.Replace("\r\n", "\n"));
            var wrapped = linked.Map.Inputs.Single(i => i.InputSection == ".text." + LongName);
            Assert.Equal(("obj/000-a.o", ".text", symbols[LongName]), (wrapped.File, wrapped.OutputSection, wrapped.Size));
            Assert.Null(wrapped.Member);
        }

        private static void AssertLibraryMember(Linked linked, string nm, bool withReadOnlyData)
        {
            var symbols = NmSizes(nm, linked.Elf);
            var input = linked.Map.Inputs.Single(i => i.InputSection == ".text.lib_twice");
            Assert.Equal(("libx.a(lib1.o)", "libx.a", "lib1.o"), (input.File, input.Library, input.Member));
            var part = linked.Attribution.Find("lib1.o")!;
            Assert.Equal(symbols["lib_twice"], part.CodeBytes);
            Assert.Equal(0, part.DataBytes + part.ZeroInitBytes);
            if (withReadOnlyData) Assert.Equal(0, part.ReadOnlyDataBytes);
            Assert.Null(linked.Attribution.Find("libx.a(lib1.o)"));
            Assert.Contains(linked.Map.ArchiveMembers, m => m.File == "libx.a(lib1.o)" && m.Member == "lib1.o" && m.ReferencedBy == "obj/001-b.o" && m.Symbol == "lib_twice");
        }

        private static void AssertDiscardedSectionsAreNotCounted(Linked linked, string nm)
        {
            // The map lists them as discarded, the image has not got them, and neither does the parsed map.
            Assert.Contains(".text.unused_function", linked.MapText);
            Assert.Contains(".text.lib_never", linked.MapText);
            var symbols = NmSizes(nm, linked.Elf);
            Assert.False(symbols.ContainsKey("unused_function"));
            Assert.False(symbols.ContainsKey("lib_never"));
            Assert.DoesNotContain(linked.Map.Inputs, i => i.InputSection == ".text.unused_function" || i.InputSection == ".text.lib_never");
        }

        /// <summary>nm -S: each sized symbol's size (the last, should a name repeat).</summary>
        private static Dictionary<string, long> NmSizes(string nm, string elf)
        {
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string line in ExternalTool.Run(nm, Path.GetDirectoryName(elf)!, "-S", elf).Split('\n'))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 4) sizes[parts[3]] = Convert.ToInt64(parts[1], 16);
            }
            return sizes;
        }

        /// <summary>readelf -S -W: name, type, size and flag letters of each section header but the null one.</summary>
        private static List<(string Name, string Type, long Size, string Flags)> ReadelfSections(string elf)
        {
            var sections = new List<(string, string, long, string)>();
            foreach (string line in ExternalTool.Run("readelf", Path.GetDirectoryName(elf)!, "-S", "-W", elf).Split('\n'))
            {
                int close = line.IndexOf(']');
                if (!line.TrimStart().StartsWith("[") || close < 0) continue;
                var parts = line.Substring(close + 1).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 9 || parts[1] == "Type" || parts[0] == "NULL") continue;
                // Name Type Address Off Size ES [Flg] Lk Inf Al
                string flags = parts.Length >= 10 ? parts[6] : string.Empty;
                sections.Add((parts[0], parts[1], Convert.ToInt64(parts[4], 16), flags));
            }
            return sections;
        }
    }
}
