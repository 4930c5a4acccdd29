using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using MlfTools.Elf;

namespace MlfTools.Archive
{
    /// <summary>
    /// Works out the facts of C sources and objects on the thread pool while the caller goes on reading members:
    /// scanning C is the costly part of a join's checks, and each file is scanned on its own. At most
    /// <see cref="MaxBytesInFlight"/> bytes wait to be scanned, so memory stays bounded whatever the archive holds.
    /// </summary>
    internal sealed class MemberFactsScans
    {
        private const long MaxBytesInFlight = 16L << 20;

        private readonly CancellationToken _cancellationToken;
        private readonly SymbolBudget _budget = new SymbolBudget();
        private readonly Queue<(Task Scan, long Size)> _inFlight = new Queue<(Task, long)>();
        private long _bytesInFlight;

        public MemberFactsScans(CancellationToken cancellationToken)
        {
            _cancellationToken = cancellationToken;
        }

        public Task<MemberFacts> Start(string kind, byte[] bytes, bool hash)
        {
            while (_inFlight.Count > 0 && _bytesInFlight + bytes.Length > MaxBytesInFlight)
            {
                var (scan, size) = _inFlight.Dequeue();
                Wait(scan);
                _bytesInFlight -= size;
            }
            var started = Task.Run(() => MemberFacts.OfCode(kind, bytes, _budget, hash, _cancellationToken), _cancellationToken);
            _inFlight.Enqueue((started, bytes.Length));
            _bytesInFlight += bytes.Length;
            return started;
        }

        /// <summary>The facts of a scan; its failure is rethrown as it was thrown, not wrapped.</summary>
        public static MemberFacts Result(Task<MemberFacts> scan) => scan.GetAwaiter().GetResult();

        private static void Wait(Task scan) => scan.GetAwaiter().GetResult();
    }
}
