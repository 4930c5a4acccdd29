using System;
using System.IO;
using System.Linq;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// No third-party type in the public API of the shipped assemblies: a type of Newtonsoft.Json (or of any other
    /// dependency) there would tie scripts and other modules to the copy in our dependencies/ folder.
    /// </summary>
    public class PublicApiTests
    {
        private static bool Allowed(string assembly) =>
            assembly == "MlfTools" || assembly == "MlfTools.Core" || assembly == "netstandard" || assembly == "mscorlib" ||
            assembly == "System" || assembly.StartsWith("System.", StringComparison.Ordinal);

        [Theory]
        [InlineData("MlfTools.Core.dll")]
        [InlineData("MlfTools.dll")]
        public void The_public_surface_uses_only_our_types_and_those_of_netstandard_and_PowerShell(string assembly)
        {
            var uses = PublicSurface.Read(Path.Combine(TestPaths.ModuleFolder, assembly));

            Assert.NotEmpty(uses);
            var foreign = uses.Where(u => !Allowed(u.Assembly)).Select(u => $"{u.Member} uses {u.TypeName} from {u.Assembly}").Distinct().ToList();
            Assert.True(foreign.Count == 0, "Third-party types in the public API:\n" + string.Join("\n", foreign));
        }

        [Fact]
        public void The_cmdlet_assembly_surface_does_reach_PowerShell_and_Core_types()
        {
            var uses = PublicSurface.Read(Path.Combine(TestPaths.ModuleFolder, "MlfTools.dll"));

            Assert.Contains(uses, u => u.Assembly == "System.Management.Automation" && u.TypeName == "System.Management.Automation.PSCmdlet");
            Assert.Contains(uses, u => u.Assembly == "MlfTools.Core" && u.TypeName == "MlfTools.MlfModule");
        }

        [Fact]
        public void The_walk_finds_a_third_party_type_wherever_the_surface_exposes_one()
        {
            var uses = PublicSurface.Read(typeof(PublicApiTests).Assembly.Location)
                .Where(u => u.Member.StartsWith(typeof(SurfaceProbe).FullName!, StringComparison.Ordinal) && u.Assembly == "Newtonsoft.Json")
                .Select(u => u.Member)
                .Distinct()
                .OrderBy(m => m, StringComparer.Ordinal);

            Assert.Equal(new[]
            {
                "MlfTools.Tests.SurfaceProbe (base type)",
                "MlfTools.Tests.SurfaceProbe.Field",
                "MlfTools.Tests.SurfaceProbe.get_Property",
                "MlfTools.Tests.SurfaceProbe.Method",
                "MlfTools.Tests.SurfaceProbe.Protected",
                "MlfTools.Tests.SurfaceProbe.ReadJson",
                "MlfTools.Tests.SurfaceProbe.WriteJson",
                "MlfTools.Tests.SurfaceProbe+Nested.Generic",
            }.OrderBy(m => m, StringComparer.Ordinal), uses);
        }
    }

    /// <summary>Exposes Newtonsoft.Json in every way the surface walk must notice, and hides it in ways it must not report.</summary>
#pragma warning disable IDE0051, IDE0060 // members that exist only to be seen, or not, by the walk
    public class SurfaceProbe : Newtonsoft.Json.JsonConverter<int>
    {
#pragma warning disable CS0649
        public Newtonsoft.Json.Linq.JObject? Field;
        internal Newtonsoft.Json.Linq.JObject? Hidden;
#pragma warning restore CS0649

        public Newtonsoft.Json.Linq.JToken? Property => null;

        public void Method(Newtonsoft.Json.JsonReader reader) { }

        protected void Protected(Newtonsoft.Json.Formatting formatting) { }

        private void Private(Newtonsoft.Json.Linq.JArray array) { }

        public override int ReadJson(Newtonsoft.Json.JsonReader reader, Type objectType, int existingValue, bool hasExistingValue, Newtonsoft.Json.JsonSerializer serializer) => 0;

        public override void WriteJson(Newtonsoft.Json.JsonWriter writer, int value, Newtonsoft.Json.JsonSerializer serializer) { }

        public class Nested
        {
            public System.Collections.Generic.List<Newtonsoft.Json.Linq.JValue>? Generic() => null;
        }
    }
#pragma warning restore IDE0051, IDE0060
}
