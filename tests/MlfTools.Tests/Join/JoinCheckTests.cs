using System;
using System.IO;
using System.Linq;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>Every join check, each provoked with inputs that really have the problem.</summary>
    public class JoinCheckTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private static MlfException Refused(params MlfModule[] modules) =>
            Assert.Throws<MlfException>(() => JoinPlanner.Plan(modules, new MlfJoinOptions()));

        private MlfModule Synthetic(string file, string name, string executor = "aot", string extraKeys = "", params (string Path, string Text)[] members)
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, name, executor, extraKeys));
            foreach (var (path, text) in members) archive.File(path, text);
            return MlfReader.ReadModules(archive.WriteTar(_temp.File(file))).Single();
        }

        private const string CrtDependency = ", \"external_dependencies\": [{\"short_name\": \"tvm_standalone_crt\", \"url\": \"./runtime\", \"url_type\": \"mlf_path\", \"version_spec\": \"0.13.0\"}]";

        [Fact]
        public void No_modules_is_NoModules()
        {
            Assert.Equal(MlfErrorIds.NoModules, Refused().ErrorId);
        }

        [SampleFact]
        public void Names_equal_ignoring_case_are_DuplicateModuleName()
        {
            var error = Refused(Synthetic("a.tar", "kws"), JoinedArchive.Sample("v5-aot-sine.tar", "kws"));
            Assert.Equal(MlfErrorIds.DuplicateModuleName, error.ErrorId);
            Assert.Equal("kws", error.Target);
            Assert.Equal(MlfErrorIds.DuplicateModuleName, Refused(Synthetic("b.tar", "KWS"), Synthetic("c.tar", "kws")).ErrorId);
        }

        [SampleFact]
        public void Two_system_lib_graph_builds_no_longer_collide_on_TVMSystemLibEntryPoint()
        {
            // Each one's entry point is renamed (SystemLibJoinTests); before, this was a SymbolCollision.
            var plan = JoinPlanner.Plan(new[] { JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"), JoinedArchive.Sample("v4-graph-yesno.tar", "yes_no") }, new MlfJoinOptions());
            Assert.Contains(plan.Warnings, w => w.Contains("tvmgen_wand_system_lib()") && w.Contains("tvmgen_yes_no_system_lib()"));
        }

        [SampleFact]
        public void Two_builds_with_Arm_DSP_kernels_collide_on_the_unprefixed_helper()
        {
            var error = Refused(JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp_a"), JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp_b"));
            Assert.Equal(MlfErrorIds.SymbolCollision, error.ErrorId);
            Assert.Equal("__ror", error.Target);
        }

        [Fact]
        public void Static_and_weak_definitions_do_not_collide()
        {
            const string code = "static int helper(void) { return 1; }\n__attribute__((weak)) int shared_weak(void) { return 2; }\n";
            var a = Synthetic("a.tar", "one", members: ("codegen/host/src/one_lib0.c", code + "int tvmgen_one_run(void) { return helper(); }\n"));
            var b = Synthetic("b.tar", "two", members: ("codegen/host/src/two_lib0.c", code + "int tvmgen_two_run(void) { return helper(); }\n"));
            JoinPlanner.Plan(new[] { a, b }, new MlfJoinOptions());
        }

        [SampleFact]
        public void Object_code_keeps_its_name_and_joins_with_a_renamed_C_module()
        {
            var plan = JoinPlanner.Plan(new[] { JoinedArchive.Sample("v5-graph-llvm-conv1d.tar"), JoinedArchive.Sample("v5-aot-sine.tar", "sine") }, new MlfJoinOptions());
            Assert.Contains("codegen/host/lib/default_lib0.o", plan.MemberOrder);
            // It joins; that an aarch64 LLVM object and Cortex-M7 C code will hardly share an image is said.
            var warning = Assert.Single(plan.Warnings);
            Assert.Contains("different kinds of code ('default' llvm, 'sine' c)", warning);
        }

        [SampleFact]
        public void Modules_built_for_different_CPUs_are_joined_with_a_warning_naming_each_ones()
        {
            var plan = JoinPlanner.Plan(new[] { JoinedArchive.Sample("v4-graph-yesno.tar", "yes"), JoinedArchive.Sample("v5-aot-sine.tar", "sine") }, new MlfJoinOptions());
            Assert.Contains(plan.Warnings, w => w.Contains("different CPUs (-mcpu: 'yes' cortex-m33, 'sine' cortex-m7)"));
            Assert.DoesNotContain(plan.Warnings, w => w.Contains("kinds of code"));

            // The same CPU, or a module that names none (magicwand), is no mix.
            var same = JoinPlanner.Plan(new[] { JoinedArchive.Sample("v5-aot-sine.tar", "sine"), JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"), JoinedArchive.Sample("v7-graph-magicwand.tar", "wand") },
                new MlfJoinOptions { RuntimeFrom = "mlp" });
            Assert.DoesNotContain(same.Warnings, w => w.Contains("different"));
        }

        [Fact]
        public void An_operator_module_with_a_full_model_module_is_OperatorModuleMix()
        {
            const string op = "{\"version\": 7, \"model_name\": \"add\", \"export_datetime\": \"2023-01-02 03:04:05Z\", \"memory\": {}, \"target\": [\"c\"], \"executors\": [], \"style\": \"operator\"}";
            var opModule = MlfReader.ReadModules(new TestArchive().File("metadata.json", op).File("codegen/host/src/lib0.c", "int add;").WriteTar(_temp.File("op.tar"))).Single();
            var opModule2 = MlfReader.ReadModules(new TestArchive().File("metadata.json", op.Replace("\"add\"", "\"mul\"")).WriteTar(_temp.File("op2.tar"))).Single();
            Assert.Equal(MlfErrorIds.OperatorModuleMix, Refused(opModule, Synthetic("full.tar", "full")).ErrorId);
            Assert.Equal(MlfErrorIds.OperatorModuleMix, Refused(opModule, opModule2).ErrorId);
            JoinPlanner.Plan(new[] { opModule }, new MlfJoinOptions());
        }

        [Fact]
        public void Runtime_files_that_differ_are_RuntimeConflict_and_identical_ones_are_kept_once()
        {
            var a = Synthetic("a.tar", "one", extraKeys: CrtDependency, members: ("runtime/include/x.h", "// version 1\n"));
            var b = Synthetic("b.tar", "two", extraKeys: CrtDependency, members: ("runtime/include/x.h", "// version 2\n"));
            var c = Synthetic("c.tar", "three", extraKeys: CrtDependency, members: ("runtime/include/x.h", "// version 1\n"));
            var error = Refused(a, b);
            Assert.Equal(MlfErrorIds.RuntimeConflict, error.ErrorId);
            Assert.Equal("runtime/include/x.h", error.Target);

            var plan = JoinPlanner.Plan(new[] { a, c }, new MlfJoinOptions());
            Assert.Single(plan.MemberOrder, p => p == "runtime/include/x.h");
        }

        [Fact]
        public void A_runtime_file_only_one_input_has_is_RuntimeConflict_unless_the_smaller_runtime_has_the_same_version()
        {
            var a = Synthetic("a.tar", "one", extraKeys: CrtDependency, members: new[] { ("runtime/include/x.h", "x"), ("runtime/include/y.h", "y") });
            var b = Synthetic("b.tar", "two", extraKeys: CrtDependency.Replace("0.13.0", "0.12.0"), members: ("runtime/include/x.h", "x"));
            var error = Refused(a, b);
            Assert.Equal(MlfErrorIds.RuntimeConflict, error.ErrorId);
            Assert.Equal("runtime/include/y.h", error.Target);

            // A copy trimmed to fewer files, of the same version, gives way to the full runtime, whichever comes first.
            var trimmed = Synthetic("c.tar", "three", extraKeys: CrtDependency, members: ("runtime/include/x.h", "x"));
            foreach (var modules in new[] { new[] { a, trimmed }, new[] { trimmed, a } })
            {
                var plan = JoinPlanner.Plan(modules, new MlfJoinOptions());
                Assert.Single(plan.MemberOrder, p => p == "runtime/include/y.h");
            }
            // ... but only when the files they share are the same.
            var different = Synthetic("d.tar", "four", extraKeys: CrtDependency, members: ("runtime/include/x.h", "x2"));
            Assert.Equal("runtime/include/x.h", Refused(a, different).Target);
        }

        [Fact]
        public void Extra_files_that_differ_are_PathConflict_unless_left_out()
        {
            var a = Synthetic("a.tar", "one", members: ("samples/input.h", "1"));
            var b = Synthetic("b.tar", "two", members: ("samples/input.h", "2"));
            var error = Refused(a, b);
            Assert.Equal(MlfErrorIds.PathConflict, error.ErrorId);
            Assert.Equal("samples/input.h", error.Target);
            JoinPlanner.Plan(new[] { a, b }, new MlfJoinOptions { ExcludePaths = new[] { "samples/*" } });
        }

        [Fact]
        public void A_file_of_one_input_where_another_has_a_folder_is_PathConflict()
        {
            var a = Synthetic("a.tar", "one", members: ("notes", "a file"));
            var b = Synthetic("b.tar", "two", members: ("notes/readme.txt", "in a folder"));
            Assert.Equal(MlfErrorIds.PathConflict, Refused(a, b).ErrorId);
        }

        [SampleFact]
        public void A_destination_that_is_an_input_exists_or_has_another_extension_is_refused()
        {
            string sample = TestPaths.Sample("v5-aot-sine.tar");
            Assert.Equal(MlfErrorIds.DestinationIsInput, Assert.Throws<MlfException>(() => JoinWriter.CheckDestination(sample, new[] { sample }, overwrite: true)).ErrorId);
            string existing = _temp.File("existing.tar");
            File.WriteAllText(existing, "keep me");
            Assert.Equal(MlfErrorIds.DestinationExists, Assert.Throws<MlfException>(() => JoinWriter.CheckDestination(existing, new string[0], overwrite: false)).ErrorId);
            JoinWriter.CheckDestination(existing, new string[0], overwrite: true);
            Assert.Equal(MlfErrorIds.UnsupportedDestinationType, Assert.Throws<MlfException>(() => JoinWriter.CheckDestination(_temp.File("out.zip"), new string[0], overwrite: false)).ErrorId);
            Assert.Equal("keep me", File.ReadAllText(existing));
        }
    }
}
