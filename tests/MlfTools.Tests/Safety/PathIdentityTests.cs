using System;
using System.IO;
using System.Linq;
using MlfTools.IO;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Safety
{
    /// <summary>
    /// One path-identity policy, <see cref="PathIdentity"/>: the join's destination check, the expansion's and the
    /// Expand cmdlet's "archive expanded already" all ask it, and no other file of the sources compares full paths.
    /// </summary>
    public class PathIdentityTests : IDisposable
    {
        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [Fact]
        public void Paths_spelt_alike_are_the_same_whether_they_exist_or_not()
        {
            string folder = _temp.File("a");
            Assert.True(PathIdentity.Same(folder, folder + Path.DirectorySeparatorChar));
            Assert.True(PathIdentity.Same(Path.Combine(folder, "x", "..", "y.tar"), Path.Combine(folder, "y.tar")));
            Assert.False(PathIdentity.Same(Path.Combine(folder, "y.tar"), Path.Combine(folder, "z.tar")));
            Assert.True(PathIdentity.IsSameOrInside(Path.Combine(folder, "b", "c"), folder + Path.DirectorySeparatorChar));
            Assert.True(PathIdentity.IsSameOrInside(folder, folder));
            Assert.False(PathIdentity.IsSameOrInside(folder + "b", folder));
        }

        [UnixFact]
        public void Paths_through_a_link_are_the_same_and_a_path_spelt_inside_a_folder_is_inside_it()
        {
            string real = _temp.File("real");
            string elsewhere = _temp.File("elsewhere");
            Directory.CreateDirectory(real);
            Directory.CreateDirectory(elsewhere);
            File.WriteAllText(Path.Combine(real, "in.tar"), "x");
            string link = _temp.File("link");
            Directory.CreateSymbolicLink(link, real);
            Directory.CreateSymbolicLink(Path.Combine(real, "out"), elsewhere);

            Assert.True(PathIdentity.Same(Path.Combine(link, "in.tar"), Path.Combine(real, "in.tar")));
            Assert.True(PathIdentity.IsSameOrInside(Path.Combine(link, "new.tar"), real));
            // Inside as spelt, though the link leads out of the folder: the policy takes either as inside.
            Assert.True(PathIdentity.IsSameOrInside(Path.Combine(real, "out", "x.tar"), real));
            Assert.True(PathIdentity.IsSameOrInside(Path.Combine(real, "out", "x.tar"), elsewhere));
            Assert.False(PathIdentity.IsSameOrInside(Path.Combine(elsewhere, "x.tar"), real));
        }

        [Fact]
        public void No_other_source_file_has_a_path_comparison_of_its_own()
        {
            string src = Path.Combine(TestPaths.RepositoryRoot, "src");
            var own = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal) &&
                    Path.GetFileName(f) != "PathIdentity.cs")
                .Where(f =>
                {
                    string code = File.ReadAllText(f);
                    return code.Contains("SamePath(", StringComparison.Ordinal) ||
                        code.Contains("DirectorySeparatorChar == '\\\\' ? StringComparison", StringComparison.Ordinal);
                })
                .Select(f => Path.GetRelativePath(src, f))
                .ToList();
            Assert.True(own.Count == 0, "Path comparisons outside IO/PathIdentity.cs: " + string.Join(", ", own));
        }
    }
}
