using Xunit;

namespace MlfTools.Tests
{
    /// <summary>New-MlfModule -Name names one module: several inputs at once, or a second through the pipeline, are NameRequiresSingleModule.</summary>
    public class NewNameGuardTests
    {
        [Fact]
        public void One_input_then_its_module_is_fine()
        {
            var guard = new NewNameGuard("kws");

            guard.CheckInputs(new[] { "build/*.tar" }, new[] { "/b/kws.tar" });
            guard.Claim("/b/kws.tar");
        }

        [Fact]
        public void Several_values_at_once_are_refused_before_reading_naming_them()
        {
            var guard = new NewNameGuard("x");

            var error = Assert.Throws<MlfException>(() => guard.CheckInputs(new[] { "a.tar", "b.tar" }, new[] { "/w/a.tar", "/w/b.tar" }));

            Assert.Equal(MlfErrorIds.NameRequiresSingleModule, error.ErrorId);
            Assert.Equal("/w/a.tar", error.Target);
            Assert.Contains("2 inputs were given at once ('a.tar', 'b.tar')", error.Message);
            Assert.Contains("-NameFromFile", error.Message);
        }

        [Fact]
        public void Several_values_are_refused_even_when_only_one_exists()
        {
            var guard = new NewNameGuard("x");

            var error = Assert.Throws<MlfException>(() => guard.CheckInputs(new[] { "a.tar", "missing.tar" }, new[] { "/w/a.tar" }));

            Assert.Equal(MlfErrorIds.NameRequiresSingleModule, error.ErrorId);
        }

        [Fact]
        public void A_wildcard_that_matches_several_is_refused_and_a_long_list_is_shortened()
        {
            var guard = new NewNameGuard("x");

            var error = Assert.Throws<MlfException>(() => guard.CheckInputs(new[] { "*.tar" }, new[] { "/a.tar", "/b.tar", "/c.tar", "/d.tar", "/e.tar" }));

            Assert.Contains("5 inputs were given at once ('/a.tar', '/b.tar', '/c.tar' and 2 more)", error.Message);
        }

        [Fact]
        public void Nothing_resolved_is_no_error()
        {
            new NewNameGuard("x").CheckInputs(new[] { "nothing*.tar" }, new string[0]);
        }

        [Fact]
        public void A_second_pipeline_input_is_refused_naming_the_first()
        {
            var guard = new NewNameGuard("x");
            guard.CheckInputs(new[] { "/w/a.tar" }, new[] { "/w/a.tar" });
            guard.Claim("/w/a.tar");

            var error = Assert.Throws<MlfException>(() => guard.CheckInputs(new[] { "/w/b.tar" }, new[] { "/w/b.tar" }));

            Assert.Equal(MlfErrorIds.NameRequiresSingleModule, error.ErrorId);
            Assert.Equal("/w/b.tar", error.Target);
            Assert.Contains("'/w/a.tar' already; '/w/b.tar' would be a second module called 'x'", error.Message);
        }

        [Fact]
        public void A_second_module_is_refused_even_from_the_same_archive()
        {
            var guard = new NewNameGuard("x");
            guard.Claim("/w/a.tar");

            var error = Assert.Throws<MlfException>(() => guard.Claim("/w/a.tar"));

            Assert.Equal(MlfErrorIds.NameRequiresSingleModule, error.ErrorId);
        }
    }
}
