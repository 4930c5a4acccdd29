namespace MlfTools.Format
{
    /// <summary>Which member of which archive a reader is looking at, for error messages and targets.</summary>
    internal readonly struct MemberOrigin
    {
        public MemberOrigin(string member, string archive)
        {
            Member = member;
            Archive = archive;
        }

        public string Member { get; }
        public string Archive { get; }
    }
}
