using System.Collections.Generic;
using System.IO;
using System.Text;

namespace MlfTools.Tests.Support
{
    /// <summary>Writes .params files in TVM's save_param_dict layout, optionally with fields that lie.</summary>
    internal static class ParamsWriter
    {
        public sealed record Tensor(string Name, byte Code, byte Bits, long[] Shape, long? DeclaredBytes = null, int DataBytesWritten = -1);

        public static byte[] Write(IReadOnlyList<Tensor> tensors, ulong? arrayCountOverride = null)
        {
            using var buffer = new MemoryStream();
            using var writer = new BinaryWriter(buffer);
            writer.Write(0xF7E58D4F05049CB7UL);
            writer.Write(0UL);
            writer.Write((ulong)tensors.Count);
            foreach (var t in tensors)
            {
                byte[] name = Encoding.UTF8.GetBytes(t.Name);
                writer.Write((ulong)name.Length);
                writer.Write(name);
            }
            writer.Write(arrayCountOverride ?? (ulong)tensors.Count);
            foreach (var t in tensors)
            {
                writer.Write(0xDD5E40F096B4A13FUL);
                writer.Write(0UL);
                writer.Write(1); // device type CPU
                writer.Write(0); // device id
                writer.Write(t.Shape.Length);
                writer.Write(t.Code);
                writer.Write(t.Bits);
                writer.Write((ushort)1);
                long elements = 1;
                foreach (long d in t.Shape) { writer.Write(d); elements *= d; }
                long actual = elements * ((t.Bits + 7) / 8);
                writer.Write(t.DeclaredBytes ?? actual);
                writer.Write(new byte[t.DataBytesWritten >= 0 ? t.DataBytesWritten : actual]);
            }
            writer.Flush();
            return buffer.ToArray();
        }
    }
}
