using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// Which C runtime a join keeps: -RuntimeFrom, a runtime trimmed to fewer files of the same version, conflicts that
    /// name both versions, and the runtime functions a module calls that the kept runtime does not declare.
    /// </summary>
    public class RuntimeChoiceTests : IDisposable
    {
        private const string Crt = "v7-aot-crt-mlp.tar";
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private MlfModule Module(MlfTree tree, string name) =>
            MlfReader.ReadModules(tree.Pack(_temp, _temp.File(Guid.NewGuid().ToString("N") + ".tar"))).Single().WithName(name);

        private static MlfTree CrtTree() => MlfTree.FromArchive(TestPaths.Sample(Crt));

        /// <summary>
        /// The muRISCV-NN model (whose code shares no global with the mlp model's) carrying the mlp model's runtime and
        /// templates, with the mlp model's version_spec: a second carrier of "the same" runtime, for a test to change.
        /// </summary>
        private static MlfTree CarrierOfCrtRuntime()
        {
            var tree = MlfTree.FromArchive(TestPaths.Sample("v7-aot-muriscvnn-aww.tar")).RemoveFolder("runtime/");
            foreach (var (path, bytes) in RuntimeOf(TestPaths.Sample(Crt))) tree.Bytes(path, bytes);
            return WithRuntimeVersion(tree, "0.13.dev0");
        }

        private static MlfTree WithRuntimeVersion(MlfTree tree, string version) =>
            tree.EditJson("metadata.json", m => m["modules"]!["default"]!["external_dependencies"]![0]!["version_spec"] = version);

        private static Dictionary<string, byte[]> RuntimeOf(string archive) =>
            IndependentArchive.Read(archive).Files.Where(f => f.Key.StartsWith("runtime/", StringComparison.Ordinal) || f.Key.StartsWith("templates/", StringComparison.Ordinal))
                .ToDictionary(f => f.Key, f => f.Value);

        private static void AssertSameFiles(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
        {
            Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
            foreach (var (path, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), path);
        }

        [SampleTheory]
        [InlineData(false)]
        [InlineData(true)]
        public void A_runtime_trimmed_to_fewer_files_of_the_same_version_gives_way_to_the_full_one(bool trimmedFirst)
        {
            var full = JoinedArchive.Sample(Crt, "full");
            var trimmed = Module(CarrierOfCrtRuntime().RemoveFolder("runtime/src").Remove("templates/platform.c.template"), "trimmed");
            Assert.True(trimmed.Files.Count(f => f.Kind == MlfFileKind.Runtime) < full.Files.Count(f => f.Kind == MlfFileKind.Runtime) - 10);

            var modules = trimmedFirst ? new[] { trimmed, full } : new[] { full, trimmed };
            var plan = JoinPlanner.Plan(modules, new MlfJoinOptions());
            Assert.DoesNotContain(plan.Warnings, w => w.Contains("runtime", StringComparison.OrdinalIgnoreCase));
            string joined = _temp.File("joined.tar");
            JoinWriter.Write(plan, joined, overwrite: false);
            AssertSameFiles(RuntimeOf(TestPaths.Sample(Crt)), RuntimeOf(joined));
        }

        [SampleFact]
        public void A_trimmed_runtime_of_another_version_is_a_conflict_that_names_both_versions()
        {
            var full = JoinedArchive.Sample(Crt, "full");
            var trimmed = Module(WithRuntimeVersion(CarrierOfCrtRuntime().RemoveFolder("runtime/src"), "0.12.0"), "trimmed");
            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { trimmed, full }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.RuntimeConflict, error.ErrorId);
            Assert.StartsWith($"Module 'full' of '{full.SourcePath}' (TVM 0.13.dev0) and module 'trimmed' of '{trimmed.SourcePath}' (TVM 0.12.0) carry different C runtimes: ", error.Message);
            Assert.Matches("'runtime/src/[^']+' is in the runtime of 'full' only", error.Message);
            Assert.Contains("-RuntimeFrom full", error.Message);
        }

        [SampleFact]
        public void Runtimes_with_the_same_files_but_different_bytes_conflict_and_the_message_names_both_versions()
        {
            var full = JoinedArchive.Sample(Crt, "full");
            var changed = Module(WithRuntimeVersion(CarrierOfCrtRuntime(), "0.13.1").Edit("runtime/include/tvm/runtime/crt/error_codes.h", t => t + "\n"), "changed");
            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { full, changed }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.RuntimeConflict, error.ErrorId);
            Assert.Contains("'runtime/include/tvm/runtime/crt/error_codes.h' differs between them", error.Message);
            Assert.Contains("(TVM 0.13.dev0)", error.Message);
            Assert.Contains("(TVM 0.13.1)", error.Message);
            Assert.Contains("-RuntimeFrom full (or -RuntimeFrom changed)", error.Message);

            // -RuntimeFrom settles it: the named module's runtime and dependency entry for both.
            var plan = JoinPlanner.Plan(new[] { full, changed }, new MlfJoinOptions { RuntimeFrom = "changed" });
            string joined = JoinedArchive.Write(_temp.File("settled.tar"), new MlfJoinOptions { RuntimeFrom = "changed" }, full, changed);
            Assert.Contains(plan.Warnings, w => w == "-RuntimeFrom changed: the joined archive carries the C runtime of module 'changed' (TVM 0.13.1) for every module; left out: the C runtime of module 'full' (TVM 0.13.dev0).");
            var output = IndependentArchive.Read(joined);
            Assert.EndsWith("\n\n", System.Text.Encoding.UTF8.GetString(output.Files["runtime/include/tvm/runtime/crt/error_codes.h"]));
            foreach (string name in new[] { "full", "changed" })
            {
                Assert.Equal("0.13.1", output.ModuleEntry(name).GetProperty("external_dependencies")[0].GetProperty("version_spec").GetString());
            }
        }

        [SampleFact]
        public void RuntimeFrom_must_name_a_module_of_the_join_that_carries_a_runtime()
        {
            var crt = JoinedArchive.Sample(Crt, "mlp");
            var sine = JoinedArchive.Sample("v5-aot-sine.tar", "sine");
            var unknown = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { crt, sine }, new MlfJoinOptions { RuntimeFrom = "kws" }));
            Assert.Equal(MlfErrorIds.ModuleNotFound, unknown.ErrorId);
            Assert.Contains("Name one that does: mlp.", unknown.Message);
            var none = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { crt, sine }, new MlfJoinOptions { RuntimeFrom = "sine" }));
            Assert.Equal(MlfErrorIds.RuntimeNotFound, none.ErrorId);
            Assert.Contains("module 'sine'", none.Message);
            Assert.Contains("Name one that does: mlp.", none.Message);
            // Naming the only carrier is allowed and leaves nothing out, so nothing is said.
            Assert.DoesNotContain(JoinPlanner.Plan(new[] { crt, sine }, new MlfJoinOptions { RuntimeFrom = "mlp" }).Warnings, w => w.StartsWith("-RuntimeFrom", StringComparison.Ordinal));
        }

        [SampleToolFact("gcc", "tar")]
        public void A_runtime_too_old_for_a_struct_the_code_uses_stops_the_join_as_the_compiler_would()
        {
            var kws = JoinedArchive.Sample("v6-aot-kws.tar", "kws");
            var wand = JoinedArchive.Sample("v7-graph-magicwand.tar", "wand");

            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { kws, wand }, new MlfJoinOptions()));

            Assert.Equal(MlfErrorIds.RuntimeMissingDeclaration, error.ErrorId);
            Assert.Contains("Module 'wand'", error.Message);
            Assert.Contains("uses TVMConstantInfo", error.Message);
            Assert.Contains("TVM 0.9.dev", error.Message);
            Assert.Equal("TVMConstantInfo", error.Target);

            // The compiler agrees: magicwand's code against kws's runtime/include is an incomplete struct.
            string folder = _temp.File("oracle");
            Directory.CreateDirectory(folder);
            File.Copy(TestPaths.Sample("v6-aot-kws.tar"), Path.Combine(folder, "kws.tar"));
            File.Copy(TestPaths.Sample("v7-graph-magicwand.tar"), Path.Combine(folder, "wand.tar"));
            Directory.CreateDirectory(Path.Combine(folder, "kws"));
            Directory.CreateDirectory(Path.Combine(folder, "wand"));
            ExternalTool.Run("tar", folder, "-xf", "kws.tar", "-C", "kws");
            ExternalTool.Run("tar", folder, "-xf", "wand.tar", "-C", "wand");
            var compile = Assert.ThrowsAny<Exception>(() => ExternalTool.Run("gcc", folder, "-c", "-I", "kws/runtime/include", "-I", "wand/codegen/host/include",
                "wand/codegen/host/src/default_lib1.c", "-o", "lib1.o"));
            Assert.Contains("TVMConstantInfo", compile.Message);

            // With a runtime new enough for both (mlp's, TVM 0.13), the three join.
            var mlp = JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp");
            JoinPlanner.Plan(new[] { kws, wand, mlp }, new MlfJoinOptions { RuntimeFrom = "mlp" });
        }

        [SampleFact]
        public void A_runtime_function_the_kept_runtime_does_not_declare_stops_the_join_and_is_named()
        {
            // A runtime whose c_backend_api.h no longer declares TVMBackendAllocWorkspace, as a runtime of another TVM
            // version might not: the sine model (and the mlp model itself) call it.
            const string header = "runtime/include/tvm/runtime/c_backend_api.h";
            var tree = CrtTree().Edit(header, t => Regex.Replace(t, @"TVM_DLL void\* TVMBackendAllocWorkspace\([^;]*\);", ""));
            Assert.DoesNotContain("TVMBackendAllocWorkspace(", tree.ReadText(header));
            var crt = Module(tree, "mlp");
            var sine = JoinedArchive.Sample("v5-aot-sine.tar", "sine");
            var error = Assert.Throws<MlfException>(() => JoinPlanner.Plan(new[] { sine, crt }, new MlfJoinOptions()));
            Assert.Equal(MlfErrorIds.RuntimeMissingDeclaration, error.ErrorId);
            Assert.Equal("TVMBackendAllocWorkspace", error.Target);
            Assert.Contains("calls TVMBackendAllocWorkspace (codegen/host/src/", error.Message);
            Assert.Contains("(that of module 'mlp', TVM 0.13.dev0)", error.Message);
            Assert.Contains("would not compile", error.Message);

            // The same runtime with its declaration is accepted: the check reads the headers, not a list of names.
            JoinPlanner.Plan(new[] { sine, JoinedArchive.Sample(Crt, "mlp") }, new MlfJoinOptions());

            // And gcc agrees that the code does not compile against that header.
            if (!ExternalTool.IsOnPath("gcc") || !ExternalTool.IsOnPath("tar")) return;
            string runtime = tree.WriteFolder(_temp.File("runtime-tree"));
            string sineTree = _temp.File("sine");
            Directory.CreateDirectory(sineTree);
            ExternalTool.Run("tar", sineTree, "-xf", TestPaths.Sample("v5-aot-sine.tar"));
            var (exitCode, stderr) = ExternalTool.RunAllowingFailure("gcc", sineTree, "-c", "-Werror=implicit-function-declaration",
                "-I", Path.Combine(sineTree, "codegen", "host", "include"), "-I", Path.Combine(runtime, "runtime", "include"),
                "-o", "sine.o", Path.Combine("codegen", "host", "src", "default_lib0.c"));
            Assert.NotEqual(0, exitCode);
            Assert.Contains("TVMBackendAllocWorkspace", stderr);
        }
    }
}
