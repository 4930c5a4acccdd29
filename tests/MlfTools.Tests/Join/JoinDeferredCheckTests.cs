using System;
using System.IO;
using System.Linq;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>
    /// Join-MlfArchive lays a join out, then writes it while the checks that read member contents run: a failed check
    /// must still publish nothing and report the check's own error, whichever finishes first.
    /// </summary>
    public class JoinDeferredCheckTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private const string CrtDependency = ", \"external_dependencies\": [{\"short_name\": \"tvm_standalone_crt\", \"url\": \"./runtime\", \"url_type\": \"mlf_path\", \"version_spec\": \"0.13.0\"}]";

        /// <summary>A module with a large extra member, so that a write is still going when the checks end.</summary>
        private MlfModule Module(string file, string name, string extraKeys, params (string Path, string Text)[] members)
        {
            var archive = new TestArchive().File("metadata.json", TestArchive.Metadata(7, name, "aot", extraKeys));
            foreach (var (path, text) in members) archive.File(path, text);
            archive.File($"extras/{name}-padding.bin", new byte[24 << 20]);
            return MlfReader.ReadModules(archive.WriteTar(_temp.File(file))).Single();
        }

        private MlfModule[] Colliding() => new[]
        {
            Module("a.tar", "one", "", ("codegen/host/src/one_lib0.c", "int shared_helper(void) { return 1; }\nint tvmgen_one_run(void) { return shared_helper(); }\n")),
            Module("b.tar", "two", "", ("codegen/host/src/two_lib0.c", "int shared_helper(void) { return 2; }\nint tvmgen_two_run(void) { return shared_helper(); }\n")),
        };

        private MlfModule[] DifferentRuntimes() => new[]
        {
            Module("c.tar", "one", CrtDependency, ("runtime/include/x.h", "// version 1\n")),
            Module("d.tar", "two", CrtDependency, ("runtime/include/x.h", "// version 2\n")),
        };

        private MlfModule[] DifferentExtras() => new[]
        {
            Module("e.tar", "one", "", ("samples/input.h", "1")),
            Module("f.tar", "two", "", ("samples/input.h", "2")),
        };

        private string[] Leftovers() => Directory.GetFiles(_temp.Path, "*.tmp", SearchOption.AllDirectories);

        [Theory]
        [InlineData("collision", "joined.tar", MlfErrorIds.SymbolCollision)]
        [InlineData("collision", "joined.tar.gz", MlfErrorIds.SymbolCollision)]
        [InlineData("runtime", "joined.tar", MlfErrorIds.RuntimeConflict)]
        [InlineData("extras", "joined.tgz", MlfErrorIds.PathConflict)]
        public void A_check_that_fails_during_the_write_publishes_nothing_and_reports_its_own_error(string problem, string destinationName, string expectedId)
        {
            var modules = problem == "collision" ? Colliding() : problem == "runtime" ? DifferentRuntimes() : DifferentExtras();
            string destination = _temp.File(destinationName);
            var plan = JoinPlanner.PlanUnchecked(modules, new MlfJoinOptions());
            Assert.False(plan.IsChecked);

            var error = Assert.Throws<MlfException>(() => JoinWriter.Write(plan, destination, overwrite: false));

            Assert.Equal(expectedId, error.ErrorId);
            Assert.False(File.Exists(destination));
            Assert.Empty(Leftovers());
            Assert.False(plan.IsChecked);
            Assert.Equal(expectedId, Assert.Throws<MlfException>(() => plan.Check()).ErrorId);
        }

        [Fact]
        public void A_failed_check_leaves_an_existing_destination_as_it_was_even_with_overwrite()
        {
            string destination = _temp.File("joined.tar");
            File.WriteAllText(destination, "the previous build");
            var plan = JoinPlanner.PlanUnchecked(Colliding(), new MlfJoinOptions());

            Assert.Equal(MlfErrorIds.SymbolCollision, Assert.Throws<MlfException>(() => JoinWriter.Write(plan, destination, overwrite: true)).ErrorId);
            Assert.Equal("the previous build", File.ReadAllText(destination));
            Assert.Empty(Leftovers());
        }

        [Fact]
        public void The_layout_refuses_at_once_what_needs_no_contents_to_be_known()
        {
            var a = Module("g.tar", "one", CrtDependency, ("runtime/include/x.h", "x"), ("runtime/include/y.h", "y"));
            var b = Module("h.tar", "two", CrtDependency.Replace("0.13.0", "0.12.0"), ("runtime/include/x.h", "x"));
            Assert.Equal(MlfErrorIds.RuntimeConflict, Assert.Throws<MlfException>(() => JoinPlanner.PlanUnchecked(new[] { a, b }, new MlfJoinOptions())).ErrorId);
            Assert.Equal(MlfErrorIds.DuplicateModuleName, Assert.Throws<MlfException>(() => JoinPlanner.PlanUnchecked(new[] { a, b.WithName("one") }, new MlfJoinOptions())).ErrorId);
        }

        [Fact]
        public void A_join_written_from_a_layout_equals_one_written_from_a_checked_plan_and_its_warnings_arrive_with_the_check()
        {
            MlfModule[] Modules() => new[]
            {
                Module("i.tar", "one", "", ("codegen/host/src/one_lib0.c", "int tvmgen_one_run(void) { return 1; }\n"), ("codegen/host/src/one_lib1.cc", "int tvmgen_one_cpp(void) { return 1; }\n")),
                Module("j.tar", "two", "", ("codegen/host/src/two_lib0.c", "int tvmgen_two_run(void) { return 2; }\n")),
            };
            var options = new MlfJoinOptions { Timestamp = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) };
            var layout = JoinPlanner.PlanUnchecked(Modules(), options);
            Assert.DoesNotContain(layout.Warnings, w => w.Contains("C++"));
            JoinWriter.Write(layout, _temp.File("from-layout.tar"), overwrite: false);
            var checkedPlan = JoinPlanner.Plan(Modules(), options);
            JoinWriter.Write(checkedPlan, _temp.File("from-plan.tar"), overwrite: false);

            Assert.True(layout.IsChecked);
            Assert.Contains(layout.Warnings, w => w.Contains("one_lib1.cc") && w.Contains("C++"));
            Assert.Equal(checkedPlan.Warnings, layout.Warnings);
            Assert.Equal(File.ReadAllBytes(_temp.File("from-plan.tar")), File.ReadAllBytes(_temp.File("from-layout.tar")));
        }
    }
}
