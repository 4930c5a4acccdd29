#include <stdio.h>

int main(void)
{
    puts("hello from the target");
    return 0;
}
