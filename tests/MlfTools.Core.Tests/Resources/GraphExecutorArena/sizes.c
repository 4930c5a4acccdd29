/* The sizes of the C runtime's structures, each as the size of an array the compiler reports: compiled with -S,
   the assembly holds "SIZE_<name>: .size ... <bytes>" via the objects below (one char array per structure). */
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
