/* CRT configuration for the graph-executor test programs: the CRT template's values, with room for renamed
   function names and for one registered module per model plus one. */
#ifndef TVM_RUNTIME_CRT_CRT_CONFIG_H_
#define TVM_RUNTIME_CRT_CRT_CONFIG_H_

#define TVM_CRT_LOG_LEVEL TVM_CRT_LOG_LEVEL_WARN
#define TVM_CRT_DEBUG 0
#define TVM_CRT_MAX_NDIM 6
#define TVM_CRT_MAX_ARGS 10
#define TVM_CRT_GLOBAL_FUNC_REGISTRY_SIZE_BYTES 512
#define TVM_CRT_MAX_REGISTERED_MODULES 8
#define TVM_CRT_MAX_PACKET_SIZE_BYTES 2048
#define TVM_CRT_MAX_STRLEN_DLTYPE 10
#define TVM_CRT_MAX_STRLEN_FUNCTION_NAME 200
#define TVM_CRT_MAX_STRLEN_PARAM_NAME 80

#endif  // TVM_RUNTIME_CRT_CRT_CONFIG_H_
