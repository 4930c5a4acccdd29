/*
 * The Arm DSP intrinsics v7-aot-crt-mlp's kernels use (its target is a Cortex-M with the DSP extension), in plain C,
 * for the host and aarch64 builds of the original-archive runs, whose <arm_acle.h> has none of them. The Cortex-M4
 * build uses the compiler's own <arm_acle.h> and the instructions. Each function computes what the Armv7E-M
 * instruction computes (Arm ARM, SXTB16, SMLAD, PKHBT, PKHTB; the Q flag of SMLAD is not modelled, the sum wraps).
 * Defining ARM_CPU_INTRINSICS_EXIST keeps the model's own __ror and inline-assembly __pkhbt/__pkhtb out.
 */
#ifndef ORIGINAL_RUNS_ACLE_SHIM_H_
#define ORIGINAL_RUNS_ACLE_SHIM_H_

#include <stdint.h>

#define ARM_CPU_INTRINSICS_EXIST

static inline uint32_t __ror(uint32_t op1, uint32_t op2) {
  op2 %= 32U;
  return op2 == 0U ? op1 : (op1 >> op2) | (op1 << (32U - op2));
}

/* Sign-extends bytes 0 and 2 to the two halfwords. */
static inline int32_t __sxtb16(uint32_t x) {
  uint32_t lo = (uint32_t)(uint16_t)(int16_t)(int8_t)(uint8_t)(x & 0xffu);
  uint32_t hi = (uint32_t)(uint16_t)(int16_t)(int8_t)(uint8_t)((x >> 16) & 0xffu);
  return (int32_t)(lo | (hi << 16));
}

/* acc + lo(x)*lo(y) + hi(x)*hi(y), signed halfwords, 32-bit wrapping sum. */
static inline int32_t __smlad(uint32_t x, uint32_t y, int32_t acc) {
  int32_t p0 = (int32_t)(int16_t)(x & 0xffffu) * (int32_t)(int16_t)(y & 0xffffu);
  int32_t p1 = (int32_t)(int16_t)(x >> 16) * (int32_t)(int16_t)(y >> 16);
  return (int32_t)((uint32_t)acc + (uint32_t)p0 + (uint32_t)p1);
}

/* PKHBT: bottom half of a, top half of b shifted left. */
#define __pkhbt(a, b, shift) ((((uint32_t)(a)) & 0x0000ffffu) | ((((uint32_t)(b)) << (shift)) & 0xffff0000u))
/* PKHTB: top half of a, bottom half of b shifted right arithmetically (shift 0: b unshifted). */
#define __pkhtb(a, b, shift) ((((uint32_t)(a)) & 0xffff0000u) | (((uint32_t)(((int32_t)(b)) >> (shift))) & 0x0000ffffu))

#endif  // ORIGINAL_RUNS_ACLE_SHIM_H_
