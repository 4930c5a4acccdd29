using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// -Total with -Compiler compiles the archives' C runtime (TVM's standalone CRT) once per distinct runtime and counts
    /// one in the total. The oracle compiles the same CRT libraries by hand (crt_config.h copied from the archive's
    /// template, the same flags and include folders) and asks GNU size -A.
    /// </summary>
    public sealed class RuntimeCodeSizeTests : IDisposable
    {
        private const string Kws = "v6-aot-kws.tar";
        private const string Mlp = "v7-aot-crt-mlp.tar";
        private const string Magicwand = "v7-graph-magicwand.tar";
        private static readonly string[] ArmFlags = { "-mcpu=cortex-m7", "-mthumb", "-Os", "-D__int64_t_defined=1" };

        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private sealed class Run
        {
            public readonly List<object> Output = new List<object>();
            public readonly List<MlfException> Errors = new List<MlfException>();
            public readonly List<string> Warnings = new List<string>();

            public List<MemoryReport> Reports => Output.OfType<MemoryReport>().ToList();
            public List<MemoryReport> Modules => Reports.Where(r => !r.IsTotal && !r.IsRuntime).ToList();
            public List<MemoryReport> Runtimes => Reports.Where(r => r.IsRuntime).ToList();
            public List<MemoryReport> Totals => Reports.Where(r => r.IsTotal).ToList();
        }

        private CodeSizeOptions Options(string compiler, string[] flags, params string[] includes) =>
            new CodeSizeOptions { Compiler = compiler, Arguments = flags.ToList(), IncludePaths = includes.ToList(), TemporaryRoot = _temp.Path };

        private static Run Report(CodeSizeOptions? options, bool total, params string[] samples) => Report(options, total, CancellationToken.None, samples);

        private static Run Report(CodeSizeOptions? options, bool total, CancellationToken cancellationToken, params string[] samples)
        {
            var run = new Run();
            var session = new MemoryReportSession(new MemoryReportOptions { Total = total, CodeSize = options }, run.Output.Add, run.Errors.Add, run.Warnings.Add, cancellationToken);
            foreach (string sample in samples) session.AddArchive(MlfReader.ReadModules(Path.IsPathRooted(sample) ? sample : TestPaths.Sample(sample)));
            session.Complete();
            return run;
        }

        /// <summary>The CRT libraries of the sample compiled by hand, then size -A over the objects.</summary>
        private List<(string Name, long Size)> ByHand(string sample, string compiler, string size, string[] flags, bool graphExecutor, params string[] includes)
        {
            string folder = Directory.CreateDirectory(_temp.File("by-hand-" + Guid.NewGuid().ToString("N"))).FullName;
            var files = IndependentArchive.Read(TestPaths.Sample(sample)).Files;
            foreach (var file in files)
            {
                string path = Path.Combine(folder, file.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Value);
            }
            // TVM 0.12+ ships templates/crt_config.h.template; older archives runtime/template/crt_config-template.h.
            byte[] template = files.TryGetValue("templates/crt_config.h.template", out var newer) ? newer : files["runtime/template/crt_config-template.h"];
            Directory.CreateDirectory(Path.Combine(folder, "config"));
            File.WriteAllBytes(Path.Combine(folder, "config", "crt_config.h"), template);

            var libraries = graphExecutor ? new[] { "common", "memory", "graph_executor" } : new[] { "common", "memory" };
            var objects = new List<string>();
            foreach (string source in files.Keys.Where(f => f.EndsWith(".c") && libraries.Any(l => f.StartsWith($"runtime/src/runtime/crt/{l}/"))).OrderBy(f => f))
            {
                string output = Path.Combine(folder, objects.Count + ".o");
                var arguments = flags.Concat(includes.Select(i => "-I" + i)).Concat(new[] { "-Iconfig", "-Iruntime/include", "-c", source, "-o", output });
                ExternalTool.Run(compiler, folder, arguments.ToArray());
                objects.Add(output);
            }
            Assert.True(objects.Count >= 7, $"only {objects.Count} CRT sources in {sample}");
            return SizeA.Sections(size, objects.ToArray());
        }

        /// <summary>runtime/include of the sample, extracted by test code: the headers magicwand (no runtime/) needs.</summary>
        private string CrtHeadersOf(string sample)
        {
            string include = Directory.CreateDirectory(_temp.File("crt-include-" + Path.GetFileNameWithoutExtension(sample))).FullName;
            foreach (var file in IndependentArchive.Read(TestPaths.Sample(sample)).Files.Where(f => f.Key.StartsWith("runtime/include/")))
            {
                string path = Path.Combine(include, file.Key.Substring("runtime/include/".Length));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Value);
            }
            return include;
        }

        private void AssertNothingLeftBehind() => Assert.Empty(Directory.GetDirectories(_temp.Path, "mlftools-size-*"));

        [SampleToolFact("gcc", "size")]
        public void Kws_read_twice_has_one_runtime_row_measured_like_size_A_and_counted_once()
        {
            var run = Report(Options("gcc", new[] { "-Os" }), true, Kws, Kws);

            Assert.Empty(run.Errors);
            Assert.Empty(run.Warnings);
            var runtime = Assert.Single(run.Runtimes);
            var sections = ByHand(Kws, "gcc", "size", new[] { "-Os" }, graphExecutor: false);
            Assert.Equal(SizeA.Total(sections, ".text"), runtime.CodeBytes);
            Assert.Equal(SizeA.Total(sections, ".data"), runtime.DataBytes);
            Assert.Equal(SizeA.Total(sections, ".bss"), runtime.ZeroInitBytes);
            Assert.True(runtime.ReadOnlyDataBytes >= SizeA.Total(sections, ".rodata")); // and .eh_frame
            Assert.Equal(runtime.CodeBytes + runtime.ReadOnlyDataBytes + runtime.DataBytes, runtime.FlashBytes);
            Assert.Equal(runtime.DataBytes + runtime.ZeroInitBytes, runtime.RamBytes);
            Assert.Equal((MemoryReport.RuntimeModuleName, TestPaths.Sample(Kws), "CPU", false), (runtime.Module, runtime.Archive, runtime.Device, runtime.IsTotal));
            Assert.Empty(runtime.Budgets);
            Assert.Null(runtime.Status);

            // The runtime comes just before the total, which adds it once to the two copies of the module.
            Assert.Equal(new[] { "default", "default", "(runtime)", "(total)" }, run.Reports.Select(r => r.Module));
            Assert.Equal(2, run.Modules.Count);
            var total = Assert.Single(run.Totals);
            Assert.Equal(run.Modules.Sum(m => m.CodeBytes) + runtime.CodeBytes, total.CodeBytes);
            Assert.Equal(run.Modules.Sum(m => m.ZeroInitBytes) + runtime.ZeroInitBytes, total.ZeroInitBytes);
            Assert.Equal(run.Modules.Sum(m => m.FlashBytes) + runtime.FlashBytes, total.FlashBytes);
            Assert.Equal(run.Modules.Sum(m => m.WorkspaceBytes), total.WorkspaceBytes); // the runtime has no workspace of its own
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void In_a_per_module_layout_the_shared_runtime_is_found_and_measured_alike()
        {
            // Join-MlfArchive -Layout PerModule puts kws's files under kws/ and keeps runtime/ at the root.
            string joined = JoinedArchive.Write(_temp.File("per-module.tar"), new MlfJoinOptions { Layout = MlfLayout.PerModule }, JoinedArchive.Sample(Kws, "kws"));
            var names = JoinedArchive.Headers(joined).Select(h => h.Name).ToList();
            Assert.Contains("./kws/codegen/host/include/tvmgen_kws.h", names);
            Assert.Contains(names, n => n.StartsWith("./runtime/include/", StringComparison.Ordinal));

            var flat = Assert.Single(Report(Options("gcc", new[] { "-Os" }), true, Kws).Runtimes);
            var run = Report(Options("gcc", new[] { "-Os" }), true, joined);

            Assert.Empty(run.Errors);
            var runtime = Assert.Single(run.Runtimes);
            Assert.Equal((flat.CodeBytes, flat.ReadOnlyDataBytes, flat.DataBytes, flat.ZeroInitBytes),
                (runtime.CodeBytes, runtime.ReadOnlyDataBytes, runtime.DataBytes, runtime.ZeroInitBytes));
            Assert.NotNull(Assert.Single(run.Modules).CodeBytes);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void A_runtime_is_told_by_its_contents_not_by_its_archive()
        {
            // kws extracted to a folder by test code: the same runtime as the .tar. A second copy with one runtime source
            // changed by a comment: a different runtime.
            string same = Directory.CreateDirectory(_temp.File("kws-same")).FullName;
            string changed = Directory.CreateDirectory(_temp.File("kws-changed")).FullName;
            foreach (var file in IndependentArchive.Read(TestPaths.Sample(Kws)).Files)
            {
                foreach (string root in new[] { same, changed })
                {
                    string path = Path.Combine(root, file.Key);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllBytes(path, file.Value);
                }
            }
            File.AppendAllText(Path.Combine(changed, "runtime/src/runtime/crt/common/ndarray.c"), "\n/* changed */\n");
            var options = Options("gcc", new[] { "-Os" });

            var one = Report(options, true, Kws, same);
            var two = Report(options, true, same, Kws, changed);

            Assert.Equal(new[] { TestPaths.Sample(Kws) }, one.Runtimes.Select(r => r.Archive));
            Assert.Empty(one.Warnings);
            Assert.Equal(new[] { same, changed }, two.Runtimes.Select(r => r.Archive));
            Assert.Equal(two.Runtimes[0].CodeBytes, two.Runtimes[1].CodeBytes); // a comment compiles to nothing
            Assert.Single(two.Warnings);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void Without_total_or_without_a_compiler_the_runtime_is_not_compiled()
        {
            var noTotal = Report(Options("gcc", new[] { "-Os" }), false, Kws);
            var noCompiler = Report(null, true, Kws);

            Assert.Empty(noTotal.Runtimes);
            Assert.Empty(noTotal.Warnings);
            Assert.Empty(noCompiler.Runtimes);
            Assert.Empty(noCompiler.Warnings);
            Assert.Single(noCompiler.Totals);
        }

        [SampleToolFact("arm-none-eabi-gcc", "arm-none-eabi-size")]
        public void Two_different_runtimes_give_two_rows_and_the_total_counts_the_larger_with_one_warning()
        {
            var run = Report(Options("arm-none-eabi-gcc", ArmFlags), true, Kws, Mlp);

            Assert.Empty(run.Errors);
            Assert.Equal(new[] { TestPaths.Sample(Kws), TestPaths.Sample(Mlp) }, run.Runtimes.Select(r => r.Archive));
            foreach (var (sample, row) in new[] { Kws, Mlp }.Zip(run.Runtimes))
            {
                Assert.Equal(SizeA.Total(ByHand(sample, "arm-none-eabi-gcc", "arm-none-eabi-size", ArmFlags, graphExecutor: false), ".text"), row.CodeBytes);
            }
            Assert.NotEqual(run.Runtimes[0].FlashBytes, run.Runtimes[1].FlashBytes);
            var larger = run.Runtimes.OrderByDescending(r => r.FlashBytes).First();
            var total = Assert.Single(run.Totals);
            Assert.Equal(run.Modules.Sum(m => m.CodeBytes) + larger.CodeBytes, total.CodeBytes);
            Assert.Equal(run.Modules.Sum(m => m.FlashBytes) + larger.FlashBytes, total.FlashBytes);

            string warning = Assert.Single(run.Warnings);
            Assert.Contains($"'{TestPaths.Sample(Kws)}' (TVM 0.9.dev1406+g68950873a)", warning);
            Assert.Contains($"'{TestPaths.Sample(Mlp)}' (TVM 0.13.dev0)", warning);
            string counted = warning.Substring(warning.IndexOf("counts the largest", StringComparison.Ordinal));
            Assert.Contains($"'{larger.Archive}'", counted);
            Assert.DoesNotContain($"'{run.Runtimes.Single(r => r != larger).Archive}'", counted);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc", "size")]
        public void A_graph_module_has_the_graph_executor_compiled_from_the_runtime_another_archive_carries()
        {
            // magicwand (graph executor) carries no runtime/; its code needs CRT headers, given through -IncludePath.
            string headers = CrtHeadersOf(Mlp);
            var options = Options("gcc", new[] { "-Os" }, headers);
            var kwsAlone = Report(options, true, Kws);
            var run = Report(options, true, Magicwand, Kws);

            Assert.Empty(run.Errors);
            Assert.Empty(run.Warnings);
            var runtime = Assert.Single(run.Runtimes);
            Assert.Equal(TestPaths.Sample(Kws), runtime.Archive);
            Assert.True(runtime.CodeBytes > Assert.Single(kwsAlone.Runtimes).CodeBytes);
            // The user's include folder comes first, for the runtime too.
            var sections = ByHand(Kws, "gcc", "size", new[] { "-Os" }, graphExecutor: true, headers);
            Assert.Equal(SizeA.Total(sections, ".text"), runtime.CodeBytes);
            Assert.Equal(SizeA.Total(sections, ".bss"), runtime.ZeroInitBytes);
            Assert.Equal(run.Modules.Sum(m => m.CodeBytes) + runtime.CodeBytes, Assert.Single(run.Totals).CodeBytes);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void Without_any_runtime_the_total_is_unchanged_and_a_warning_says_it_leaves_the_runtime_out()
        {
            var options = Options("gcc", new[] { "-Os" }, CrtHeadersOf(Mlp));
            var run = Report(options, true, Magicwand);

            Assert.Empty(run.Errors);
            Assert.Empty(run.Runtimes);
            var module = Assert.Single(run.Modules);
            var total = Assert.Single(run.Totals);
            Assert.Equal((module.CodeBytes, module.FlashBytes, module.RamBytes), (total.CodeBytes, total.FlashBytes, total.RamBytes));
            string warning = Assert.Single(run.Warnings);
            Assert.Contains("leaves it out", warning);
            Assert.Contains("A graph executor model needs the runtime and its graph executor linked in", warning);
            Assert.Contains("No -Compiler or -IncludePath can add it", warning);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void Without_any_runtime_an_AOT_total_is_said_to_lack_little()
        {
            // sine is an AOT model with the C runtime's headers from -IncludePath but no runtime/ of its own.
            var run = Report(Options("gcc", new[] { "-Os" }, CrtHeadersOf(Mlp)), true, "v5-aot-sine.tar");

            Assert.Empty(run.Errors);
            Assert.Empty(run.Runtimes);
            string warning = Assert.Single(run.Warnings);
            Assert.Contains("An AOT firmware with the C interface links little of it", warning);
            Assert.DoesNotContain("needs more flash and RAM", warning);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void A_runtime_that_does_not_compile_is_CompilerFailed_and_leaves_the_totals_out()
        {
            // A crt_config.h in -IncludePath is found before the archive's (the user's folders come first); this one is broken.
            string include = Directory.CreateDirectory(_temp.File("broken-config")).FullName;
            File.WriteAllText(Path.Combine(include, "crt_config.h"), "#error this crt_config.h is broken on purpose\n");
            var run = Report(Options("gcc", new[] { "-Os" }, include), true, Kws);

            Assert.Single(run.Modules);
            Assert.Empty(run.Runtimes);
            Assert.Empty(run.Totals);
            Assert.Empty(run.Warnings);
            var error = Assert.Single(run.Errors);
            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Matches("'gcc' could not compile 'runtime/src/runtime/crt/(common|memory)/[a-z_]+\\.c' of the C runtime in '" + System.Text.RegularExpressions.Regex.Escape(TestPaths.Sample(Kws)) + "'", error.Message);
            Assert.Contains("broken on purpose", error.Message);
            Assert.DoesNotContain(_temp.Path + Path.DirectorySeparatorChar + "mlftools-size-", error.Message);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("gcc")]
        public void When_a_module_cannot_be_measured_the_runtime_is_not_compiled_and_there_is_no_total()
        {
            // aww's BYOC kernel library headers are not in the archive: its module fails; kws's is fine.
            var run = Report(Options("gcc", new[] { "-Os" }), true, Kws, "v7-aot-muriscvnn-aww.tar");

            Assert.Equal(MlfErrorIds.CompilerFailed, Assert.Single(run.Errors).ErrorId);
            Assert.Contains("of module 'default'", run.Errors[0].Message);
            Assert.Single(run.Modules);
            Assert.Empty(run.Runtimes);
            Assert.Empty(run.Totals);
            Assert.Empty(run.Warnings);
            AssertNothingLeftBehind();
        }

        [SampleToolFact("arm-none-eabi-gcc")]
        public void Debian_arm_none_eabi_gcc_without_the_int64_define_fails_on_PRIu64_and_the_error_says_what_to_add()
        {
            var run = Report(Options("arm-none-eabi-gcc", new[] { "-mcpu=cortex-m7", "-mthumb", "-Os" }), true, Kws);

            var error = Assert.Single(run.Errors);
            Assert.Equal(MlfErrorIds.CompilerFailed, error.ErrorId);
            Assert.Contains("'runtime/src/runtime/crt/common/crt_backend_api.c' of the C runtime", error.Message);
            Assert.Contains("PRIu64", error.Message);
            // The fix comes first: a CI log that cuts the message, or a reader who stops at its first line, still sees it.
            Assert.Contains("add -CompilerArgument -D__int64_t_defined=1", error.Message.Split('\n')[0]);
            Assert.Empty(run.Totals);
            AssertNothingLeftBehind();
        }

        [Fact]
        public void Totals_count_the_runtime_with_the_most_flash_once_and_leave_its_figures_out_of_module_only_ones()
        {
            MemoryReport Module(long code, long flash) => new MemoryReport
            {
                Module = "m", Archive = "a.tar", DeviceType = 1, Device = "CPU", CodeBytes = code, ReadOnlyDataBytes = 0, DataBytes = 0,
                ZeroInitBytes = 0, FlashBytes = flash, RamBytes = 10, InputBytes = 3, OutputBytes = 4, WorkspaceBytes = 100,
            };
            MemoryReport Runtime(string archive, long code, long data, int device = 1) => new MemoryReport
            {
                Module = MemoryReport.RuntimeModuleName, Archive = archive, DeviceType = device, Device = DeviceNames.Of(device),
                CodeBytes = code, ReadOnlyDataBytes = 5, DataBytes = data, ZeroInitBytes = 7, FlashBytes = code + 5 + data, RamBytes = data + 7, IsRuntime = true,
            };
            var small = Runtime("small.tar", 1000, 0);
            var large = Runtime("large.tar", 1000, 50); // the same code, more flash

            var total = Assert.Single(MemoryTotals.Of(new[] { Module(10, 20), small, large, Module(30, 40) }));

            Assert.Equal((40L + 1000, 60L + 1055, 20L + 57, 50L, 7L), (total.CodeBytes!.Value, total.FlashBytes!.Value, total.RamBytes!.Value, total.DataBytes!.Value, total.ZeroInitBytes!.Value));
            Assert.Equal((2 * 7L, 200L, "a.tar"), (total.InputBytes!.Value + total.OutputBytes!.Value, total.WorkspaceBytes!.Value, total.Archive));
            Assert.False(total.IsRuntime);

            // A runtime on a device no module reports gets a total of its own; a module total without code stays without.
            var unmeasured = Module(0, 20);
            unmeasured.CodeBytes = null;
            var totals = MemoryTotals.Of(new[] { unmeasured, Runtime("r.tar", 1000, 0, device: 2) });
            Assert.Equal(new[] { "CPU", "CUDA" }, totals.Select(t => t.Device));
            Assert.Null(totals[0].CodeBytes);
            Assert.Equal(1000, totals[1].CodeBytes);
        }

        [SampleToolFact("gcc", "sh")]
        public void Cancelling_stops_the_runtime_compilers_and_leaves_nothing_behind()
        {
            // A compiler that compiles the module with gcc but hangs on runtime sources, until it is killed.
            string compiler = _temp.File("hanging-cc.sh");
            File.WriteAllText(compiler, "#!/bin/sh\ncase \"$*\" in *runtime/src/runtime/crt/*) exec sleep 60;; esac\nexec gcc \"$@\"\n");
            ExternalTool.Run("chmod", _temp.Path, "+x", compiler);
            using var cancel = new CancellationTokenSource();
            var watch = Stopwatch.StartNew();
            var output = new List<object>();
            var session = new MemoryReportSession(new MemoryReportOptions { Total = true, CodeSize = Options(compiler, new[] { "-Os" }) },
                output.Add, e => throw e, w => { }, cancel.Token);
            session.AddArchive(MlfReader.ReadModules(TestPaths.Sample(Kws)));
            Assert.Single(output);

            cancel.CancelAfter(TimeSpan.FromSeconds(2));
            Assert.ThrowsAny<OperationCanceledException>(() => session.Complete());

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
            Assert.Single(output);
            AssertNothingLeftBehind();
        }
    }
}
