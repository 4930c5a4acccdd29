using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.Archive;
using Xunit;

namespace MlfTools.Tests.Join
{
    public class MemberFactsScansTests
    {
        private static byte[] CSource(int n) => Encoding.ASCII.GetBytes(
            $"#include <stdint.h>\nstatic int32_t helper_{n}(void) {{ return {n}; }}\nint32_t model_{n}_run(int32_t x) {{ return x + helper_{n}(); }}\nconst int32_t model_{n}_size = {n};\n");

        [Fact]
        public void Scans_on_the_pool_give_what_a_scan_in_place_gives_each_file_its_own()
        {
            var sources = Enumerable.Range(0, 200).Select(CSource).ToList();
            var scans = new MemberFactsScans(CancellationToken.None);
            var started = sources.Select(s => scans.Start(MlfFileKind.Source, s, hash: true)).ToList();

            for (int i = 0; i < sources.Count; i++)
            {
                var inPlace = MemberFacts.OfCode(MlfFileKind.Source, sources[i], new MlfTools.Elf.SymbolBudget(), hash: true);
                var pooled = MemberFactsScans.Result(started[i]);
                Assert.Equal(new[] { $"model_{i}_run", $"model_{i}_size" }, pooled.Symbols.OrderBy(x => x, StringComparer.Ordinal));
                Assert.Equal(inPlace.Symbols, pooled.Symbols);
                Assert.Equal(inPlace.Sha256, pooled.Sha256);
            }
        }

        [Fact]
        public void A_cancelled_check_stops_its_scans_with_OperationCanceledException()
        {
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();
            var scans = new MemberFactsScans(cancel.Token);
            Task<MemberFacts> scan = scans.Start(MlfFileKind.Source, CSource(1), hash: false);
            Assert.ThrowsAny<OperationCanceledException>(() => MemberFactsScans.Result(scan));
        }

        [Fact]
        public void A_corrupt_object_is_a_fact_not_a_failure_of_the_scan()
        {
            var scans = new MemberFactsScans(CancellationToken.None);
            var corruptElf = new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0 };
            var facts = MemberFactsScans.Result(scans.Start(MlfFileKind.Object, corruptElf, hash: false));
            Assert.NotNull(facts.SymbolError);
            Assert.Null(facts.Symbols);
        }
    }
}
