/* The sizes of the C runtime's structures, each the size of a char array: compiled with -S, the assembly says
   ".size size_of_<name>, <bytes>" for every array below (one per structure), for whichever target the compiler builds. */
#include <tvm/runtime/crt/graph_executor.h>
#include <tvm/runtime/crt/internal/graph_executor/graph_executor.h>
#include <tvm/runtime/crt/internal/graph_executor/load_json.h>
#include <tvm/runtime/crt/packed_func.h>

#define SIZE(name, type) char size_of_##name[sizeof(type)];
SIZE(TVMGraphExecutor, TVMGraphExecutor)
SIZE(TVMGraphExecutorNode, TVMGraphExecutorNode)
SIZE(TVMGraphExecutorNodeEntry, TVMGraphExecutorNodeEntry)
SIZE(TVMGraphExecutorPoolEntry, TVMGraphExecutorPoolEntry)
SIZE(TVMGraphExecutorStorageEntry, TVMGraphExecutorStorageEntry)
SIZE(TVMNDArray, TVMNDArray)
SIZE(TVMPackedFunc, TVMPackedFunc)
SIZE(Seq, Seq)
SIZE(DLDataType, DLDataType)
