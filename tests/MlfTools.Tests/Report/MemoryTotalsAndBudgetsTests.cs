using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Text;
using MlfTools.Tests.Support;
using Xunit;
using static MlfTools.Tests.Report.MemoryReportTests;

namespace MlfTools.Tests.Report
{
    /// <summary>Per-archive totals, budget findings, and the order in which a session emits reports, totals and errors.</summary>
    public class MemoryTotalsAndBudgetsTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private static string MainEntry(int device, long workspace, long constants, long io) =>
            $"{{\"constants_size_bytes\": {constants}, \"device\": {device}, \"io_size_bytes\": {io}, \"workspace_size_bytes\": {workspace}}}";

        private static string Memory(params string[] mainEntries) =>
            $"{{\"functions\": {{\"main\": [{string.Join(", ", mainEntries)}], \"operator_functions\": [{{\"function_name\": \"f\", \"workspace\": [{{\"device\": 1, \"workspace_size_bytes\": 3}}]}}]}}}}";

        /// <summary>Modules a (CPU), b (CPU and CUDA) and c (CPU, workspace only) in one v7 archive.</summary>
        private string ThreeModuleArchive(string file = "three.tar") =>
            new TestArchive().File("./metadata.json", V7(
                    ModuleEntry("a", Memory(MainEntry(1, 1000, 200, 30))),
                    ModuleEntry("b", Memory(MainEntry(1, 2000, 100, 10), MainEntry(2, 5000, 0, 8))),
                    ModuleEntry("c", "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": 7}]}}")))
                .File("./parameters/a.params", ParamsWriter.Write(new[] { new ParamsWriter.Tensor("w", 2, 32, new long[] { 4 }) }))
                .File("./parameters/b.params", ParamsWriter.Write(new[] { new ParamsWriter.Tensor("w", 0, 8, new long[] { 6 }), new ParamsWriter.Tensor("v", 0, 8, new long[] { 2 }) }))
                .WriteTar(_temp.File(file));

        private string SingleModuleArchive(string file, string name, string memory) =>
            new TestArchive().File("./metadata.json", V7(ModuleEntry(name, memory))).WriteTar(_temp.File(file));

        [Fact]
        public void Totals_sum_workspace_constants_io_and_parameters_per_device_in_order_of_appearance()
        {
            string tar = ThreeModuleArchive();
            var reports = MlfReader.ReadModules(tar).SelectMany(ModuleMemoryReports.ForModule).ToList();

            var totals = MemoryTotals.Of(reports);

            Assert.Equal(new[] { 1, 2 }, totals.Select(t => t.DeviceType));
            var (cpu, cuda) = (totals[0], totals[1]);
            Assert.All(totals, t => Assert.True(t.IsTotal));
            Assert.All(totals, t => Assert.Equal("(total)", t.Module));
            Assert.All(totals, t => Assert.Equal(tar, t.Archive));
            Assert.All(totals, t => Assert.Null(t.Executor));
            Assert.All(totals, t => Assert.Null(t.SidsBytes));
            Assert.All(totals, t => Assert.Null(t.GraphStorageBytes));
            Assert.All(totals, t => Assert.Empty(t.Functions));
            Assert.Equal((3007L, 300L, 40L), (cpu.WorkspaceBytes!.Value, cpu.ConstantsBytes!.Value, cpu.IoBytes!.Value));
            Assert.Equal((24L, 3), (cpu.ParametersBytes, cpu.ParameterCount));
            Assert.Equal("CPU", cpu.Device);
            Assert.Equal((5000L, 0L, 8L), (cuda.WorkspaceBytes!.Value, cuda.ConstantsBytes!.Value, cuda.IoBytes!.Value));
            Assert.Equal((0L, 0), (cuda.ParametersBytes, cuda.ParameterCount));
            Assert.Equal("CUDA", cuda.Device);
        }

        [Fact]
        public void Totals_keep_a_figure_null_that_no_module_gives_and_ignore_earlier_totals()
        {
            string tar = SingleModuleArchive("w.tar", "w", "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": 7}]}}");
            var reports = ModuleMemoryReports.ForModule(MlfReader.ReadModules(tar).Single()).ToList();
            reports.AddRange(MemoryTotals.Of(reports));

            var total = Assert.Single(MemoryTotals.Of(reports));

            Assert.Equal(7, total.WorkspaceBytes);
            Assert.Null(total.ConstantsBytes);
            Assert.Null(total.IoBytes);
            Assert.Empty(MemoryTotals.Of(Array.Empty<MemoryReport>()));
        }

        [Fact]
        public void Totals_leave_out_the_firmware_parts_a_link_reports_besides_the_runtime()
        {
            string tar = SingleModuleArchive("w.tar", "w", "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": 7}]}}");
            var reports = ModuleMemoryReports.ForModule(MlfReader.ReadModules(tar).Single()).ToList();
            reports.Add(new MemoryReport { Module = MemoryReport.HelpersModuleName, DeviceType = 1, WorkspaceBytes = 1000, FlashBytes = 50, IsFirmwarePart = true });

            var total = Assert.Single(MemoryTotals.Of(reports));

            Assert.Equal(7, total.WorkspaceBytes);
        }

        [Fact]
        public void An_aot_module_whose_io_no_file_gives_has_unknown_ram_and_so_has_the_total()
        {
            string header = "struct tvmgen_k_inputs {\n  void* x_0;\n};\nstruct tvmgen_k_outputs {\n  void* y;\n};\n";
            string typed = new TestArchive().File("./metadata.json", V7(ModuleEntry("k", Memory(MainEntry(1, 100, 0, 999)))))
                .File("./codegen/host/include/tvmgen_k.h", header)
                .File("./src/k.relay", "def @main(%x:0: Tensor[(2, 3), int16], %w: Tensor[(9), int8]) -> (Tensor[(5), float32], Tensor[(1), int8]) {\n  (%x, %w)\n}\n")
                .WriteTar(_temp.File("typed.tar"));
            string untyped = new TestArchive().File("./metadata.json", V7(ModuleEntry("k", Memory(MainEntry(1, 100, 0, 999)))))
                .File("./codegen/host/include/tvmgen_k.h", header)
                .File("./src/k.relay", "def @main(%z: Tensor[(2, 3), int16]) -> Tensor[(1), int8] {\n  %z\n}\n")
                .WriteTar(_temp.File("untyped.tar"));
            string bare = SingleModuleArchive("bare.tar", "k", Memory(MainEntry(1, 100, 0, 999)));

            var known = ModuleMemoryReports.ForModule(MlfReader.ReadModules(typed).Single()).Single();
            Assert.Equal((12L, 21L, 133L), (known.InputBytes!.Value, known.OutputBytes!.Value, known.RamBytes!.Value));
            foreach (string tar in new[] { untyped, bare })
            {
                // The header names an input the Relay text does not have, or there is neither: unknown, never 0.
                var report = ModuleMemoryReports.ForModule(MlfReader.ReadModules(tar).Single()).Single();
                Assert.Null(report.InputBytes);
                Assert.Null(report.RamBytes);
                Assert.Null(Assert.Single(MemoryTotals.Of(new[] { known, report })).RamBytes);
            }
        }

        [Fact]
        public void Budgets_find_every_module_and_total_figure_over_its_budget()
        {
            string tar = ThreeModuleArchive();
            var reports = MlfReader.ReadModules(tar).SelectMany(ModuleMemoryReports.ForModule).ToList();
            reports.AddRange(MemoryTotals.Of(reports));

            var findings = BudgetChecks.Apply(reports, new MemoryBudgets { WorkspaceBytes = 2000, IoBytes = 30, AllowUnknown = true });

            // a: 1000 / io 30 (equal passes); b CPU 2000 (equal passes); b CUDA 5000; c 7; total CPU 3007 and io 40; total CUDA 5000.
            Assert.Equal(new[]
            {
                ("b", "CUDA", "WorkspaceBytes", 5000L, 2000L),
                ("(total)", "CPU", "WorkspaceBytes", 3007L, 2000L),
                ("(total)", "CPU", "IoBytes", 40L, 30L),
                ("(total)", "CUDA", "WorkspaceBytes", 5000L, 2000L),
            }, findings.Select(f => (f.Module, f.Device, f.Figure, f.Value!.Value, f.Budget)));
            Assert.Equal(new[] { false, true, true, true }, findings.Select(f => f.IsTotal));
            Assert.All(findings, f => Assert.Equal(tar, f.Archive));

            var module = findings[0];
            Assert.Contains("Module 'b'", module.Message);
            Assert.Contains(tar, module.Message);
            Assert.Contains("4.9 KiB (5000 bytes) of workspace memory on CUDA", module.Message);
            Assert.Contains("budget of 2.0 KiB (2000 bytes)", module.Message);
            Assert.Contains("-WorkspaceBudget", module.Message);
            Assert.Contains("together", findings[1].Message);
            Assert.Contains("input/output", findings[2].Message);
            Assert.Contains("-IoBudget", findings[2].Message);

            var error = module.ToException();
            Assert.Equal(MlfErrorIds.MemoryBudgetExceeded, error.ErrorId);
            Assert.Same(module.Report, error.Target);
            Assert.Equal(module.Message, error.Message);
        }

        [Fact]
        public void Budgets_check_constants_pass_null_figures_only_when_allowed_and_refuse_negative_limits()
        {
            string tar = ThreeModuleArchive();
            var reports = MlfReader.ReadModules(tar).SelectMany(ModuleMemoryReports.ForModule).ToList();

            // c has neither constants nor io: unknown, which fails its budgets unless allowed.
            var unknown = BudgetChecks.Apply(reports, new MemoryBudgets { ConstantsBytes = 0, IoBytes = 0 }).Where(f => f.Module == "c").ToList();
            Assert.Equal(new[] { "ConstantsBytes", "IoBytes" }, unknown.Select(f => f.Figure));
            Assert.All(unknown, f => Assert.Equal(MlfErrorIds.MemoryFigureUnknown, f.ErrorId));
            Assert.All(unknown, f => Assert.Null(f.Value));
            Assert.Contains("metadata.json does not give it", unknown[0].Message);

            var findings = BudgetChecks.Apply(reports, new MemoryBudgets { ConstantsBytes = 0, IoBytes = 0, AllowUnknown = true });
            Assert.DoesNotContain(findings, f => f.Module == "c");
            Assert.Equal(new[] { "a", "a", "b", "b", "b" }, findings.Select(f => f.Module));
            Assert.Equal(new[] { "ConstantsBytes", "IoBytes", "ConstantsBytes", "IoBytes", "IoBytes" }, findings.Select(f => f.Figure));
            Assert.Contains("constants memory", findings[0].Message);
            Assert.Empty(BudgetChecks.Apply(reports, new MemoryBudgets()));
            Assert.Throws<ArgumentOutOfRangeException>(() => BudgetChecks.Apply(reports, new MemoryBudgets { WorkspaceBytes = -1 }));
        }

        [Theory]
        [InlineData(0, "0 B")]
        [InlineData(1023, "1023 B")]
        [InlineData(1024, "1.0 KiB")]
        [InlineData(28128, "27.5 KiB")]
        [InlineData(1572864, "1.5 MiB")]
        [InlineData(3L * 1024 * 1024 * 1024, "3.0 GiB")]
        public void Bytes_are_formatted_with_binary_units(long bytes, string text)
        {
            Assert.Equal(text, ByteSize.Format(bytes));
        }

        private sealed class Recorder
        {
            public List<object> Output { get; } = new List<object>();
            public List<MlfException> Errors { get; } = new List<MlfException>();
            public MemoryReportSession Session(MemoryReportOptions options) => new MemoryReportSession(options, Output.Add, Errors.Add);

            public IEnumerable<string> Rows => Output.Select(o => o switch
            {
                MemoryReport r => $"{System.IO.Path.GetFileName(r.Archive)}:{r.Module}:{r.Device}",
                FunctionMemoryReport f => $"{f.Module}.{f.Function}:{f.Device}",
                _ => "?",
            });
        }

        [Fact]
        public void A_session_emits_module_reports_as_they_come_then_the_totals_and_finds_each_violation_once()
        {
            string tar = ThreeModuleArchive();
            var recorder = new Recorder();
            var session = recorder.Session(new MemoryReportOptions { Total = true, Budgets = new MemoryBudgets { WorkspaceBytes = 4000 } });

            session.AddArchive(MlfReader.ReadModules(tar));
            Assert.Equal(new[] { "three.tar:a:CPU", "three.tar:b:CPU", "three.tar:b:CUDA", "three.tar:c:CPU" }, recorder.Rows);
            session.Complete();

            Assert.Equal(new[] { "three.tar:a:CPU", "three.tar:b:CPU", "three.tar:b:CUDA", "three.tar:c:CPU", "three.tar:(total):CPU", "three.tar:(total):CUDA" }, recorder.Rows);
            Assert.Empty(recorder.Errors);
            Assert.Equal(new[] { ("b", "CUDA"), ("(total)", "CUDA") }, session.Findings.Select(f => (f.Module, f.Device)));
            Assert.Same(recorder.Output[2], session.Findings[0].Report);
            Assert.Same(recorder.Output[5], session.Findings[1].Report);
            Assert.All(recorder.Output.Cast<MemoryReport>(), r => Assert.Equal(r.IsOver("WorkspaceBytes") ? "OVER" : "OK", r.Status));
        }

        [Fact]
        public void A_session_without_totals_streams_single_modules_as_they_come()
        {
            var recorder = new Recorder();
            var session = recorder.Session(new MemoryReportOptions());
            var modules = MlfReader.ReadModules(ThreeModuleArchive());

            session.AddModule(modules[0]);
            Assert.Equal(new[] { "three.tar:a:CPU" }, recorder.Rows);
            session.AddModule(modules[1]);
            session.Complete();

            Assert.Equal(new[] { "three.tar:a:CPU", "three.tar:b:CPU", "three.tar:b:CUDA" }, recorder.Rows);
        }

        [Fact]
        public void A_session_with_totals_adds_one_total_over_every_module_of_every_archive_received()
        {
            var three = MlfReader.ReadModules(ThreeModuleArchive());
            var other = MlfReader.ReadModules(SingleModuleArchive("other.tar", "o", Memory(MainEntry(1, 10, 1, 1)))).Single();
            var recorder = new Recorder();
            var session = recorder.Session(new MemoryReportOptions { Total = true, Budgets = new MemoryBudgets { WorkspaceBytes = 1010 } });

            session.AddModule(three[0]);
            session.AddModule(other);
            session.AddModule(three[2]);
            Assert.Equal(new[] { "three.tar:a:CPU", "other.tar:o:CPU", "three.tar:c:CPU" }, recorder.Rows);
            session.Complete();

            Assert.Equal(new[] { "three.tar:a:CPU", "other.tar:o:CPU", "three.tar:c:CPU", ":(total):CPU" }, recorder.Rows);
            var total = (MemoryReport)recorder.Output[3];
            Assert.Null(total.Archive);
            Assert.Equal(1017, total.WorkspaceBytes);
            var finding = Assert.Single(session.Findings);
            Assert.Same(total, finding.Report);
            Assert.StartsWith("All the modules together need", finding.Message);
        }

        [Fact]
        public void A_session_by_function_emits_function_reports_and_still_totals_and_checks_the_modules()
        {
            var recorder = new Recorder();
            var session = recorder.Session(new MemoryReportOptions { ByFunction = true, Total = true, Budgets = new MemoryBudgets { WorkspaceBytes = 1 } });

            session.AddArchive(MlfReader.ReadModules(ThreeModuleArchive()));
            session.Complete();

            Assert.Equal(new[] { "a.f:CPU", "b.f:CPU", "three.tar:(total):CPU", "three.tar:(total):CUDA" }, recorder.Rows);
            Assert.Equal(6, session.Findings.Count); // a, b CPU, b CUDA, c, both totals
        }

        [Fact]
        public void A_module_that_cannot_be_reported_is_an_error_there_is_no_total_and_the_others_are_reported()
        {
            string tar = new TestArchive().File("./metadata.json", V7(
                    ModuleEntry("good", Memory(MainEntry(1, 10, 1, 1))),
                    ModuleEntry("bad", "{\"functions\": {\"main\": [{\"device\": \"cpu\"}]}}"),
                    ModuleEntry("later", Memory(MainEntry(1, 20, 2, 2)))))
                .WriteTar(_temp.File("mixed.tar"));
            string fine = SingleModuleArchive("fine.tar", "f", Memory(MainEntry(1, 5, 0, 0)));
            var recorder = new Recorder();
            var session = recorder.Session(new MemoryReportOptions { Total = true });

            session.AddArchive(MlfReader.ReadModules(tar));
            session.AddArchive(MlfReader.ReadModules(fine));
            session.Complete();

            // A total without 'bad' would understate the firmware: there is none.
            Assert.Equal(new[] { "mixed.tar:good:CPU", "mixed.tar:later:CPU", "fine.tar:f:CPU" }, recorder.Rows);
            var error = Assert.Single(recorder.Errors);
            Assert.Equal(MlfErrorIds.MetadataInvalid, error.ErrorId);
            Assert.Contains("module 'bad'", error.Message);
        }
    }
}
