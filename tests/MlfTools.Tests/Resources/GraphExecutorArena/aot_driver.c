/*
 * Measures an AOT model's arena: the workspace its code requests with TVMBackendAllocWorkspace, from the allocator of
 * mlf_platform.c, over a few runs of tvmgen_default_run. The model has one input and one output; INPUT_FIELD and
 * OUTPUT_FIELD (given with -D) name them in tvmgen_default_inputs and tvmgen_default_outputs. Prints "arena-peak <bytes>".
 * RUN_MODEL (given with -D) names the model's own entry when its sources do not define tvmgen_default_run (TVM 0.8's
 * sine defines only tvmgen_default_run_model(void* input, void* output), though its header declares the other).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tvm/runtime/crt/crt.h>
#include <tvm/runtime/crt/module.h>
#include <tvmgen_default.h>

#include "mlf_arena.h"

#ifdef RUN_MODEL
int32_t RUN_MODEL(void* input, void* output);
int32_t tvmgen_default_run(struct tvmgen_default_inputs* inputs, struct tvmgen_default_outputs* outputs) {
  return RUN_MODEL(inputs->INPUT_FIELD, outputs->OUTPUT_FIELD);
}
#endif

/* The C runtime names the system library's entry; an AOT model has none. */
__attribute__((weak)) const TVMModule* TVMSystemLibEntryPoint(void) { return NULL; }

static uint8_t model_storage[1u << 20] __attribute__((aligned(16)));
static mlf_arena model_arena = MLF_ARENA_INIT(model_storage);
static uint8_t input[1u << 16] __attribute__((aligned(16)));
static uint8_t output[1u << 16] __attribute__((aligned(16)));

int main(void) {
  mlf_arena_use(&model_arena);
  for (int r = 0; r < 3; r++) {
    memset(input, r + 1, sizeof(input));
    struct tvmgen_default_inputs inputs = {.INPUT_FIELD = input};
    struct tvmgen_default_outputs outputs = {.OUTPUT_FIELD = output};
    int status = tvmgen_default_run(&inputs, &outputs);
    if (status != 0 || model_arena.failed) {
      fprintf(stderr, "FAILED: tvmgen_default_run (%d)\n", status);
      return 3;
    }
    if (model_arena.top != 0) {
      fprintf(stderr, "FAILED: %lu bytes still in use after a run\n", (unsigned long)model_arena.top);
      return 3;
    }
  }
  printf("arena-peak %lu\n", (unsigned long)model_arena.peak);
  return 0;
}
