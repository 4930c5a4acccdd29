using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace MlfTools
{
    /// <summary>The dimensions of a tensor, read-only; its text is the shape as Python prints it: "[1, 49, 10]" ("[]" for a scalar).</summary>
    public sealed class TensorShape : ReadOnlyCollection<long>
    {
        public TensorShape(IEnumerable<long> dimensions)
            : base(dimensions.ToList())
        {
        }

        public override string ToString() =>
            "[" + string.Join(", ", this.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
    }
}
