using MlfTools.Expand;
namespace MlfTools
{
    /// <summary>How far an extraction has got, by bytes of member data and by files.</summary>
    public sealed class MlfExpandProgress
    {
        internal MlfExpandProgress(long bytesDone, long bytesTotal, int filesDone, int filesTotal, string currentPath)
        {
            BytesDone = bytesDone;
            BytesTotal = bytesTotal;
            FilesDone = filesDone;
            FilesTotal = filesTotal;
            CurrentPath = currentPath;
        }

        public long BytesDone { get; }
        public long BytesTotal { get; }
        public int FilesDone { get; }
        public int FilesTotal { get; }

        /// <summary>The member being written ('/'-separated, relative to the destination), or null when done.</summary>
        public string CurrentPath { get; }

        public int PercentComplete =>
            BytesTotal > 0 ? (int)System.Math.Min(100, BytesDone * 100 / BytesTotal)
            : FilesTotal > 0 ? System.Math.Min(100, FilesDone * 100 / FilesTotal)
            : 100;
    }
}
