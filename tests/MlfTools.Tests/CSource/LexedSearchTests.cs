using System.Threading;
using MlfTools.Report;
using MlfTools.Validation;
using Xunit;

namespace MlfTools.Tests
{
    /// <summary>
    /// What the report and the checks look for in C text they find with the C lexer and the conditionals of the symbol
    /// scan, as the join does: a comment or an <c>#if 0</c> group that spells it does not count.
    /// </summary>
    public class LexedSearchTests
    {
        private static bool StaticWorkspace(string source) =>
            CodeSizeMeasurer.NamesStaticWorkspace(source, "a.tar", "codegen/host/src/default_lib0.c", CancellationToken.None);

        private static bool LinkedParamLookup(string source) =>
            WeightPlacement.DefinesLinkedParamLookup(source, "a.tar", "codegen/host/src/default_lib0.c", CancellationToken.None);

        [Fact]
        public void The_static_workspace_is_found_in_active_code_only()
        {
            Assert.True(StaticWorkspace("__attribute__((section(\".bss.noinit\"), aligned(16)))\nstatic uint8_t global_workspace[ 1024 ];\n"));
            Assert.True(StaticWorkspace("#ifdef __cplusplus\nextern \"C\" {\n#endif\nstatic uint8_t global_workspace[64];\n#ifdef __cplusplus\n}\n#endif\n"));
            Assert.False(StaticWorkspace("void f(void) { uint8_t global_workspace[64]; }\n"));
            Assert.False(StaticWorkspace("// static uint8_t global_workspace[1024];\n"));
            Assert.False(StaticWorkspace("/* static uint8_t global_workspace[1024]; */\n"));
            Assert.False(StaticWorkspace("#if 0\nstatic uint8_t global_workspace[1024];\n#endif\n"));
            Assert.False(StaticWorkspace("const char* s = \"global_workspace[1024]\";\n"));
            Assert.False(StaticWorkspace("static uint8_t my_global_workspace[1024];\n"));
            Assert.False(StaticWorkspace("static uint8_t global_workspace[SIZE];\n"));
        }

        [Fact]
        public void The_linked_param_lookup_counts_when_the_source_defines_it()
        {
            const string definition = "#ifdef __cplusplus\nextern \"C\"\n#endif\nTVM_DLL int32_t _lookup_linked_param(void* args, int* type_code, int num_args, void* out_ret_value, int* out_ret_tcode, void* resource_handle) {\n  return 0;\n}\n";
            Assert.True(LinkedParamLookup(definition));
            Assert.False(LinkedParamLookup("// TVM_DLL int32_t _lookup_linked_param(void* args) { return 0; }\n"));
            Assert.False(LinkedParamLookup("#if 0\n" + definition + "#endif\n"));
            Assert.False(LinkedParamLookup("static const char* name = \"_lookup_linked_param\";\n"));
        }

        [Fact]
        public void The_registry_count_width_is_read_from_active_code_only()
        {
            const string body = "uint16_t TVMFuncRegistry_GetNumFuncs(const TVMFuncRegistry* reg) {\n  uint16_t num_funcs;\n  memcpy(&num_funcs, reg->names, sizeof(num_funcs));\n  return num_funcs;\n}\n";
            Assert.Equal(2, RegistryChecks.DeclaredCountWidth(body, CancellationToken.None));
            Assert.Equal(1, RegistryChecks.DeclaredCountWidth("uint8_t TVMFuncRegistry_GetNumFuncs(const TVMFuncRegistry* reg) {\n  uint8_t num_funcs;\n  return num_funcs;\n}\n", CancellationToken.None));
            Assert.Equal(2, RegistryChecks.DeclaredCountWidth("// was: uint8_t num_funcs;\n" + body, CancellationToken.None));
            Assert.Equal(2, RegistryChecks.DeclaredCountWidth("#if 0\nuint8_t num_funcs;\n#endif\n" + body, CancellationToken.None));
            Assert.Equal(0, RegistryChecks.DeclaredCountWidth("/* uint16_t num_funcs; */\n#if 0\nuint8_t num_funcs;\n#endif\n", CancellationToken.None));
        }
    }
}
