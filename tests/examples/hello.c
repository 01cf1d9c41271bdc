/*
 * hello.c: the example the README compiles. Built to hello.wasm with
 *     clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug \
 *         hello.c -o hello.wasm
 * (the committed hello.wasm is exactly that, so the example needs no clang).
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long fib(unsigned n) {
    unsigned long long a = 0, b = 1;
    while (n--) {
        unsigned long long t = a + b;
        a = b;
        b = t;
    }
    return a;
}

int main(int argc, char **argv) {
    const char *who = argc > 1 ? argv[1] : "world";
    printf("Hello, %s, from WebAssembly compiled ahead of time to native code!\n", who);
    printf("fib(90) = %llu\n", fib(90));
    const char *home = getenv("HOME");
    printf("HOME is %s\n", home ? home : "(not set)");
    return 0;
}
