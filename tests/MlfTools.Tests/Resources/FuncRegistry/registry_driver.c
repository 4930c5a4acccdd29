/*
 * Reads a system library's function registry with the C runtime's own reader (func_registry.c): the count, then
 * the index of every name given on the command line, or "missing". Built with AddressSanitizer, a lookup that runs
 * past the names string stops the program.
 */
#include <stdio.h>
#include <tvm/runtime/crt/module.h>

const TVMModule* SYSTEM_LIB(void);

int main(int argc, char** argv) {
  const TVMFuncRegistry* registry = SYSTEM_LIB()->registry;
  printf("count %u\n", (unsigned)TVMFuncRegistry_GetNumFuncs(registry));
  for (int i = 1; i < argc; i++) {
    tvm_function_index_t index = 0;
    if (TVMFuncRegistry_Lookup(registry, argv[i], &index) == kTvmErrorNoError) {
      printf("%s %u\n", argv[i], (unsigned)index);
    } else {
      printf("%s missing\n", argv[i]);
    }
  }
  return 0;
}
