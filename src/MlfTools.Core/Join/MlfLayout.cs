using MlfTools.Join;
namespace MlfTools
{
    /// <summary>How a multi-module archive is laid out.</summary>
    public enum MlfLayout
    {
        /// <summary>The multi-module RFC's layout: one shared tree, per-module files told apart by the module-name prefix.</summary>
        Flat,

        /// <summary>The RFC's alternative: a folder per module holding that module's single-module tree.</summary>
        PerModule,
    }
}
