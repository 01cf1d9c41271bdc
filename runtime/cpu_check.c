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
    size_t name_len; /* strlen(name), from the literal: find() compares it first */
    uint32_t leaf, subleaf;
    int reg, bit;
    uint32_t xcr0_mask;
    bool generated; /* USE is CODE */
} feature_t;

static const feature_t features[] = {
#define WA_CPU_FEATURE(name, leaf, subleaf, reg, bit, state, use)                                  \
    {name, sizeof name - 1, leaf, subleaf, REG_##reg, bit, STATE_##state, USE_##use},
#include "cpu_features.def"
#undef WA_CPU_FEATURE
};

static const feature_t *find(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof features / sizeof *features; i++) {
        if (features[i].name_len == len && memcmp(features[i].name, name, len) == 0)
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

/*
 * CPUID is slow where it matters: under a hypervisor every CPUID traps to
 * it (about 6.6 us each on the machine bench/startup was written on), and
 * the check once made four per feature, 56 for the 14 features of the
 * default x86-64-v2, two thirds of hello world's start-up beyond native's
 * (bench/startup/run). One check therefore asks CPUID for each (leaf,
 * subleaf) once, the range maxima included, and XGETBV once (two CPUIDs
 * for x86-64-v2, leaves 1 and 0x80000001; see cpuid): the answers
 * cannot change while the process runs, so the result is the same. The
 * memo is the caller's (on its stack), so checks on different threads
 * share nothing.
 */
#define CPUID_MEMO_SIZE 12

typedef struct cpuid_memo {
    size_t count;
    struct {
        uint32_t leaf, subleaf;
        uint32_t regs[4];
    } entry[CPUID_MEMO_SIZE];
    bool have_xcr0;
    uint64_t xcr0;
} cpuid_memo_t;

#ifdef HAVE_CPUID
/* CPUID (leaf, subleaf) as the processor answers it, asked once per memo. */
static void raw_cpuid(cpuid_memo_t *memo, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]) {
    for (size_t i = 0; i < memo->count; i++) {
        if (memo->entry[i].leaf == leaf && memo->entry[i].subleaf == subleaf) {
            memcpy(regs, memo->entry[i].regs, sizeof memo->entry[i].regs);
            return;
        }
    }
    __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
    if (memo->count < CPUID_MEMO_SIZE) {
        memo->entry[memo->count].leaf = leaf;
        memo->entry[memo->count].subleaf = subleaf;
        memcpy(memo->entry[memo->count].regs, regs, sizeof memo->entry[memo->count].regs);
        memo->count++;
    }
}

/* The four CPUID output registers for (leaf, subleaf); all zero if the leaf does not exist. */
static void cpuid(cpuid_memo_t *memo, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]) {
    uint32_t r0[4];
    regs[0] = regs[1] = regs[2] = regs[3] = 0;
#ifdef __x86_64__
    /*
     * Leaves 1 and 0x80000001 exist on every processor that runs 64-bit
     * code: long mode itself is reported in 0x80000001 (EDX bit 29), and
     * leaf 1 predates it. Asking for their range's maximum would cost two
     * more hypervisor traps and change nothing.
     */
    bool always_present = (leaf == 1 || leaf == 0x80000001u) && subleaf == 0;
#else
    bool always_present = false;
#endif
    /* The range's maximum leaf, as __get_cpuid_max reads it. */
    if (!always_present) {
        raw_cpuid(memo, leaf & 0x80000000u, 0, r0);
        if (r0[REG_EAX] < leaf)
            return;
    }
    if (leaf == 7 && subleaf > 0) {
        raw_cpuid(memo, 7, 0, r0);
        if (r0[REG_EAX] < subleaf)
            return;
    }
    raw_cpuid(memo, leaf, subleaf, regs);
}

/* XCR0, the register state the OS saves; 0 if the OS has not enabled XSAVE. */
static uint64_t os_saved_state(cpuid_memo_t *memo) {
    if (memo->have_xcr0)
        return memo->xcr0;
    uint32_t r[4];
    cpuid(memo, 1, 0, r);
    memo->xcr0 = 0;
    if (r[REG_ECX] & (1u << 27)) { /* OSXSAVE */
        uint32_t lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        memo->xcr0 = (uint64_t)hi << 32 | lo;
    }
    memo->have_xcr0 = true;
    return memo->xcr0;
}
#endif

static bool has_feature(cpuid_memo_t *memo, const char *name, size_t len) {
    const feature_t *f = find(name, len);
    if (f == NULL)
        return false;
#ifdef HAVE_CPUID
    uint32_t r[4];
    cpuid(memo, f->leaf, f->subleaf, r);
    if (!(r[f->reg] >> f->bit & 1))
        return false;
    /* A feature without register state needs no XGETBV (mask 0 always matches). */
    return f->xcr0_mask == STATE_NONE || (os_saved_state(memo) & f->xcr0_mask) == f->xcr0_mask;
#else
    (void)memo;
    return false;
#endif
}

bool wa_cpu_check_has(const char *name, size_t len) {
    cpuid_memo_t memo = {0};
    return has_feature(&memo, name, len);
}

size_t wa_cpu_check_missing(const char *list, size_t len, char *missing, size_t size) {
    cpuid_memo_t memo = {0};
    size_t count = 0, used = 0;
    if (size > 0)
        missing[0] = '\0';
    const char *end = list + len;
    for (const char *p = list; p < end;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
        if (n > 0 && !has_feature(&memo, p, n)) {
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
