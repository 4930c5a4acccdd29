using System;
using System.IO;
using Xunit;

namespace MlfTools.Tests.Support
{
    /// <summary>A fact that needs a temporary folder on a case-sensitive file system (two files 'a' and 'A'); skipped with the reason elsewhere.</summary>
    public sealed class CaseSensitiveFactAttribute : FactAttribute
    {
        private static readonly Lazy<bool> CaseSensitive = new Lazy<bool>(() =>
        {
            using var folder = new TempFolder();
            File.WriteAllText(folder.File("a"), "lower");
            return !File.Exists(folder.File("A"));
        });

        public CaseSensitiveFactAttribute()
        {
            if (!CaseSensitive.Value) Skip = "the temporary folder is on a case-insensitive file system, which cannot hold two names that differ only in case";
        }
    }
}

namespace MlfTools.Tests.Support
{
    /// <summary>A fact that creates files Windows cannot hold (names with ':', '\', trailing dots, device names); skipped on Windows.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (Path.DirectorySeparatorChar == '\\') Skip = "Windows cannot create the files this test needs";
        }
    }
}

namespace MlfTools.Tests.Support
{
    /// <summary>Unix file modes compared with what Python's tarfile 'data' filter extracts; skipped on Windows and where python3 lacks the filter.</summary>
    public sealed class UnixPythonTarFilterFactAttribute : FactAttribute
    {
        public UnixPythonTarFilterFactAttribute()
        {
            Skip = Path.DirectorySeparatorChar == '\\' ? "Windows has no Unix file modes" : new PythonTarFilterFactAttribute().Skip;
        }
    }
}
