/* hello.c: hello world, for the libs tests (run_e2e.py test_libs): it uses no libm symbol. */
#include <stdio.h>

int main(void) {
    puts("hello, world");
    return 0;
}
