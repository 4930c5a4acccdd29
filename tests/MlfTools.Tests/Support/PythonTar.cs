using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace MlfTools.Tests.Support
{
    /// <summary>
    /// Writes archives with Python's tarfile (TVM's own writer), member by member as given, including names and
    /// modes no honest archive holds. PAX format, so any name survives as written; gzip for .tgz and .tar.gz.
    /// </summary>
    internal static class PythonTar
    {
        public sealed record Member(string Name, string Content = "x", bool IsDirectory = false, int Mode = 420, long MTime = 1700000000);

        private const string Script = @"
import io, json, sys, tarfile
out = sys.argv[1]
members = json.load(open(sys.argv[2], encoding='utf-8'))
mode = 'w:gz' if out.endswith(('.tgz', '.tar.gz')) else 'w'
with tarfile.open(out, mode, format=tarfile.PAX_FORMAT) as tar:
    for m in members:
        info = tarfile.TarInfo(m['Name'])
        info.mode = m['Mode']
        info.mtime = m['MTime']
        info.uname = info.gname = 'root'
        if m['IsDirectory']:
            info.type = tarfile.DIRTYPE
            tar.addfile(info)
        else:
            data = m['Content'].encode('utf-8')
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
";

        public static string Write(string archivePath, IEnumerable<Member> members)
        {
            string spec = archivePath + ".members.json";
            System.IO.File.WriteAllText(spec, JsonSerializer.Serialize(members.ToList()));
            try
            {
                ExternalTool.Python(Script, archivePath, spec);
            }
            finally
            {
                System.IO.File.Delete(spec);
            }
            return archivePath;
        }

        /// <summary>A valid single-module MLF archive (metadata.json of version 5) plus the given members.</summary>
        public static string WriteModule(string archivePath, params Member[] extra) =>
            Write(archivePath, new[] { new Member("./metadata.json", TestArchive.Metadata(5)) }.Concat(extra));
    }
}
