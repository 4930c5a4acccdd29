using System;
using System.Collections.Generic;
using MlfTools.Join;

namespace MlfTools
{
    public sealed class MlfJoinOptions
    {
        public MlfLayout Layout { get; set; } = MlfLayout.Flat;

        /// <summary>Wildcard patterns on member paths: extra files (not part of MLF) that match are left out.</summary>
        public IReadOnlyList<string> ExcludePaths { get; set; } = Array.Empty<string>();

        /// <summary>
        /// The modification time of every member (and of the gzip header). When null: SOURCE_DATE_EPOCH if set,
        /// else the newest member time of the inputs, so the same inputs always give the same bytes.
        /// </summary>
        public DateTimeOffset? Timestamp { get; set; }

        /// <summary>
        /// The name (as joined) of the module whose C runtime (runtime/, templates/ and its external_dependencies entry)
        /// the archive keeps for every module, leaving the other modules' runtimes out. Null: the inputs' runtimes must agree.
        /// </summary>
        public string RuntimeFrom { get; set; }

        /// <summary>
        /// Adds helper sources under helpers/ (a header describing every model with one call to run each, crt_config.h,
        /// a platform file, an example program and a Makefile). TVM's consumers do not compile that folder.
        /// </summary>
        public bool IncludeHelpers { get; set; }
    }
}
