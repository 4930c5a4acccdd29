using System;
using System.IO;
using System.Linq;
using MlfTools.Archive;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>Reading a .tar touches headers, metadata, graph config and params headers only; member data is seeked over.</summary>
    public class StreamingTests
    {
        [Fact]
        public void Reading_a_tar_with_large_members_reads_only_a_few_kilobytes()
        {
            const int big = 48 << 20;
            var tensor = new ParamsWriter.Tensor("weights", 0, 8, new long[] { big });
            var tar = new TestArchive()
                .File("metadata.json", TestArchive.Metadata(5))
                .File("codegen/host/src/default_lib0.c", new byte[big])
                .File("parameters/default.params", ParamsWriter.Write(new[] { tensor }))
                .ToTarBytes();

            using var counting = new CountingStream(new MemoryStream(tar));
            var index = ArchiveScanner.ScanStream("big.tar", counting);

            Assert.Equal(big, index.Parameters["parameters/default.params"].TotalBytes);
            Assert.Contains(index.Members, m => m.Path == "codegen/host/src/default_lib0.c" && m.Size == big);
            Assert.True(counting.BytesRead < 64 * 1024, $"read {counting.BytesRead} bytes of a {tar.Length}-byte archive");
        }
    }
}
