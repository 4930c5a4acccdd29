using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MlfTools.Join;

namespace MlfTools
{
    /// <summary>
    /// A join ready to be written: the modules, the members in the order they will be written, and warnings. The
    /// checks that read member contents may still be pending (see <see cref="JoinPlanner.PlanUnchecked"/>); until they have
    /// run, <see cref="Warnings"/> holds only what the layout found.
    /// </summary>
    public sealed class MlfJoinPlan
    {
        private readonly object _checking = new object();
        private Action<CancellationToken> _pendingCheck;

        internal MlfJoinPlan(IReadOnlyList<MlfModule> modules, IReadOnlyList<PlannedFile> files,
            IReadOnlyList<string> memberOrder, DateTimeOffset timestamp, IReadOnlyList<string> warnings, Action<CancellationToken> check)
        {
            Modules = modules;
            Files = files;
            MemberOrder = memberOrder;
            Timestamp = timestamp;
            Warnings = warnings;
            _pendingCheck = check;
        }

        public IReadOnlyList<MlfModule> Modules { get; }

        /// <summary>Member paths in write order ("" is the root "./"); directories end with '/'.</summary>
        public IReadOnlyList<string> MemberOrder { get; }

        public DateTimeOffset Timestamp { get; }

        public IReadOnlyList<string> Warnings { get; }

        /// <summary>True once every check has passed.</summary>
        public bool IsChecked
        {
            get
            {
                lock (_checking) return _pendingCheck == null;
            }
        }

        /// <summary>Bytes of file data to write, before renaming changes sizes.</summary>
        public long TotalBytes => Files.Sum(f => f.SizeHint);

        internal IReadOnlyList<PlannedFile> Files { get; }

        /// <summary>
        /// Runs the checks that read member contents (symbol collisions, differing copies of one path), unless they
        /// have passed already; a failed check throws its MlfException again when asked again.
        /// </summary>
        public void Check(CancellationToken cancellationToken = default)
        {
            lock (_checking)
            {
                if (_pendingCheck == null) return;
                _pendingCheck(cancellationToken);
                _pendingCheck = null;
            }
        }
    }
}
