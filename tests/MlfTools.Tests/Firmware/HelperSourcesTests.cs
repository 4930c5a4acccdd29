using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Firmware;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Firmware
{
    /// <summary>What -IncludeHelpers adds to a join, what it leaves alone, and what it refuses.</summary>
    public class HelperSourcesTests
    {
        private static MlfModule Module(string sample, string name) => MlfReader.ReadModules(TestPaths.Sample(sample)).Single().WithName(name);

        private static Dictionary<string, byte[]> Members(string archive)
        {
            var members = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            using var stream = File.OpenRead(archive);
            using var reader = new System.Formats.Tar.TarReader(stream);
            while (reader.GetNextEntry() is TarEntry entry)
            {
                if (entry.EntryType != TarEntryType.RegularFile && entry.EntryType != TarEntryType.V7RegularFile) continue;
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                members[entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name.Substring(2) : entry.Name] = data.ToArray();
            }
            return members;
        }

        private static string Join(TempFolder temp, string name, MlfJoinOptions options, params MlfModule[] modules)
        {
            string path = temp.File(name);
            JoinWriter.Write(JoinPlanner.Plan(modules, options), path, overwrite: false);
            return path;
        }

        [SampleFact]
        public void The_helpers_only_add_a_folder_every_other_member_is_the_default_join_s_byte_for_byte()
        {
            using var temp = new TempFolder();
            var time = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var plain = Members(Join(temp, "plain.tar", new MlfJoinOptions { RuntimeFrom = "mlp", Timestamp = time }, Module("v7-aot-crt-mlp.tar", "mlp"), Module("v7-graph-magicwand.tar", "wand")));
            var helped = Members(Join(temp, "helped.tar", new MlfJoinOptions { RuntimeFrom = "mlp", Timestamp = time, IncludeHelpers = true }, Module("v7-aot-crt-mlp.tar", "mlp"), Module("v7-graph-magicwand.tar", "wand")));

            Assert.DoesNotContain(plain.Keys, k => k.StartsWith("helpers/", StringComparison.Ordinal));
            Assert.Equal(plain.Keys.OrderBy(k => k, StringComparer.Ordinal), helped.Keys.Where(k => !k.StartsWith("helpers/", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (path, bytes) in plain) Assert.True(bytes.SequenceEqual(helped[path]), $"{path} differs when the helpers are added");
            Assert.Equal(
                new[] { "Makefile", "README.md", "crt_config.h", "example.c", "mlf_arena.h", "mlf_graph.c", "mlf_graph.h", "mlf_models.c", "mlf_models.h", "mlf_platform.c", "mlf_wand_data.c" },
                helped.Keys.Where(k => k.StartsWith("helpers/", StringComparison.Ordinal)).Select(k => k.Substring(8)).OrderBy(k => k, StringComparer.Ordinal));
        }

        [SampleFact]
        public void A_single_module_with_its_runtime_gets_helpers_and_one_without_a_runtime_is_refused_naming_the_remedy()
        {
            using var temp = new TempFolder();
            var one = Members(Join(temp, "mlp.tar", new MlfJoinOptions { IncludeHelpers = true }, Module("v7-aot-crt-mlp.tar", "default")));
            string header = Encoding.UTF8.GetString(one["helpers/mlf_models.h"]);
            Assert.Contains("int32_t mlf_default_run(void* const* inputs, void* const* outputs);", header);
            Assert.Contains("#define MLF_DEFAULT_INPUT0_BYTES 5 /* serving_default_input_1:0: int8[1, 5] */", header);

            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { Module("v5-aot-sine.tar", "sine") }, new MlfJoinOptions { IncludeHelpers = true }));
            Assert.Equal(MlfErrorIds.HelpersUnsupported, error.ErrorId);
            Assert.Contains("-RuntimeFrom", error.Message);
            Assert.Contains("runtime/src/runtime/crt/common/crt_backend_api.c", error.Message);
        }

        [SampleFact]
        public void The_per_module_layout_is_refused_with_helpers()
        {
            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { Module("v7-aot-crt-mlp.tar", "mlp") },
                new MlfJoinOptions { IncludeHelpers = true, Layout = MlfLayout.PerModule }));
            Assert.Equal(MlfErrorIds.HelpersUnsupported, error.ErrorId);
            Assert.Contains("-Layout Flat", error.Message);
        }

        [SampleFact]
        public void A_joined_archive_with_helpers_joins_again_without_its_old_helpers_and_gets_new_ones_for_its_new_names()
        {
            using var temp = new TempFolder();
            string first = Join(temp, "first.tar", new MlfJoinOptions { RuntimeFrom = "mlp", IncludeHelpers = true }, Module("v7-aot-crt-mlp.tar", "mlp"), Module("v5-aot-sine.tar", "sine"));
            var modules = MlfReader.ReadModules(first).Select(m => m.Name == "sine" ? m.WithName("sine2") : m).ToList();

            var plan = JoinPlanner.Plan(modules, new MlfJoinOptions { RuntimeFrom = "mlp" });
            Assert.Contains(plan.Warnings, w => w.Contains("helpers/") && w.Contains("earlier join"));
            string plainPath = temp.File("again.tar");
            JoinWriter.Write(plan, plainPath, overwrite: false);
            Assert.DoesNotContain(Members(plainPath).Keys, k => k.StartsWith("helpers/", StringComparison.Ordinal));

            var helped = Members(Join(temp, "again-helped.tar", new MlfJoinOptions { RuntimeFrom = "mlp", IncludeHelpers = true }, modules.ToArray()));
            string header = Encoding.UTF8.GetString(helped["helpers/mlf_models.h"]);
            Assert.Contains("mlf_sine2_run", header);
            Assert.DoesNotContain("mlf_sine_run", header);
        }

        [SampleFact]
        public void A_tvm_0_8_aot_model_is_called_through_its_packed_entry_with_the_sizes_its_archive_gives()
        {
            using var temp = new TempFolder();
            var helped = Members(Join(temp, "sine.tar", new MlfJoinOptions { RuntimeFrom = "mlp", IncludeHelpers = true }, Module("v7-aot-crt-mlp.tar", "mlp"), Module("v5-aot-sine.tar", "sine")));
            string source = Encoding.UTF8.GetString(helped["helpers/mlf_models.c"]);
            string header = Encoding.UTF8.GetString(helped["helpers/mlf_models.h"]);
            // Its header declares tvmgen_sine_run, which its code never defines: the helpers call what the code defines.
            Assert.Contains("TVM_DLL int32_t tvmgen_sine_run_model(void* arg0, void* arg1);", source);
            Assert.Contains("return tvmgen_sine_run_model(inputs[0], outputs[0]);", source);
            Assert.Contains("/* sine: AOT, packed entry of TVM 0.8 (tvmgen_sine_run_model) */", header);
            // TVM 0.8 prints no return type: the output is io_size_bytes less the input, its dtype unknown.
            Assert.Contains("#define MLF_SINE_OUTPUT0_BYTES 4 /* output: unknown[4] */", header);
            Assert.Contains("return tvmgen_mlp_run(&in, &out);", source);
        }

        [ToolFact("gcc")]
        public void Every_byte_survives_a_c_string_literal_as_the_helpers_write_it()
        {
            using var temp = new TempFolder();
            var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Encoding.ASCII.GetBytes("??=\"\\?7\n0")).ToArray();
            string program = temp.File("literal.c");
            File.WriteAllText(program, "#include <stdio.h>\nstatic const char data[] =\n" + CLiterals.String(bytes, 40) +
                ";\nint main(void) { for (size_t i = 0; i + 1 < sizeof(data); i++) printf(\"%02x\", (unsigned char)data[i]); return 0; }\n");
            string exe = temp.File("literal");
            ExternalTool.Run("gcc", temp.Path, "-std=c99", "-trigraphs", "-o", exe, program);
            Assert.Equal(Convert.ToHexString(bytes).ToLowerInvariant(), ExternalTool.Run(exe, temp.Path));
        }
    }
}
