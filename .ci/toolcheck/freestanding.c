/* Compiles without a C library: what the ELF rename tests build for targets whose libc is not installed. */
int tvmgen_default_check(int x) { return x * 3 + 1; }
