/*
 * roundeven.c: C23's roundeven and roundevenf (glibc has them since 2.25)
 * for static executables on musl (`wasmaot --static`), which lacks them.
 *
 * Generated code calls them for f32.nearest and f64.nearest on CPUs
 * without SSE4.1 (--cpu=x86-64), where LLVM has no instruction for
 * rounding to the nearest integer, ties to even. rint rounds the same way
 * in the default rounding mode, the only one a wasm program runs in (it
 * cannot change the mode, and the runtime never does), and keeps the sign
 * of zero, NaN and infinities as roundeven must.
 */
#include <math.h>

double roundeven(double x);
float roundevenf(float x);

double roundeven(double x) {
    return rint(x);
}

float roundevenf(float x) {
    return rintf(x);
}
