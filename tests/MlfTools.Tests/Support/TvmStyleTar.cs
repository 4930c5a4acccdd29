namespace MlfTools.Tests.Support
{
    /// <summary>Packs a folder the way TVM's exporter does: Python's tarfile, arcname '.', uid/gid 0, owner root.</summary>
    internal static class TvmStyleTar
    {
        private const string Script = @"
import sys, tarfile
src, out = sys.argv[1], sys.argv[2]
def reset(info):
    info.uid = info.gid = 0
    info.uname = info.gname = 'root'
    return info
with tarfile.open(out, 'w') as tar:
    tar.add(src, arcname='.', filter=reset)
";

        public static string Pack(string folder, string tarPath)
        {
            ExternalTool.Python(Script, folder, tarPath);
            return tarPath;
        }
    }
}
