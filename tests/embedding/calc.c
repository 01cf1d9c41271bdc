/*
 * calc.c: the WASI reactor of the embedding example (tests/embedding/host.c),
 * built with -mexec-model=reactor: no main, an exported _initialize (which
 * runs the constructor below) and exports the host calls through the header
 * `wasmaot --header calc.h` writes. One export name is not a C identifier,
 * to show how the header names it.
 */
#include <stdint.h>
#include <stdio.h>

static int32_t ready;

__attribute__((constructor)) static void init(void) {
    ready = 42;
}

__attribute__((export_name("ready"))) int32_t calc_ready(void) {
    return ready;
}

__attribute__((export_name("add"))) int32_t calc_add(int32_t a, int32_t b) {
    return a + b;
}

__attribute__((export_name("divide"))) int32_t calc_divide(int32_t a, int32_t b) {
    return a / b; /* b == 0 traps "integer divide by zero" */
}

__attribute__((export_name("sum-of squares"))) int64_t calc_sum_of_squares(int32_t n) {
    int64_t s = 0;
    for (int64_t i = 1; i <= n; i++)
        s += i * i;
    return s;
}

__attribute__((export_name("scale"))) double calc_scale(double x, float by) {
    return x * by;
}

/* WASI in a reactor: stdout is the fd the host gave. */
__attribute__((export_name("say"))) void calc_say(int32_t n) {
    printf("calc says %d\n", (int)n);
    fflush(stdout);
}
