using System;
using System.IO;
using System.Linq;
using Xunit;

namespace MlfTools.Tests.Support
{
    /// <summary>A fact over the real archives in ../shared/mlf-samples; reported as skipped, with the reason, where they are absent.</summary>
    public sealed class SampleFactAttribute : FactAttribute
    {
        public SampleFactAttribute()
        {
            if (!TestPaths.SamplesPresent) Skip = $"MLF samples not found at {TestPaths.SamplesFolder}";
        }
    }

    public sealed class SampleTheoryAttribute : TheoryAttribute
    {
        public SampleTheoryAttribute()
        {
            if (!TestPaths.SamplesPresent) Skip = $"MLF samples not found at {TestPaths.SamplesFolder}";
        }
    }

    /// <summary>A fact that needs external programs (python3, tar, cc); skipped with the reason where one is missing.</summary>
    public sealed class ToolFactAttribute : FactAttribute
    {
        public ToolFactAttribute(params string[] tools)
        {
            string? missing = tools.FirstOrDefault(t => !ExternalTool.IsOnPath(t));
            if (missing != null) Skip = $"'{missing}' is not on PATH";
        }
    }

    public sealed class ToolTheoryAttribute : TheoryAttribute
    {
        public ToolTheoryAttribute(params string[] tools)
        {
            string? missing = tools.FirstOrDefault(t => !ExternalTool.IsOnPath(t));
            if (missing != null) Skip = $"'{missing}' is not on PATH";
        }
    }

    /// <summary>Needs both the samples and external programs.</summary>
    public sealed class SampleToolFactAttribute : FactAttribute
    {
        public SampleToolFactAttribute(params string[] tools)
        {
            string? missing = tools.FirstOrDefault(t => !ExternalTool.IsOnPath(t));
            if (!TestPaths.SamplesPresent) Skip = $"MLF samples not found at {TestPaths.SamplesFolder}";
            else if (missing != null) Skip = $"'{missing}' is not on PATH";
        }
    }
}

namespace MlfTools.Tests.Support
{
    public sealed class SampleToolTheoryAttribute : TheoryAttribute
    {
        public SampleToolTheoryAttribute(params string[] tools)
        {
            string? missing = tools.FirstOrDefault(t => !ExternalTool.IsOnPath(t));
            if (!TestPaths.SamplesPresent) Skip = $"MLF samples not found at {TestPaths.SamplesFolder}";
            else if (missing != null) Skip = $"'{missing}' is not on PATH";
        }
    }
}

namespace MlfTools.Tests.Support
{
    /// <summary>Needs a python3 whose tarfile has extraction filters (3.11.4+, 3.12+); skipped with the reason otherwise.</summary>
    public sealed class PythonTarFilterFactAttribute : FactAttribute
    {
        private static readonly Lazy<string?> MissingReason = new Lazy<string?>(() =>
        {
            if (!ExternalTool.IsOnPath("python3")) return "'python3' is not on PATH";
            try
            {
                ExternalTool.Python("import tarfile; tarfile.data_filter");
                return null;
            }
            catch (InvalidOperationException)
            {
                return "this python3's tarfile has no extraction filters (filter='data' needs Python 3.11.4 or later)";
            }
        });

        public PythonTarFilterFactAttribute()
        {
            if (MissingReason.Value != null) Skip = MissingReason.Value;
        }
    }
}
