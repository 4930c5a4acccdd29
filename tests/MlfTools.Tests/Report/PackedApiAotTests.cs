using System;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// TVM 0.8 AOT models with the packed API have no C interface header: their inputs are @main's first parameters, as
    /// many as are not weights of the params file, when tvmgen_&lt;m&gt;_run_model takes a pointer for each and the output.
    /// </summary>
    public class PackedApiAotTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        /// <summary>The sine sample (TVM 0.8, AOT) as a packed-API build wrote it: without codegen/host/include, and edited as given.</summary>
        private MlfModule SineWithoutHeader(string name, Func<string, byte[], byte[]?>? edit = null)
        {
            var archive = new TestArchive();
            foreach (var (path, data) in IndependentArchive.Read(TestPaths.Sample("v5-aot-sine.tar")).Files)
            {
                if (path.StartsWith("codegen/host/include/", StringComparison.Ordinal)) continue;
                byte[]? bytes = edit == null ? data : edit(path, data);
                if (bytes != null) archive.File("./" + path, bytes);
            }
            return MlfReader.ReadModules(archive.WriteTar(_temp.File(name))).Single();
        }

        [SampleFact]
        public void Sine_without_its_header_has_the_io_and_ram_it_has_with_it()
        {
            var withHeader = ModuleMemoryReports.ForModule(MlfReader.ReadModules(TestPaths.Sample("v5-aot-sine.tar")).Single()).Single();
            var packed = ModuleMemoryReports.ForModule(SineWithoutHeader("packed.tar")).Single();

            Assert.Equal((4L, 4L), (packed.InputBytes!.Value, packed.OutputBytes!.Value));
            Assert.Equal(withHeader.RamBytes, packed.RamBytes);
            Assert.Equal(1192L, packed.RamBytes);
        }

        [SampleFact]
        public void Without_the_entry_point_or_the_weights_the_inputs_stay_unknown()
        {
            // run_model renamed: nothing says how many of @main's parameters the entry point takes.
            var noEntry = SineWithoutHeader("no-entry.tar", (path, data) => path.EndsWith(".c", StringComparison.Ordinal)
                ? System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(data).Replace("tvmgen_default_run_model", "tvmgen_default_entry"))
                : data);
            Assert.Null(ModuleMemoryReports.ForModule(noEntry).Single().InputBytes);

            // No params file: the weights cannot be told from the inputs (7 parameters for 2 pointers).
            var noParams = SineWithoutHeader("no-params.tar", (path, data) => path.StartsWith("parameters/", StringComparison.Ordinal) ? null : data);
            Assert.Null(ModuleMemoryReports.ForModule(noParams).Single().InputBytes);
            Assert.Null(ModuleMemoryReports.ForModule(noParams).Single().RamBytes);
        }
    }
}
