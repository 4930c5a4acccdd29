/* Force-included (-include) into the C runtime's files for the Cortex-M4 build: Debian's arm-none-eabi newlib
   <inttypes.h> leaves PRIu64 and friends undefined (its __int64_t_defined is not set with GCC's <stdint.h>), and
   crt_backend_api.c formats a uint64_t with PRIu64. */
#ifndef ORIGINAL_RUNS_NEWLIB_INTTYPES_H_
#define ORIGINAL_RUNS_NEWLIB_INTTYPES_H_
#include <inttypes.h>
#ifndef PRIu64
#define PRIu64 "llu"
#endif
#ifndef PRId64
#define PRId64 "lld"
#endif
#ifndef PRIx64
#define PRIx64 "llx"
#endif
#endif
