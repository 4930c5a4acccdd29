/* Needs newlib (libnewlib-arm-none-eabi): math.h, stdio and PRIu64, linked with newlib-nano and semihosting. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

int main(void)
{
    volatile float x = 2.0f;
    printf("%d %" PRIu64 "\n", (int)(expf(x) * 100.0f), (uint64_t)7);
    return 0;
}
