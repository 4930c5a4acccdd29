using System;
using System.IO;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>New-MlfModule's -ModuleName and -Name semantics, as Core implements them.</summary>
    public class SelectionTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        private System.Collections.Generic.IReadOnlyList<MlfModule> ThreeModules()
        {
            string entry(string name) =>
                $"\"{name}\": {{\"export_datetime\": \"2022-03-04 05:06:07Z\", \"memory\": {{}}, \"model_name\": \"{name}\", \"style\": \"full-model\", \"target\": [\"c\"], \"executors\": [\"aot\"]}}";
            string json = "{\"modules\": {" + string.Join(", ", new[] { "kws", "vww", "kws_small" }.Select(entry)) + "}, \"version\": 7}";
            return MlfReader.ReadModules(new TestArchive().File("metadata.json", json).WriteTar(_temp.File("three.tar")));
        }

        [Theory]
        [InlineData(new string[0], "kws,vww,kws_small")]
        [InlineData(new[] { "kws" }, "kws")]
        [InlineData(new[] { "KWS" }, "kws")]
        [InlineData(new[] { "kws*" }, "kws,kws_small")]
        [InlineData(new[] { "?ww" }, "vww")]
        [InlineData(new[] { "[kv]ws" }, "kws")]
        [InlineData(new[] { "vww", "kws_small" }, "vww,kws_small")]
        [InlineData(new[] { "nothing*" }, "")]
        public void ModuleName_selects_by_name_with_wildcards_in_archive_order(string[] patterns, string expected)
        {
            var selected = MlfModuleSelection.Apply(ThreeModules(), patterns, null);
            Assert.Equal(expected, string.Join(",", selected.Select(m => m.Name)));
        }

        [Fact]
        public void A_plain_name_that_matches_nothing_is_ModuleNotFound()
        {
            var error = Assert.Throws<MlfException>(() => MlfModuleSelection.Apply(ThreeModules(), new[] { "kws", "person" }, null));
            Assert.Equal(MlfErrorIds.ModuleNotFound, error.ErrorId);
            Assert.Equal(_temp.File("three.tar"), error.Target);
            Assert.Contains("'person'", error.Message);
            Assert.Contains("kws, vww, kws_small", error.Message);
        }

        [Fact]
        public void Name_renames_the_single_selected_module()
        {
            var renamed = Assert.Single(MlfModuleSelection.Apply(ThreeModules(), new[] { "vww" }, "person_detect"));
            Assert.Equal("person_detect", renamed.Name);
            Assert.Equal("vww", renamed.OriginalName);
            Assert.True(renamed.IsRenamed);
        }

        [Fact]
        public void Name_with_several_modules_is_NameRequiresSingleModule()
        {
            var error = Assert.Throws<MlfException>(() => MlfModuleSelection.Apply(ThreeModules(), new[] { "kws*" }, "one"));
            Assert.Equal(MlfErrorIds.NameRequiresSingleModule, error.ErrorId);
        }

        [Theory]
        [InlineData("Kws")]
        [InlineData("1kws")]
        [InlineData("kws_")]
        [InlineData("kws-small")]
        [InlineData("_kws")]
        [InlineData("")]
        [InlineData("kws small")]
        public void Invalid_new_names_are_InvalidModuleName(string name)
        {
            Assert.False(MlfModuleNames.IsValidNewName(name));
            var error = Assert.Throws<MlfException>(() => MlfModuleSelection.Apply(ThreeModules(), new[] { "vww" }, name));
            Assert.Equal(MlfErrorIds.InvalidModuleName, error.ErrorId);
        }

        [Theory]
        [InlineData("k")]
        [InlineData("kws")]
        [InlineData("kws_small_2")]
        [InlineData("a1_b2")]
        public void Valid_new_names_are_accepted(string name)
        {
            Assert.True(MlfModuleNames.IsValidNewName(name));
        }

        [Theory]
        [InlineData("a`*", "a*", true)]
        [InlineData("a`*", "ab", false)]
        [InlineData("[a-c]x", "bx", true)]
        [InlineData("[a-c]x", "dx", false)]
        [InlineData("[abc", "[abc", true)]
        public void Wildcards_follow_PowerShell_rules(string pattern, string text, bool matches)
        {
            Assert.Equal(matches, new WildcardMatcher(pattern).IsMatch(text));
        }

        [Theory]
        [InlineData("kws", "kws")]
        [InlineData("a*b", "a*b")]
        [InlineData("m[1]", "m[1]")]
        [InlineData("what?", "what?")]
        [InlineData("back`tick", "back`tick")]
        [InlineData("[abc", "[abc")]
        public void An_escaped_name_matches_exactly_that_name(string name, string text)
        {
            var matcher = new WildcardMatcher(WildcardMatcher.Escape(name));

            Assert.True(matcher.IsMatch(text));
            Assert.False(WildcardMatcher.ContainsWildcard(WildcardMatcher.Escape(name)));
            Assert.False(matcher.IsMatch(name + "x"));
            Assert.False(matcher.IsMatch("x" + name));
        }

        [Fact]
        public void An_escaped_name_does_not_match_what_its_wildcards_would()
        {
            Assert.False(new WildcardMatcher(WildcardMatcher.Escape("m[12]")).IsMatch("m1"));
            Assert.False(new WildcardMatcher(WildcardMatcher.Escape("a*")).IsMatch("abc"));
            Assert.False(new WildcardMatcher(WildcardMatcher.Escape("a?")).IsMatch("ab"));
        }
    }
}
