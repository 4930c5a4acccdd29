using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using MlfTools.Elf;
using MlfTools.Linking;
using Xunit;

namespace MlfTools.Tests.Linking
{
    /// <summary>Hand-written map snippets in GNU ld 2.40's layout, for the cases a real link here does not produce or that must not break the reader.</summary>
    public sealed class LinkMapTests
    {
        private const string ArmMap = @"Archive member included to satisfy reference by file (symbol)

libx.a(lib1.o)                obj/b.o (lib_twice)
/opt/arm/lib/libc_nano.a(lib_a-memcpy.o)
                              obj/a.o (memcpy)

Allocating common symbols
Common symbol       size              file

counter             0x4               obj/a.o

Discarded input sections

 .text.unused   0x00000000        0x8 obj/a.o
 .text.a_very_long_discarded_name
                0x00000000        0x6 libx.a(lib1.o)

Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x08000000         0x00100000         xr
RAM              0x20000000         0x00020000         xrw
*default*        0x00000000         0xffffffff

Linker script and memory map

LOAD obj/a.o
LOAD libx.a
START GROUP
LOAD /opt/arm/lib/libc_nano.a
END GROUP
                0x08000000                        . = ORIGIN (FLASH)

.interp
 *(.interp)

.text           0x08000000       0x40
 *(.text .text.*)
 .text.main     0x08000000       0x10 obj/b.o
                0x08000000                main
 .text.a_function_with_a_long_name
                0x08000010        0x8 obj/a.o
                0x08000010                a_function_with_a_long_name
 *fill*         0x08000018        0x8 
 .text          0x08000020       0x18 /opt/arm/lib/libc_nano.a(lib_a-memcpy.o)
                0x08000020                memcpy
 .glue_7        0x08000038        0x0 linker stubs
 .vfp11_veneer  0x08000038        0x8 linker stubs

.ARM.exidx      0x08000040        0x8
 .ARM.exidx     0x08000040        0x8 /opt/arm/lib/crt0.o
                                 0x10 (size before relaxing)

.data           0x20000000        0x8 load address 0x08000048
 .data.x        0x20000000        0x4 obj/a.o
 *fill*         0x20000004        0x4 ff

.bss            0x20000008      0x3ec
 .bss.big       0x20000008      0x3e8 obj/a.o
 COMMON         0x200003f0        0x4 obj/a.o
                0x200003f0                counter
OUTPUT(fw.elf elf32-littlearm)
LOAD linker stubs
";

        [Fact]
        public void Reads_the_placed_input_sections_with_their_output_section_address_size_and_file()
        {
            var map = LinkMap.Parse(ArmMap);
            Assert.Equal(new[]
            {
                ".text .text.main 0x8000000 16 obj/b.o",
                ".text .text.a_function_with_a_long_name 0x8000010 8 obj/a.o",
                ".text .text 0x8000020 24 /opt/arm/lib/libc_nano.a(lib_a-memcpy.o)",
                ".text .glue_7 0x8000038 0 linker stubs",
                ".text .vfp11_veneer 0x8000038 8 linker stubs",
                ".ARM.exidx .ARM.exidx 0x8000040 8 /opt/arm/lib/crt0.o",
                ".data .data.x 0x20000000 4 obj/a.o",
                ".bss .bss.big 0x20000008 1000 obj/a.o",
                ".bss COMMON 0x200003f0 4 obj/a.o",
            }, map.Inputs.Select(i => i.ToString()));
            Assert.Equal(new[] { ".text", ".ARM.exidx", ".data", ".bss" }, map.OutputSections.Select(o => o.Name));

            var memcpy = map.Inputs[2];
            Assert.Equal(("/opt/arm/lib/libc_nano.a", "lib_a-memcpy.o"), (memcpy.Library, memcpy.Member));
            Assert.True(map.Inputs[4].IsLinkerGenerated);
            Assert.Null(map.Inputs[4].Library);
            Assert.Null(map.Inputs[0].Member);
        }

        [Fact]
        public void Discarded_sections_the_memory_configuration_and_the_common_table_are_not_read_as_placed()
        {
            var map = LinkMap.Parse(ArmMap);
            Assert.DoesNotContain(map.Inputs, i => i.InputSection.Contains("unused") || i.InputSection.Contains("discarded"));
            Assert.DoesNotContain(map.OutputSections, o => o.Name == "FLASH" || o.Name == "counter" || o.Name == "*default*");
        }

        [Fact]
        public void Reads_the_archive_member_table_with_long_members_on_their_own_line()
        {
            var members = LinkMap.Parse(ArmMap).ArchiveMembers;
            Assert.Equal(2, members.Count);
            Assert.Equal(("libx.a(lib1.o)", "libx.a", "lib1.o", "obj/b.o", "lib_twice"),
                (members[0].File, members[0].Library, members[0].Member, members[0].ReferencedBy, members[0].Symbol));
            Assert.Equal(("/opt/arm/lib/libc_nano.a", "lib_a-memcpy.o", "obj/a.o", "memcpy"),
                (members[1].Library, members[1].Member, members[1].ReferencedBy, members[1].Symbol));
        }

        [Fact]
        public void Fill_is_recorded_per_output_section_and_a_load_address_is_kept()
        {
            var map = LinkMap.Parse(ArmMap);
            var text = map.OutputSections.Single(o => o.Name == ".text");
            var data = map.OutputSections.Single(o => o.Name == ".data");
            Assert.Equal((0x08000018UL, 8L), (text.Fills.Single().Address, text.Fills.Single().Size));
            Assert.Equal((0x20000004UL, 4L, ".data"), (data.Fills.Single().Address, data.Fills.Single().Size, data.Fills.Single().OutputSection));
            Assert.Equal(2, map.Fills.Count);
            Assert.Equal((0x20000000UL, 8L, (ulong?)0x08000048UL), (data.Address, data.Size, data.LoadAddress));
            Assert.Null(text.LoadAddress);
            Assert.Equal(5, text.Inputs.Count);
        }

        [Fact]
        public void Crlf_line_ends_read_as_lf()
        {
            var lf = LinkMap.Parse(ArmMap);
            var crlf = LinkMap.Parse(ArmMap.Replace("\r\n", "\n").Replace("\n", "\r\n"));
            Assert.Equal(lf.Inputs.Select(i => i.ToString()), crlf.Inputs.Select(i => i.ToString()));
            Assert.Equal(lf.Fills.Select(f => f.Size), crlf.Fills.Select(f => f.Size));
            Assert.Equal(lf.ArchiveMembers.Select(m => m.Symbol), crlf.ArchiveMembers.Select(m => m.Symbol));
            Assert.Equal(".text.a_function_with_a_long_name", crlf.Inputs[1].InputSection);
            Assert.Equal("obj/b.o", crlf.Inputs[0].File);
        }

        [Fact]
        public void Reads_64_bit_addresses_and_a_wrapped_output_section_with_a_load_address()
        {
            const string map = @"Linker script and memory map

.note.gnu.property
                0x0000000000000338       0x20
 .note.gnu.property
                0x0000000000000338       0x20 /usr/lib/x86_64-linux-gnu/Scrt1.o

.text           0xffffffff80001040      0x170
 .text.startup.main
                0xffffffff80001040       0x53 b.o
                0xffffffff80001040                main
 *fill*         0xffffffff80001093        0xd 
 .text          0xffffffff800010a0       0x22 /usr/lib/x86_64-linux-gnu/Scrt1.o

.data.with_a_long_output_name
                0x0000000100000000       0x10 load address 0x00000000ffff0000
 .data          0x0000000100000000       0x10 dir with space/c.o
";
            var parsed = LinkMap.Parse(map);
            Assert.Equal(new[] { ".note.gnu.property", ".text", ".data.with_a_long_output_name" }, parsed.OutputSections.Select(o => o.Name));
            Assert.Equal(0xffffffff80001040UL, parsed.Inputs.Single(i => i.InputSection == ".text.startup.main").Address);
            Assert.Equal(0xdL, parsed.Fills.Single().Size);
            var data = parsed.OutputSections[2];
            Assert.Equal((0x100000000UL, 16L, (ulong?)0xffff0000UL), (data.Address, data.Size, data.LoadAddress));
            Assert.Equal("dir with space/c.o", data.Inputs.Single().File);
            Assert.Equal(".note.gnu.property", parsed.Inputs[0].InputSection);
        }

        [Theory]
        [InlineData("")]
        [InlineData("\n\n\r\n")]
        [InlineData("garbage\n")]
        [InlineData(" .text 0x0 0x10 \n")] // an input outside an output section
        [InlineData(".text 0xZZ 0x10\n .text 0x0 0x10 a.o\n")]
        [InlineData(".text 0x0 0x10000000000000000\n .text 0x0 0x10 a.o\n")] // 17 digits
        [InlineData(".text 0x0 0x8000000000000000\n .text 0x0 0x10 a.o\n")] // a size over long.MaxValue
        [InlineData(".text 0x0\n .text 0x0 0x10 a.o\n")]
        [InlineData(".text 0x0 0x10\n .text 0x0 0x10\n .text.x\n 0x0\n 0x0 0x4\n *fill*\n *fill* 0x1\n [!provide] 0x0 0x4 a.o\n")]
        [InlineData("Archive member included to satisfy reference by file (symbol)\n\nlib.a(x.o)\nlib.a(y.o) b.o\nlib.a(z.o) b.o (\n  (sym)\n")]
        [InlineData("Linker script and memory map\n\0\u00ff\ud800 0x 0x\n\t\t\n")]
        public void Malformed_lines_are_skipped(string text)
        {
            var map = LinkMap.Parse(text);
            Assert.Empty(map.Inputs);
            Assert.Empty(map.Fills);
            Assert.Empty(map.ArchiveMembers);
        }

        [Fact]
        public void Garbage_between_good_lines_leaves_the_good_ones()
        {
            string text = ".text 0x100 0x20\n  what is this\n .text.a 0x100 0x10 a.o\n  0xnope\n ))))((((\n .text.b\n                junk\n .text.c 0x110 0x10 c.o\n";
            var map = LinkMap.Parse(text);
            Assert.Equal(new[] { ".text.a", ".text.c" }, map.Inputs.Select(i => i.InputSection));
            Assert.All(map.Inputs, i => Assert.Equal(".text", i.OutputSection));

            // A line at column 0 that is no output section (LOAD, OUTPUT(...), garbage) ends the one before.
            Assert.Empty(LinkMap.Parse(".text 0x100 0x20\nOUTPUT(fw.elf elf32-littlearm)\n .text.a 0x100 0x10 a.o\n").Inputs);
        }

        [Fact]
        public void A_null_map_is_empty()
        {
            Assert.Empty(LinkMap.Parse(null!).Inputs);
        }

        [Fact]
        public void Hostile_maps_are_read_in_linear_time()
        {
            var builder = new StringBuilder(".text 0x0 0x10\n");
            for (int i = 0; i < 200_000; i++) builder.Append(" .text.pending_name_with_no_address\n");
            builder.Append(' ').Append('(', 2_000_000).Append(" 0x0 0x4 ").Append('(', 2_000_000).Append(")\n");
            builder.Append(" .text.x 0x0 0x4 lib.a").Append('(', 1_000_000).Append("m.o)\n");
            builder.Append(" ").Append(string.Join(" ", Enumerable.Repeat("0x1", 500_000))).Append('\n');
            builder.Append("Archive member included to satisfy reference by file (symbol)\n");
            for (int i = 0; i < 100_000; i++) builder.Append("lib.a(m.o)\n");
            builder.Append("lib.a(m.o) ").Append(' ', 1_000_000).Append("(x)\n");
            string text = builder.ToString();
            var watch = Stopwatch.StartNew();
            var map = LinkMap.Parse(text);
            watch.Stop();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{text.Length} characters took {watch.Elapsed}");
            Assert.Equal(2, map.Inputs.Count);
            Assert.Equal(("lib.a" + new string('(', 999_999), "m.o"), (map.Inputs[1].Library, map.Inputs[1].Member));
        }

        [Fact]
        public void Attribution_counts_merged_and_overlapping_inputs_once_and_gives_fill_stubs_and_unowned_inputs_to_the_rest()
        {
            const string map = @"Linker script and memory map

.text           0x00001000       0x30
 .text.a        0x00001000       0x10 a.o
 *fill*         0x00001010        0x4 
 .glue_7        0x00001014        0x4 linker stubs
 .text.b        0x00001018       0x10 lib.a(b.o)
 .text.c        0x00001028        0x8 crt0.o

.rodata         0x00002000       0x10
 .rodata.str1.1 0x00002000        0xc a.o
 .rodata.str1.1 0x00002008        0xc lib.a(b.o)
 .rodata.str1.1 0x00002010        0x6 c.o

.data           0x20000000        0x8 load address 0x00002010
 .data.a        0x20000000        0x8 a.o

.bss            0x20000008       0x10
 .bss.a         0x20000008       0x10 a.o

.comment        0x00000000       0x26
 .comment       0x00000000       0x26 a.o
";
            var image = new LinkedImage(new[]
            {
                new LinkedSection(".text", 0x30, ElfConstants.SHF_ALLOC | ElfConstants.SHF_EXECINSTR, 1),
                new LinkedSection(".rodata", 0x10, ElfConstants.SHF_ALLOC, 1),
                new LinkedSection(".data", 0x8, ElfConstants.SHF_ALLOC | ElfConstants.SHF_WRITE, 1),
                new LinkedSection(".bss", 0x10, ElfConstants.SHF_ALLOC | ElfConstants.SHF_WRITE, ElfConstants.SHT_NOBITS),
                new LinkedSection(".comment", 0x26, 0x30, 1),
            });
            Assert.Equal((0x30L, 0x10L, 0x8L, 0x10L), (image.Totals.CodeBytes, image.Totals.ReadOnlyDataBytes, image.Totals.DataBytes, image.Totals.ZeroInitBytes));
            Assert.Equal(0x48L, image.FlashBytes);
            Assert.Equal(0x18L, image.RamBytes);
            Assert.Equal(ElfSectionClass.NotAllocated, image.ClassOf(".comment"));

            var attribution = LinkAttribution.Compute(LinkMap.Parse(map), image, i => i.File == "crt0.o" ? null : i.Member ?? i.File);
            Assert.Equal(new[] { "a.o: code 16, read-only 12, data 8, zero-init 16", "b.o: code 16, read-only 4, data 0, zero-init 0" },
                attribution.Parts.Select(p => p.ToString()));
            // fill 4 + stubs 4 + crt0.o 8 (no part); c.o's strings lie past the end of .rodata.
            Assert.Equal("code 16, read-only 0, data 0, zero-init 0", attribution.Rest.ToString());
            Assert.Equal(image.Totals.ToString(), attribution.Total.ToString());
        }
    }
}
