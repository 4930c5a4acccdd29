namespace MlfTools
{
    /// <summary>One problem Test-MlfArchive found in an archive: what (<see cref="Id"/>), how bad, where, and what to do.</summary>
    public sealed class ArchiveFinding
    {
        public ArchiveFinding(FindingSeverity severity, string id, string module, string path, string member, string message)
        {
            Level = severity;
            Id = id;
            Module = module;
            Path = path;
            Member = member;
            Message = message;
        }

        /// <summary>
        /// "Error", "Warning" or "Information": the name of a <see cref="FindingSeverity"/>, as text so that ConvertTo-Json
        /// and Export-Csv write the name in every PowerShell version (an enum property would be a number in JSON).
        /// </summary>
        public string Severity => Level.ToString();

        /// <summary>The severity as the enum, for code in this assembly.</summary>
        internal FindingSeverity Level { get; }

        /// <summary>One of <see cref="ArchiveFindingIds"/>: stable, for scripts to filter on.</summary>
        public string Id { get; }

        /// <summary>The module the finding is about, or null when it is about the whole archive.</summary>
        public string Module { get; }

        /// <summary>Full path of the archive or extracted folder.</summary>
        public string Path { get; }

        /// <summary>The member inside the archive ('/' separated, without "./"), or null when the finding is about no one file.</summary>
        public string Member { get; }

        /// <summary>What is wrong and what to do about it.</summary>
        public string Message { get; }

        /// <summary>True when the finding matters at least as much as <paramref name="minimum"/> (Error over Warning over Information).</summary>
        public bool IsAtLeast(FindingSeverity minimum) => Level <= minimum;

        public override string ToString() => $"{Severity} {Id}: {Message}";
    }
}
