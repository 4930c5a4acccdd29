using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using MlfTools.Linking;
using MlfTools.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace MlfTools.Tests.Linking
{
    /// <summary>
    /// The deepest stack from gcc's <c>-fcallgraph-info=su</c> graphs: hand-written graphs for each rule, and a
    /// Cortex-M4 firmware whose measured high-water mark under QEMU the estimate must cover, closely.
    /// </summary>
    public class StackDepthTests
    {
        private readonly ITestOutputHelper _output;

        public StackDepthTests(ITestOutputHelper output) => _output = output;

        private static string Node(string title, int bytes, string kind = "static", string file = "cg.c") =>
            $"node: {{ title: \"{title}\" label: \"{title}\\n{file}:1:5\\n{bytes} bytes ({kind})\" }}\n";

        private static string External(string title) => $"node: {{ title: \"{title}\" label: \"{title}\\ncg.c:1:5\" shape : ellipse }}\n";

        private static string Edge(string from, string to) => $"edge: {{ sourcename: \"{from}\" targetname: \"{to}\" label: \"cg.c:2:3\" }}\n";

        private const string Indirect = "node: { title: \"__indirect_call\" label: \"Indirect Call Placeholder\" shape : ellipse }\n";

        private static string Graph(string title, params string[] lines) => $"graph: {{ title: \"{title}\"\n" + string.Concat(lines) + "}\n";

        [Fact]
        public void StackDepth_the_example_of_gcc_12_takes_the_indirect_call_to_the_function_nobody_calls()
        {
            const string text = "graph: { title: \"cg.c\"\n" +
                "node: { title: \"g\" label: \"g\\ncg.c:1:5\\n40 bytes (static)\" }\n" +
                "node: { title: \"f\" label: \"f\\ncg.c:3:5\\n48 bytes (static)\" }\n" +
                "node: { title: \"__indirect_call\" label: \"Indirect Call Placeholder\" shape : ellipse }\n" +
                "edge: { sourcename: \"f\" targetname: \"__indirect_call\" label: \"cg.c:3:26\" }\n" +
                "node: { title: \"main\" label: \"main\\ncg.c:4:5\\n0 bytes (static)\" }\n" +
                "edge: { sourcename: \"main\" targetname: \"f\" label: \"cg.c:4:23\" }\n" +
                "}\n";

            var estimate = StackDepth.Deepest(new[] { text }, "main");

            Assert.Equal(88, estimate.Bytes);
            Assert.Equal(new[] { "main", "f", "g" }, estimate.Path);
            Assert.Equal(new[] { "f" }, estimate.IndirectCallers);
            Assert.Equal(new[] { "g" }, estimate.IndirectTargets);
            Assert.False(estimate.IsLowerBound);
        }

        [Fact]
        public void StackDepth_a_direct_chain_across_files_sums_the_deepest_path()
        {
            string a = Graph("a.c", Node("main", 16, file: "a.c"), External("left"), External("right"), Edge("main", "left"), Edge("main", "right"));
            string b = Graph("b.c", Node("left", 100, file: "b.c"), Node("right", 40, file: "b.c"), Node("leaf", 24, file: "b.c"),
                Edge("right", "leaf"), Edge("left", "leaf"));

            var estimate = StackDepth.Deepest(new[] { a, b }, "main");

            Assert.Equal(16 + 100 + 24, estimate.Bytes);
            Assert.Equal(new[] { "main", "left", "leaf" }, estimate.Path);
            Assert.False(estimate.IsLowerBound);
            Assert.Empty(estimate.WithoutFigures);
            Assert.Empty(estimate.IndirectTargets);
        }

        [Fact]
        public void StackDepth_indirect_candidates_are_kept_functions_nobody_calls_by_name()
        {
            string text = Graph("m.c", Node("main", 8), Node("run", 32), Indirect, Edge("main", "run"), Edge("run", "__indirect_call"),
                Node("kernel_small", 100), Node("kernel_big", 500), Node("kernel_dropped", 9000), Node("helper", 700), Edge("kernel_small", "helper"),
                Edge("main", "helper"));

            var all = StackDepth.Deepest(new[] { text }, "main");
            Assert.Equal(8 + 32 + 9000, all.Bytes);

            // helper is called by name, so it is no candidate on its own; reached through kernel_small it counts.
            var kept = StackDepth.Deepest(new[] { text }, "main", name => name != "kernel_dropped");
            Assert.Equal(8 + 32 + 100 + 700, kept.Bytes);
            Assert.Equal(new[] { "main", "run", "kernel_small", "helper" }, kept.Path);
            Assert.Equal(new[] { "kernel_big", "kernel_small" }, kept.IndirectTargets);
            Assert.Equal(new[] { "run" }, kept.IndirectCallers);
            Assert.False(kept.IsLowerBound);

            // An indirect call with nothing to reach is a lower bound.
            var none = StackDepth.Deepest(new[] { text }, "main", name => !name.StartsWith("kernel", StringComparison.Ordinal));
            Assert.Equal(8 + 700, none.Bytes);
            Assert.Empty(none.IndirectTargets);
            Assert.True(none.IsLowerBound);
        }

        [Fact]
        public void StackDepth_recursion_is_counted_once_and_makes_a_lower_bound()
        {
            string text = Graph("r.c", Node("main", 8), Node("a", 20), Node("b", 30), Node("self", 50), Node("other", 10),
                Edge("main", "a"), Edge("a", "b"), Edge("b", "a"), Edge("main", "self"), Edge("self", "self"), Edge("main", "other"));

            var estimate = StackDepth.Deepest(new[] { text }, "main");

            Assert.Equal(8 + 50, estimate.Bytes);
            Assert.Equal(new[] { "a", "b", "self" }, estimate.Recursive);
            Assert.False(estimate.RecursionThroughIndirectCalls);
            Assert.True(estimate.IsLowerBound);
        }

        [Fact]
        public void StackDepth_a_candidate_that_calls_through_a_pointer_is_recursion_through_indirect_calls()
        {
            string text = Graph("r.c", Node("main", 8), Indirect, Edge("main", "__indirect_call"), Node("dispatch", 40), Edge("dispatch", "__indirect_call"));

            var estimate = StackDepth.Deepest(new[] { text }, "main");

            Assert.Equal(48, estimate.Bytes);
            Assert.True(estimate.RecursionThroughIndirectCalls);
            Assert.Equal(new[] { "dispatch" }, estimate.Recursive);
            Assert.True(estimate.IsLowerBound);
        }

        [Fact]
        public void StackDepth_external_functions_and_unbounded_frames_make_a_lower_bound()
        {
            string text = Graph("e.c", Node("main", 8), "node: { title: \"memset\" label: \"__builtin_memset\\n<built-in>\" shape : ellipse }\n",
                External("expf"), Node("vla", 16, "dynamic"), Node("bounded", 64, "dynamic,bounded"),
                Edge("main", "memset"), Edge("main", "vla"), Edge("vla", "expf"), Edge("main", "bounded"));

            var estimate = StackDepth.Deepest(new[] { text }, "main");

            Assert.Equal(8 + 64, estimate.Bytes);
            Assert.Equal(new[] { "expf", "memset" }, estimate.WithoutFigures);
            Assert.Equal(new[] { "vla" }, estimate.UnboundedFrames);
            Assert.True(estimate.IsLowerBound);

            string bounded = Graph("e.c", Node("main", 8), Node("bounded", 64, "dynamic,bounded"), Edge("main", "bounded"));
            Assert.False(StackDepth.Deepest(new[] { bounded }, "main").IsLowerBound);
        }

        [Fact]
        public void StackDepth_one_title_in_two_files_takes_the_larger_frame_and_the_calls_of_both()
        {
            // gcc titles a static function "<source>:<name>"; two sources compiled under one name give one title.
            string first = Graph("lib.c", Node("main", 8, file: "lib.c"), Edge("main", "lib.c:helper"), Node("lib.c:helper", 40, file: "lib.c"));
            string second = Graph("lib.c", Node("lib.c:helper", 200, file: "lib.c"), Node("deep", 1000, file: "lib.c"), Edge("lib.c:helper", "deep"));

            var estimate = StackDepth.Deepest(new[] { first, second }, "main");

            Assert.Equal(8 + 200 + 1000, estimate.Bytes);
            Assert.Equal(new[] { "main", "lib.c:helper", "deep" }, estimate.Path);

            // isKept sees a static function's symbol, without the source's name.
            string statics = Graph("k.c", Node("main", 8, file: "k.c"), Indirect, Edge("main", "__indirect_call"), Node("k.c:table_entry", 32, file: "k.c"));
            var asked = new List<string>();
            var kept = StackDepth.Deepest(new[] { statics }, "main", name => { asked.Add(name); return true; });
            Assert.Equal(40, kept.Bytes);
            Assert.Equal(new[] { "table_entry" }, asked);
        }

        [Fact]
        public void StackDepth_an_unknown_entry_has_no_figure()
        {
            string text = Graph("a.c", Node("main", 8), External("ext"), Edge("main", "ext"));

            Assert.Null(StackDepth.Deepest(new[] { text }, "start").Bytes);
            var external = StackDepth.Deepest(new[] { text }, "ext");
            Assert.Null(external.Bytes);
            Assert.True(external.IsLowerBound);
        }

        [Theory]
        [InlineData("")]
        [InlineData("not a graph at all")]
        [InlineData("graph: { title: \"x\"\nnode: { title: \"main\" label: \"main\\nx.c:1:1\\n8 bytes (static)")]
        [InlineData("graph: { title: \"x\"\nnode: { title: \"main\" label: \"main\\nx.c:1:1\\n8 bytes (static)\" node: { title: \"f\" }")]
        [InlineData("graph: { title: \"x\"\nnode: { title: \"main\" label: \"unterminated")]
        [InlineData("}}}}{{{{ : : : \" \\")]
        [InlineData("node: { title: \"main\" label: \"main\\nx.c:1:1\\nlots bytes (static)\" }")]
        [InlineData("node: { title: \"main\" label: \"main\\nx.c:1:1\\n-8 bytes (static)\" }")]
        public void StackDepth_garbage_is_skipped(string garbage)
        {
            string good = Graph("g.c", Node("g", 24), Edge("main", "g"));

            var estimate = StackDepth.Deepest(new[] { garbage, good }, "main");

            // main never gets a figure from the garbage: the entry is unknown, nothing throws.
            Assert.Null(estimate.Bytes);
            var alone = StackDepth.Deepest(new[] { garbage }, "main");
            Assert.Null(alone.Bytes);
        }

        [Fact]
        public void StackDepth_a_good_block_after_a_broken_one_is_read()
        {
            string text = "graph: { title: \"x\"\nnode: { title: \"broken\" label: \"broken\\n1 bytes (static)\" \n" +
                Node("main", 8) + Node("f", 16) + "edge: { sourcename: \"main\" }\n" + Edge("main", "f") + "}\n";

            var estimate = StackDepth.Deepest(new[] { text }, "main");

            Assert.Equal(24, estimate.Bytes);
            Assert.DoesNotContain("broken", estimate.Path);
        }

        [Fact]
        public void StackDepth_a_deep_and_wide_hostile_graph_takes_linear_time_and_no_recursion()
        {
            // A chain of 100000 calls (a recursive search would overflow the stack), each node also calling the
            // first (a cycle per node, which a search that walks the cycle each time would take quadratic time for).
            const int n = 100_000;
            var text = new StringBuilder("graph: { title: \"h.c\"\n");
            for (int i = 0; i < n; i++)
            {
                text.Append(Node("f" + i, 4));
                if (i + 1 < n) text.Append(Edge("f" + i, "f" + (i + 1)));
                text.Append(Edge("f" + i, "f0"));
            }
            text.Append("}\n");
            var watch = Stopwatch.StartNew();

            var estimate = StackDepth.Deepest(new[] { text.ToString() }, "f0");

            Assert.Equal(4L * n, estimate.Bytes);
            Assert.Equal(n, estimate.Path.Count);
            Assert.Equal(n, estimate.Recursive.Count);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        }

        [Fact]
        public void StackDepth_frames_that_overflow_saturate()
        {
            string text = Graph("o.c", "node: { title: \"main\" label: \"main\\no.c:1:1\\n99999999999999999999999 bytes (static)\" }\n",
                Node("f", 16), Edge("main", "f"));

            Assert.Equal(long.MaxValue, StackDepth.Deepest(new[] { text }, "main").Bytes);
        }

        [Fact]
        public void StackDepth_reads_the_call_graphs_of_a_folder()
        {
            using var temp = new TempFolder();
            File.WriteAllText(temp.File("b.ci"), Graph("b.c", Node("f", 16, file: "b.c")));
            File.WriteAllText(temp.File("a.ci"), Graph("a.c", Node("main", 8, file: "a.c"), External("f"), Edge("main", "f")));
            File.WriteAllText(temp.File("a.o"), "not a graph");

            var texts = StackDepth.ReadCallGraphs(temp.Path);

            Assert.Equal(2, texts.Count);
            Assert.Equal(24, StackDepth.Deepest(texts, "main").Bytes);
        }

        /// <summary>
        /// The firmware: main paints the stack below its caller's frames, runs a chain of calls with known local arrays
        /// (level1, level2, leaf: 100 + 300 + 200 bytes) and a call through a pointer (by_pointer, 600 bytes, then leaf),
        /// deeper, each function writing every byte of its array, then prints how far down the paint was overwritten
        /// (from the top of the stack, so the startup's frame counts). unused_big is address-free, uncalled and dropped
        /// by --gc-sections: only the linked symbols keep it from the indirect call's candidates.
        /// </summary>
        private const string Program = @"
#include <stdint.h>
#include <stdio.h>

extern uint32_t __stack_top__;

#define PAINT 0xDEADBEEFu
#define PAINTED_WORDS 4096u
static uint32_t* painted_limit;

/* Paints PAINTED_WORDS words below the current stack pointer (nothing runs below it: no interrupts here). */
__attribute__((noinline)) static void paint_stack(void) {
  uint32_t* sp;
  __asm__ volatile(""mov %0, sp"" : ""=r""(sp));
  painted_limit = sp - PAINTED_WORDS;
  for (volatile uint32_t* p = sp - 1; p >= painted_limit; p--) *p = PAINT;
}

/* Bytes from the top of the stack to the deepest word no longer painted; 0 when the paint ran out. */
__attribute__((noinline)) static uint32_t stack_high_water(void) {
  const volatile uint32_t* p = painted_limit;
  if (*p != PAINT) return 0;
  while (*p == PAINT) p++;
  return (uint32_t)((uintptr_t)&__stack_top__ - (uintptr_t)p);
}

#define TOUCH(buf) for (int i = 0; i < (int)sizeof(buf); i++) (buf)[i] = (char)(i + seed)

__attribute__((noinline)) int leaf(int seed) { volatile char b[200]; TOUCH(b); return b[seed & 127]; }
__attribute__((noinline)) int level2(int seed) { volatile char b[300]; TOUCH(b); return leaf(seed + 1) + b[seed & 63]; }
__attribute__((noinline)) int level1(int seed) { volatile char b[100]; TOUCH(b); return level2(seed + 1) + b[seed & 31]; }
__attribute__((noinline)) int by_pointer(int seed) { volatile char b[600]; TOUCH(b); return leaf(seed) + b[seed & 255]; }
__attribute__((noinline)) int unused_big(int seed) { volatile char b[4000]; TOUCH(b); return b[seed & 1023]; }

int (*volatile through)(int) = by_pointer;

int main(void) {
  paint_stack();
  int result = level1(1) + through(2);
  uint32_t deepest = stack_high_water();
  printf(""deepest %lu\n"", (unsigned long)deepest);
  printf(""result %d\n"", result);
  return 0;
}
";

        [ToolFact(CortexM4Firmware.Compiler, CortexM4Firmware.Archiver, CortexM4Firmware.Qemu)]
        public void StackDepth_covers_the_measured_stack_of_a_cortex_m4_firmware_within_64_bytes()
        {
            using var temp = new TempFolder();
            string source = temp.File("stack.c");
            File.WriteAllText(source, Program);
            string elf = CortexM4Firmware.Build(temp, "stack", new[] { source }, Array.Empty<string>(), Array.Empty<string>(),
                extraCompileFlags: new[] { "-fcallgraph-info=su" });
            var run = CortexM4Firmware.Run(elf);
            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
            var match = Regex.Match(run.StandardOutput, @"deepest (\d+)\n");
            Assert.True(match.Success, run.StandardOutput);
            long measured = long.Parse(match.Groups[1].Value);
            Assert.True(measured > 0, "the paint ran out");

            // Both graphs (startup.c's and the program's), from the reset handler: the whole stack from its top.
            var texts = StackDepth.ReadCallGraphs(Path.Combine(Path.GetDirectoryName(elf)!, "obj"));
            Assert.Equal(2, texts.Count);
            var linked = new HashSet<string>(new ElfDump(File.ReadAllBytes(elf)).Symbols.Where(s => (s.Info & 0xF) == 2).Select(s => s.Name));
            Assert.DoesNotContain("unused_big", linked);
            var estimate = StackDepth.Deepest(texts, "Reset_Handler", linked.Contains);

            _output.WriteLine($"estimate {estimate.Bytes} bytes along {string.Join(" > ", estimate.Path)}, measured {measured} bytes");
            Assert.Equal(new[] { "Reset_Handler", "main", "by_pointer", "leaf" }, estimate.Path);
            Assert.Contains("by_pointer", estimate.IndirectTargets);
            Assert.DoesNotContain("unused_big", estimate.IndirectTargets);
            Assert.Equal(new[] { "main" }, estimate.IndirectCallers);
            // printf, fflush, initialise_monitor_handles are the C library's: no figures, so formally a lower bound.
            Assert.Contains("printf", estimate.WithoutFigures);
            Assert.True(estimate.IsLowerBound);
            Assert.Empty(estimate.Recursive);
            Assert.Empty(estimate.UnboundedFrames);

            // The estimate covers what ran, and by little: a frame's alignment padding and the slots gcc reserves but
            // the code never writes (all arrays are written in full) are the only difference.
            Assert.True(estimate.Bytes >= measured, $"estimate {estimate.Bytes} < measured {measured}");
            Assert.True(estimate.Bytes - measured <= 64, $"estimate {estimate.Bytes} exceeds measured {measured} by more than 64 bytes");

            // Without the linked symbols, the dropped unused_big would be a candidate of main's indirect call.
            var unfiltered = StackDepth.Deepest(texts, "Reset_Handler");
            Assert.Equal(new[] { "Reset_Handler", "main", "unused_big" }, unfiltered.Path);
        }
    }
}
