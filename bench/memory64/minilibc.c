/*
 * minilibc.c: just enough C library for the bench kernels to build for both
 * wasm32 and wasm64 from the same code (Debian has no wasm64 sysroot), so that
 * the two builds differ only in the memory's address type. WASI preview1 is
 * called with i32 pointers, as wasmaot's shim reads them (every buffer here
 * lies below 4 GiB). malloc is a bump allocator that grows the memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "include/stdio.h"
#include "include/stdlib.h"
#include "include/string.h"

typedef struct {
    uint32_t buf, len;
} iovec32;

__attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_write"))) int
fd_write(int fd, int iovs, int niovs, int nwritten);
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit"))) _Noreturn void
proc_exit(int code);

extern unsigned char __heap_base;
static uintptr_t heap_top;

void *malloc(size_t n) {
    if (heap_top == 0)
        heap_top = (uintptr_t)&__heap_base;
    uintptr_t p = (heap_top + 15) & ~(uintptr_t)15;
    uintptr_t end = p + n;
    size_t have = __builtin_wasm_memory_size(0) * 65536;
    if (end > have && __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536) == (size_t)-1)
        return NULL;
    heap_top = end;
    return (void *)p;
}

void *calloc(size_t n, size_t size) {
    return memset(malloc(n * size), 0, n * size);
}

void free(void *p) {
    (void)p;
}

/* With -mbulk-memory these builtins are memory.copy / memory.fill, never calls. */
void *memcpy(void *d, const void *s, size_t n) {
    return __builtin_memcpy(d, s, n);
}

void *memmove(void *d, const void *s, size_t n) {
    return __builtin_memmove(d, s, n);
}

void *memset(void *d, int c, size_t n) {
    return __builtin_memset(d, c, n);
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] - y[i];
    }
    return 0;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static char out[4096];
static size_t out_len;

static void put(char c) {
    if (out_len < sizeof out)
        out[out_len++] = c;
}

static void put_unsigned(unsigned long long v, unsigned base, int width, char pad) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    while (width-- > n)
        put(pad);
    while (n > 0)
        put(digits[--n]);
}

/* %d %u %x %s %c %zu %llu %llx with width and 0 flag, and %.Nf (|value| < 2^63 / 10^N). */
int printf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            put(*p);
            continue;
        }
        p++;
        char pad = ' ';
        int width = 0, precision = 6, longs = 0, size = 0;
        if (*p == '0')
            pad = '0', p++;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        if (*p == '.') {
            precision = 0;
            for (p++; *p >= '0' && *p <= '9'; p++)
                precision = precision * 10 + (*p - '0');
        }
        for (; *p == 'l'; p++)
            longs++;
        if (*p == 'z')
            size = 1, p++;
        switch (*p) {
        case 'd': {
            long long v = longs >= 2 ? va_arg(ap, long long)
                          : longs    ? va_arg(ap, long)
                                     : va_arg(ap, int);
            if (v < 0)
                put('-'), v = -v;
            put_unsigned((unsigned long long)v, 10, width, pad);
            break;
        }
        case 'u':
        case 'x': {
            unsigned long long v = longs >= 2      ? va_arg(ap, unsigned long long)
                                   : longs || size ? va_arg(ap, unsigned long)
                                                   : va_arg(ap, unsigned);
            put_unsigned(v, *p == 'x' ? 16 : 10, width, pad);
            break;
        }
        case 'c':
            put((char)va_arg(ap, int));
            break;
        case 's':
            for (const char *s = va_arg(ap, const char *); *s; s++)
                put(*s);
            break;
        case 'f': {
            double v = va_arg(ap, double);
            if (v < 0)
                put('-'), v = -v;
            double scale = 1;
            for (int i = 0; i < precision; i++)
                scale *= 10;
            unsigned long long fixed = (unsigned long long)(v * scale + 0.5);
            unsigned long long whole = fixed / (unsigned long long)scale;
            put_unsigned(whole, 10, 0, ' ');
            if (precision > 0) {
                put('.');
                put_unsigned(fixed - whole * (unsigned long long)scale, 10, precision, '0');
            }
            break;
        }
        default:
            put(*p);
        }
    }
    va_end(ap);
    return 0;
}

int main(int argc, char **argv);

void _start(void) {
    static char *argv[] = {"kernel", NULL};
    int code = main(1, argv);
    iovec32 iov = {(uint32_t)(uintptr_t)out, (uint32_t)out_len};
    int written;
    fd_write(1, (int)(uintptr_t)&iov, 1, (int)(uintptr_t)&written);
    proc_exit(code);
}
