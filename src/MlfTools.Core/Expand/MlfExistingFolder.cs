using MlfTools.Expand;
namespace MlfTools
{
    /// <summary>What an extraction does with a destination folder that exists already.</summary>
    public enum MlfExistingFolder
    {
        /// <summary>Refuse it (DestinationExists): the default.</summary>
        Refuse,

        /// <summary>Write into it: files the archive holds are overwritten, every other file is kept (-Force).</summary>
        Merge,

        /// <summary>Replace it as a whole: files the archive does not hold are deleted (-ReplaceFolder).</summary>
        Replace,
    }
}
