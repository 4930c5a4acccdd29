using System.Collections.Generic;

namespace MlfTools.Tests.Support
{
    /// <summary>The real archives in ../shared/mlf-samples, as xunit member data.</summary>
    public static class SampleArchives
    {
        public static readonly string[] Names =
        {
            "v4-graph-yesno.tar",
            "v5-aot-sine.tar",
            "v5-graph-llvm-conv1d.tar",
            "v7-aot-crt-mlp.tar",
            "v7-graph-magicwand.tar",
        };

        public static IEnumerable<object[]> All()
        {
            foreach (string name in Names) yield return new object[] { name };
        }
    }
}
