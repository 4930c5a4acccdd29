using System;
using System.Runtime.InteropServices;

namespace MlfTools.IO
{
    /// <summary>
    /// Tells a FIFO, socket or device from a regular file. .NET shows them all as a FileInfo of length 0, and opening a
    /// FIFO waits for a writer forever, so a folder input must be checked before any of its files is opened.
    /// </summary>
    /// <remarks>
    /// On Linux the file type comes from statx(2), whose layout is the same on every architecture. Elsewhere (and where
    /// statx is missing) nothing is known and every file is taken for a regular one: Windows has no FIFOs or devices
    /// in a folder (its device names are refused as names).
    /// </remarks>
    internal static class SpecialFiles
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const uint StatxType = 0x1;
        private const int ModeOffset = 28;
        private const int FileTypeMask = 0xF000;
        private const int RegularFile = 0x8000;
        private const int Directory = 0x4000;
        private const int SymbolicLink = 0xA000;

        private static bool _unavailable = !RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        [DllImport("libc.so.6", EntryPoint = "statx", SetLastError = true)]
        private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPStr)] string path, int flags, uint mask, byte[] buffer);

        /// <summary>
        /// What <paramref name="path"/> is when it is not a regular file, folder or link ("a FIFO", "a device", "a socket");
        /// else null. With <paramref name="followLinks"/>, a link is judged by what it points to.
        /// </summary>
        public static string KindOf(string path, bool followLinks = false)
        {
            if (_unavailable) return null;
            var buffer = new byte[256];
            try
            {
                if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType, buffer) != 0) return null;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                _unavailable = true;
                return null;
            }
            int type = BitConverter.ToUInt16(buffer, ModeOffset) & FileTypeMask;
            switch (type)
            {
                case RegularFile:
                case Directory:
                case SymbolicLink:
                    return null;
                case 0x1000:
                    return "a FIFO (named pipe)";
                case 0xC000:
                    return "a socket";
                case 0x2000:
                case 0x6000:
                    return "a device";
                default:
                    return "not a regular file";
            }
        }
    }
}
