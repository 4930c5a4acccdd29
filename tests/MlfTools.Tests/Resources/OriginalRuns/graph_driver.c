/*
 * Runs one graph-executor model of an original MLF archive once, with the C runtime's graph executor (TVM 0.13 CRT),
 * on the fixed input pattern (run_pattern.h), and prints its line. model_io.h, written per sample by the test, gives
 *     MODEL_NAME, GRAPH_INPUTS (the graph's input names that are not parameters, in arg_nodes order, as a list of
 *     string literals), and the data the test embeds: model_graph_json, model_params / model_params_size
 *     (the archive's params file; size 0 for none).
 * The module is TVMSystemLibEntryPoint(): the archive's system library, or a registry the test writes for an
 * archive without one. Parameters: linked (the module has _lookup_linked_param) or loaded from the params bytes.
 *
 * The CRT graph executor ignores kernel failures and cannot run __nop nodes, so the nodes are run here one by one:
 * rc is the first non-zero kernel return code (0 when every kernel returns 0); a __nop copies its input to its
 * output, as the C++ graph executor does. Inputs are copied into the executor's own input tensors.
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

#include "model_io.h"
#include "run_pattern.h"

extern const char model_graph_json[];
extern const unsigned char model_params[];
extern const unsigned int model_params_size;

const TVMModule* TVMSystemLibEntryPoint(void);

static int fail(const char* what, const char* detail, int code) {
  printf("FAILED: %s %s (%d)\n", what, detail, code);
  fflush(stdout);
  return 3;
}

static size_t tensor_count(const DLTensor* tensor) {
  size_t count = 1;
  for (int i = 0; i < tensor->ndim; i++) count *= (size_t)tensor->shape[i];
  return count * tensor->dtype.lanes;
}

static size_t tensor_bytes(const DLTensor* tensor) { return tensor_count(tensor) * ((tensor->dtype.bits + 7) / 8); }

static DLTensor* entry_tensor(TVMGraphExecutor* executor, uint32_t node, uint32_t index) {
  return &executor->data_entry[TVMGraphExecutor_GetEntryId(executor, node, index)].dl_tensor;
}

static int kind_of(DLDataType t) {
  if (t.code == kDLFloat && t.bits == 32) return KIND_F32;
  if (t.code == kDLInt && t.bits == 8) return KIND_I8;
  if (t.code == kDLUInt && t.bits == 8) return KIND_U8;
  if (t.code == kDLInt && t.bits == 16) return KIND_I16;
  if (t.code == kDLUInt && t.bits == 16) return KIND_U16;
  if (t.code == kDLInt && t.bits == 32) return KIND_I32;
  if (t.code == kDLUInt && t.bits == 32) return KIND_U32;
  return 0;
}

int main(void) {
  static const char* const inputs[] = {GRAPH_INPUTS};
  int status = TVMInitializeRuntime();
  if (status != 0) return fail("TVMInitializeRuntime", "", status);
  TVMModuleHandle module;
  status = TVMModCreateFromCModule(TVMSystemLibEntryPoint(), &module);
  if (status != 0) return fail("TVMModCreateFromCModule", "", status);
  DLDevice device = {kDLCPU, 0};
  TVMGraphExecutor* executor;
  status = TVMGraphExecutor_Create(model_graph_json, module, &device, &executor);
  if (status != 0) return fail("TVMGraphExecutor_Create", "", status);

  /* Every kernel a node calls must be in the module, and be what the executor looked up. */
  for (uint32_t nid = 0; nid < executor->nodes_count; nid++) {
    const TVMGraphExecutorNode* node = &executor->nodes[nid];
    if (strcmp(node->op_type, "tvm_op") != 0 || strcmp(node->param.func_name, "__nop") == 0) continue;
    TVMFunctionHandle function;
    status = TVMModGetFunction(module, node->param.func_name, 0, &function);
    if (status != 0) return fail("lookup of", node->param.func_name, status);
    if (executor->op_execs[nid].fexec != function) return fail("executor holds another function for", node->param.func_name, 0);
  }

  TVMFunctionHandle linked;
  int has_linked_params = TVMModGetFunction(module, "_lookup_linked_param", 0, &linked) == 0;
  if (!has_linked_params) {
    if (model_params_size == 0) return fail("no params", "and no _lookup_linked_param", 0);
    status = TVMGraphExecutor_LoadParams(executor, (const char*)model_params, model_params_size);
    if (status != 0) return fail("TVMGraphExecutor_LoadParams", "", status);
  }

  for (int k = 0; k < (int)(sizeof inputs / sizeof inputs[0]); k++) {
    int index = TVMGraphExecutor_GetInputIndex(executor, inputs[k]);
    if (index < 0) return fail("no input", inputs[k], index);
    DLTensor* tensor = entry_tensor(executor, executor->input_nodes[index], 0);
    if (pattern_fill(tensor->data, kind_of(tensor->dtype), tensor_count(tensor), k) != 0) return fail("unknown dtype of", inputs[k], tensor->dtype.code);
  }

  int32_t rc = 0;
  for (uint32_t nid = 0; nid < executor->nodes_count && rc == 0; nid++) {
    const TVMGraphExecutorNode* node = &executor->nodes[nid];
    if (strcmp(node->op_type, "tvm_op") != 0) continue;
    if (strcmp(node->param.func_name, "__nop") == 0) {
      DLTensor* in = entry_tensor(executor, node->inputs[0].node_id, node->inputs[0].index);
      DLTensor* out = entry_tensor(executor, nid, 0);
      if (tensor_bytes(in) != tensor_bytes(out)) return fail("__nop changes the size at", node->name, 0);
      memmove(out->data, in->data, tensor_bytes(out));
      continue;
    }
    rc = executor->op_execs[nid].Call(&executor->op_execs[nid]);
  }

  uint64_t h = FNV1A64_BASIS;
  for (uint32_t o = 0; o < executor->outputs_count; o++) {
    const DLTensor* out = entry_tensor(executor, executor->outputs[o].node_id, executor->outputs[o].index);
    h = fnv1a64(h, out->data, tensor_bytes(out));
  }
  pattern_print(MODEL_NAME, rc, h);
  return 0;
}
