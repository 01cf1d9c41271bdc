/*
 * memory.c: linear memories (spec 4.2.8 memory instances, 4.4.7 memory
 * instructions that need the runtime).
 *
 * A memory is a reservation of WA_RT_MEMORY_RESERVATION bytes of address
 * space, PROT_NONE and MAP_NORESERVE (it costs no memory), whose first
 * `size` bytes are read/write. Growing makes more of it read/write; the base
 * never moves, so generated code caches it, and any address a wasm32 access
 * can form (base + u32 index + u32 offset + access width) lies inside the
 * reservation: a load or store past the size faults in the PROT_NONE part and
 * the fault handler turns that into "out of bounds memory access".
 * Pages are never given back, so fresh pages are always zero, as the spec
 * requires of grown memory.
 *
 * Transparent huge pages: the reservation starts on a 2 MiB boundary and is
 * marked MADV_HUGEPAGE (systems whose THP policy is `madvise` give huge pages
 * only to such ranges), so the read/write part is backed by 2 MiB pages
 * wherever it covers a whole aligned 2 MiB, and a big heap costs far fewer
 * TLB misses. Nothing observable changes: the advice only sets a flag on the
 * mapping, the PROT_NONE part never gets pages of any size (a fault there
 * still traps), protections stay exact to the 64 KiB wasm page (a huge page
 * is only used where one protection covers all of it), and huge pages are
 * zero-filled like small ones.
 *
 * The fault handler must know the live reservations without taking locks:
 * they sit in a registry of fixed-size chunks of slots, where a slot's `lo`
 * (0 when free) is published last with release order and read with acquire
 * order. Writers serialise on a mutex; chunks are never freed.
 *
 * Bulk operations check the whole range before writing anything (Wasm 2.0
 * semantics): a range out of bounds traps even when n == 0 if its start lies
 * beyond the end, and overlapping copies behave as memmove.
 */
#include "rt_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define REGION_SLOTS 64

/* --max-memory in bytes (wa_rt_set_max_memory); 0: none. */
static uint64_t max_memory_bytes;

void wa_rt_set_max_memory(uint64_t bytes) {
    max_memory_bytes = bytes;
}

/* The most pages a memory declaring `declared` may have under --max-memory. */
static uint64_t cap_pages(uint64_t declared) {
    uint64_t cap = max_memory_bytes / WA_RT_PAGE_SIZE;
    return max_memory_bytes != 0 && cap < declared ? cap : declared;
}

typedef struct region_chunk {
    _Atomic uintptr_t lo[REGION_SLOTS]; /* reservation start, 0 if the slot is free */
    _Atomic uintptr_t hi[REGION_SLOTS]; /* reservation end */
    struct region_chunk *_Atomic next;
} region_chunk_t;

static region_chunk_t first_chunk;
static pthread_mutex_t region_lock = PTHREAD_MUTEX_INITIALIZER;

static bool register_region(uintptr_t lo, uintptr_t hi) {
    pthread_mutex_lock(&region_lock);
    region_chunk_t *chunk = &first_chunk;
    for (;;) {
        for (int i = 0; i < REGION_SLOTS; i++) {
            if (atomic_load_explicit(&chunk->lo[i], memory_order_relaxed) == 0) {
                atomic_store_explicit(&chunk->hi[i], hi, memory_order_relaxed);
                atomic_store_explicit(&chunk->lo[i], lo, memory_order_release);
                pthread_mutex_unlock(&region_lock);
                return true;
            }
        }
        region_chunk_t *next = atomic_load_explicit(&chunk->next, memory_order_relaxed);
        if (next == NULL) {
            next = calloc(1, sizeof *next);
            if (next == NULL) {
                pthread_mutex_unlock(&region_lock);
                return false;
            }
            atomic_store_explicit(&chunk->next, next, memory_order_release);
        }
        chunk = next;
    }
}

static void unregister_region(uintptr_t lo) {
    pthread_mutex_lock(&region_lock);
    for (region_chunk_t *chunk = &first_chunk; chunk != NULL;
         chunk = atomic_load_explicit(&chunk->next, memory_order_relaxed)) {
        for (int i = 0; i < REGION_SLOTS; i++) {
            if (atomic_load_explicit(&chunk->lo[i], memory_order_relaxed) == lo) {
                atomic_store_explicit(&chunk->lo[i], 0, memory_order_release);
                pthread_mutex_unlock(&region_lock);
                return;
            }
        }
    }
    pthread_mutex_unlock(&region_lock);
}

/*
 * The committed part of a reservation never faults, so a fault anywhere in
 * [base, base + reserved) is an access beyond the memory's current size.
 */
bool wa_rt_memory_fault_in_guard(uintptr_t addr) {
    for (region_chunk_t *chunk = &first_chunk; chunk != NULL;
         chunk = atomic_load_explicit(&chunk->next, memory_order_acquire)) {
        for (int i = 0; i < REGION_SLOTS; i++) {
            uintptr_t lo = atomic_load_explicit(&chunk->lo[i], memory_order_acquire);
            if (lo != 0 && addr >= lo &&
                addr < atomic_load_explicit(&chunk->hi[i], memory_order_relaxed))
                return true;
        }
    }
    return false;
}

/* Huge page size and alignment of the reservation. */
#define HUGE_PAGE (UINT64_C(2) << 20)

/*
 * A PROT_NONE reservation of `size` bytes starting on a HUGE_PAGE boundary,
 * advised for huge pages; NULL if out of address space. Over-reserves by
 * HUGE_PAGE and gives back the unaligned ends.
 */
static uint8_t *reserve_aligned(uint64_t size) {
    uint8_t *raw =
        mmap(NULL, size + HUGE_PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    uint8_t *base = (uint8_t *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (base > raw)
        munmap(raw, (size_t)(base - raw));
    uint8_t *end = raw + size + HUGE_PAGE;
    if (end > base + size)
        munmap(base + size, (size_t)(end - (base + size)));
    /* Only advice: a kernel without THP refuses it, and the memory works the same. */
    madvise(base, size, MADV_HUGEPAGE);
    return base;
}

wa_rt_memory_t *wa_rt_memory_new(const wa_rt_limits_t *limits) {
    /* A memory64 memory may declare a maximum up to 2^48 pages; it still grows to
       WA_RT_MAX_PAGES at most (a resource limit, spec 4.4.7 memory.grow may fail). */
    uint64_t max_declared = limits->is64 ? WA_RT_MAX_PAGES64 : WA_RT_MAX_PAGES;
    if (limits->min > WA_RT_MAX_PAGES || limits->min > cap_pages(WA_RT_MAX_PAGES) ||
        (limits->has_max && (limits->max > max_declared || limits->min > limits->max)))
        return NULL;
    wa_rt_memory_t *mem = calloc(1, sizeof *mem);
    if (mem == NULL)
        return NULL;
    uint8_t *base = reserve_aligned(WA_RT_MEMORY_RESERVATION);
    if (base == NULL)
        goto fail_struct;
    uint64_t size = limits->min * WA_RT_PAGE_SIZE;
    if (size > 0 && mprotect(base, size, PROT_READ | PROT_WRITE) != 0)
        goto fail_map;
    mem->base = base;
    mem->size = size;
    mem->max_pages = limits->has_max ? limits->max : WA_RT_MAX_PAGES;
    mem->reserved = WA_RT_MEMORY_RESERVATION;
    mem->has_max = limits->has_max;
    mem->is64 = limits->is64 != 0;
    mem->shared = limits->shared != 0;
    if (!register_region((uintptr_t)base, (uintptr_t)base + WA_RT_MEMORY_RESERVATION))
        goto fail_map;
    return mem;

fail_map:
    munmap(base, WA_RT_MEMORY_RESERVATION);
fail_struct:
    free(mem);
    return NULL;
}

void wa_rt_memory_free(wa_rt_memory_t *mem) {
    if (mem == NULL)
        return;
    /* Unregister first: once unmapped, the range may be reused by anything. */
    unregister_region((uintptr_t)mem->base);
    munmap(mem->base, mem->reserved);
    free(mem);
}

/*
 * memory.grow. Several threads may grow a shared memory at once (threads
 * proposal: grow is atomic, each sees the size the other left), so growth
 * takes one process-wide lock: it is rare and short (an mprotect). The base
 * never moves, so code running on other threads keeps its cached base; the
 * new size is published with a release store after the pages are
 * accessible, so a thread that reads the larger size (generated code's
 * bounds checks, memory.size, the WASI shim) finds them mapped. A thread
 * that still has the smaller size traps exactly as if it ran before the
 * grow, which the proposal's memory model allows for unsynchronised
 * accesses. Sizes never shrink, so no reader can see memory disappear.
 */
static pthread_mutex_t grow_lock = PTHREAD_MUTEX_INITIALIZER;

int64_t wa_rt_memory_grow(wa_rt_memory_t *mem, uint64_t delta_pages) {
    pthread_mutex_lock(&grow_lock);
    uint64_t old_pages = mem->size / WA_RT_PAGE_SIZE;
    int64_t result = (int64_t)old_pages;
    /* A memory64 delta may be anything up to 2^64-1: compare before adding. */
    if (delta_pages == 0) {
        /* the old size, nothing to do */
    } else if (delta_pages > WA_RT_MAX_PAGES - old_pages ||
               old_pages + delta_pages > cap_pages(mem->max_pages)) {
        /* Beyond the declared maximum, or beyond --max-memory (a resource limit, 4.4.7). */
        result = -1;
    } else if (mprotect(mem->base + mem->size, delta_pages * WA_RT_PAGE_SIZE,
                        PROT_READ | PROT_WRITE) != 0) {
        /* Failing to commit is a resource limit the spec allows grow to report (4.4.7). */
        result = -1;
    } else {
        __atomic_store_n(&mem->size, (old_pages + delta_pages) * WA_RT_PAGE_SIZE, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&grow_lock);
    return result;
}

/* ---- Bulk memory instructions (spec 4.4.7) ---- */

WA_RT_ENTRY void wa_rt_memory_init(wa_rt_instance_t *inst, uint32_t mem, uint32_t seg, uint64_t dst,
                                   uint32_t src, uint32_t n) {
    wa_rt_memory_t *m = inst->memories[mem];
    const wa_rt_segment_t *s = &inst->datas[seg];
    /* 64-bit sums: u32 + u32 cannot wrap; a dropped segment has size 0. dst is a memory64
       address (any u64, so compared without adding) or a zero-extended u32. */
    if ((uint64_t)src + n > s->size || dst > m->size || n > m->size - dst)
        wa_rt_trap_at(WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS, WA_RT_CALLER_PC());
    if (n > 0)
        memcpy(m->base + dst, (const uint8_t *)s->data + src, n);
}

void wa_rt_data_drop(wa_rt_instance_t *inst, uint32_t seg) {
    inst->datas[seg].size = 0;
}

WA_RT_ENTRY void wa_rt_memory_copy(wa_rt_instance_t *inst, uint32_t dst_mem, uint32_t src_mem,
                                   uint32_t dst, uint32_t src, uint32_t n) {
    wa_rt_memory_t *d = inst->memories[dst_mem];
    wa_rt_memory_t *s = inst->memories[src_mem];
    if ((uint64_t)src + n > s->size || (uint64_t)dst + n > d->size)
        wa_rt_trap_at(WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS, WA_RT_CALLER_PC());
    memmove(d->base + dst, s->base + src, n);
}

WA_RT_ENTRY void wa_rt_memory_fill(wa_rt_instance_t *inst, uint32_t mem, uint32_t dst,
                                   uint32_t value, uint32_t n) {
    wa_rt_memory_t *m = inst->memories[mem];
    if ((uint64_t)dst + n > m->size)
        wa_rt_trap_at(WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS, WA_RT_CALLER_PC());
    memset(m->base + dst, (int)(uint8_t)value, n);
}
