using System;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;
using static MlfTools.Tests.Report.MemoryReportTests;

namespace MlfTools.Tests.Report
{
    /// <summary>Budget figures as people read them: percentages to a tenth, no "inf%", an OVER figure that does not read as its budget.</summary>
    public class BudgetFigureTextTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private MemoryReport Checked(long workspace, MemoryBudgets budgets)
        {
            string memory = $"{{\"functions\": {{\"main\": [{{\"device\": 1, \"workspace_size_bytes\": {workspace}}}]}}}}";
            string path = new TestArchive().File("./metadata.json", V7(ModuleEntry("m", memory))).WriteTar(_temp.File($"m{workspace}.tar"));
            var report = ModuleMemoryReports.ForModule(MlfReader.ReadModules(path).Single()).Single();
            BudgetChecks.Apply(new[] { report }, budgets);
            return report;
        }

        [Fact]
        public void UsedPercent_is_rounded_to_a_tenth()
        {
            var report = Checked(1000, new MemoryBudgets { WorkspaceBytes = 3000 });
            Assert.Equal(33.3, report.UsedPercent);
            Assert.Equal(33.3, report.Budgets.Single().UsedPercent);
            Assert.Equal("33%", MemoryReportText.Used(report));
        }

        [Fact]
        public void A_budget_of_0_has_no_percentage_and_shows_OVER_alone()
        {
            var budgets = new MemoryBudgets { WorkspaceBytes = 0 };
            var report = Checked(10, budgets);
            Assert.Null(report.UsedPercent);
            Assert.Equal("OVER", report.Status);
            Assert.Equal("OVER", MemoryReportText.Used(report));
            var finding = Assert.Single(BudgetChecks.Apply(new[] { report }, budgets));
            Assert.DoesNotContain("Infinity", finding.Message);
            Assert.Contains("the budget of 0 B (0 bytes)", finding.Message);

            var zero = Checked(0, budgets);
            Assert.Equal(0, zero.UsedPercent);
            Assert.Equal("OK", zero.Status);
        }

        [Theory]
        [InlineData(1_100_000, "1.05 MiB OVER")]
        [InlineData(1_049_000, "1049000 B OVER")]
        [InlineData(1_207_832, "1.2 MiB OVER")]
        public void A_figure_over_its_budget_never_reads_as_the_budget(long workspace, string expected)
        {
            var report = Checked(workspace, new MemoryBudgets { WorkspaceBytes = 1 << 20 });
            Assert.Equal(expected, MemoryReportText.Figure(report, nameof(MemoryReport.WorkspaceBytes)));
        }
    }
}
