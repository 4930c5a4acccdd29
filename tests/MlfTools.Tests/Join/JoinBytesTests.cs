using System;
using System.IO;
using MlfTools.Join;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Join
{
    /// <summary>The joined archive, byte for byte, against what TVM's own writer (Python's tarfile) makes of the same tree.</summary>
    public class JoinBytesTests : IDisposable
    {
        // Packs a folder as TVM's exporter does (tarfile.add of the staging folder as '.', owner root), in USTAR
        // format with fixed modes and time, then appends runtime/ and templates/ as TVM does after the staging folder.
        private const string PythonTvmWriter = @"
import os, sys, tarfile
root, out, mtime = sys.argv[1], sys.argv[2], int(sys.argv[3])
def reset(info):
    info.uid = info.gid = 0
    info.uname = info.gname = 'root'
    info.mode = 0o755 if info.isdir() else 0o644
    info.mtime = mtime
    return info
late = ['runtime', 'templates']
with tarfile.open(out, 'w', format=tarfile.USTAR_FORMAT) as tar:
    tar.add(root, arcname='.', recursive=False, filter=reset)
    for name in sorted(os.listdir(root)):
        if name not in late:
            tar.add(os.path.join(root, name), arcname='./' + name, filter=reset)
    for name in late:
        if os.path.exists(os.path.join(root, name)):
            tar.add(os.path.join(root, name), arcname='./' + name, filter=reset)
";

        private readonly TempFolder _temp = new TempFolder();

        public void Dispose() => _temp.Dispose();

        [SampleToolFact("python3", "tar")]
        public void A_two_module_join_is_byte_identical_to_pythons_tarfile_writing_the_same_tree()
        {
            var time = new DateTimeOffset(2024, 2, 3, 4, 5, 6, TimeSpan.Zero);
            string joined = JoinedArchive.Write(_temp.File("joined.tar"), new MlfJoinOptions { Timestamp = time },
                JoinedArchive.Sample("v7-aot-crt-mlp.tar", "mlp"), JoinedArchive.Sample("v7-graph-magicwand.tar", "wand"));

            string tree = _temp.File("tree");
            Directory.CreateDirectory(tree);
            ExternalTool.Run("tar", tree, "-xf", joined);
            string python = _temp.File("python.tar");
            ExternalTool.Python(PythonTvmWriter, tree, python, time.ToUnixTimeSeconds().ToString());

            Assert.Equal(File.ReadAllBytes(python), File.ReadAllBytes(joined));
        }
    }
}
