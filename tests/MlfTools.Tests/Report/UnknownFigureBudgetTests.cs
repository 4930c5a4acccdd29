using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;
using static MlfTools.Tests.Report.MemoryReportTests;

namespace MlfTools.Tests.Report
{
    /// <summary>A gate never says yes to what it did not measure: unknown figures are checked by their known part and fail unless allowed.</summary>
    public class UnknownFigureBudgetTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>An AOT module as TVM 0.8 wrote it: a workspace, but no file that gives its input and output sizes.</summary>
        private MlfModule AotWithoutIo(string name, long workspace)
        {
            string memory = $"{{\"functions\": {{\"main\": [{{\"constants_size_bytes\": 0, \"device\": 1, \"io_size_bytes\": 0, \"workspace_size_bytes\": {workspace}}}]}}}}";
            string path = new TestArchive().File("./metadata.json", V7(ModuleEntry(name, memory))).WriteTar(_temp.File(name + ".tar"));
            return MlfReader.ReadModules(path).Single();
        }

        private static (List<MemoryReport> Reports, List<MlfException> Errors) Run(MemoryReportOptions options, params MlfModule[] modules)
        {
            var reports = new List<MemoryReport>();
            var errors = new List<MlfException>();
            var session = new MemoryReportSession(options, o => reports.Add((MemoryReport)o), errors.Add);
            foreach (var module in modules) session.AddModule(module);
            session.Complete();
            errors.AddRange(session.Findings.Select(f => f.ToException()));
            return (reports, errors);
        }

        [Fact]
        public void A_module_whose_ram_is_unknown_but_whose_workspace_alone_is_over_the_budget_is_OVER()
        {
            var persondet = AotWithoutIo("persondet", 603_648);
            var (reports, errors) = Run(new MemoryReportOptions { Total = true, Budgets = new MemoryBudgets { RamBytes = 512 * 1000, FlashBytes = 1000 * 1000 } }, persondet);

            var module = reports.Single(r => !r.IsTotal);
            Assert.Null(module.RamBytes);
            Assert.Equal(603_648, module.RamAtLeastBytes);
            Assert.Equal("OVER", module.Status);
            Assert.True(module.IsOver(nameof(MemoryReport.RamBytes)));
            var total = reports.Single(r => r.IsTotal);
            Assert.Null(total.RamBytes);
            Assert.Equal(603_648, total.RamAtLeastBytes);
            Assert.Equal("OVER", total.Status);

            var over = errors.Where(e => e.ErrorId == MlfErrorIds.MemoryBudgetExceeded).ToList();
            Assert.Equal(2, over.Count);
            Assert.Contains("more than the budget of 500.0 KiB (512000 bytes) of RAM", over[0].Message);
            Assert.Contains("589.5 KiB (603648 bytes)", over[0].Message);
            Assert.Contains("input and output sizes", over[0].Message);
        }

        [Fact]
        public void A_module_whose_ram_is_unknown_and_whose_known_part_fits_is_UNKNOWN_and_an_error_unless_allowed()
        {
            var small = AotWithoutIo("small", 1000);
            var budgets = new MemoryBudgets { RamBytes = 4096 };
            var (reports, errors) = Run(new MemoryReportOptions { Budgets = budgets }, small);
            var report = reports.Single();
            Assert.Equal("UNKNOWN", report.Status);
            Assert.Null(report.UsedPercent);
            var error = Assert.Single(errors);
            Assert.Equal(MlfErrorIds.MemoryFigureUnknown, error.ErrorId);
            Assert.Contains("-RamBudget 4.0 KiB cannot be checked", error.Message);
            Assert.Contains("1000 bytes", error.Message);
            Assert.Contains("-AllowUnknown", error.Message);
            Assert.Same(report, error.Target);

            budgets.AllowUnknown = true;
            (reports, errors) = Run(new MemoryReportOptions { Budgets = budgets }, small);
            Assert.Empty(errors);
            Assert.Equal("UNKNOWN", reports.Single().Status);

            // Allowed, the known part is still checked.
            (_, errors) = Run(new MemoryReportOptions { Budgets = new MemoryBudgets { RamBytes = 999, AllowUnknown = true } }, small);
            Assert.Equal(MlfErrorIds.MemoryBudgetExceeded, Assert.Single(errors).ErrorId);
        }

        [Fact]
        public void A_budget_on_a_figure_the_metadata_does_not_give_is_unknown_not_OK()
        {
            // No io_size_bytes at all: an -IoBudget cannot be checked.
            string path = new TestArchive().File("./metadata.json", V7(ModuleEntry("w", "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": 7}]}}")))
                .WriteTar(_temp.File("w.tar"));
            var (reports, errors) = Run(new MemoryReportOptions { Budgets = new MemoryBudgets { IoBytes = 100, WorkspaceBytes = 100 } }, MlfReader.ReadModules(path).Single());
            Assert.Equal("UNKNOWN", reports.Single().Status);
            Assert.Equal(MlfErrorIds.MemoryFigureUnknown, Assert.Single(errors).ErrorId);
        }

        [Theory]
        [InlineData(true, false)]
        [InlineData(false, true)]
        [InlineData(true, true)]
        public void Receiving_no_module_with_a_total_or_a_budget_is_NoModules(bool total, bool budget)
        {
            var options = new MemoryReportOptions { Total = total, Budgets = budget ? new MemoryBudgets { RamBytes = 1 } : null };
            var (reports, errors) = Run(options);
            Assert.Empty(reports);
            var error = Assert.Single(errors);
            Assert.Equal(MlfErrorIds.NoModules, error.ErrorId);
            Assert.Contains("-Path", error.Message);
        }

        [Fact]
        public void Receiving_no_module_without_a_total_or_a_budget_is_no_error()
        {
            var (reports, errors) = Run(new MemoryReportOptions());
            Assert.Empty(reports);
            Assert.Empty(errors);
        }

        [SampleFact]
        public void ParametersBytes_is_null_without_a_params_file_and_0_for_the_empty_one_TVM_writes_for_AOT()
        {
            var aww = MlfReader.ReadModules(TestPaths.Sample("v7-aot-muriscvnn-aww.tar")).Single();
            Assert.Equal(32, aww.Files.Single(f => f.Kind == MlfFileKind.Parameters).Size);
            var withEmptyFile = ModuleMemoryReports.ForModule(aww).Single();
            Assert.Equal((0L, 0), (withEmptyFile.ParametersBytes, withEmptyFile.ParameterCount));

            var withoutFile = ModuleMemoryReports.ForModule(AotWithoutIo("bare", 10)).Single();
            Assert.Null(withoutFile.ParametersBytes);
            Assert.Null(Assert.Single(MemoryTotals.Of(new[] { withoutFile })).ParametersBytes);
            Assert.Equal(0L, Assert.Single(MemoryTotals.Of(new[] { withoutFile, withEmptyFile })).ParametersBytes);
        }

        [Fact]
        public void The_error_that_stops_a_gate_names_every_violation_on_a_line_of_its_own()
        {
            var big = AotWithoutIo("big", 603_648);
            var small = AotWithoutIo("small", 1000);
            var (_, errors) = Run(new MemoryReportOptions { Total = true, Budgets = new MemoryBudgets { RamBytes = 4096, WorkspaceBytes = 500 } }, big, small);
            var session = new MemoryReportSession(new MemoryReportOptions { Total = true, Budgets = new MemoryBudgets { RamBytes = 4096, WorkspaceBytes = 500 } }, _ => { }, _ => { });
            session.AddModule(big);
            session.AddModule(small);
            session.Complete();

            var combined = MemoryBudgetFinding.Combine(session.Findings);
            Assert.Equal(MlfErrorIds.MemoryBudgetExceeded, combined.ErrorId);
            string[] lines = combined.Message.Split('\n');
            Assert.Equal($"{session.Findings.Count} memory budget checks failed:", lines[0].TrimEnd('\r'));
            Assert.Equal(session.Findings.Select(f => "- " + f.Message), lines.Skip(1).Select(l => l.TrimEnd('\r')));
            Assert.Contains(lines, l => l.Contains("Module 'small'") && l.Contains("cannot be checked"));
            Assert.Contains(lines, l => l.Contains("All the modules together") || l.Contains("together"));
            Assert.Same(session.Findings[0].Report, combined.Target);
            Assert.Equal(errors.Count, session.Findings.Count);

            var unknownOnly = new MemoryReportSession(new MemoryReportOptions { Budgets = new MemoryBudgets { RamBytes = 1 << 20 } }, _ => { }, _ => { });
            unknownOnly.AddModule(small);
            Assert.Equal(MlfErrorIds.MemoryFigureUnknown, MemoryBudgetFinding.Combine(unknownOnly.Findings).ErrorId);
        }
    }
}
