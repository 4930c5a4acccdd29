namespace MlfTools
{
    /// <summary>How much an <see cref="ArchiveFinding"/> matters.</summary>
    public enum FindingSeverity
    {
        /// <summary>The archive cannot be used as it is: it does not read, does not build, or does not run.</summary>
        Error = 0,

        /// <summary>The archive builds, but something in it is wrong or not where TVM's tools look for it.</summary>
        Warning = 1,

        /// <summary>Worth knowing, nothing wrong: for example what would collide if the module were joined with others.</summary>
        Information = 2,
    }
}
