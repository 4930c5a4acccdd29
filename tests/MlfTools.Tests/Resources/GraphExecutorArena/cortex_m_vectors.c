/* The vector table of the Cortex-M test programs run by qemu-system-arm -M mps2-an386: the initial stack and newlib's _start (rdimon: semihosting). */
extern void _start(void);
extern char __stack_top[];
__attribute__((section(".vectors"), used)) void (*const mlf_vectors[16])(void) = {
  (void (*)(void))__stack_top, _start,
};
