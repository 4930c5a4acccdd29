using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MlfTools.CSource;
using MlfTools.Tests.Support;
using Xunit;

namespace MlfTools.Tests.Validation
{
    /// <summary>
    /// CSymbolScanner's clashes (a function defined twice, or declared with differing parameter counts, in one file)
    /// against gcc: every snippet is compiled with -fsyntax-only, and the scanner must find a clash exactly where gcc
    /// refuses the file, naming the function gcc names.
    /// </summary>
    public class FunctionClashTests
    {
        // What the includes of TVM's generated lib0.c provide, written out so gcc needs no TVM headers.
        private const string TvmPrelude = @"
#include <stdint.h>
#define TVM_DLL __attribute__((visibility(""default"")))
typedef union { int64_t v_int64; double v_float64; void* v_handle; } TVMValue;
typedef int (*TVMBackendPackedCFunc)(TVMValue* args, int* type_codes, int num_args, TVMValue* out_ret_value, int* out_ret_tcode, void* resource_handle);
typedef struct TVMFuncRegistry { const char* names; const TVMBackendPackedCFunc* funcs; } TVMFuncRegistry;
typedef struct TVMModule { const TVMFuncRegistry* registry; } TVMModule;
struct tvmgen_default_inputs { void* Reshape_1; };
struct tvmgen_default_outputs { void* labels_softmax; };
";

        // The shape of lib0.c that TVM's C metadata module writes for an AOT build with the C interface, the unpacked
        // API and system-lib=1 (apache/tvm#17194): the function registry declares every function it lists with the
        // packed signature, then the C interface entry point defines tvmgen_default_run with its own signature.
        public const string AotSystemLibCInterfaceLib0 = @"
#ifdef __cplusplus
extern ""C""
#endif
TVM_DLL int32_t tvmgen_default_run(TVMValue* args, int* type_code, int num_args, TVMValue* out_value, int* out_type_code, void* resource_handle);
#ifdef __cplusplus
extern ""C""
#endif
TVM_DLL int32_t tvmgen_default___tvm_main__(TVMValue* args, int* type_code, int num_args, TVMValue* out_value, int* out_type_code, void* resource_handle);
static TVMBackendPackedCFunc _tvm_func_array[] = {
    (TVMBackendPackedCFunc)tvmgen_default_run,
    (TVMBackendPackedCFunc)tvmgen_default___tvm_main__,
};
static const TVMFuncRegistry _tvm_func_registry = {
    ""\002\000tvmgen_default_run\000tvmgen_default___tvm_main__\000"",    _tvm_func_array,
};
static const TVMModule _tvm_system_lib = {
    &_tvm_func_registry,
};
const TVMModule* TVMSystemLibEntryPoint(void) {
    return &_tvm_system_lib;
}
#ifdef __cplusplus
extern ""C"" {
#endif
__attribute__((section("".bss.noinit.tvm""), aligned(16)))
static uint8_t global_workspace[17360];
TVM_DLL int32_t tvmgen_default___tvm_main__(void* Reshape_1,void* output0,uint8_t* global_workspace_0_var);
int32_t tvmgen_default_run(struct tvmgen_default_inputs* inputs,struct tvmgen_default_outputs* outputs) {return tvmgen_default___tvm_main__(inputs->Reshape_1,outputs->labels_softmax,global_workspace);
}
#ifdef __cplusplus
}
#endif
;";

        // The same build without system-lib: no registry, so nothing clashes.
        public const string AotCInterfaceLib0 = @"
#ifdef __cplusplus
extern ""C"" {
#endif
__attribute__((section("".bss.noinit.tvm""), aligned(16)))
static uint8_t global_workspace[17360];
TVM_DLL int32_t tvmgen_default___tvm_main__(void* Reshape_1,void* output0,uint8_t* global_workspace_0_var);
int32_t tvmgen_default_run(struct tvmgen_default_inputs* inputs,struct tvmgen_default_outputs* outputs) {return tvmgen_default___tvm_main__(inputs->Reshape_1,outputs->labels_softmax,global_workspace);
}
#ifdef __cplusplus
}
#endif
;";

        public static IEnumerable<object[]> Snippets() => new[]
        {
            Case("aot_system_lib_c_interface", AotSystemLibCInterfaceLib0,
                ("tvmgen_default___tvm_main__", FunctionClashKind.ConflictingParameters), ("tvmgen_default_run", FunctionClashKind.ConflictingParameters)),
            Case("aot_c_interface", AotCInterfaceLib0),
            Case("defined_twice", @"
int32_t tvmgen_default_run(void* input, void* output) { return 0; }
int helper(void) { return 1; }
int32_t tvmgen_default_run(void* input, void* output) { return helper(); }
", ("tvmgen_default_run", FunctionClashKind.Redefinition)),
            Case("static_defined_twice", @"
static int twice(int a) { return a; }
static int twice(int a) { return a + 1; }
int use(void) { return twice(1); }
", ("twice", FunctionClashKind.Redefinition)),
            Case("declared_differently", @"
int f(int a, int b);
int f(int a);
", ("f", FunctionClashKind.ConflictingParameters)),
            Case("void_against_one_parameter", @"
int g(void);
int g(int a) { return a; }
", ("g", FunctionClashKind.ConflictingParameters)),
            Case("prototype_then_definition", @"
int p(int a, int b);
int p(int a, int b) { return a + b; }
static int q(void);
static int q(void) { return 0; }
int r(TVMValue* args, int n);
int r(TVMValue* values, int count) { return count; }
"),
            Case("unprototyped_declarations_match_anything", @"
int u();
int u(int a, int b) { return a + b; }
int v(void);
int v();
"),
            Case("gnu_inline_then_real_definition", @"
extern inline __attribute__((gnu_inline)) int fast(int a) { return a; }
int fast(int a) { return a * 2; }
"),
            Case("alternatives_under_conditionals", @"
#ifdef USE_FAST_PATH
int pick(int a) { return a; }
#else
int pick(int a) { return a + 1; }
#endif
#if 0
int pick(int a, int b) { return b; }
#endif
"),
            // gcc defines neither macro, so only the second pair is compiled; a build for a DSP core would compile the
            // first. The scanner cannot tell which, so code under undecidable conditions clashes with nothing.
            Case("complementary_undecidable_conditions", @"
#ifdef __ARM_FEATURE_DSP
static inline int mac(int a, int b) { return a * b; }
int dsp_kernel(int a, int b);
#endif
#ifndef __ARM_FEATURE_DSP
static inline int mac(int a, int b) { return a * b + 0; }
int dsp_kernel(int a);
#endif
int use(void) { return mac(1, 2); }
"),
            Case("a_clash_in_decided_code_beside_undecidable_code", @"
#ifdef __ARM_FEATURE_DSP
int helper(int a, int b);
#endif
int twice(void) { return 0; }
int twice(void) { return 1; }
", ("twice", FunctionClashKind.Redefinition)),
            Case("function_pointers_and_arrays_are_not_prototypes", @"
int h(int a, int b) { return a + b; }
int (*hp)(int) = 0;
int (*table[2])(int, int) = { h, h };
typedef int callback_t(int, int, int);
"),
        };

        private static object[] Case(string name, string source, params (string Name, FunctionClashKind Kind)[] expected) =>
            new object[] { name, source, expected.Select(e => e.Name + ":" + e.Kind).ToArray() };

        [Theory]
        [MemberData(nameof(Snippets))]
        public void The_scanner_finds_exactly_the_expected_clashes(string name, string source, string[] expected)
        {
            var found = CSymbolScanner.FindSymbols(TvmPrelude + source).FunctionClashes;
            Assert.True(expected.OrderBy(e => e).SequenceEqual(found.Select(c => c.Name + ":" + c.Kind).OrderBy(e => e)),
                $"{name}: expected [{string.Join(", ", expected)}], found [{string.Join(", ", found)}]");
        }

        [ToolTheory("gcc")]
        [MemberData(nameof(Snippets))]
        public void Gcc_refuses_exactly_the_files_with_clashes_and_names_the_same_functions(string name, string source, string[] expected)
        {
            using var temp = new TempFolder();
            string path = temp.File(name + ".c");
            File.WriteAllText(path, TvmPrelude + source);
            var (exitCode, errors) = ExternalTool.RunAllowingFailure("gcc", temp.Path, "-fsyntax-only", "-std=gnu11", path);
            Assert.Equal(expected.Length == 0, exitCode == 0);
            foreach (string clash in expected)
            {
                string function = clash.Substring(0, clash.IndexOf(':'));
                Assert.Matches($"[‘']{Regex.Escape(function)}[’']", errors);
            }
        }

        [Fact]
        public void A_clash_names_the_lines_and_parameter_counts()
        {
            var clash = Assert.Single(CSymbolScanner.FindSymbols("int f(int a, int b);\n\nint f(int a) { return a; }\n").FunctionClashes);
            Assert.Equal(("f", 1, 3, 2, 1), (clash.Name, clash.FirstLine, clash.Line, clash.FirstParameterCount, clash.ParameterCount));

            var twice = Assert.Single(CSymbolScanner.FindSymbols("void g(void) {}\nvoid g(void) {}\n").FunctionClashes);
            Assert.Equal((FunctionClashKind.Redefinition, 1, 2), (twice.Kind, twice.FirstLine, twice.Line));
        }

        [Fact]
        public void Global_definitions_are_those_of_FindGlobalDefinitions()
        {
            string source = TvmPrelude + AotSystemLibCInterfaceLib0;
            Assert.Equal(CSymbolScanner.FindGlobalDefinitions(source).Select(s => s.ToString()),
                CSymbolScanner.FindSymbols(source).GlobalDefinitions.Select(s => s.ToString()));
        }
    }
}
