/* Runs on qemu-system-arm -M mps2-an386 without any C library: prints through Arm semihosting and stops. */
static int semihost(int op, const void *arg)
{
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void reset(void)
{
    static const unsigned stopped[2] = { 0x20026u, 0u }; /* ADP_Stopped_ApplicationExit, status 0 */
    semihost(0x04, "cortex-m semihosting ok\n");          /* SYS_WRITE0 */
    semihost(0x20, stopped);                              /* SYS_EXIT_EXTENDED */
    for (;;) {}
}

__attribute__((section(".vectors"), used)) static const void *const vectors[2] = { (void *)0x20010000, (void *)reset };
