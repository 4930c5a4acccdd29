using MlfTools.Text;
using System;
using System.IO;
using System.Linq;
using System.Text;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// Joins of system-lib graph builds: the entry point renamed only when several modules carry one, the link-params
    /// lookup renamed with its module, the one-byte registry count of TVM 0.8 widened, long names warned about.
    /// </summary>
    public class SystemLibJoinTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private (MlfJoinPlan Plan, string Path) Join(params MlfModule[] modules)
        {
            var plan = JoinPlanner.Plan(modules, new MlfJoinOptions());
            string path = _temp.File(Guid.NewGuid().ToString("N") + ".tar");
            JoinWriter.Write(plan, path, overwrite: false);
            return (plan, path);
        }

        private static string Member(string archive, string path)
        {
            var entry = JoinedArchive.Headers(archive).Single(e => e.Name == "./" + path);
            using var reader = new StreamReader(entry.DataStream!, Encoding.Latin1);
            return reader.ReadToEnd();
        }

        private static string SampleMember(string sample, string path) =>
            Encoding.Latin1.GetString(IndependentArchive.Read(TestPaths.Sample(sample)).Files[path]);

        [SampleFact]
        public void Two_system_libraries_each_get_an_entry_point_named_for_their_module()
        {
            var (plan, joined) = Join(JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"), JoinedArchive.Sample("v4-graph-yesno.tar", "yes_no"));

            string wand = Member(joined, "codegen/host/src/wand_lib0.c");
            string yesNo = Member(joined, "codegen/host/src/yes_no_lib0.c");
            Assert.Contains("const TVMModule* tvmgen_wand_system_lib(void) {\n    return &_tvm_system_lib;\n}", wand);
            Assert.Contains("const TVMModule* tvmgen_yes_no_system_lib(void) {\n    return &_tvm_system_lib;\n}", yesNo);
            Assert.DoesNotContain("TVMSystemLibEntryPoint", wand + yesNo);
            // The entry point is the only change besides the module name: renaming the rest back gives the original.
            Assert.Equal(SampleMember("v7-graph-magicwand.tar", "codegen/host/src/default_lib0.c"),
                wand.Replace("tvmgen_wand_system_lib", "TVMSystemLibEntryPoint").Replace("tvmgen_wand_", "tvmgen_default_"));
            var warning = Assert.Single(plan.Warnings);
            Assert.Contains("'wand': tvmgen_wand_system_lib(), 'yes_no': tvmgen_yes_no_system_lib()", warning);
        }

        [SampleFact]
        public void The_link_params_lookup_takes_the_module_prefix_in_code_and_keeps_its_registry_string()
        {
            var (_, joined) = Join(JoinedArchive.Sample("v4-graph-yesno.tar", "yes_no"));
            string lib0 = Member(joined, "codegen/host/src/yes_no_lib0.c");
            string lib1 = Member(joined, "codegen/host/src/yes_no_lib1.c");
            Assert.Contains("TVM_DLL int32_t tvmgen_yes_no__lookup_linked_param(TVMValue* args,", lib0);
            Assert.Contains("    (TVMBackendPackedCFunc)tvmgen_yes_no__lookup_linked_param,\n};", lib0);
            Assert.EndsWith("\\000_lookup_linked_param\\000\",    _tvm_func_array,", lib0.Split('\n').Single(l => l.Contains("_tvm_func_array,")));
            Assert.Contains("TVM_DLL int32_t tvmgen_yes_no__lookup_linked_param(void* args,", lib1);
            Assert.Equal(0, CountWord(lib0 + lib1, "_lookup_linked_param")); // none left in code (the registry's "\\000" glues its string to a digit)
            Assert.Equal(3, CountWord(SampleMember("v4-graph-yesno.tar", "codegen/host/src/default_lib0.c") + SampleMember("v4-graph-yesno.tar", "codegen/host/src/default_lib1.c"), "_lookup_linked_param"));
            // One system library: its entry point keeps its name, so runtime.SystemLib still finds it.
            Assert.Contains("const TVMModule* TVMSystemLibEntryPoint(void) {", lib0);
        }

        [SampleFact]
        public void A_one_byte_registry_count_becomes_two_bytes_even_when_the_module_keeps_its_name()
        {
            var (plan, joined) = Join(JoinedArchive.Sample("v4-graph-yesno.tar"));
            string original = SampleMember("v4-graph-yesno.tar", "codegen/host/src/default_lib0.c");
            string lib0 = Member(joined, "codegen/host/src/default_lib0.c");
            Assert.Single(original.Split("\"\\007tvmgen_default_fused_nn_softmax\\000").Skip(1));
            // Exactly the high byte inserted, as TVM 0.9+ spells it: nothing else changes, _lookup_linked_param included.
            Assert.Equal(original.Replace("\"\\007tvmgen_default_", "\"\\007\\000tvmgen_default_"), lib0);
            Assert.Equal(SampleMember("v4-graph-yesno.tar", "codegen/host/src/default_lib1.c"), Member(joined, "codegen/host/src/default_lib1.c"));
            Assert.Empty(plan.Warnings);
        }

        [SampleFact]
        public void A_two_byte_registry_is_left_as_it_is()
        {
            var (_, joined) = Join(JoinedArchive.Sample("v7-graph-magicwand.tar"));
            Assert.Equal(SampleMember("v7-graph-magicwand.tar", "codegen/host/src/default_lib0.c"), Member(joined, "codegen/host/src/default_lib0.c"));
        }

        [SampleFact]
        public void One_system_library_among_other_modules_keeps_its_entry_point()
        {
            var (plan, joined) = Join(JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"), JoinedArchive.Sample("v5-aot-sine.tar", "sine"));
            Assert.Contains("const TVMModule* TVMSystemLibEntryPoint(void) {", Member(joined, "codegen/host/src/wand_lib0.c"));
            Assert.DoesNotContain(plan.Warnings, w => w.Contains("system library"));
        }

        [SampleFact]
        public void A_renamed_function_name_too_long_for_the_runtime_is_warned_about_by_name()
        {
            // yesno's longest kernel is 116 characters as tvmgen_yes_no_...; the CRT's 120-character buffer holds 118.
            var plan = JoinPlanner.Plan(new[] { JoinedArchive.Sample("v4-graph-yesno.tar", "yes_no_keyword") }, new MlfJoinOptions());
            string name = "tvmgen_yes_no_keyword_fused_nn_contrib_dense_pack_add_fixed_point_multiply_add_clip_cast_cast_subtract_14669711146056581479_";
            var warning = Assert.Single(plan.Warnings);
            Assert.Contains($"'{name}' ({name.Length} characters)", warning);
            Assert.Contains($"TVM_CRT_MAX_STRLEN_FUNCTION_NAME to at least {name.Length + 2}", warning);
            Assert.Empty(JoinPlanner.Plan(new[] { JoinedArchive.Sample("v4-graph-yesno.tar", "yes_no") }, new MlfJoinOptions()).Warnings);
        }

        private static int CountWord(string text, string word) =>
            System.Text.RegularExpressions.Regex.Matches(text, "(?<![A-Za-z0-9_])" + word + "(?![A-Za-z0-9_])").Count;
    }
}
