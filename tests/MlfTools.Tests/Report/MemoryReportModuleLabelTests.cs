using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;
using static MlfTools.Tests.Report.MemoryReportTests;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// The Module column of the memory report table (<see cref="MemoryReportText.Module"/>): everything is one table, so
    /// a row whose module name does not tell it apart names its archive's file.
    /// </summary>
    public class MemoryReportModuleLabelTests : IDisposable
    {
        private const string Memory = "{\"functions\": {\"main\": [{\"constants_size_bytes\": 0, \"device\": 1, \"io_size_bytes\": 8, \"workspace_size_bytes\": 64}]}}";

        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private List<MlfModule> Archive(string fileName, params string[] moduleNames)
        {
            string path = new TestArchive().File("./metadata.json", V7(moduleNames.Select(n => ModuleEntry(n, Memory)).ToArray())).WriteTar(_temp.File(fileName));
            return MlfReader.ReadModules(path).ToList();
        }

        private static List<string> Labels(bool total, params List<MlfModule>[] archives)
        {
            var reports = new List<MemoryReport>();
            var session = new MemoryReportSession(new MemoryReportOptions { Total = total }, o => reports.Add((MemoryReport)o), ex => throw ex);
            foreach (var archive in archives) session.AddArchive(archive);
            session.Complete();
            return reports.Select(MemoryReportText.Module).ToList();
        }

        [Fact]
        public void Modules_called_default_name_their_archive_file_and_the_total_does_not()
        {
            var labels = Labels(true, Archive("kws.tar", "default"), Archive("v4-graph-yesno.tar", "default"));

            Assert.Equal(new[] { "default (kws.tar)", "default (v4-graph-yesno.tar)", "(total)" }, labels);
        }

        [Fact]
        public void A_total_over_one_archive_names_it_as_one_command_per_archive_gives_a_total_for_each()
        {
            Assert.Equal(new[] { "kws", "wand", "(total) (firmware.tar)" }, Labels(true, Archive("firmware.tar", "kws", "wand")));
        }

        [Fact]
        public void Named_modules_show_their_name_alone_and_a_name_another_archive_had_names_its_archive()
        {
            var labels = Labels(false, Archive("firmware.tar", "kws", "person_detect"), Archive("kws-v2.tar", "kws"));

            Assert.Equal(new[] { "kws", "person_detect", "kws (kws-v2.tar)" }, labels);
        }

        [Fact]
        public void A_report_made_without_a_session_is_its_module_name_and_a_device_other_than_the_cpu_follows_it()
        {
            var report = ModuleMemoryReports.ForModule(Archive("kws.tar", "kws").Single()).Single();
            Assert.Equal("kws", MemoryReportText.Module(report));

            string onCuda = Memory.Replace("\"device\": 1", "\"device\": 2");
            string path = new TestArchive().File("./metadata.json", V7(ModuleEntry("default", onCuda))).WriteTar(_temp.File("gpu.tar"));
            var reports = new List<MemoryReport>();
            var session = new MemoryReportSession(new MemoryReportOptions(), o => reports.Add((MemoryReport)o), ex => throw ex);
            session.AddArchive(MlfReader.ReadModules(path));
            Assert.Equal("default (gpu.tar) (" + reports.Single().Device + ")", MemoryReportText.Module(reports.Single()));
            Assert.NotEqual(DeviceNames.CpuDeviceType, reports.Single().DeviceType);
            Assert.Throws<ArgumentNullException>(() => MemoryReportText.Module(null!));
        }
    }
}
