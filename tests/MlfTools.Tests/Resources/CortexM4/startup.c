/*
 * Startup for a Cortex-M4 firmware run on qemu-system-arm -M mps2-an386 with semihosting (tests: CortexM4Firmware).
 * The vector table, a reset handler (FPU on, .data copied from flash, .bss zeroed, the C library's semihosting
 * handles opened, main called) and an exit through semihosting SYS_EXIT_EXTENDED, so QEMU exits with main's return
 * code (and with exit()'s status: _exit is defined here). A fault prints its name and exits with 0xF0 + its number.
 * Built with --specs=nano.specs --specs=rdimon.specs -nostartfiles and the linker script cortex-m4.ld.
 *
 * -DMLF_NO_STDIO leaves the C library's stdio out (a firmware that prints nothing links none of it);
 * -DMLF_PAINT_STACK paints the free RAM before main and, after it, writes "heap <bytes>\n" (how far the C library's
 * break moved) and "stack <bytes>\n" (how far below the top of RAM the stack reached) through semihosting SYS_WRITE0.
 */
#include <stdint.h>
#ifndef MLF_NO_STDIO
#include <stdio.h>
#endif

extern uint32_t __data_load__, __data_start__, __data_end__, __bss_start__, __bss_end__, __stack_top__;
extern int main(void);
extern void initialise_monitor_handles(void);

static int semihost(int op, const void* arg) {
  register int r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

__attribute__((noreturn)) void _exit(int status) {
  const uint32_t block[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, (uint32_t)status};
  for (;;) semihost(0x20 /* SYS_EXIT_EXTENDED */, block);
}

#ifdef MLF_PAINT_STACK
#define MLF_PAINT 0xC5A3E1F7u

/* Paints from the end of .bss to 64 bytes below this function's frame (its frame is gone when main runs). */
static __attribute__((noinline)) void paint_stack(void) {
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (volatile uint32_t* p = &__bss_end__; p < sp - 16; p++) *p = MLF_PAINT;
}

static void write_figure(const char* label, uint32_t bytes) {
  char text[32];
  char digits[12];
  int n = 0, at = 0;
  while (*label) text[at++] = *label++;
  do { digits[n++] = (char)('0' + bytes % 10u); bytes /= 10u; } while (bytes != 0u);
  while (n > 0) text[at++] = digits[--n];
  text[at++] = '\n';
  text[at] = '\0';
  semihost(0x04 /* SYS_WRITE0 */, text);
}

/* The C library's break, when anything links it: where malloc's heap ends (weak: asking links nothing). */
extern void* _sbrk(int increment) __attribute__((weak));

/* "heap <bytes>": what the heap grew by; "stack <bytes>": how far below the top of RAM the paint was overwritten. */
static __attribute__((noinline)) void report_stack(void) {
  uintptr_t heap_top = _sbrk ? (uintptr_t)_sbrk(0) : (uintptr_t)&__bss_end__;
  const volatile uint32_t* p = (const volatile uint32_t*)((heap_top + 3u) & ~(uintptr_t)3u);
  while (p < &__stack_top__ && *p == MLF_PAINT) p++;
  write_figure("heap ", (uint32_t)(heap_top - (uintptr_t)&__bss_end__));
  write_figure("stack ", (uint32_t)((uintptr_t)&__stack_top__ - (uintptr_t)p));
}
#endif

__attribute__((noreturn)) void Reset_Handler(void) {
  /* Full access to CP10 and CP11 (the FPU) before any floating-point instruction. */
  *(volatile uint32_t*)0xE000ED88u |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  for (uint32_t *from = &__data_load__, *to = &__data_start__; to < &__data_end__;) *to++ = *from++;
  for (uint32_t* to = &__bss_start__; to < &__bss_end__;) *to++ = 0;
#ifdef MLF_PAINT_STACK
  paint_stack();
#endif
#ifndef MLF_NO_STDIO
  initialise_monitor_handles();
#endif
  int status = main();
#ifndef MLF_NO_STDIO
  fflush(stdout);
  fflush(stderr);
#endif
#ifdef MLF_PAINT_STACK
  report_stack();
#endif
  _exit(status);
}

static __attribute__((noreturn)) void fault(const char* name, int number) {
  semihost(0x04 /* SYS_WRITE0 */, name);
  _exit(0xF0 + number);
}

void NMI_Handler(void) { fault("fault: NMI\n", 2); }
void HardFault_Handler(void) { fault("fault: HardFault\n", 3); }
void MemManage_Handler(void) { fault("fault: MemManage\n", 4); }
void BusFault_Handler(void) { fault("fault: BusFault\n", 5); }
void UsageFault_Handler(void) { fault("fault: UsageFault\n", 6); }
void Default_Handler(void) { fault("fault: unexpected exception\n", 15); }

__attribute__((section(".vectors"), used)) static void (*const vectors[16])(void) = {
    (void (*)(void))&__stack_top__, Reset_Handler, NMI_Handler, HardFault_Handler, MemManage_Handler,
    BusFault_Handler, UsageFault_Handler, 0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler,
    Default_Handler,
};
