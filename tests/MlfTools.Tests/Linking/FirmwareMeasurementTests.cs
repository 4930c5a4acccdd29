using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.Linking;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Linking
{
    /// <summary>
    /// Get-MlfMemoryReport -Link's measurement with this machine's gcc on real samples: what it runs, the rows it
    /// gives, its warnings and errors, and that it leaves nothing behind. The Cortex-M4 proof is LinkedFirmwareTests.
    /// </summary>
    public class FirmwareMeasurementTests
    {
        private static (List<MemoryReport> Reports, List<string> Warnings, List<string> Verbose, List<MlfException> Errors) Measure(
            TempFolder temp, IEnumerable<string> samples, IList<string>? linkerArguments = null, IList<string>? includePaths = null)
        {
            var reports = new List<MemoryReport>();
            var warnings = new List<string>();
            var verbose = new List<string>();
            var errors = new List<MlfException>();
            var options = new MemoryReportOptions
            {
                Link = true,
                Total = true,
                CodeSize = new CodeSizeOptions { Compiler = "gcc", Arguments = new List<string> { "-O2" }, LinkerArguments = linkerArguments, Verbose = verbose.Add, TemporaryRoot = temp.Path,
                    IncludePaths = includePaths ?? new List<string>() },
            };
            var session = new MemoryReportSession(options, o => reports.Add((MemoryReport)o), errors.Add, warnings.Add, default);
            foreach (string sample in samples) session.AddArchive(MlfReader.ReadModules(TestPaths.Sample(sample)));
            session.Complete();
            return (reports, warnings, verbose, errors);
        }

        [SampleToolFact("gcc")]
        public void Every_kept_byte_is_in_one_row_and_models_of_one_name_are_measured_apart_with_one_warning()
        {
            using var temp = new TempFolder();
            var (reports, warnings, verbose, errors) = Measure(temp, new[] { "v6-aot-kws.tar", "v5-aot-sine.tar", "v4-graph-yesno.tar" });

            Assert.Empty(errors);
            Assert.Equal(new[] { "default", "default", "default", "(runtime)", "(helpers)", "(C library)", "(other)", "(total)" }, reports.Select(r => r.Module));
            var total = reports.Single(r => r.IsTotal);
            var rows = reports.Where(r => !r.IsTotal).ToList();
            Assert.Equal(total.CodeBytes, rows.Sum(r => r.CodeBytes));
            Assert.Equal(total.ReadOnlyDataBytes, rows.Sum(r => r.ReadOnlyDataBytes));
            Assert.Equal(total.DataBytes, rows.Sum(r => r.DataBytes));
            Assert.Equal(total.ZeroInitBytes, rows.Sum(r => r.ZeroInitBytes));
            Assert.True(total.StackBytes > 0);
            Assert.Equal(total.DataBytes + total.ZeroInitBytes + total.StackBytes, total.RamBytes);
            // The graph model's row holds its arena (zero-init data of the helpers), and its JSON and params (read-only data).
            var yesno = reports[2];
            Assert.True(yesno.ZeroInitBytes >= yesno.ArenaBytes, $"{yesno.ZeroInitBytes} < {yesno.ArenaBytes}");
            Assert.True(yesno.ReadOnlyDataBytes >= yesno.ParametersBytes, $"{yesno.ReadOnlyDataBytes} < {yesno.ParametersBytes}");

            Assert.Single(warnings, w => w.Contains("as 'default_2'") && w.Contains("as 'default_3'") && w.Contains("New-MlfModule -NewName"));
            Assert.Contains(verbose, v => v.StartsWith("Compiling 'helpers/mlf_firmware_main.c' of the measured firmware"));
            Assert.Contains(verbose, v => v.StartsWith("Linking the measured firmware: ") && v.Contains("-Wl,--gc-sections") && v.Contains("-Wl,--entry=main"));
            Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
        }

        [SampleToolFact("gcc")]
        public void A_link_that_fails_quotes_the_linker_and_the_modules_keep_their_figures()
        {
            using var temp = new TempFolder();
            var (reports, _, _, errors) = Measure(temp, new[] { "v6-aot-kws.tar" }, new List<string> { "-Wl,--no-such-option" });

            var error = Assert.Single(errors);
            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Contains("could not link the measured firmware", error.Message);
            Assert.Contains("unrecognized option '--no-such-option'", error.Message);
            var module = Assert.Single(reports);
            Assert.Equal("default", module.Module);
            Assert.Null(module.CodeBytes);
            Assert.Empty(Directory.GetFileSystemEntries(temp.Path));
        }

        [SampleToolFact("gcc")]
        public void Of_several_C_runtimes_the_newest_is_linked_with_one_warning_that_says_so()
        {
            using var temp = new TempFolder();
            // mlp's Arm DSP intrinsics come from the tests' C stand-in off Arm.
            var (reports, warnings, _, errors) = Measure(temp, new[] { "v6-aot-kws.tar", "v7-aot-crt-mlp.tar" },
                includePaths: new List<string> { Path.Combine(OriginalModelRuns.Resources, "acle") });

            Assert.Empty(errors);
            Assert.Contains(reports, r => r.IsTotal);
            var runtime = Assert.Single(warnings, w => w.Contains("C runtime"));
            Assert.Contains("the newest", runtime);
            Assert.Contains("v7-aot-crt-mlp.tar", runtime);
            Assert.Contains("TVM 0.13", runtime);
        }

        [SampleToolFact("sh", "sleep")]
        public void Cancelling_stops_the_compiler_and_leaves_nothing_behind()
        {
            using var temp = new TempFolder();
            string root = temp.File("root");
            Directory.CreateDirectory(root);
            string started = temp.File("started");
            string compiler = temp.File("hangs.sh");
            File.WriteAllText(compiler, "#!/bin/sh\ntouch '" + started + "'\nexec sleep 90\n");
            ExternalTool.Run("chmod", temp.Path, "+x", compiler);
            var options = new MemoryReportOptions { Link = true, Total = true, CodeSize = new CodeSizeOptions { Compiler = compiler, TemporaryRoot = root } };
            using var cancel = new CancellationTokenSource();
            var session = new MemoryReportSession(options, _ => { }, ex => throw ex, _ => { }, cancel.Token);
            session.AddArchive(MlfReader.ReadModules(TestPaths.Sample("v6-aot-kws.tar")));
            var measuring = Task.Run(() => session.Complete());
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!File.Exists(started) && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.True(File.Exists(started), "the compiler never ran");
            var watch = Stopwatch.StartNew();

            cancel.Cancel();

            var ended = Assert.ThrowsAny<AggregateException>(() => measuring.Wait(TimeSpan.FromSeconds(60)));
            Assert.IsAssignableFrom<OperationCanceledException>(ended.InnerException);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
            Assert.Empty(Directory.GetFileSystemEntries(root));
        }

        [Fact]
        public void A_section_named_for_a_model_belongs_to_it_the_longest_name_first()
        {
            var parts = new FirmwareParts(new[] { ("a", "mlf_a"), ("a_b", "mlf_a_b") });
            parts.AddSplitByName("obj/0.o");
            parts.Add("obj/1.o", FirmwareParts.Runtime);
            parts.Add("codegen/host/lib/a_lib0.o", "a");

            Assert.Equal("a_b", parts.Of("obj/0.o", null, ".bss.mlf_a_b_arena_storage"));
            Assert.Equal("a", parts.Of("obj/0.o", null, ".text.mlf_a_run"));
            Assert.Equal("a", parts.Of("obj/0.o", null, ".text.unlikely.mlf_a_run"));
            Assert.Equal(FirmwareParts.Runtime, parts.Of("obj/0.o", null, ".bss.mlf_runtime_arena_storage"));
            Assert.Equal(FirmwareParts.Helpers, parts.Of("obj/0.o", null, ".text.mlf_init"));
            Assert.Equal(FirmwareParts.Runtime, parts.Of("obj/1.o", null, ".text.TVMFuncCall"));
            Assert.Equal("a", parts.Of("codegen/host/lib/a_lib0.o", null, ".text"));
            Assert.Equal(FirmwareParts.Library, parts.Of("/usr/lib/libc.a", "memcpy.o", ".text"));
            Assert.Equal(FirmwareParts.Other, parts.Of("/home/me/startup.o", null, ".text.Reset_Handler"));
        }

        [Theory]
        [InlineData(".text.main", "main")]
        [InlineData(".text.startup.main", "main")]
        [InlineData(".text.unlikely.mlf_a_run", "mlf_a_run")]
        [InlineData(".rodata.mlf_a_inputs", "mlf_a_inputs")]
        [InlineData(".data.rel.ro.table", "table")]
        [InlineData(".bss.mlf_a_arena_storage", "mlf_a_arena_storage")]
        [InlineData(".text", ".text")]
        [InlineData("COMMON", "COMMON")]
        public void A_section_is_named_for_its_symbol(string section, string symbol)
        {
            Assert.Equal(symbol, SectionSymbol.Of(section));
            Assert.Equal(section.StartsWith(".text.", System.StringComparison.Ordinal), SectionSymbol.IsFunction(section));
        }

        [Theory]
        [InlineData("0.8.0", "0.9.dev0")]
        [InlineData("0.9.dev1406+g68950873a", "0.9.0")]
        [InlineData("0.9.0", "0.13.0")]
        [InlineData(null, "0.8.0")]
        public void Runtime_versions_order_as_TVM_releases(string? older, string newer)
        {
            Assert.True(RuntimeVersions.Comparer.Compare(older, newer) < 0);
            Assert.True(RuntimeVersions.Comparer.Compare(newer, older) > 0);
        }
    }
}
