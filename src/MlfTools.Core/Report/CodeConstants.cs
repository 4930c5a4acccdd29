using MlfTools.Text;
using System.Linq;
using System.Threading;
using MlfTools.CSource;

namespace MlfTools.Report
{
    /// <summary>The weights a module's C sources compile into the code, counted from their declarations (see <see cref="CConstantData"/>).</summary>
    internal static class CodeConstants
    {
        /// <summary>The bytes of constant data the module's C sources define; null for a module without C sources.</summary>
        public static long? Of(MlfModule module, CancellationToken cancellationToken)
        {
            var sources = module.Files.Where(f => f.Kind == MlfFileKind.Source).ToList();
            if (sources.Count == 0) return null;
            long total = 0;
            foreach (var file in sources)
            {
                string text = module.ReadCText(file.Path, cancellationToken);
                if (text == null) continue;
                try
                {
                    total = Saturating.Add(total, CConstantData.Bytes(text, cancellationToken));
                }
                catch (CSourceTooLargeException)
                {
                    throw CSourceLimits.TooManyTokens(module.SourcePath, file.Path);
                }
            }
            return total;
        }
    }
}
