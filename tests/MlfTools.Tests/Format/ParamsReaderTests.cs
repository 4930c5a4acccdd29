using System.IO;
using System.Linq;
using MlfTools.Format;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests
{
    public class ParamsReaderTests
    {
        [Fact]
        public void Names_dtypes_shapes_and_offsets_are_read_in_file_order()
        {
            var bytes = ParamsWriter.Write(new[]
            {
                new ParamsWriter.Tensor("weights", 0, 8, new long[] { 3, 5 }),
                new ParamsWriter.Tensor("bias", 2, 32, new long[] { 5 }),
                new ParamsWriter.Tensor("scalar", 1, 16, new long[0]),
            });
            var parameters = ParamsReader.Read(new MemoryStream(bytes), bytes.Length, "parameters/m.params", "m.tar");

            Assert.Equal(new[] { "weights", "bias", "scalar" }, parameters.Tensors.Select(t => t.Name));
            Assert.Equal(new[] { "int8", "float32", "uint16" }, parameters.Tensors.Select(t => t.DType));
            Assert.Equal(new[] { 15L, 20L, 2L }, parameters.Tensors.Select(t => t.ByteSize));
            Assert.Equal(new long[] { 3, 5 }, parameters.Tensors[0].Shape);
            Assert.Empty(parameters.Tensors[2].Shape);
            Assert.Equal(37, parameters.TotalBytes);
            Assert.Equal(3, parameters.Count);
            Assert.Equal(1, parameters.Tensors[0].DeviceType);
            // The last tensor's data ends the file.
            Assert.Equal(bytes.Length - 2, parameters.Tensors[2].DataOffset);
        }

        [Fact]
        public void An_empty_params_file_is_32_bytes_and_holds_nothing()
        {
            var bytes = ParamsWriter.Write(new ParamsWriter.Tensor[0]);
            Assert.Equal(32, bytes.Length);
            var parameters = ParamsReader.Read(new MemoryStream(bytes), bytes.Length, "p", "m.tar");
            Assert.Equal(0, parameters.Count);
            Assert.Equal(0, parameters.TotalBytes);
        }
    }
}
