using System.Linq;
using MlfTools.Format;
using MlfTools.CSource;
using Xunit;

namespace MlfTools.Tests.Report
{
    /// <summary>
    /// The readers the memory report uses where metadata.json is silent: @main's signature in the Relay text, the tensor
    /// names of the AOT C header, and the constant data a C source defines. Texts are written as TVM writes them (the
    /// forms of TVM 0.8 to 0.18: link-params, .rodata.tvm constants, USMP's constant pool).
    /// </summary>
    public class ModelTextReadersTests
    {
        [Fact]
        public void Relay_main_gives_parameter_and_result_bytes_past_comments_colons_in_names_and_function_attributes()
        {
            const string text = "#[version = \"0.0.5\"]\n" +
                "def @main(%serving_default_input:0: Tensor[(1, 1960), int8] /* ty=Tensor[(1, 1960), int8] */, %v_param_1: Tensor[(16), int32] /* ty=Tensor[(16), int32] */, output_tensor_names=[\"StatefulPartitionedCall_0\"]) -> Tensor[(1, 10), int8] {\n" +
                "  %0 = qnn.quantize(%serving_default_input:0, 1f, 0) /* ty=Tensor[(1, 10), int8] */;\n  %0\n}\n";
            var main = RelayMainSignature.Parse(text)!;
            Assert.Equal(new[] { "serving_default_input:0", "v_param_1" }, main.Parameters.Select(p => p.Key));
            Assert.Equal(new long?[] { 1960, 64 }, main.Parameters.Select(p => p.Value));
            Assert.Equal(10, main.ResultBytes);
        }

        [Fact]
        public void Relay_main_reads_tuples_scalars_64_bit_dimensions_and_sub_byte_types_in_whole_bytes_per_element_as_TVM_counts()
        {
            var main = RelayMainSignature.Parse(
                "def @main(%a: Tensor[(2i64, 3i64), float32], %b: float16, %c: Tensor[(), int32], %d: Tensor[(9), bool], %e: Tensor[(3), int4]) -> (Tensor[(1, 2), float32], Tensor[(4), uint8]) {\n  (%a, %b)\n}")!;
            Assert.Equal(new long?[] { 24, 2, 4, 9, 3 }, main.Parameters.Select(p => p.Value));
            Assert.Equal(12, main.ResultBytes);
        }

        [Fact]
        public void Relay_main_without_return_type_or_with_unknown_dimensions_says_so()
        {
            var main = RelayMainSignature.Parse("def @main(%x: Tensor[(?, 16), float32], %n: Tensor[(n, 2), int8], %y: Tensor[(1, 1), float32]) {\n  %x\n}")!;
            Assert.Equal(new long?[] { null, null, 4 }, main.Parameters.Select(p => p.Value));
            Assert.Null(main.ResultBytes);
            Assert.Null(RelayMainSignature.Parse("def @other(%x: Tensor[(1), int8]) { %x }"));
            Assert.Empty(RelayMainSignature.Parse("def @main() -> Tensor[(1), int8] { meta[relay.Constant][0] }")!.Parameters);
        }

        [Fact]
        public void Header_names_inputs_and_outputs_of_the_interface_structs()
        {
            const string header = "#ifndef TVMGEN_KWS_H_\n#define TVMGEN_KWS_H_\n#include <stdint.h>\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n" +
                "#define TVMGEN_KWS_INPUT_1_SIZE 490\n" +
                "struct tvmgen_kws_inputs {\n  void* input_1;\n  void* aux;\n};\n" +
                "struct tvmgen_kws_outputs {\n  void* Identity;\n};\n" +
                "struct tvmgen_kws_workspace_pools {\n  void* sram;\n};\n" +
                "int32_t tvmgen_kws_run(struct tvmgen_kws_inputs* inputs, struct tvmgen_kws_outputs* outputs);\n" +
                "#ifdef __cplusplus\n}\n#endif\n#endif\n";
            var tensors = InterfaceHeaderTensors.Read(header);
            Assert.Equal(new[] { "input_1", "aux" }, tensors.Inputs);
            Assert.Equal(new[] { "Identity" }, tensors.Outputs);
            Assert.Equal("serving_default_input_0", InterfaceHeaderTensors.Sanitize("serving_default_input:0"));
            Assert.Null(InterfaceHeaderTensors.Read("int x;").Inputs);
        }

        [Fact]
        public void Constant_data_counts_linked_params_rodata_constants_and_the_usmp_pool()
        {
            const string source =
                "#include <stdint.h>\n" +
                "static const int16_t __tvm_param__p7[16000] = {\n  -1, 2\n};\n" +
                "static const float __attribute__((section(\".rodata.tvm\"), aligned(16))) constant_0[16] = {\n  0x1p+0f\n};\n" +
                "__attribute__((section(\".rodata.tvm\"), ))\nstatic struct global_const_workspace {\n" +
                "  int8_t constant_48_let[4096] __attribute__((aligned(16))); // 4096 bytes, aligned offset: 0\n" +
                "  int32_t constant_1_let[12] __attribute__((packed, aligned(16))); // 48 bytes, aligned offset: 4096\n" +
                "} global_const_workspace = {\n  .constant_48_let = {\n    -0x01\n  },\n  .constant_1_let = {\n    0x1\n  },\n};\n" +
                "__attribute__((section(\".bss.noinit.tvm\"), aligned(16)))\nstatic uint8_t global_workspace[16000];\n" +
                "static const TVMBackendPackedCFunc _tvm_func_array[2] = {\n  (TVMBackendPackedCFunc)f,\n};\n" +
                "static const char* const names[3] = {\"a\", \"b\", \"c\"};\n" +
                "int32_t counter[4] = {0};\n" +
                "extern const int8_t elsewhere[100];\n" +
                "TVM_DLL int32_t f(void* a) {\n  static const int8_t local[8] = {1};\n  int32_t x[2] = {0};\n  return 0;\n}\n" +
                "#if 0\nstatic const int8_t dead[1000] = {0};\n#endif\n";
            Assert.Equal(32000 + 64 + 4096 + 48, CConstantData.Bytes(source));
            // A directive inside the pool keeps the lexer from stepping over it: the fields are read in place then.
            string withDirective = source.Replace("  int32_t constant_1_let", "#if 1\n  int32_t constant_1_let").Replace("aligned offset: 4096\n", "aligned offset: 4096\n#endif\n");
            Assert.NotEqual(source, withDirective);
            Assert.Equal(32000 + 64 + 4096 + 48, CConstantData.Bytes(withDirective));
            // As C++ sees it too: inside extern "C" { } is still file scope.
            Assert.Equal(32000 + 64 + 4096 + 48, CConstantData.Bytes("extern \"C\" {\n" + source + "}\n"));
        }
    }
}
