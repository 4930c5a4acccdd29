/*
 * The fixed input pattern and the output line of the original-archive runs, shared by the AOT and graph drivers.
 *
 * Element j of input k gets u = (j*31 + 7 + k*101) mod 251: integers store u wrapped to their type, float32 stores
 * (float)u / 125.0f - 1.0f. A run prints "<model> rc=<rc> hash=<h>", h being FNV-1a 64 over every output byte,
 * outputs in order, as 16 lowercase hex digits. PATTERN_SHIFT (default 0) is added to j, to prove the hash follows
 * the inputs.
 */
#ifndef ORIGINAL_RUNS_RUN_PATTERN_H_
#define ORIGINAL_RUNS_RUN_PATTERN_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef PATTERN_SHIFT
#define PATTERN_SHIFT 0
#endif

/* Value kinds of tensor elements. */
enum { KIND_F32 = 1, KIND_I8, KIND_U8, KIND_I16, KIND_U16, KIND_I32, KIND_U32 };

static inline uint32_t pattern_u(size_t j, int k) {
  return (uint32_t)((((uint64_t)j + PATTERN_SHIFT) * 31u + 7u + (uint64_t)k * 101u) % 251u);
}

/* Fills count elements of one kind at data as input k; returns 0, or -1 for a kind it does not know. */
static inline int pattern_fill(void* data, int kind, size_t count, int k) {
  for (size_t j = 0; j < count; j++) {
    uint32_t u = pattern_u(j, k);
    switch (kind) {
      case KIND_F32: { float v = (float)u / 125.0f - 1.0f; memcpy((char*)data + 4 * j, &v, 4); break; }
      case KIND_I8: ((int8_t*)data)[j] = (int8_t)(uint8_t)u; break;
      case KIND_U8: ((uint8_t*)data)[j] = (uint8_t)u; break;
      case KIND_I16: { int16_t v = (int16_t)u; memcpy((char*)data + 2 * j, &v, 2); break; }
      case KIND_U16: { uint16_t v = (uint16_t)u; memcpy((char*)data + 2 * j, &v, 2); break; }
      case KIND_I32: { int32_t v = (int32_t)u; memcpy((char*)data + 4 * j, &v, 4); break; }
      case KIND_U32: { uint32_t v = u; memcpy((char*)data + 4 * j, &v, 4); break; }
      default: return -1;
    }
  }
  return 0;
}

#define FNV1A64_BASIS 0xcbf29ce484222325ull
#define FNV1A64_PRIME 0x100000001b3ull

static inline uint64_t fnv1a64(uint64_t h, const void* data, size_t bytes) {
  const uint8_t* p = (const uint8_t*)data;
  for (size_t i = 0; i < bytes; i++) {
    h ^= p[i];
    h *= FNV1A64_PRIME;
  }
  return h;
}

/* Prints the result line without printf's 64-bit formats (newlib-nano has none). */
static inline void pattern_print(const char* model, int32_t rc, uint64_t h) {
  char hex[17];
  for (int i = 0; i < 16; i++) hex[i] = "0123456789abcdef"[(h >> (60 - 4 * i)) & 0xf];
  hex[16] = 0;
  printf("%s rc=%ld hash=%s\n", model, (long)rc, hex);
  fflush(stdout);
}

#endif  // ORIGINAL_RUNS_RUN_PATTERN_H_
