namespace MlfTools.Format
{
    /// <summary>
    /// Where the helper sources of Join-MlfArchive -IncludeHelpers sit in an archive. Not part of MLF: TVM's consumers
    /// compile codegen/ and runtime/ only, and leave this folder alone.
    /// </summary>
    internal static class HelperLayout
    {
        public const string Folder = "helpers/";

        /// <summary>The header that marks the folder as the helpers MlfTools wrote.</summary>
        public const string ModelsHeaderPath = Folder + "mlf_models.h";

        /// <summary>The crt_config.h the helpers build the C runtime with: the arenas follow its values.</summary>
        public const string CrtConfigPath = Folder + "crt_config.h";
    }
}
