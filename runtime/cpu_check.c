/*
 * cpu_check.c: the start-up CPU check (wa_cpu.h), expanded from the feature
 * table cpu_features.def.
 *
 * A feature is usable when its CPUID bit is set and, for features with wide
 * register state, the OS saves that state: XCR0 (read with XGETBV, which
 * exists only when CPUID.1:ECX.OSXSAVE says the OS enabled it) must have the
 * state's bits. Leaf 7 subleaf 1 exists only when leaf 7 subleaf 0 reports
 * a maximum subleaf of at least 1; every leaf only up to the maximum CPUID
 * reports for its range (basic or extended).
 */
#include "wa_cpu.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_CPUID 1
#endif

enum { REG_EAX, REG_EBX, REG_ECX, REG_EDX };

/*
 * XCR0 bits: 1 SSE, 2 AVX (YMM), 5-7 opmask and ZMM state, 17-18 AMX tile
 * config and data, 19 APX (the extended general-purpose registers R16-R31).
 */
#define STATE_NONE 0u
#define STATE_AVX 0x6u
#define STATE_AVX512 0xe6u
#define STATE_AMX 0x60006u
#define STATE_APX 0x80000u

#define USE_CODE true
#define USE_INTRINSIC false

typedef struct feature {
    const char *name;
    uint32_t leaf, subleaf;
    int reg, bit;
    uint32_t xcr0_mask;
    bool generated; /* USE is CODE */
} feature_t;

static const feature_t features[] = {
#define WA_CPU_FEATURE(name, leaf, subleaf, reg, bit, state, use)                                  \
    {name, leaf, subleaf, REG_##reg, bit, STATE_##state, USE_##use},
#include "cpu_features.def"
#undef WA_CPU_FEATURE
};

static const feature_t *find(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof features / sizeof *features; i++) {
        if (strlen(features[i].name) == len && memcmp(features[i].name, name, len) == 0)
            return &features[i];
    }
    return NULL;
}

bool wa_cpu_check_known(const char *name, size_t len) {
    return find(name, len) != NULL;
}

bool wa_cpu_check_generated(const char *name, size_t len) {
    const feature_t *f = find(name, len);
    return f != NULL && f->generated;
}

#ifdef HAVE_CPUID
/* The four CPUID output registers for (leaf, subleaf); all zero if the leaf does not exist. */
static void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]) {
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
    if (__get_cpuid_max(leaf & 0x80000000u, NULL) < leaf)
        return;
    if (leaf == 7 && subleaf > 0) {
        uint32_t r0[4];
        __cpuid_count(7, 0, r0[0], r0[1], r0[2], r0[3]);
        if (r0[0] < subleaf)
            return;
    }
    __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
}

/* XCR0, the register state the OS saves; 0 if the OS has not enabled XSAVE. */
static uint64_t os_saved_state(void) {
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[REG_ECX] & (1u << 27))) /* OSXSAVE */
        return 0;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}
#endif

bool wa_cpu_check_has(const char *name, size_t len) {
    const feature_t *f = find(name, len);
    if (f == NULL)
        return false;
#ifdef HAVE_CPUID
    uint32_t r[4];
    cpuid(f->leaf, f->subleaf, r);
    if (!(r[f->reg] >> f->bit & 1))
        return false;
    return (os_saved_state() & f->xcr0_mask) == f->xcr0_mask;
#else
    return false;
#endif
}

size_t wa_cpu_check_missing(const char *list, size_t len, char *missing, size_t size) {
    size_t count = 0, used = 0;
    if (size > 0)
        missing[0] = '\0';
    const char *end = list + len;
    for (const char *p = list; p < end;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
        if (n > 0 && !wa_cpu_check_has(p, n)) {
            if (used < size) {
                int w =
                    snprintf(missing + used, size - used, "%s%.*s", count ? ", " : "", (int)n, p);
                used += w > 0 ? (size_t)w : 0;
            }
            count++;
        }
        p += n + 1;
    }
    return count;
}
