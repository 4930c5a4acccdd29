using MlfTools.Join;
namespace MlfTools
{
    /// <summary>How far a join has got, by bytes of member data.</summary>
    public sealed class MlfJoinProgress
    {
        internal MlfJoinProgress(long bytesDone, long bytesTotal, string currentPath)
        {
            BytesDone = bytesDone;
            BytesTotal = bytesTotal;
            CurrentPath = currentPath;
        }

        public long BytesDone { get; }
        public long BytesTotal { get; }
        public string CurrentPath { get; }

        public int PercentComplete => BytesTotal <= 0 ? 100 : (int)System.Math.Min(100, BytesDone * 100 / BytesTotal);
    }
}
