/*
 * Runs graph-executor models with the C runtime (CRT): one module handle and one graph executor per model, each
 * made from the model's own system library. Usage, one group of four arguments per model, in the order of
 * MODEL_ENTRIES (a list of X(<system-lib entry function>) given with -D):
 *     program <runs> { <graph.json> <params file or -> <input name> <seed> }...
 * For each run and model it fills the input from a fixed pseudo-random sequence and prints every output as hex.
 *
 * The CRT graph executor hides failures, so this program checks what it does not: every function lookup and every
 * operator's return code. It does not run __nop nodes, so they are run here as the C++ graph executor runs them
 * (the output is the input), and TVMGraphExecutor_SetInput swaps a pointer instead of copying, so inputs are
 * copied into the executor's own input tensor.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tvm/runtime/crt/crt.h>
#include <tvm/runtime/crt/graph_executor.h>
#include <tvm/runtime/crt/internal/graph_executor/graph_executor.h>
#include <tvm/runtime/crt/module.h>
#include <tvm/runtime/crt/packed_func.h>

#define X(entry) const TVMModule* entry(void);
MODEL_ENTRIES
#undef X

static const TVMModule* (*const model_entries[])(void) = {
#define X(entry) entry,
    MODEL_ENTRIES
#undef X
};
#define MODEL_COUNT ((int)(sizeof(model_entries) / sizeof(model_entries[0])))

#ifdef DEFINE_SYSTEM_LIB_ENTRY_POINT
/* The CRT references TVMSystemLibEntryPoint (runtime.SystemLib); a joined program defines it, here as the first model. */
const TVMModule* TVMSystemLibEntryPoint(void) { return model_entries[0](); }
#endif

#include "driver_support.h"

/* Every kernel a node calls must be in the module's registry, and be what the executor looked up. */
static void check_lookups(TVMGraphExecutor* executor, TVMModuleHandle module) {
  for (uint32_t nid = 0; nid < executor->nodes_count; nid++) {
    const TVMGraphExecutorNode* node = &executor->nodes[nid];
    if (strcmp(node->op_type, "tvm_op") != 0 || strcmp(node->param.func_name, "__nop") == 0) continue;
    TVMFunctionHandle function;
    int status = TVMModGetFunction(module, node->param.func_name, 0, &function);
    if (status != 0) fail("lookup of", node->param.func_name, status);
    if (executor->op_execs[nid].fexec != function) fail("executor holds another function for", node->param.func_name, 0);
  }
}

static void run(TVMGraphExecutor* executor) {
  for (uint32_t nid = 0; nid < executor->nodes_count; nid++) {
    const TVMGraphExecutorNode* node = &executor->nodes[nid];
    if (strcmp(node->op_type, "tvm_op") != 0) continue;
    if (strcmp(node->param.func_name, "__nop") == 0) {
      DLTensor* in = entry_tensor(executor, node->inputs[0].node_id, node->inputs[0].index);
      DLTensor* out = entry_tensor(executor, nid, 0);
      if (tensor_bytes(in) != tensor_bytes(out)) fail("__nop changes the size at", node->name, 0);
      memmove(out->data, in->data, tensor_bytes(out));
      continue;
    }
    int status = executor->op_execs[nid].Call(&executor->op_execs[nid]);
    if (status != 0) fail("kernel", node->param.func_name, status);
  }
}

static void fill_input(DLTensor* tensor, uint32_t seed) {
  size_t bytes = tensor_bytes(tensor);
  uint8_t* copy = malloc(bytes);
  uint32_t state = seed * 2654435761u + 12345u;
  for (size_t i = 0; i < bytes;) {
    state = state * 1664525u + 1013904223u;
    if (tensor->dtype.code == kDLFloat && tensor->dtype.bits == 32) {
      float value = (float)(state >> 8) / 8388608.0f - 1.0f; /* [-1, 1) */
      memcpy(copy + i, &value, 4);
      i += 4;
    } else {
      copy[i++] = (uint8_t)(state >> 24);
    }
  }
  memcpy(tensor->data, copy, bytes); /* copied in: SetInput would only swap the pointer */
  free(copy);
}

int main(int argc, char** argv) {
  if (argc != 2 + 4 * MODEL_COUNT) fail("usage:", "program <runs> { <graph.json> <params or -> <input> <seed> }...", argc);
  int runs = atoi(argv[1]);
  int status = TVMInitializeRuntime();
  if (status != 0) fail("TVMInitializeRuntime", "", status);

  TVMGraphExecutor* executors[MODEL_COUNT];
  for (int m = 0; m < MODEL_COUNT; m++) {
    char** args = argv + 2 + 4 * m;
    TVMModuleHandle module;
    status = TVMModCreateFromCModule(model_entries[m](), &module);
    if (status != 0) fail("TVMModCreateFromCModule for", args[0], status);
    size_t size;
    char* json = read_file(args[0], &size);
    DLDevice device = {kDLCPU, 0};
    status = TVMGraphExecutor_Create(json, module, &device, &executors[m]);
    if (status != 0) fail("TVMGraphExecutor_Create for", args[0], status);
    check_lookups(executors[m], module);
    TVMFunctionHandle linked;
    int has_linked_params = TVMModGetFunction(module, "_lookup_linked_param", 0, &linked) == 0;
    printf("model %d linked-params %d\n", m, has_linked_params);
    if (!has_linked_params && strcmp(args[1], "-") != 0) {
      char* params = read_file(args[1], &size);
      status = TVMGraphExecutor_LoadParams(executors[m], params, (uint32_t)size);
      if (status != 0) fail("TVMGraphExecutor_LoadParams", args[1], status);
    }
  }

  for (int r = 0; r < runs; r++) {
    for (int m = 0; m < MODEL_COUNT; m++) {
      char** args = argv + 2 + 4 * m;
      TVMGraphExecutor* executor = executors[m];
      int index = TVMGraphExecutor_GetInputIndex(executor, args[2]);
      if (index < 0) fail("no input", args[2], index);
      fill_input(entry_tensor(executor, executor->input_nodes[index], 0), (uint32_t)(atoi(args[3]) * 1000 + r));
      run(executor);
      for (uint32_t o = 0; o < executor->outputs_count; o++) {
        const DLTensor* out = entry_tensor(executor, executor->outputs[o].node_id, executor->outputs[o].index);
        printf("model %d run %d output %u:", m, r, o);
        for (size_t i = 0; i < tensor_bytes(out); i++) printf(" %02x", ((const uint8_t*)out->data)[i]);
        printf("\n");
      }
    }
  }
  return 0;
}
