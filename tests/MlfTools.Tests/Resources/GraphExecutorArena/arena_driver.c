/*
 * Measures a graph-executor model's arena: the firmware helpers' sequence (TVMInitializeRuntime with a runtime arena
 * of its own, then with the model's arena active TVMModCreateFromCModule, TVMGraphExecutor_Create, LoadParams when a
 * params file is given, and runs that copy the inputs in, call every node's kernel and copy the outputs out) with the
 * allocator of mlf_platform.c. Usage: program <graph.json> <params file or -> <input name> <runs>. Prints "runtime-peak <bytes>"
 * and "arena-peak <bytes>".
 * MODEL_ENTRY (given with -D) is the function that returns the model's TVMModule.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tvm/runtime/crt/crt.h>
#include <tvm/runtime/crt/graph_executor.h>
#include <tvm/runtime/crt/internal/graph_executor/graph_executor.h>
#include <tvm/runtime/crt/module.h>
#include <tvm/runtime/crt/packed_func.h>

#include "mlf_arena.h"

#ifndef ARENA_BYTES
#define ARENA_BYTES (4u << 20)
#endif

const TVMModule* MODEL_ENTRY(void);

/* The C runtime names the system library's entry; a model without one (its own registry) gets this. */
__attribute__((weak)) const TVMModule* TVMSystemLibEntryPoint(void) { return NULL; }

static uint8_t runtime_storage[4096] __attribute__((aligned(16)));
static uint8_t model_storage[ARENA_BYTES] __attribute__((aligned(16)));
static mlf_arena runtime_arena = MLF_ARENA_INIT(runtime_storage);
static mlf_arena model_arena = MLF_ARENA_INIT(model_storage);

#include "../GraphExecutor/driver_support.h"

int main(int argc, char** argv) {
  if (argc != 5) fail("usage:", "program <graph.json> <params or -> <input> <runs>", argc);
  int runs = atoi(argv[4]);
  mlf_arena_use(&runtime_arena);
  int status = TVMInitializeRuntime();
  if (status != 0) fail("TVMInitializeRuntime", "", status);

  size_t size;
  char* json = read_file(argv[1], &size);
  mlf_arena_use(&model_arena);
  TVMModuleHandle module;
  status = TVMModCreateFromCModule(MODEL_ENTRY(), &module);
  if (status != 0) fail("TVMModCreateFromCModule", "", status);
  DLDevice device = {kDLCPU, 0};
  TVMGraphExecutor* executor;
  status = TVMGraphExecutor_Create(json, module, &device, &executor);
  if (status != 0 || model_arena.failed) fail("TVMGraphExecutor_Create", argv[1], status);
  printf("after-create %lu %lu\n", (unsigned long)model_arena.top, (unsigned long)model_arena.peak);
  if (strcmp(argv[2], "-") != 0) {
    char* params = read_file(argv[2], &size);
    status = TVMGraphExecutor_LoadParams(executor, params, (uint32_t)size);
    if (status != 0 || model_arena.failed) fail("TVMGraphExecutor_LoadParams", argv[2], status);
    free(params);
  }
  printf("after-load %lu %lu\n", (unsigned long)model_arena.top, (unsigned long)model_arena.peak);

  uint8_t* scratch = malloc(1 << 20);
  for (int r = 0; r < runs; r++) {
    int index = TVMGraphExecutor_GetInputIndex(executor, argv[3]);
    if (index < 0) fail("no input", argv[3], index);
    DLTensor* in = entry_tensor(executor, executor->input_nodes[index], 0);
    if (tensor_bytes(in) > (1u << 20)) fail("input too large", argv[3], 0);
    memset(scratch, r + 1, tensor_bytes(in));
    memcpy(in->data, scratch, tensor_bytes(in));
    for (uint32_t nid = 0; nid < executor->nodes_count; nid++) {
      const TVMGraphExecutorNode* node = &executor->nodes[nid];
      if (strcmp(node->op_type, "tvm_op") != 0 || strcmp(node->param.func_name, "__nop") == 0) continue;
      if (executor->op_execs[nid].fexec == NULL) fail("no kernel for", node->param.func_name, 0);
      status = executor->op_execs[nid].Call(&executor->op_execs[nid]);
      if (status != 0 || model_arena.failed) fail("kernel", node->param.func_name, status);
    }
    for (uint32_t o = 0; o < executor->outputs_count; o++) {
      const DLTensor* out = entry_tensor(executor, executor->outputs[o].node_id, executor->outputs[o].index);
      if (tensor_bytes(out) > (1u << 20)) fail("output too large", "", 0);
      memcpy(scratch, out->data, tensor_bytes(out));
    }
  }
  free(scratch);
  printf("runtime-peak %lu\n", (unsigned long)runtime_arena.peak);
  printf("arena-peak %lu\n", (unsigned long)model_arena.peak);
  return 0;
}
