using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace MlfTools.Format
{
    /// <summary>A DLPack data type: code, bits and lanes, as TVM spells it ("float32", "int8", "uint8x4", "bool").</summary>
    internal readonly struct DataType
    {
        private static readonly Regex TextForm = new Regex(@"^(int|uint|float|bfloat|handle|bool)(\d*)(?:x(\d+))?$", RegexOptions.CultureInvariant);

        public DataType(int code, int bits, int lanes)
        {
            Code = code;
            Bits = bits;
            Lanes = lanes;
        }

        public int Code { get; }
        public int Bits { get; }
        public int Lanes { get; }

        /// <summary>Bytes per element as TVM's allocator computes it: ceil(bits x lanes / 8).</summary>
        public long ElementBytes => ((long)Bits * Lanes + 7) / 8;

        public static bool TryParse(string text, out DataType type)
        {
            type = default;
            if (text == null) return false;
            var match = TextForm.Match(text);
            if (!match.Success) return false;
            string kind = match.Groups[1].Value;
            int lanes = 1;
            if (match.Groups[3].Success && !int.TryParse(match.Groups[3].Value, NumberStyles.None, CultureInfo.InvariantCulture, out lanes)) return false;
            if (kind == "bool")
            {
                if (match.Groups[2].Value.Length > 0) return false;
                type = new DataType(1, 1, lanes);
                return lanes > 0;
            }
            int bits = 64;
            if (match.Groups[2].Value.Length > 0 && !int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out bits)) return false;
            if (bits <= 0 || bits > 1024 || lanes <= 0 || lanes > 65535) return false;
            int code = kind == "int" ? 0 : kind == "uint" ? 1 : kind == "float" ? 2 : kind == "handle" ? 3 : 4;
            type = new DataType(code, bits, lanes);
            return true;
        }

        public override string ToString()
        {
            string name;
            switch (Code)
            {
                case 0: name = "int"; break;
                case 1: name = Bits == 1 ? "bool" : "uint"; break;
                case 2: name = "float"; break;
                case 3: name = "handle"; break;
                case 4: name = "bfloat"; break;
                default: name = "custom" + Code.ToString(CultureInfo.InvariantCulture) + "_"; break;
            }
            string text = Code == 1 && Bits == 1 ? name : name + Bits.ToString(CultureInfo.InvariantCulture);
            return Lanes == 1 ? text : text + "x" + Lanes.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>prod(shape) x element bytes, or null on overflow or a negative dimension.</summary>
        public long? TensorBytes(long[] shape)
        {
            long elements = 1;
            try
            {
                foreach (long dim in shape)
                {
                    if (dim < 0) return null;
                    elements = checked(elements * dim);
                }
                return checked(elements * ElementBytes);
            }
            catch (OverflowException)
            {
                return null;
            }
        }
    }
}
