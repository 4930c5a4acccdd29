namespace MlfTools.Tar
{
    internal enum TarEntryType
    {
        File,
        Directory,
        HardLink,
        SymbolicLink,
        CharacterDevice,
        BlockDevice,
        Fifo,
    }
}
