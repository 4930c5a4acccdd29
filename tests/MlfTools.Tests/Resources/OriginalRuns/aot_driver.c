/*
 * Runs one AOT model of an original MLF archive once on the fixed input pattern (run_pattern.h) and prints its line.
 * model_io.h, written per sample by the test, names the model (MODEL_NAME) and lists its inputs and outputs in the
 * order of the members of struct tvmgen_<name>_inputs / _outputs:
 *     #define AOT_INPUTS(X) X(member, KIND_..., element bytes, element count) ...
 *     #define AOT_OUTPUTS(X) ...
 * and defines AOT_RUN_MODEL for an archive whose code defines only tvmgen_default_run_model(void* in, void* out)
 * (v5-aot-sine: its header declares tvmgen_default_run, which no source defines).
 * The workspace functions the models call are here (heap memory); no other runtime code is linked.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_io.h"
#include "run_pattern.h"
#include "tvmgen_default.h"

void* TVMBackendAllocWorkspace(int device_type, int device_id, uint64_t nbytes, int dtype_code_hint, int dtype_bits_hint) {
  (void)device_type; (void)device_id; (void)dtype_code_hint; (void)dtype_bits_hint;
  return malloc(nbytes == 0 ? 1 : (size_t)nbytes);
}

int TVMBackendFreeWorkspace(int device_type, int device_id, void* ptr) {
  (void)device_type; (void)device_id;
  free(ptr);
  return 0;
}

void TVMAPISetLastError(const char* msg) { fprintf(stderr, "TVMAPISetLastError: %s\n", msg); }

#define DECLARE(member, kind, size, count) static uint8_t member##_data[(size) * (count)] __attribute__((aligned(16)));
AOT_INPUTS(DECLARE)
AOT_OUTPUTS(DECLARE)
#undef DECLARE

#ifdef AOT_RUN_MODEL
int32_t tvmgen_default_run_model(void* input, void* output);
#endif

int main(void) {
  int k = 0;
#define FILL(member, kind, size, count) \
  if (pattern_fill(member##_data, kind, count, k++) != 0) { printf("unknown kind of " #member "\n"); return 3; }
  AOT_INPUTS(FILL)
#undef FILL
  (void)k;

#ifdef AOT_RUN_MODEL
#define POINTER(member, kind, size, count) member##_data,
  void* pointers[] = { AOT_INPUTS(POINTER) AOT_OUTPUTS(POINTER) };
#undef POINTER
  int32_t rc = tvmgen_default_run_model(pointers[0], pointers[1]);
#else
  struct tvmgen_default_inputs inputs;
  struct tvmgen_default_outputs outputs;
  memset(&inputs, 0, sizeof inputs);
  memset(&outputs, 0, sizeof outputs);
#define SET_INPUT(member, kind, size, count) inputs.member = member##_data;
#define SET_OUTPUT(member, kind, size, count) outputs.member = member##_data;
  AOT_INPUTS(SET_INPUT)
  AOT_OUTPUTS(SET_OUTPUT)
#undef SET_INPUT
#undef SET_OUTPUT
  int32_t rc = tvmgen_default_run(&inputs, &outputs);
#endif

  uint64_t h = FNV1A64_BASIS;
#define HASH(member, kind, size, count) h = fnv1a64(h, member##_data, sizeof member##_data);
  AOT_OUTPUTS(HASH)
#undef HASH
  pattern_print(MODEL_NAME, rc, h);
  return 0;
}
