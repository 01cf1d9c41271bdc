/*
 * inlined.c: a trap three calls deep, for tests/e2e/backtrace_dwarf.py. main calls outer through
 * a volatile function pointer, which no optimiser sees through, so outer keeps a native frame;
 * outer calls middle and middle calls leaf directly, and they are small and called once, so
 * wasmaot's LLVM inlines middle into outer (clang does not: noinline), and maybe leaf too. The
 * backtrace must still show each as a frame of its own.
 * argv[1] picks the trap: "oob" (a load far out of bounds), "div" (division by zero), "rem"
 * (remainder by zero: a second check of the same kind in leaf, whose trap is its own), "trap"
 * (__builtin_trap, wasm unreachable). Each TRAP-* / CALL-* comment marks the line the backtrace
 * must name.
 */
#include <stdlib.h>
#include <string.h>

int leaf(int mode, int d);
int middle(int mode, int d);
int outer(int mode, int d);

int (*volatile outer_ptr)(int, int) = outer;

__attribute__((noinline)) int leaf(int mode, int d) {
    if (mode == 1)
        return *(volatile int *)(0x7ffffff0 + d); /* TRAP-oob */
    if (mode == 2)
        return 1000 / d; /* TRAP-div */
    if (mode == 3)
        __builtin_trap(); /* TRAP-trap */
    if (mode == 4)
        return 1000 % d; /* TRAP-rem */
    return d;
}

__attribute__((noinline)) int middle(int mode, int d) {
    return leaf(mode, d) + 1; /* CALL-middle */
}

__attribute__((noinline)) int outer(int mode, int d) {
    return middle(mode, d) * 3; /* CALL-outer */
}

int main(int argc, char **argv) {
    int mode = argc < 2                  ? 0
               : !strcmp(argv[1], "oob") ? 1
               : !strcmp(argv[1], "div") ? 2
               : !strcmp(argv[1], "rem") ? 4
                                         : 3;
    return outer_ptr(mode, argc - 2) & 0x7f; /* CALL-main */
}
