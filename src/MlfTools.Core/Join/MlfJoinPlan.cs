using System;
using System.Collections.Generic;
using System.Linq;

namespace MlfTools.Join
{
    /// <summary>A checked join, ready to be written: the modules, the members in the order they will be written, and warnings.</summary>
    public sealed class MlfJoinPlan
    {
        internal MlfJoinPlan(IReadOnlyList<MlfModule> modules, IReadOnlyList<PlannedFile> files,
            IReadOnlyList<string> memberOrder, DateTimeOffset timestamp, IReadOnlyList<string> warnings)
        {
            Modules = modules;
            Files = files;
            MemberOrder = memberOrder;
            Timestamp = timestamp;
            Warnings = warnings;
        }

        public IReadOnlyList<MlfModule> Modules { get; }

        /// <summary>Member paths in write order ("" is the root "./"); directories end with '/'.</summary>
        public IReadOnlyList<string> MemberOrder { get; }

        public DateTimeOffset Timestamp { get; }

        public IReadOnlyList<string> Warnings { get; }

        /// <summary>Bytes of file data to write, before renaming changes sizes.</summary>
        public long TotalBytes => Files.Sum(f => f.SizeHint);

        internal IReadOnlyList<PlannedFile> Files { get; }
    }
}
