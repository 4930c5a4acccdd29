using System;
using System.Collections.Generic;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>Memory reports of archives written here: several devices, unknown devices, operator style, old and malformed memory sections.</summary>
    public class MemoryReportTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        internal static string ModuleEntry(string name, string memory, string executor = "aot") =>
            $"\"{name}\": {{\"executors\": [\"{executor}\"], \"export_datetime\": \"2023-01-02 03:04:05Z\", \"memory\": {memory}, " +
            $"\"model_name\": \"{name}\", \"style\": \"full-model\", \"target\": [\"c -keys=cpu\"]}}";

        internal static string V7(params string[] entries) => $"{{\"modules\": {{{string.Join(", ", entries)}}}, \"version\": 7}}";

        private string Archive(string metadata, string file = "m.tar", params (string Path, byte[] Data)[] members)
        {
            var archive = new TestArchive().File("./metadata.json", metadata);
            foreach (var (path, data) in members) archive.File(path, data);
            return archive.WriteTar(_temp.File(file));
        }

        private MlfModule Module(string memory, string executor = "aot", params (string Path, byte[] Data)[] members) =>
            MlfReader.ReadModules(Archive(V7(ModuleEntry("default", memory, executor)), "m.tar", members)).Single();

        /// <summary>A params file whose tensors sit on the given DLPack device types.</summary>
        private static byte[] Params(params (string Name, long Elements, int DeviceType)[] tensors)
        {
            byte[] bytes = ParamsWriter.Write(tensors.Select(t => new ParamsWriter.Tensor(t.Name, 2, 32, new[] { t.Elements })).ToList());
            byte[] magic = BitConverter.GetBytes(0xDD5E40F096B4A13FUL);
            int at = 0;
            foreach (var tensor in tensors)
            {
                at = IndexOf(bytes, magic, at);
                BitConverter.GetBytes(tensor.DeviceType).CopyTo(bytes, at + 16);
                at += magic.Length;
            }
            return bytes;
        }

        private static int IndexOf(byte[] haystack, byte[] needle, int start)
        {
            for (int i = start; i <= haystack.Length - needle.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
            }
            throw new InvalidOperationException("array magic not found");
        }

        private const string TwoDeviceMemory =
            "{\"functions\": {\"main\": [" +
            "{\"constants_size_bytes\": 100, \"device\": 2, \"io_size_bytes\": 40, \"workspace_size_bytes\": 3000}, " +
            "{\"constants_size_bytes\": 7, \"device\": 1, \"inputs\": {\"x\": {\"dtype\": \"int8\", \"size\": 16}}, \"io_size_bytes\": 20, " +
            "\"outputs\": {\"y\": {\"dtype\": \"float32\", \"size\": 4}}, \"workspace_size_bytes\": 500}], " +
            "\"operator_functions\": [" +
            "{\"function_name\": \"tvmgen_default_fused_gpu\", \"workspace\": [{\"device\": 2, \"workspace_size_bytes\": 2900}]}, " +
            "{\"function_name\": \"tvmgen_default_fused_both\", \"workspace\": [{\"device\": 1, \"workspace_size_bytes\": 480}, {\"device\": 2, \"workspace_size_bytes\": 16}]}, " +
            "{\"function_name\": \"tvmgen_default_fused_cpu\", \"workspace\": [{\"device\": 1, \"workspace_size_bytes\": 0}]}]}, " +
            "\"sids\": [{\"size_bytes\": 64, \"storage_id\": 0}, {\"size_bytes\": 36, \"storage_id\": 1}]}";

        [Fact]
        public void Each_device_of_main_gets_a_report_in_main_order_with_its_own_figures()
        {
            var module = Module(TwoDeviceMemory, "graph", ("./parameters/default.params", Params(("w", 10, 1), ("g", 3, 2))));

            var reports = ModuleMemoryReports.ForModule(module);

            Assert.Equal(new[] { 2, 1 }, reports.Select(r => r.DeviceType));
            Assert.Equal(new[] { "CUDA", "CPU" }, reports.Select(r => r.Device));
            var (cuda, cpu) = (reports[0], reports[1]);
            Assert.Equal((3000L, 100L, 40L), (cuda.WorkspaceBytes!.Value, cuda.ConstantsBytes!.Value, cuda.IoBytes!.Value));
            Assert.Equal((500L, 7L, 20L), (cpu.WorkspaceBytes!.Value, cpu.ConstantsBytes!.Value, cpu.IoBytes!.Value));
            Assert.Null(cuda.Inputs);
            Assert.Null(cuda.Outputs);
            Assert.Equal(new[] { ("x", "int8", 16L) }, cpu.Inputs!.Select(t => (t.Name, t.DType, t.Bytes)));
            Assert.Equal(new[] { ("y", "float32", 4L) }, cpu.Outputs!.Select(t => (t.Name, t.DType, t.Bytes)));
            Assert.Equal(new[] { ("tvmgen_default_fused_gpu", 2900L), ("tvmgen_default_fused_both", 16L) }, cuda.Functions.Select(f => (f.Function, f.WorkspaceBytes)));
            Assert.Equal(new[] { ("tvmgen_default_fused_both", 480L), ("tvmgen_default_fused_cpu", 0L) }, cpu.Functions.Select(f => (f.Function, f.WorkspaceBytes)));
            Assert.All(cuda.Functions, f => Assert.Equal("CUDA", f.Device));
            // Module-wide sids go on the host (CPU) row only; each tensor on the row of its device.
            Assert.Null(cuda.SidsBytes);
            Assert.Equal(100, cpu.SidsBytes);
            Assert.Equal((12L, 1), (cuda.ParametersBytes, cuda.ParameterCount));
            Assert.Equal((40L, 1), (cpu.ParametersBytes, cpu.ParameterCount));
            Assert.All(reports, r => Assert.Equal("graph", r.Executor));
            Assert.All(reports, r => Assert.Null(r.GraphStorageBytes)); // no graph config in this archive
        }

        [Fact]
        public void ByFunction_lists_every_device_largest_first_ties_by_name_then_device()
        {
            const string memory = "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": 64}], \"operator_functions\": [" +
                "{\"function_name\": \"b\", \"workspace\": [{\"device\": 1, \"workspace_size_bytes\": 32}]}, " +
                "{\"function_name\": \"a\", \"workspace\": [{\"device\": 2, \"workspace_size_bytes\": 32}, {\"device\": 1, \"workspace_size_bytes\": 32}]}, " +
                "{\"function_name\": \"B\", \"workspace\": [{\"device\": 1, \"workspace_size_bytes\": 32}]}, " +
                "{\"function_name\": \"small\", \"workspace\": [{\"device\": 1, \"workspace_size_bytes\": 1}]}, " +
                "{\"function_name\": \"big\", \"workspace\": [{\"device\": 1, \"workspace_size_bytes\": 64}]}]}}";
            var module = Module(memory);

            var functions = ModuleMemoryReports.ForFunctions(module);

            Assert.Equal(new[] { ("big", 1), ("B", 1), ("a", 1), ("a", 2), ("b", 1), ("small", 1) }, functions.Select(f => (f.Function, f.DeviceType)));
            Assert.Equal(new[] { "big", "B", "a", "b", "small" }, ModuleMemoryReports.ForModule(module)[0].Functions.Select(f => f.Function));
        }

        [Theory]
        [InlineData(1, "CPU")]
        [InlineData(2, "CUDA")]
        [InlineData(3, "CUDAHost")]
        [InlineData(4, "OpenCL")]
        [InlineData(7, "Vulkan")]
        [InlineData(8, "Metal")]
        [InlineData(9, "VPI")]
        [InlineData(10, "ROCm")]
        [InlineData(11, "ROCmHost")]
        [InlineData(12, "ExtDev")]
        [InlineData(13, "CUDAManaged")]
        [InlineData(14, "OneAPI")]
        [InlineData(15, "WebGPU")]
        [InlineData(16, "Hexagon")]
        [InlineData(32, "AOCL")]
        [InlineData(33, "SDAccel")]
        [InlineData(34, "OpenGL")]
        [InlineData(35, "MicroDev")]
        [InlineData(0, "0")]
        [InlineData(5, "5")]
        [InlineData(6, "6")]
        [InlineData(17, "17")]
        [InlineData(99, "99")]
        public void Devices_are_named_as_DLPack_and_TVM_name_them_else_by_number(int deviceType, string name)
        {
            Assert.Equal(name, DeviceNames.Of(deviceType));
        }

        [Fact]
        public void Unknown_device_numbers_are_reported_by_number_and_without_a_CPU_the_first_device_is_the_host()
        {
            const string memory = "{\"functions\": {\"main\": [{\"device\": 99, \"workspace_size_bytes\": 1}, {\"device\": 5, \"workspace_size_bytes\": 2}], " +
                "\"operator_functions\": [{\"function_name\": \"f\", \"workspace\": [{\"device\": 99, \"workspace_size_bytes\": 1}]}]}, \"sids\": [{\"size_bytes\": 8, \"storage_id\": 0}]}";
            var module = Module(memory, "graph", ("./parameters/default.params", Params(("cpu_tensor", 2, 1), ("on5", 1, 5))));

            var reports = ModuleMemoryReports.ForModule(module);

            Assert.Equal(new[] { ("99", 99), ("5", 5) }, reports.Select(r => (r.Device, r.DeviceType)));
            Assert.Equal("99", Assert.Single(reports[0].Functions).Device);
            Assert.Equal(8, reports[0].SidsBytes);
            Assert.Null(reports[1].SidsBytes);
            // The CPU tensor has no row of its own, so it counts on the host row.
            Assert.Equal((8L, 1), (reports[0].ParametersBytes, reports[0].ParameterCount));
            Assert.Equal((4L, 1), (reports[1].ParametersBytes, reports[1].ParameterCount));
        }

        [Fact]
        public void A_device_only_an_operator_function_uses_gets_a_report_without_main_figures()
        {
            const string memory = "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": 10, \"constants_size_bytes\": 0, \"io_size_bytes\": 4}], " +
                "\"operator_functions\": [{\"function_name\": \"f\", \"workspace\": [{\"device\": 35, \"workspace_size_bytes\": 6}]}]}}";

            var reports = ModuleMemoryReports.ForModule(Module(memory));

            Assert.Equal(new[] { "CPU", "MicroDev" }, reports.Select(r => r.Device));
            Assert.Null(reports[1].WorkspaceBytes);
            Assert.Null(reports[1].ConstantsBytes);
            Assert.Null(reports[1].IoBytes);
            Assert.Equal(6, Assert.Single(reports[1].Functions).WorkspaceBytes);
            Assert.Empty(reports[0].Functions);
        }

        [Fact]
        public void A_graph_config_with_device_index_gives_storage_per_device()
        {
            const string graph = "{\"nodes\": [{\"op\": \"null\", \"name\": \"x\", \"inputs\": []}, " +
                "{\"op\": \"tvm_op\", \"name\": \"k\", \"attrs\": {\"func_name\": \"tvmgen_default_k\", \"num_outputs\": \"1\"}, \"inputs\": [[0, 0, 0]]}, " +
                "{\"op\": \"tvm_op\", \"name\": \"k2\", \"attrs\": {\"func_name\": \"tvmgen_default_k2\", \"num_outputs\": \"1\"}, \"inputs\": [[1, 0, 0]]}], " +
                "\"arg_nodes\": [0], \"heads\": [[2, 0, 0]], \"node_row_ptr\": [0, 1, 2, 3], " +
                "\"attrs\": {\"storage_id\": [\"list_int\", [0, 1, 0]], \"shape\": [\"list_shape\", [[4], [8], [2]]], " +
                "\"dltype\": [\"list_str\", [\"float32\", \"float32\", \"float32\"]], \"device_index\": [\"list_int\", [1, 2, 1]]}}";
            const string memory = "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": 0}], \"operator_functions\": []}}";
            var module = Module(memory, "graph", ("./executor-config/graph/default.graph", System.Text.Encoding.UTF8.GetBytes(graph)));

            var reports = ModuleMemoryReports.ForModule(module);

            Assert.Equal(new[] { 1, 2 }, reports.Select(r => r.DeviceType));
            Assert.Equal(16, reports[0].GraphStorageBytes); // storage 0: max(16, 8)
            Assert.Equal(32, reports[1].GraphStorageBytes);
            Assert.Null(reports[1].WorkspaceBytes);
        }

        [Fact]
        public void A_module_whose_memory_names_no_device_gets_one_CPU_report_with_null_metadata_figures()
        {
            var module = Module("{\"functions\": {\"main\": [], \"operator_functions\": []}}", "aot",
                ("./parameters/default.params", Params(("w", 5, 1))));

            var report = Assert.Single(ModuleMemoryReports.ForModule(module));

            Assert.Equal((1, "CPU"), (report.DeviceType, report.Device));
            Assert.Null(report.WorkspaceBytes);
            Assert.Null(report.ConstantsBytes);
            Assert.Null(report.IoBytes);
            Assert.Null(report.SidsBytes);
            Assert.Null(report.Inputs);
            Assert.Empty(report.Functions);
            Assert.Equal((20L, 1), (report.ParametersBytes, report.ParameterCount));
        }

        [Fact]
        public void Version_1_memory_is_a_list_of_sids()
        {
            string metadata = "{\"version\": 1, \"model_name\": \"default\", \"export_datetime\": \"2021-03-04 05:06:07Z\", \"runtimes\": [\"graph\"], " +
                "\"target\": {\"1\": \"c\"}, \"memory\": [{\"storage_id\": 0, \"size_bytes\": 12, \"input_binding\": \"x\"}, {\"storage_id\": 1, \"size_bytes\": 30}]}";

            var report = Assert.Single(ModuleMemoryReports.ForModule(MlfReader.ReadModules(Archive(metadata)).Single()));

            Assert.Equal(42, report.SidsBytes);
            Assert.Equal("CPU", report.Device);
            Assert.Null(report.WorkspaceBytes);
            Assert.Null(report.ParametersBytes); // no params file: unknown, not 0
        }

        [Fact]
        public void Operator_style_gives_one_report_whose_io_is_the_sum_of_the_primfunc_buffers()
        {
            const string metadata = "{\"version\": 7, \"model_name\": \"add\", \"export_datetime\": \"2023-01-02 03:04:05Z\", " +
                "\"memory\": {\"add\": [{\"size_bytes\": 8, \"shape\": [2], \"dtype\": \"float32\", \"input_binding\": \"A\"}, " +
                "{\"size_bytes\": 8, \"shape\": [2], \"dtype\": \"float32\", \"input_binding\": \"B\"}], " +
                "\"sub\": [{\"size_bytes\": 4, \"shape\": [4], \"dtype\": \"int8\", \"input_binding\": \"C\"}]}, " +
                "\"target\": [\"c -keys=cpu\"], \"executors\": [], \"style\": \"operator\"}";
            var module = MlfReader.ReadModules(Archive(metadata, "op.tar", ("src/tir-1.txt", new byte[] { 1 }), ("codegen/host/src/lib0.c", new byte[] { 2 }))).Single();

            var report = Assert.Single(ModuleMemoryReports.ForModule(module));

            Assert.Equal("add", report.Module);
            Assert.Null(report.Executor);
            Assert.Equal((1, "CPU"), (report.DeviceType, report.Device));
            Assert.Equal(20, report.IoBytes);
            Assert.Null(report.WorkspaceBytes);
            Assert.Null(report.ConstantsBytes);
            Assert.Null(report.SidsBytes);
            Assert.Null(report.GraphStorageBytes);
            Assert.Null(report.Inputs);
            Assert.Empty(report.Functions);
            Assert.Null(report.ParametersBytes);
            Assert.Equal(0, report.ParameterCount);
            Assert.Empty(ModuleMemoryReports.ForFunctions(module));
        }

        [Fact]
        public void Operator_style_takes_the_device_of_its_only_tir_file()
        {
            const string metadata = "{\"version\": 5, \"model_name\": \"k\", \"export_datetime\": \"2023-01-02 03:04:05Z\", \"memory\": {\"k\": []}, " +
                "\"target\": {\"2\": \"cuda\"}, \"executors\": [], \"style\": \"operator\"}";
            var module = MlfReader.ReadModules(Archive(metadata, "op.tar", ("src/tir-2.txt", new byte[] { 1 }))).Single();

            var report = Assert.Single(ModuleMemoryReports.ForModule(module));

            Assert.Equal((2, "CUDA"), (report.DeviceType, report.Device));
            Assert.Equal(0, report.IoBytes);
        }

        public static IEnumerable<object[]> MalformedMemory() => new[]
        {
            "5", "\"big\"", "true",
            "{\"sids\": 5}", "{\"sids\": [5]}", "{\"sids\": [{\"storage_id\": 0}]}", "{\"sids\": [{\"size_bytes\": \"12\"}]}", "{\"sids\": [{\"size_bytes\": -1}]}",
            "{\"functions\": []}", "{\"functions\": {\"main\": {}}}", "{\"functions\": {\"main\": [5]}}",
            "{\"functions\": {\"main\": [{\"workspace_size_bytes\": 1}]}}",
            "{\"functions\": {\"main\": [{\"device\": \"1\"}]}}", "{\"functions\": {\"main\": [{\"device\": 1.0}]}}",
            "{\"functions\": {\"main\": [{\"device\": -1}]}}", "{\"functions\": {\"main\": [{\"device\": 4294967297}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": \"1\"}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"constants_size_bytes\": 1.5}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"io_size_bytes\": 99999999999999999999999}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"workspace_size_bytes\": null}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1}, {\"device\": 1}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"inputs\": []}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"inputs\": {\"x\": 5}}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"inputs\": {\"x\": {\"dtype\": \"int8\"}}}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"outputs\": {\"y\": {\"dtype\": 8, \"size\": 1}}}]}}",
            "{\"functions\": {\"main\": [{\"device\": 1, \"outputs\": {\"y\": {\"dtype\": \"int8\", \"size\": \"1\"}}}]}}",
            "{\"functions\": {\"operator_functions\": {}}}", "{\"functions\": {\"operator_functions\": [5]}}",
            "{\"functions\": {\"operator_functions\": [{\"workspace\": []}]}}",
            "{\"functions\": {\"operator_functions\": [{\"function_name\": 5, \"workspace\": []}]}}",
            "{\"functions\": {\"operator_functions\": [{\"function_name\": \"f\", \"workspace\": {}}]}}",
            "{\"functions\": {\"operator_functions\": [{\"function_name\": \"f\", \"workspace\": [5]}]}}",
            "{\"functions\": {\"operator_functions\": [{\"function_name\": \"f\", \"workspace\": [{\"device\": 1}]}]}}",
            "{\"functions\": {\"operator_functions\": [{\"function_name\": \"f\", \"workspace\": [{\"device\": \"cpu\", \"workspace_size_bytes\": 1}]}]}}",
            "{\"functions\": {\"operator_functions\": [{\"function_name\": \"f\", \"workspace\": [{\"device\": 1, \"workspace_size_bytes\": -5}]}]}}",
        }.Select(m => new object[] { m });

        [Theory]
        [MemberData(nameof(MalformedMemory))]
        public void A_malformed_memory_section_is_MetadataInvalid_naming_archive_and_module_and_the_module_is_still_read(string memory)
        {
            var module = Module(memory); // reading the module does not look into memory

            var ex = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(module));

            Assert.Equal(MlfErrorIds.MetadataInvalid, ex.ErrorId);
            Assert.Equal(module.SourcePath, ex.Target);
            Assert.Contains(module.SourcePath, ex.Message);
            Assert.Contains("module 'default'", ex.Message);
            Assert.Contains("memory", ex.Message);
        }

        [Theory]
        [InlineData("[]")]
        [InlineData("{\"add\": 5}")]
        [InlineData("{\"add\": [5]}")]
        [InlineData("{\"add\": [{\"shape\": [2]}]}")]
        [InlineData("{\"add\": [{\"size_bytes\": \"8\"}]}")]
        public void A_malformed_operator_style_memory_section_is_MetadataInvalid(string memory)
        {
            string metadata = "{\"version\": 7, \"model_name\": \"add\", \"export_datetime\": \"2023-01-02 03:04:05Z\", \"memory\": " + memory + ", " +
                "\"target\": [\"c -keys=cpu\"], \"executors\": [], \"style\": \"operator\"}";
            var module = MlfReader.ReadModules(Archive(metadata, "op.tar")).Single();

            var ex = Assert.Throws<MlfException>(() => ModuleMemoryReports.ForModule(module));

            Assert.Equal(MlfErrorIds.MetadataInvalid, ex.ErrorId);
            Assert.Contains("module 'add'", ex.Message);
        }

        [Fact]
        public void Missing_optional_parts_of_the_memory_section_give_null_figures_not_errors()
        {
            var report = Assert.Single(ModuleMemoryReports.ForModule(Module("{\"functions\": {\"main\": [{\"device\": 1}]}}")));
            Assert.Null(report.WorkspaceBytes);
            Assert.Null(report.ConstantsBytes);
            Assert.Null(report.IoBytes);
            Assert.Empty(report.Functions);

            Assert.Single(ModuleMemoryReports.ForModule(Module("{}")));
            Assert.Single(ModuleMemoryReports.ForModule(Module("{\"functions\": {}}")));
            Assert.Single(ModuleMemoryReports.ForModule(Module("{\"functions\": {\"operator_functions\": [{\"function_name\": \"f\"}]}}")));
        }
    }
}
