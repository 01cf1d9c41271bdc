/*
 * test_runtime.c: unit tests of the runtime (runtime/), by concern: traps and
 * guarded calls, linear memories and their guard pages, bulk memory, tables,
 * canonical type ids, the stack limit, instantiation, and the executable
 * start-up (entry.c, through small programs built and run by the test).
 *
 * Generated code is stood in for by C functions with the wasm calling
 * convention (ctx first). Those that must be found by a trap PC live in the
 * section wa_test_code, whose linker-made bounds are the module's code range.
 *
 * Criterion runs every test in its own process, so tests that fault or exit
 * are safe. Guard-page tests rely on the runtime's SIGSEGV handler: do not
 * run this file under ASan.
 */
#include "wa_rt_api.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- Helpers ---- */

/*
 * Under AddressSanitizer, ASan's SIGSEGV handler is the disposition a real
 * crash falls back to, and it reports and aborts instead of dying of
 * SIGSEGV: the tests of that fallback are skipped there (and reported as
 * skipped, not passed). Programs built by the entry tests get the same
 * sanitizers as the runtime archives they link.
 */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define WASM_CODE __attribute__((section("wa_test_code"), noinline, used))

extern const char __start_wa_test_code[];
extern const char __stop_wa_test_code[];

/* Stores a native function in a void * (POSIX guarantees the representation). */
#define CODE(fn) code_ptr((void (*)(void))(fn))
static void *code_ptr(void (*fn)(void)) {
    void *p;
    memcpy(&p, &fn, sizeof p);
    return p;
}

typedef int32_t (*fn_ii_i)(void *, int32_t, int32_t);
typedef int32_t (*fn_i_i)(void *, int32_t);

static fn_ii_i as_ii_i(const wa_rt_func_t *f) {
    fn_ii_i fn;
    memcpy(&fn, &f->code, sizeof fn);
    return fn;
}

static fn_i_i as_i_i(const wa_rt_func_t *f) {
    fn_i_i fn;
    memcpy(&fn, &f->code, sizeof fn);
    return fn;
}

/* ---- Traps and guarded calls ---- */

static int reached_after_trap;

static void trap_unreachable(void *arg) {
    (void)arg;
    wa_rt_trap(WA_RT_TRAP_UNREACHABLE, UINT32_MAX);
    reached_after_trap = 1;
}

static void return_normally(void *arg) {
    *(int *)arg = 42;
}

Test(trap, messages_are_the_spec_wording) {
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_UNREACHABLE), "unreachable");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS),
                     "out of bounds memory access");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_TABLE_OUT_OF_BOUNDS),
                     "out of bounds table access");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_DIVIDE_BY_ZERO), "integer divide by zero");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_INTEGER_OVERFLOW), "integer overflow");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_INVALID_CONVERSION),
                     "invalid conversion to integer");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_INDIRECT_CALL_TYPE_MISMATCH),
                     "indirect call type mismatch");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_UNDEFINED_ELEMENT), "undefined element");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_UNINITIALIZED_ELEMENT), "uninitialized element");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_STACK_EXHAUSTED), "call stack exhausted");
    cr_assert_str_eq(wa_rt_trap_message(WA_RT_TRAP_COUNT), "unknown trap");
}

Test(trap, guarded_call_that_returns_reports_none) {
    int value = 0;
    cr_assert_eq(wa_rt_call_guarded(return_normally, &value), WA_RT_TRAP_NONE);
    cr_assert_eq(value, 42);
}

Test(trap, trap_unwinds_to_the_guarded_call) {
    reached_after_trap = 0;
    cr_assert_eq(wa_rt_call_guarded(trap_unreachable, NULL), WA_RT_TRAP_UNREACHABLE);
    cr_assert_eq(reached_after_trap, 0);
    cr_assert_eq(wa_rt_last_trap()->kind, WA_RT_TRAP_UNREACHABLE);
    /* The PC lies inside trap_unreachable, just before its call returns. */
    uintptr_t pc = wa_rt_last_trap()->pc;
    uintptr_t fn = (uintptr_t)CODE(trap_unreachable);
    cr_assert(pc > fn && pc < fn + 256, "pc %#lx not in trap_unreachable %#lx", pc, fn);
    /* The thread can run guarded calls again afterwards. */
    int value = 0;
    cr_assert_eq(wa_rt_call_guarded(return_normally, &value), WA_RT_TRAP_NONE);
    cr_assert_eq(value, 42);
}

typedef struct nested {
    wa_rt_trap_t inner;
    int after_inner;
} nested_t;

static void trap_overflow(void *arg) {
    (void)arg;
    wa_rt_trap(WA_RT_TRAP_INTEGER_OVERFLOW, UINT32_MAX);
}

static void outer_call(void *arg) {
    nested_t *n = arg;
    n->inner = wa_rt_call_guarded(trap_unreachable, NULL);
    n->after_inner = 1;
    trap_overflow(NULL);
}

Test(trap, nested_guarded_calls_end_the_innermost) {
    nested_t n = {0};
    cr_assert_eq(wa_rt_call_guarded(outer_call, &n), WA_RT_TRAP_INTEGER_OVERFLOW);
    cr_assert_eq(n.inner, WA_RT_TRAP_UNREACHABLE);
    cr_assert_eq(n.after_inner, 1);
}

static void exit_seven(void *arg) {
    (void)arg;
    wa_rt_exit(7);
}

Test(trap, exit_inside_a_guarded_call_unwinds_with_the_code) {
    cr_assert_eq(wa_rt_call_guarded(exit_seven, NULL), WA_RT_TRAP_EXIT);
    cr_assert_eq(wa_rt_last_trap()->exit_code, 7);
}

Test(trap, exit_outside_a_guarded_call_exits, .exit_code = 3) {
    wa_rt_exit(3);
}

Test(trap, trap_outside_a_guarded_call_exits_134, .exit_code = 134) {
    wa_rt_trap(WA_RT_TRAP_UNREACHABLE, UINT32_MAX);
}

Test(trap, format_without_a_module) {
    wa_rt_trap_info_t info = {.kind = WA_RT_TRAP_DIVIDE_BY_ZERO};
    char buf[128];
    cr_assert_eq(wa_rt_trap_format(&info, buf, sizeof buf), strlen(buf));
    cr_assert_str_eq(buf, "wasm trap: integer divide by zero");
    info = (wa_rt_trap_info_t){.kind = WA_RT_TRAP_EXIT, .exit_code = -2};
    wa_rt_trap_format(&info, buf, sizeof buf);
    cr_assert_str_eq(buf, "wasm trap: program exited with code -2");
}

Test(trap, format_truncates_and_reports_the_full_length) {
    wa_rt_trap_info_t info = {.kind = WA_RT_TRAP_UNREACHABLE};
    char buf[8];
    cr_assert_eq(wa_rt_trap_format(&info, buf, sizeof buf), strlen("wasm trap: unreachable"));
    cr_assert_str_eq(buf, "wasm tr");
}

/* ---- Linear memories ---- */

static wa_rt_memory_t *new_memory(uint64_t min, bool has_max, uint64_t max) {
    wa_rt_limits_t l = {.min = min, .max = max, .has_max = has_max};
    wa_rt_memory_t *mem = wa_rt_memory_new(&l);
    cr_assert_not_null(mem);
    return mem;
}

Test(memory, new_commits_the_initial_pages_zeroed) {
    wa_rt_memory_t *mem = new_memory(2, true, 5);
    cr_assert_eq(mem->size, 2 * WA_RT_PAGE_SIZE);
    cr_assert_eq(mem->max_pages, 5);
    cr_assert_eq(mem->has_max, 1);
    cr_assert_eq(mem->reserved, WA_RT_MEMORY_RESERVATION);
    for (uint64_t i = 0; i < mem->size; i += 4093)
        cr_assert_eq(mem->base[i], 0);
    mem->base[mem->size - 1] = 7; /* writable up to the last byte */
    wa_rt_memory_free(mem);
}

Test(memory, no_max_means_the_wasm32_limit) {
    wa_rt_memory_t *mem = new_memory(0, false, 0);
    cr_assert_eq(mem->size, 0);
    cr_assert_eq(mem->max_pages, WA_RT_MAX_PAGES);
    cr_assert_eq(mem->has_max, 0);
    wa_rt_memory_free(mem);
}

Test(memory, new_rejects_bad_limits) {
    wa_rt_limits_t too_big = {.min = WA_RT_MAX_PAGES + 1};
    cr_assert_null(wa_rt_memory_new(&too_big));
    wa_rt_limits_t min_over_max = {.min = 3, .max = 2, .has_max = 1};
    cr_assert_null(wa_rt_memory_new(&min_over_max));
    wa_rt_limits_t max_too_big = {.min = 0, .max = WA_RT_MAX_PAGES + 1, .has_max = 1};
    cr_assert_null(wa_rt_memory_new(&max_too_big));
}

Test(memory, grow_returns_the_old_size_and_honours_max) {
    wa_rt_memory_t *mem = new_memory(1, true, 3);
    uint8_t *base = mem->base;
    cr_assert_eq(wa_rt_memory_grow(mem, 0), 1);
    cr_assert_eq(wa_rt_memory_grow(mem, 1), 1);
    cr_assert_eq(mem->size, 2 * WA_RT_PAGE_SIZE);
    cr_assert_eq(wa_rt_memory_grow(mem, 2), -1, "3 pages max, 4 asked");
    cr_assert_eq(mem->size, 2 * WA_RT_PAGE_SIZE);
    cr_assert_eq(wa_rt_memory_grow(mem, 1), 2);
    cr_assert_eq(wa_rt_memory_grow(mem, 1), -1);
    cr_assert_eq(wa_rt_memory_grow(mem, 0), 3, "growing by 0 at the max still succeeds");
    cr_assert_eq(mem->base, base, "the base never moves");
    /* New pages are zero and writable. */
    cr_assert_eq(mem->base[3 * WA_RT_PAGE_SIZE - 1], 0);
    mem->base[3 * WA_RT_PAGE_SIZE - 1] = 1;
    wa_rt_memory_free(mem);
}

/* memory64: a maximum up to 2^48 pages may be declared; growth stops at WA_RT_MAX_PAGES here. */
Test(memory, memory64_limits_and_grow) {
    wa_rt_limits_t too_big32 = {.min = 1, .max = UINT64_C(1) << 20, .has_max = 1};
    cr_assert_null(wa_rt_memory_new(&too_big32), "an i32 memory's maximum is 65536 pages");
    wa_rt_limits_t l = {.min = 1, .max = UINT64_C(1) << 40, .has_max = 1, .is64 = 1};
    wa_rt_memory_t *mem = wa_rt_memory_new(&l);
    cr_assert_not_null(mem);
    cr_assert(mem->is64);
    cr_assert_eq(mem->max_pages, UINT64_C(1) << 40, "the declared maximum, for import matching");
    cr_assert_eq(wa_rt_memory_grow(mem, UINT64_MAX), -1, "a delta of 2^64-1 pages cannot wrap");
    cr_assert_eq(wa_rt_memory_grow(mem, UINT64_C(1) << 32), -1);
    cr_assert_eq(wa_rt_memory_grow(mem, WA_RT_MAX_PAGES), -1, "one page more than the cap");
    cr_assert_eq(wa_rt_memory_grow(mem, 2), 1);
    cr_assert_eq(mem->size, 3 * (uint64_t)WA_RT_PAGE_SIZE);
    /* The guard generated code relies on: the cap plus WA_RT_MEMORY64_GUARD is reserved. */
    cr_assert_geq(mem->reserved,
                  (uint64_t)WA_RT_MAX_PAGES * WA_RT_PAGE_SIZE + WA_RT_MEMORY64_GUARD);
    wa_rt_limits_t over = {.min = 0, .max = (UINT64_C(1) << 48) + 1, .has_max = 1, .is64 = 1};
    cr_assert_null(wa_rt_memory_new(&over));
    wa_rt_memory_free(mem);
}

Test(memory, grow_stops_at_4_gib_without_a_max) {
    wa_rt_memory_t *mem = new_memory(0, false, 0);
    cr_assert_eq(wa_rt_memory_grow(mem, WA_RT_MAX_PAGES + 0u), 0);
    cr_assert_eq(mem->size, (uint64_t)WA_RT_MAX_PAGES * WA_RT_PAGE_SIZE);
    cr_assert_eq(wa_rt_memory_grow(mem, 1), -1);
    cr_assert_eq(wa_rt_memory_grow(mem, UINT32_MAX), -1);
    mem->base[mem->size - 1] = 1; /* the last byte of 4 GiB is usable */
    wa_rt_memory_free(mem);
}

typedef struct poke {
    uint8_t *addr;
    uint8_t value;
} poke_t;

static void store_byte(void *arg) {
    poke_t *p = arg;
    *(volatile uint8_t *)p->addr = p->value;
}

static void load_byte(void *arg) {
    poke_t *p = arg;
    p->value = *(volatile uint8_t *)p->addr;
}

Test(memory, store_past_the_size_traps_out_of_bounds) {
    wa_rt_memory_t *mem = new_memory(1, false, 0);
    poke_t p = {.addr = mem->base + mem->size, .value = 1};
    cr_assert_eq(wa_rt_call_guarded(store_byte, &p), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    cr_assert_str_eq(wa_rt_trap_message(wa_rt_last_trap()->kind), "out of bounds memory access");
    /* The PC of a fault is the faulting instruction, inside store_byte. */
    uintptr_t pc = wa_rt_last_trap()->pc, fn = (uintptr_t)CODE(store_byte);
    cr_assert(pc >= fn && pc < fn + 256, "pc %#lx, store_byte %#lx", pc, fn);
    /* The farthest address a wasm32 access can form is in the guard too. */
    p.addr = mem->base + WA_RT_MEMORY_RESERVATION - 1;
    cr_assert_eq(wa_rt_call_guarded(load_byte, &p), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    /* After growing, the same address is memory. */
    cr_assert_eq(wa_rt_memory_grow(mem, 1), 1);
    p.addr = mem->base + WA_RT_PAGE_SIZE;
    cr_assert_eq(wa_rt_call_guarded(store_byte, &p), WA_RT_TRAP_NONE);
    cr_assert_eq(mem->base[WA_RT_PAGE_SIZE], 1);
    wa_rt_memory_free(mem);
}

Test(memory, guard_traps_in_many_memories) {
    wa_rt_memory_t *mems[100];
    for (int i = 0; i < 100; i++)
        mems[i] = new_memory(0, true, 1);
    /* Free some so slots are reused and the registry has holes. */
    for (int i = 0; i < 100; i += 3)
        wa_rt_memory_free(mems[i]);
    for (int i = 0; i < 100; i += 3)
        mems[i] = new_memory(0, true, 1);
    for (int i = 0; i < 100; i++) {
        poke_t p = {.addr = mems[i]->base + 100, .value = 1};
        cr_assert_eq(wa_rt_call_guarded(store_byte, &p), WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS);
    }
    for (int i = 0; i < 100; i++)
        wa_rt_memory_free(mems[i]);
}

/* An address that is surely unmapped and in no guard region. */
static uint8_t *unmapped_address(void) {
    uint8_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    cr_assert_neq(p, MAP_FAILED);
    munmap(p, 4096);
    return p;
}

Test(memory, a_fault_outside_any_guard_still_crashes, .signal = SIGSEGV, .disabled = UNDER_ASAN) {
    poke_t p = {.addr = unmapped_address(), .value = 1};
    wa_rt_call_guarded(store_byte, &p);
    cr_assert_fail("a wild store must not be turned into a trap");
}

Test(memory, a_freed_memory_is_no_longer_a_guard, .signal = SIGSEGV, .disabled = UNDER_ASAN) {
    wa_rt_memory_t *mem = new_memory(0, false, 0);
    uint8_t *base = mem->base;
    wa_rt_memory_free(mem);
    poke_t p = {.addr = base, .value = 1};
    wa_rt_call_guarded(store_byte, &p);
    cr_assert_fail("a store into a freed reservation must crash");
}

Test(memory, guard_fault_outside_a_guarded_call_exits_134, .exit_code = 134) {
    wa_rt_memory_t *mem = new_memory(0, false, 0);
    int value = 0;
    wa_rt_call_guarded(return_normally, &value); /* installs the handler */
    *(volatile uint8_t *)mem->base = 1;
}

/* ---- Bulk memory (spec 4.4.7) ---- */

/* A bare instance with one memory of 1 page and two data segments. */
typedef struct bulk_fixture {
    wa_rt_instance_t inst;
    wa_rt_memory_t *mems[2];
    wa_rt_segment_t datas[2];
} bulk_fixture_t;

static const uint8_t segment_bytes[] = "abcdef";

static void bulk_setup(bulk_fixture_t *f) {
    memset(f, 0, sizeof *f);
    f->mems[0] = new_memory(1, false, 0);
    f->mems[1] = new_memory(1, false, 0);
    f->datas[0] = (wa_rt_segment_t){.data = segment_bytes, .size = 6};
    f->datas[1] = (wa_rt_segment_t){.data = segment_bytes, .size = 2};
    f->inst.memories = f->mems;
    f->inst.datas = f->datas;
    f->inst.mem0 = f->mems[0];
    f->inst.mem0_base = f->mems[0]->base;
}

typedef struct bulk_op {
    wa_rt_instance_t *inst;
    int op; /* 0 init, 1 copy, 2 fill */
    uint32_t a, b, c, d, e;
    int done; /* set after the call, which keeps it from being a tail call */
} bulk_op_t;

static void run_bulk(void *arg) {
    bulk_op_t *o = arg;
    switch (o->op) {
    case 0:
        wa_rt_memory_init(o->inst, o->a, o->b, o->c, o->d, o->e);
        break;
    case 1:
        wa_rt_memory_copy(o->inst, o->a, o->b, o->c, o->d, o->e);
        break;
    default:
        wa_rt_memory_fill(o->inst, o->a, o->b, o->c, o->d);
        break;
    }
    o->done = 1;
}

static wa_rt_trap_t mem_init(bulk_fixture_t *f, uint32_t seg, uint32_t dst, uint32_t src,
                             uint32_t n) {
    bulk_op_t o = {&f->inst, 0, 0, seg, dst, src, n, 0};
    return wa_rt_call_guarded(run_bulk, &o);
}

static wa_rt_trap_t mem_copy(bulk_fixture_t *f, uint32_t dst_mem, uint32_t src_mem, uint32_t dst,
                             uint32_t src, uint32_t n) {
    bulk_op_t o = {&f->inst, 1, dst_mem, src_mem, dst, src, n, 0};
    return wa_rt_call_guarded(run_bulk, &o);
}

static wa_rt_trap_t mem_fill(bulk_fixture_t *f, uint32_t dst, uint32_t value, uint32_t n) {
    bulk_op_t o = {&f->inst, 2, 0, dst, value, n, 0, 0};
    return wa_rt_call_guarded(run_bulk, &o);
}

#define OOB WA_RT_TRAP_MEMORY_OUT_OF_BOUNDS
#define NONE WA_RT_TRAP_NONE
#define PAGE WA_RT_PAGE_SIZE

/* ---- The parking lot (wait.c) and shared memories ---- */

typedef struct waiter_arg {
    int32_t *word;
    int32_t result;
} waiter_arg_t;

static void *wait_forever(void *p) {
    waiter_arg_t *a = p;
    __atomic_store_n(&a->result, wa_rt_atomic_wait32(a->word, 0, -1), __ATOMIC_SEQ_CST);
    return NULL;
}

/*
 * Notifies `addr` with `count` until `total` waiters were woken (they queue
 * themselves some time after their thread starts); no notify may wake more
 * than `count`.
 */
static void wake(int32_t *addr, uint32_t count, uint32_t total) {
    struct timespec pause = {0, 1000 * 1000};
    for (uint32_t woken = 0; woken < total;) {
        uint32_t n = wa_rt_atomic_notify(addr, count);
        cr_assert_leq(n, count);
        woken += n;
        cr_assert_leq(woken, total);
        nanosleep(&pause, NULL);
    }
}

Test(wait, not_equal_timeout_and_nobody_to_notify) {
    int32_t word = 5;
    int64_t wide = 7;
    cr_assert_eq(wa_rt_atomic_wait32(&word, 4, -1), 1);
    cr_assert_eq(wa_rt_atomic_wait64(&wide, 8, -1), 1);
    cr_assert_eq(wa_rt_atomic_wait32(&word, 5, 0), 2);
    cr_assert_eq(wa_rt_atomic_wait64(&wide, 7, 1000000), 2);
    cr_assert_eq(wa_rt_atomic_notify(&word, 10), 0);
}

Test(wait, notify_wakes_at_most_count_waiters_of_its_address) {
    int32_t words[2] = {0, 0};
    pthread_t threads[4];
    waiter_arg_t args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (waiter_arg_t){&words[i == 3], -1};
        cr_assert_eq(pthread_create(&threads[i], NULL, wait_forever, &args[i]), 0);
    }
    wake(&words[0], 2, 3);
    /* The waiter on the other word was not among them. */
    cr_assert_eq(__atomic_load_n(&args[3].result, __ATOMIC_SEQ_CST), -1);
    wake(&words[1], 1, 1);
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        cr_assert_eq(args[i].result, 0);
    }
}

static void *grow_many(void *p) {
    for (int i = 0; i < 50; i++)
        cr_assert_geq(wa_rt_memory_grow(p, 1), 0);
    return NULL;
}

/* Growing a shared memory from several threads at once loses no page. */
Test(memory, shared_grow_from_threads) {
    wa_rt_limits_t l = {.min = 1, .max = 300, .has_max = 1, .shared = 1};
    wa_rt_memory_t *mem = wa_rt_memory_new(&l);
    cr_assert_not_null(mem);
    cr_assert(mem->shared);
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&threads[i], NULL, grow_many, mem), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    cr_assert_eq(mem->size, UINT64_C(201) * WA_RT_PAGE_SIZE);
    mem->base[mem->size - 1] = 1; /* the last page is there */
    wa_rt_memory_free(mem);
}

Test(bulk, fill_sets_bytes_and_checks_bounds_first) {
    bulk_fixture_t f;
    bulk_setup(&f);
    uint8_t *m = f.mems[0]->base;
    cr_assert_eq(mem_fill(&f, 10, 0x1ff, 3), NONE);
    cr_assert(m[9] == 0 && m[10] == 0xff && m[12] == 0xff && m[13] == 0, "value is truncated");
    cr_assert_eq(mem_fill(&f, PAGE - 1, 5, 1), NONE);
    cr_assert_eq(m[PAGE - 1], 5);
    cr_assert_eq(mem_fill(&f, PAGE, 5, 0), NONE, "n = 0 at the end is in bounds");
    cr_assert_eq(mem_fill(&f, PAGE + 1, 5, 0), OOB, "n = 0 beyond the end traps");
    cr_assert_eq(mem_fill(&f, PAGE - 2, 9, 3), OOB);
    cr_assert_eq(m[PAGE - 2], 0, "nothing is written when the range is out of bounds");
    cr_assert_eq(mem_fill(&f, UINT32_MAX, 1, UINT32_MAX), OOB, "no 32-bit wrap-around");
}

Test(bulk, copy_is_memmove_and_checks_both_ranges) {
    bulk_fixture_t f;
    bulk_setup(&f);
    uint8_t *m = f.mems[0]->base;
    memcpy(m, "0123456789", 10);
    cr_assert_eq(mem_copy(&f, 0, 0, 2, 0, 5), NONE);
    cr_assert_arr_eq(m, "0101234789", 10, "forward overlap");
    memcpy(m, "0123456789", 10);
    cr_assert_eq(mem_copy(&f, 0, 0, 0, 2, 5), NONE);
    cr_assert_arr_eq(m, "2345656789", 10, "backward overlap");
    cr_assert_eq(mem_copy(&f, 0, 0, PAGE, 0, 0), NONE);
    cr_assert_eq(mem_copy(&f, 0, 0, 0, PAGE, 0), NONE);
    cr_assert_eq(mem_copy(&f, 0, 0, PAGE + 1, 0, 0), OOB);
    cr_assert_eq(mem_copy(&f, 0, 0, 0, PAGE + 1, 0), OOB);
    cr_assert_eq(mem_copy(&f, 0, 0, PAGE - 4, 0, 5), OOB);
    cr_assert_eq(m[PAGE - 4], 0, "nothing copied when the destination overflows");
    cr_assert_eq(mem_copy(&f, 0, 0, 0, PAGE - 4, 5), OOB);
    cr_assert_eq(m[0], '2', "nothing copied when the source overflows");
    /* Between memories (multi-memory). */
    cr_assert_eq(mem_copy(&f, 1, 0, 100, 0, 3), NONE);
    cr_assert_arr_eq(f.mems[1]->base + 100, "234", 3);
}

Test(bulk, init_copies_from_the_segment_and_drop_empties_it) {
    bulk_fixture_t f;
    bulk_setup(&f);
    uint8_t *m = f.mems[0]->base;
    cr_assert_eq(mem_init(&f, 0, 100, 1, 4), NONE);
    cr_assert_arr_eq(m + 100, "bcde", 4);
    cr_assert_eq(mem_init(&f, 0, 0, 6, 0), NONE, "n = 0 at the segment end");
    cr_assert_eq(mem_init(&f, 0, 0, 7, 0), OOB, "n = 0 beyond the segment end");
    cr_assert_eq(mem_init(&f, 0, 0, 3, 4), OOB);
    cr_assert_eq(mem_init(&f, 0, PAGE - 2, 0, 3), OOB);
    cr_assert_eq(m[PAGE - 2], 0, "nothing written");
    cr_assert_eq(mem_init(&f, 0, PAGE, 0, 0), NONE);
    cr_assert_eq(mem_init(&f, 0, PAGE + 1, 0, 0), OOB);
    wa_rt_data_drop(&f.inst, 0);
    cr_assert_eq(f.datas[0].size, 0);
    cr_assert_eq(mem_init(&f, 0, 0, 0, 0), NONE, "a dropped segment is empty, not gone");
    cr_assert_eq(mem_init(&f, 0, 0, 0, 1), OOB);
    cr_assert_eq(mem_init(&f, 0, 0, 1, 0), OOB);
    cr_assert_eq(mem_init(&f, 1, 0, 0, 2), NONE, "other segments are untouched");
}

Test(bulk, trap_pc_is_in_the_caller) {
    bulk_fixture_t f;
    bulk_setup(&f);
    cr_assert_eq(mem_fill(&f, PAGE, 0, 1), OOB);
    uintptr_t pc = wa_rt_last_trap()->pc, fn = (uintptr_t)CODE(run_bulk);
    cr_assert(pc > fn && pc < fn + 512, "pc %#lx is not in run_bulk at %#lx", pc, fn);
}

/* ---- Tables (spec 4.4.6) ---- */

static int ref_a, ref_b, ref_c; /* distinct non-null references */

static wa_rt_table_t *new_table(uint64_t min, bool has_max, uint64_t max) {
    wa_rt_table_type_t type = {.elem_type = WA_RT_FUNCREF,
                               .limits = {.min = min, .max = max, .has_max = has_max}};
    wa_rt_table_t *t = wa_rt_table_new(&type, NULL);
    cr_assert_not_null(t);
    return t;
}

Test(table, new_is_null_filled) {
    wa_rt_table_t *t = new_table(3, true, 10);
    cr_assert_eq(t->size, 3);
    cr_assert_eq(t->max, 10);
    cr_assert_eq(t->has_max, 1);
    cr_assert_eq(t->elem_type, WA_RT_FUNCREF);
    for (int i = 0; i < 3; i++)
        cr_assert_null(t->elems[i]);
    wa_rt_table_free(t);
    wa_rt_table_t *u = new_table(0, false, 0);
    cr_assert_eq(u->max, UINT32_MAX);
    cr_assert_eq(u->has_max, 0);
    wa_rt_table_free(u);
    wa_rt_table_type_t ext = {.elem_type = WA_RT_EXTERNREF, .limits = {.min = 2}};
    wa_rt_table_t *v = wa_rt_table_new(&ext, &ref_a);
    cr_assert(v->elems[0] == &ref_a && v->elems[1] == &ref_a);
    wa_rt_table_free(v);
}

Test(table, new_rejects_bad_sizes) {
    wa_rt_table_type_t huge = {.elem_type = WA_RT_FUNCREF,
                               .limits = {.min = WA_RT_TABLE_LIMIT + 1}};
    cr_assert_null(wa_rt_table_new(&huge, NULL));
    wa_rt_table_type_t inverted = {.elem_type = WA_RT_FUNCREF,
                                   .limits = {.min = 2, .max = 1, .has_max = 1}};
    cr_assert_null(wa_rt_table_new(&inverted, NULL));
}

Test(table, grow_fills_with_init_and_honours_max) {
    wa_rt_table_t *t = new_table(1, true, 4);
    cr_assert_eq(wa_rt_table_grow_by(t, 0, &ref_a), 1);
    cr_assert_eq(wa_rt_table_grow_by(t, 2, &ref_a), 1);
    cr_assert_eq(t->size, 3);
    cr_assert(t->elems[0] == NULL && t->elems[1] == &ref_a && t->elems[2] == &ref_a);
    cr_assert_eq(wa_rt_table_grow_by(t, 2, &ref_b), -1);
    cr_assert_eq(t->size, 3);
    cr_assert_eq(wa_rt_table_grow_by(t, 1, NULL), 3);
    cr_assert_null(t->elems[3]);
    cr_assert_eq(wa_rt_table_grow_by(t, 1, NULL), -1);
    cr_assert_eq(wa_rt_table_grow_by(t, 0, NULL), 4, "growing by 0 at the max succeeds");
    wa_rt_table_free(t);
}

Test(table, grow_without_max_stops_at_the_limit) {
    wa_rt_table_t *t = new_table(0, false, 0);
    cr_assert_eq(wa_rt_table_grow_by(t, UINT32_MAX, NULL), -1);
    cr_assert_eq(wa_rt_table_grow_by(t, WA_RT_TABLE_LIMIT + 1, NULL), -1);
    cr_assert_eq(wa_rt_table_grow_by(t, 10, NULL), 0);
    cr_assert_eq(wa_rt_table_grow_by(t, UINT32_MAX - 5, NULL), -1, "size + delta overflows u32");
    wa_rt_table_free(t);
}

typedef struct table_fixture {
    wa_rt_instance_t inst;
    wa_rt_table_t *tables[2];
    wa_rt_segment_t elems[1];
    void *seg_refs[3];
} table_fixture_t;

static void table_setup(table_fixture_t *f) {
    memset(f, 0, sizeof *f);
    f->tables[0] = new_table(5, false, 0);
    f->tables[1] = new_table(2, false, 0);
    f->seg_refs[0] = &ref_a;
    f->seg_refs[1] = &ref_b;
    f->seg_refs[2] = &ref_c;
    f->elems[0] = (wa_rt_segment_t){.data = f->seg_refs, .size = 3};
    f->inst.tables = f->tables;
    f->inst.elems = f->elems;
}

typedef struct table_op {
    wa_rt_instance_t *inst;
    int op; /* 0 init, 1 copy, 2 fill */
    uint32_t a, b, c, d, e;
    void *value;
} table_op_t;

static void run_table(void *arg) {
    table_op_t *o = arg;
    switch (o->op) {
    case 0:
        wa_rt_table_init(o->inst, o->a, o->b, o->c, o->d, o->e);
        break;
    case 1:
        wa_rt_table_copy(o->inst, o->a, o->b, o->c, o->d, o->e);
        break;
    default:
        wa_rt_table_fill(o->inst, o->a, o->b, o->value, o->c);
        break;
    }
}

static wa_rt_trap_t tab_init(table_fixture_t *f, uint32_t dst, uint32_t src, uint32_t n) {
    table_op_t o = {&f->inst, 0, 0, 0, dst, src, n, NULL};
    return wa_rt_call_guarded(run_table, &o);
}

static wa_rt_trap_t tab_copy(table_fixture_t *f, uint32_t dt, uint32_t st, uint32_t dst,
                             uint32_t src, uint32_t n) {
    table_op_t o = {&f->inst, 1, dt, st, dst, src, n, NULL};
    return wa_rt_call_guarded(run_table, &o);
}

static wa_rt_trap_t tab_fill(table_fixture_t *f, uint32_t dst, void *value, uint32_t n) {
    table_op_t o = {&f->inst, 2, 0, dst, n, 0, 0, value};
    return wa_rt_call_guarded(run_table, &o);
}

#define TOOB WA_RT_TRAP_TABLE_OUT_OF_BOUNDS

Test(table, init_and_elem_drop) {
    table_fixture_t f;
    table_setup(&f);
    void **e = f.tables[0]->elems;
    cr_assert_eq(tab_init(&f, 1, 0, 3), NONE);
    cr_assert(e[0] == NULL && e[1] == &ref_a && e[2] == &ref_b && e[3] == &ref_c && !e[4]);
    cr_assert_eq(tab_init(&f, 5, 3, 0), NONE, "n = 0 at both ends");
    cr_assert_eq(tab_init(&f, 6, 0, 0), TOOB);
    cr_assert_eq(tab_init(&f, 0, 4, 0), TOOB);
    cr_assert_eq(tab_init(&f, 3, 0, 3), TOOB);
    cr_assert(e[3] == &ref_c && e[4] == NULL, "nothing written out of bounds");
    wa_rt_elem_drop(&f.inst, 0);
    cr_assert_eq(f.elems[0].size, 0);
    cr_assert_eq(tab_init(&f, 0, 0, 0), NONE);
    cr_assert_eq(tab_init(&f, 0, 0, 1), TOOB);
}

Test(table, copy_overlaps_like_memmove) {
    table_fixture_t f;
    table_setup(&f);
    void **e = f.tables[0]->elems;
    e[0] = &ref_a;
    e[1] = &ref_b;
    e[2] = &ref_c;
    cr_assert_eq(tab_copy(&f, 0, 0, 1, 0, 3), NONE);
    cr_assert(e[0] == &ref_a && e[1] == &ref_a && e[2] == &ref_b && e[3] == &ref_c);
    cr_assert_eq(tab_copy(&f, 0, 0, 0, 1, 3), NONE);
    cr_assert(e[0] == &ref_a && e[1] == &ref_b && e[2] == &ref_c && e[3] == &ref_c);
    cr_assert_eq(tab_copy(&f, 1, 0, 0, 1, 2), NONE, "between tables");
    cr_assert(f.tables[1]->elems[0] == &ref_b && f.tables[1]->elems[1] == &ref_c);
    cr_assert_eq(tab_copy(&f, 0, 0, 5, 5, 0), NONE);
    cr_assert_eq(tab_copy(&f, 0, 0, 6, 0, 0), TOOB);
    cr_assert_eq(tab_copy(&f, 0, 0, 0, 6, 0), TOOB);
    cr_assert_eq(tab_copy(&f, 1, 0, 0, 0, 3), TOOB);
    cr_assert_eq(f.tables[1]->elems[0], &ref_b, "nothing copied");
}

Test(table, fill_and_bounds) {
    table_fixture_t f;
    table_setup(&f);
    void **e = f.tables[0]->elems;
    cr_assert_eq(tab_fill(&f, 1, &ref_c, 3), NONE);
    cr_assert(e[0] == NULL && e[1] == &ref_c && e[3] == &ref_c && e[4] == NULL);
    cr_assert_eq(tab_fill(&f, 5, &ref_a, 0), NONE);
    cr_assert_eq(tab_fill(&f, 6, &ref_a, 0), TOOB);
    cr_assert_eq(tab_fill(&f, 4, &ref_a, 2), TOOB);
    cr_assert_null(e[4], "nothing written");
    cr_assert_eq(tab_fill(&f, 0, NULL, 5), NONE);
    cr_assert_null(e[1]);
}

Test(table, grow_through_the_instance) {
    table_fixture_t f;
    table_setup(&f);
    cr_assert_eq(wa_rt_table_grow(&f.inst, 1, &ref_a, 2), 2);
    cr_assert_eq(f.tables[1]->size, 4);
    cr_assert_eq(f.tables[1]->elems[3], &ref_a);
}

/* ---- Canonical type ids ---- */

Test(types, equal_signatures_get_equal_ids) {
    const uint8_t a[] = {WA_RT_I32, WA_RT_I64, WA_RT_F32};
    const uint8_t b[] = {WA_RT_I32, WA_RT_I64, WA_RT_F32};
    wa_rt_functype_t ta = {2, 1, a}, tb = {2, 1, b};
    uint32_t id = wa_rt_type_id(&ta);
    cr_assert_neq(id, 0);
    cr_assert_eq(wa_rt_type_id(&tb), id);
    cr_assert_eq(wa_rt_type_id(&ta), id);
    const wa_rt_functype_t *t = wa_rt_type_of_id(id);
    cr_assert(t != NULL && t->nparams == 2 && t->nresults == 1);
    cr_assert_arr_eq(t->types, a, 3);
    cr_assert_null(wa_rt_type_of_id(0));
}

Test(types, the_split_between_params_and_results_matters) {
    const uint8_t x[] = {WA_RT_I32, WA_RT_I32};
    wa_rt_functype_t p2 = {2, 0, x}, p1r1 = {1, 1, x}, r2 = {0, 2, x}, empty = {0, 0, NULL};
    uint32_t ids[4] = {wa_rt_type_id(&p2), wa_rt_type_id(&p1r1), wa_rt_type_id(&r2),
                       wa_rt_type_id(&empty)};
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            cr_assert_neq(ids[i], ids[j], "types %d and %d", i, j);
}

Test(types, many_types_stay_distinct_and_stable) {
    /* Enough types to rehash several times: every (i32|i64)^k -> [] for k < 11. */
    static uint32_t ids[2048];
    uint8_t buf[11];
    int n = 0;
    for (int k = 0; k < 11; k++) {
        for (int bits = 0; bits < (1 << k) && n < 2048; bits++, n++) {
            for (int j = 0; j < k; j++)
                buf[j] = (bits >> j) & 1 ? WA_RT_I64 : WA_RT_I32;
            wa_rt_functype_t t = {(uint32_t)k, 0, buf};
            ids[n] = wa_rt_type_id(&t);
        }
    }
    n = 0;
    for (int k = 0; k < 11; k++) {
        for (int bits = 0; bits < (1 << k) && n < 2048; bits++, n++) {
            for (int j = 0; j < k; j++)
                buf[j] = (bits >> j) & 1 ? WA_RT_I64 : WA_RT_I32;
            wa_rt_functype_t t = {(uint32_t)k, 0, buf};
            cr_assert_eq(wa_rt_type_id(&t), ids[n]);
            const wa_rt_functype_t *back = wa_rt_type_of_id(ids[n]);
            cr_assert_eq(back->nparams, (uint32_t)k);
            cr_assert(k == 0 || memcmp(back->types, buf, k) == 0);
        }
    }
    for (int i = 1; i < n; i++)
        cr_assert_neq(ids[i], ids[i - 1]);
}

typedef struct intern_job {
    uint32_t ids[64];
} intern_job_t;

/* Interns 64 types, (i32)^k -> (f64) for k < 64, from a buffer of its own. */
static void *intern_many(void *arg) {
    intern_job_t *job = arg;
    uint8_t buf[65];
    for (uint32_t k = 0; k < 64; k++) {
        memset(buf, WA_RT_I32, k);
        buf[k] = WA_RT_F64;
        wa_rt_functype_t t = {k, 1, buf};
        job->ids[k] = wa_rt_type_id(&t);
    }
    return NULL;
}

Test(types, concurrent_interning_agrees) {
    pthread_t threads[4];
    static intern_job_t jobs[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&threads[i], NULL, intern_many, &jobs[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    for (int i = 1; i < 4; i++)
        cr_assert_arr_eq(jobs[i].ids, jobs[0].ids, sizeof jobs[0].ids);
    for (int k = 1; k < 64; k++)
        cr_assert_neq(jobs[0].ids[k], jobs[0].ids[k - 1]);
}

/* ---- Stack limit and exhaustion ---- */

static int max_depth;

/* Always 1; read through volatile so the compiler cannot call the recursions infinite. */
static volatile int keep_recursing = 1;

/* Recurses like compiled code: the prologue compares the frame with the limit. */
static int checked_recursion(uintptr_t limit, int depth) {
    volatile char frame[512];
    if ((uintptr_t)__builtin_frame_address(0) < limit)
        wa_rt_trap(WA_RT_TRAP_STACK_EXHAUSTED, UINT32_MAX);
    frame[0] = (char)depth;
    max_depth = depth;
    if (!keep_recursing)
        return 0;
    return checked_recursion(limit, depth + 1) + frame[0];
}

static void run_checked_recursion(void *arg) {
    (void)arg;
    checked_recursion(wa_rt_stack_limit(), 0);
}

/* Recurses without any check: only the guard below the stack can stop it. */
static int unchecked_recursion(int depth) {
    volatile char frame[512];
    frame[0] = (char)depth;
    max_depth = depth;
    if (!keep_recursing)
        return 0;
    return unchecked_recursion(depth + 1) + frame[0];
}

static void run_unchecked_recursion(void *arg) {
    (void)arg;
    unchecked_recursion(0);
}

Test(stack, limit_is_below_the_current_frame) {
    uintptr_t limit = wa_rt_stack_limit();
    cr_assert_neq(limit, 0);
    cr_assert_gt((uintptr_t)__builtin_frame_address(0), limit);
    cr_assert_eq(wa_rt_stack_limit(), limit, "cached per thread");
}

Test(stack, checked_recursion_traps_call_stack_exhausted) {
    max_depth = 0;
    cr_assert_eq(wa_rt_call_guarded(run_checked_recursion, NULL), WA_RT_TRAP_STACK_EXHAUSTED);
    cr_assert_gt(max_depth, 1000);
    /* And again: nothing was left behind. */
    cr_assert_eq(wa_rt_call_guarded(run_checked_recursion, NULL), WA_RT_TRAP_STACK_EXHAUSTED);
}

Test(stack, unchecked_recursion_is_caught_by_the_guard) {
    max_depth = 0;
    cr_assert_eq(wa_rt_call_guarded(run_unchecked_recursion, NULL), WA_RT_TRAP_STACK_EXHAUSTED);
    cr_assert_gt(max_depth, 1000);
    cr_assert_eq(wa_rt_call_guarded(run_unchecked_recursion, NULL), WA_RT_TRAP_STACK_EXHAUSTED,
                 "the alternate signal stack is usable again");
}

typedef struct thread_result {
    wa_rt_trap_t checked, unchecked;
    uintptr_t limit, lo_hint;
} thread_result_t;

static void *thread_main(void *arg) {
    thread_result_t *r = arg;
    r->lo_hint = (uintptr_t)__builtin_frame_address(0);
    r->limit = wa_rt_stack_limit();
    r->checked = wa_rt_call_guarded(run_checked_recursion, NULL);
    r->unchecked = wa_rt_call_guarded(run_unchecked_recursion, NULL);
    return NULL;
}

Test(stack, each_thread_has_its_own_limit_and_signal_stack) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1u << 20);
    thread_result_t r = {0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, &attr, thread_main, &r), 0);
    pthread_join(t, NULL);
    cr_assert_eq(r.checked, WA_RT_TRAP_STACK_EXHAUSTED);
    cr_assert_eq(r.unchecked, WA_RT_TRAP_STACK_EXHAUSTED);
    cr_assert_lt(r.limit, r.lo_hint);
    cr_assert_gt(r.limit, r.lo_hint - (1u << 20), "the limit is inside the 1 MiB thread stack");
    cr_assert_neq(r.limit, wa_rt_stack_limit(), "not the main thread's limit");
}

static void *record_limit(void *arg) {
    thread_result_t *r = arg;
    r->lo_hint = (uintptr_t)__builtin_frame_address(0);
    r->limit = wa_rt_stack_limit();
    return NULL;
}

Test(stack, wasm_gets_at_most_256_mib_of_a_huge_stack) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    cr_assert_eq(pthread_attr_setstacksize(&attr, (size_t)1 << 30), 0);
    thread_result_t r = {0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, &attr, record_limit, &r), 0);
    pthread_join(t, NULL);
    uintptr_t below = r.lo_hint - r.limit;
    cr_assert(below > (255u << 20) && below < (256u << 20), "%#lx usable bytes", below);
}

/* ---- Instantiation ---- */

/*
 * A hand-written module standing in for a compiled one:
 *   types: 0 (i32 i32) -> (i32), 1 () -> (), 2 (i32) -> (i32)
 *   func 0: import env.add_one, type 2
 *   func 1 "add" (type 0), func 2 "divide" (type 0, traps on zero),
 *   func 3 start (type 1), func 4 unnamed (type 2: calls import 0)
 *   memory 0: {1, max 2}; table 0: funcref {4}; global 0: mut i32
 *   data 0 active "hello" at 16, data 1 passive "xyz"
 *   elem 0 active (funcs 1 2) at table offset 1
 */
static const uint8_t sig_ii_i[] = {WA_RT_I32, WA_RT_I32, WA_RT_I32};
static const wa_rt_functype_t test_types[] = {{2, 1, sig_ii_i}, {0, 0, NULL}, {1, 1, sig_ii_i}};

static int start_saw_hook;
static int hook_calls;

WASM_CODE static int32_t add_fn(void *ctx, int32_t a, int32_t b) {
    (void)ctx;
    return a + b;
}

WASM_CODE static int32_t divide_fn(void *ctx, int32_t a, int32_t b) {
    (void)ctx;
    if (b == 0)
        wa_rt_trap(WA_RT_TRAP_DIVIDE_BY_ZERO, UINT32_MAX);
    return a / b;
}

WASM_CODE static void start_fn(void *ctx) {
    wa_rt_instance_t *inst = ctx;
    inst->globals[0]->i32 += 1;
    start_saw_hook = hook_calls;
}

WASM_CODE static int32_t call_import_fn(void *ctx, int32_t x) {
    wa_rt_instance_t *inst = ctx;
    return as_i_i(inst->funcs[0])(inst->funcs[0]->ctx, x) * 10;
}

/* Generated init: globals, element expressions, active segments in order, drops. */
static void test_init(wa_rt_instance_t *inst) {
    inst->globals[0]->i32 = 42;
    void **refs = (void **)inst->elems[0].data;
    refs[0] = inst->funcs[1];
    refs[1] = inst->funcs[2];
    wa_rt_table_init(inst, 0, 0, 1, 0, 2);
    wa_rt_elem_drop(inst, 0);
    wa_rt_memory_init(inst, 0, 0, 16, 0, 5);
    wa_rt_data_drop(inst, 0);
}

static const wa_rt_import_t test_imports[] = {
    {"env", "add_one", 3, 7, WA_RT_EXTERN_FUNC, 0},
};
static const uint32_t test_func_types[] = {2, 0, 0, 1, 2};
static const char *const test_func_names[] = {"add_one", "add", "divide", "start", NULL};
static const wa_rt_limits_t test_memories[] = {{1, 2, 1, 0, 0}};
static const wa_rt_table_type_t test_tables[] = {{WA_RT_FUNCREF, {4, 0, 0, 0, 0}}};
static const wa_rt_global_type_t test_globals[] = {{WA_RT_I32, 1}};
static const wa_rt_export_t test_exports[] = {
    {"add", 3, WA_RT_EXTERN_FUNC, 1},      {"divide", 6, WA_RT_EXTERN_FUNC, 2},
    {"memory", 6, WA_RT_EXTERN_MEMORY, 0}, {"table", 5, WA_RT_EXTERN_TABLE, 0},
    {"g", 1, WA_RT_EXTERN_GLOBAL, 0},      {"a\0b", 3, WA_RT_EXTERN_FUNC, 4},
};
static const wa_rt_data_t test_datas[] = {{(const uint8_t *)"hello", 5},
                                          {(const uint8_t *)"xyz", 3}};
static const uint32_t test_elem_sizes[] = {2};

static wa_rt_module_t test_module(void) {
    static void *code[5];
    code[1] = CODE(add_fn);
    code[2] = CODE(divide_fn);
    code[3] = CODE(start_fn);
    code[4] = CODE(call_import_fn);
    return (wa_rt_module_t){
        .abi_version = WA_RT_ABI_VERSION,
        .name = "test",
        .ntypes = 3,
        .types = test_types,
        .nimports = 1,
        .imports = test_imports,
        .nfuncs = 5,
        .nfunc_imports = 1,
        .func_types = test_func_types,
        .func_code = code,
        .func_names = test_func_names,
        .nmemories = 1,
        .memories = test_memories,
        .ntables = 1,
        .tables = test_tables,
        .nglobals = 1,
        .globals = test_globals,
        .nexports = 6,
        .exports = test_exports,
        .ndatas = 2,
        .datas = test_datas,
        .nelems = 1,
        .elem_sizes = test_elem_sizes,
        .init = test_init,
        .start_func = 3,
        .code_start = __start_wa_test_code,
        .code_end = __stop_wa_test_code,
    };
}

/* The host function bound to env.add_one: ctx is an int holding the increment. */
static int32_t host_add(void *ctx, int32_t x) {
    return x + *(int *)ctx;
}

static int host_increment = 1;

static wa_rt_func_t host_func(uint32_t type_index) {
    return (wa_rt_func_t){
        .code = CODE(host_add),
        .ctx = &host_increment,
        .type_id = wa_rt_type_id(&test_types[type_index]),
    };
}

static void count_hook(wa_rt_instance_t *inst, void *data) {
    (void)inst;
    *(int *)data += 1;
}

Test(instance, instantiates_and_runs_init_then_start) {
    wa_rt_module_t m = test_module();
    wa_rt_func_t add_one = host_func(2);
    wa_rt_extern_t imports[] = {{.kind = WA_RT_EXTERN_FUNC, .func = &add_one}};
    int host_data;
    hook_calls = 0;
    start_saw_hook = -1;
    wa_rt_instantiate_options_t opts = {
        .host_data = &host_data, .before_start = count_hook, .before_start_data = &hook_calls};
    wa_rt_error_t err;
    wa_rt_instance_t *inst = wa_rt_instantiate(&m, imports, 1, &opts, &err);
    cr_assert_not_null(inst, "%s", err.message);
    cr_assert_eq(err.kind, WA_RT_ERROR_NONE);
    cr_assert_eq(inst->module, &m);
    cr_assert_eq(inst->host_data, &host_data);
    cr_assert_eq(inst->stack_limit, wa_rt_stack_limit());
    /* Memory 0, cached for generated code, with the active segment applied. */
    cr_assert_eq(inst->mem0, inst->memories[0]);
    cr_assert_eq(inst->mem0_base, inst->mem0->base);
    cr_assert_eq(inst->mem0->size, WA_RT_PAGE_SIZE);
    cr_assert_eq(inst->mem0->max_pages, 2);
    cr_assert_arr_eq(inst->mem0_base + 16, "hello", 5);
    cr_assert_eq(inst->datas[0].size, 0, "active segments are dropped");
    cr_assert_eq(inst->datas[1].size, 3, "passive segments stay");
    cr_assert_eq(inst->elems[0].size, 0);
    /* The table got funcs 1 and 2 at offset 1. */
    wa_rt_table_t *t = inst->tables[0];
    cr_assert_eq(t->size, 4);
    cr_assert(t->elems[0] == NULL && t->elems[1] == inst->funcs[1] &&
              t->elems[2] == inst->funcs[2] && t->elems[3] == NULL);
    /* Globals: init set 42, start added 1, after the hook ran once. */
    cr_assert_eq(inst->globals[0]->i32, 43);
    cr_assert_eq(hook_calls, 1);
    cr_assert_eq(start_saw_hook, 1, "before_start runs before the start function");
    /* Function references. */
    cr_assert_eq(inst->funcs[0], &add_one);
    const wa_rt_func_t *add = inst->funcs[1];
    cr_assert(add->ctx == inst && add->instance == inst && add->func_index == 1);
    cr_assert_eq(add->type_id, wa_rt_type_id(&test_types[0]));
    cr_assert_eq(inst->funcs[2]->type_id, add->type_id);
    cr_assert_eq(inst->type_ids[2], add_one.type_id);
    cr_assert_eq(as_ii_i(add)(add->ctx, 2, 3), 5);
    cr_assert_eq(as_i_i(inst->funcs[4])(inst, 4), 50, "calls the import with its own ctx");
    wa_rt_instance_free(inst);
}

Test(instance, exports_by_name_and_kind) {
    wa_rt_module_t m = test_module();
    wa_rt_func_t add_one = host_func(2);
    wa_rt_extern_t imports[] = {{.kind = WA_RT_EXTERN_FUNC, .func = &add_one}};
    wa_rt_instance_t *inst = wa_rt_instantiate(&m, imports, 1, NULL, NULL);
    cr_assert_not_null(inst);
    wa_rt_extern_t e;
    cr_assert(wa_rt_instance_export(inst, "add", 3, WA_RT_EXTERN_FUNC, &e));
    cr_assert(e.kind == WA_RT_EXTERN_FUNC && e.func == inst->funcs[1]);
    cr_assert_not(wa_rt_instance_export(inst, "add", 3, WA_RT_EXTERN_MEMORY, &e), "wrong kind");
    cr_assert_not(wa_rt_instance_export(inst, "ad", 2, WA_RT_EXTERN_FUNC, &e));
    cr_assert(wa_rt_instance_export(inst, "memory", 6, WA_RT_EXTERN_MEMORY, &e));
    cr_assert_eq(e.memory, inst->memories[0]);
    cr_assert(wa_rt_instance_export(inst, "table", 5, WA_RT_EXTERN_TABLE, &e));
    cr_assert_eq(e.table, inst->tables[0]);
    cr_assert(wa_rt_instance_export(inst, "g", 1, WA_RT_EXTERN_GLOBAL, &e));
    cr_assert(e.global.value == inst->globals[0] && e.global.type.type == WA_RT_I32 &&
              e.global.type.is_mutable);
    cr_assert(wa_rt_instance_export(inst, "a\0b", 3, WA_RT_EXTERN_FUNC, &e), "names hold NULs");
    cr_assert_eq(e.func, inst->funcs[4]);
    cr_assert_not(wa_rt_instance_export(inst, "a", 1, WA_RT_EXTERN_FUNC, &e));
    cr_assert_eq(wa_rt_module_export(&m, "divide", 6, WA_RT_EXTERN_FUNC), &test_exports[1]);
    wa_rt_instance_free(inst);
}

Test(instance, exports_link_into_another_instance) {
    wa_rt_module_t m = test_module();
    wa_rt_func_t add_one = host_func(2);
    wa_rt_extern_t imports[] = {{.kind = WA_RT_EXTERN_FUNC, .func = &add_one}};
    wa_rt_instance_t *a = wa_rt_instantiate(&m, imports, 1, NULL, NULL);
    cr_assert_not_null(a);
    /* B imports A's unnamed func 4, of type 2 like add_one: interned ids match. */
    wa_rt_extern_t from_a;
    cr_assert(wa_rt_instance_export(a, "a\0b", 3, WA_RT_EXTERN_FUNC, &from_a));
    wa_rt_error_t err;
    wa_rt_instance_t *b = wa_rt_instantiate(&m, &from_a, 1, NULL, &err);
    cr_assert_not_null(b, "%s", err.message);
    /* B's func 4 calls its import (A's func 4, which calls add_one): (5 + 1) * 10 * 10. */
    cr_assert_eq(as_i_i(b->funcs[4])(b, 5), 600);
    wa_rt_instance_free(b);
    wa_rt_instance_free(a);
}

static void expect_link_error(const wa_rt_module_t *m, const wa_rt_extern_t *imports, uint32_t n,
                              const char *prefix, uint32_t index) {
    wa_rt_error_t err;
    cr_assert_null(wa_rt_instantiate(m, imports, n, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_LINK, "%s", err.message);
    cr_assert_eq(strncmp(err.message, prefix, strlen(prefix)), 0, "message: %s", err.message);
    cr_assert_eq(err.import_index, index);
}

Test(instance, function_import_mismatches) {
    wa_rt_module_t m = test_module();
    wa_rt_func_t wrong = host_func(0); /* (i32 i32) -> (i32), not (i32) -> (i32) */
    wa_rt_extern_t imports[] = {{.kind = WA_RT_EXTERN_FUNC, .func = &wrong}};
    expect_link_error(&m, imports, 1, "incompatible import type", 0);
    wa_rt_error_t err;
    wa_rt_instantiate(&m, imports, 1, NULL, &err);
    cr_assert_str_eq(err.message, "incompatible import type: import 0 \"env\".\"add_one\" "
                                  "(function): function type differs");
    imports[0].func = NULL;
    expect_link_error(&m, imports, 1, "unknown import", 0);
    wa_rt_extern_t missing = {.kind = WA_RT_EXTERN_MISSING};
    expect_link_error(&m, &missing, 1, "unknown import", 0);
    wa_rt_memory_t *mem = new_memory(1, false, 0);
    wa_rt_extern_t a_memory = {.kind = WA_RT_EXTERN_MEMORY, .memory = mem};
    expect_link_error(&m, &a_memory, 1, "incompatible import type", 0);
    expect_link_error(&m, NULL, 0, "the module has 1 imports", 0);
}

/* A module importing a memory {1, max 2}, a funcref table {2, max 10}, an immutable i32 global. */
static const wa_rt_import_t typed_imports[] = {
    {"env", "mem", 3, 3, WA_RT_EXTERN_MEMORY, 0},
    {"env", "tab", 3, 3, WA_RT_EXTERN_TABLE, 0},
    {"env", "glob", 3, 4, WA_RT_EXTERN_GLOBAL, 0},
};
static const wa_rt_limits_t typed_memories[] = {{1, 2, 1, 0, 0}};
static const wa_rt_table_type_t typed_tables[] = {{WA_RT_FUNCREF, {2, 10, 1, 0, 0}}};
static const wa_rt_global_type_t typed_globals[] = {{WA_RT_I32, 0}};

static wa_rt_module_t typed_module(void) {
    return (wa_rt_module_t){
        .abi_version = WA_RT_ABI_VERSION,
        .nimports = 3,
        .imports = typed_imports,
        .nmemories = 1,
        .memories = typed_memories,
        .ntables = 1,
        .tables = typed_tables,
        .nglobals = 1,
        .globals = typed_globals,
        .start_func = -1,
    };
}

typedef struct typed_externs {
    wa_rt_memory_t *mem;
    wa_rt_table_t *tab;
    wa_rt_value_t value;
    wa_rt_extern_t ext[3];
} typed_externs_t;

static void typed_setup(typed_externs_t *x, wa_rt_memory_t *mem, wa_rt_table_t *tab,
                        wa_rt_global_type_t gtype) {
    x->mem = mem;
    x->tab = tab;
    x->ext[0] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_MEMORY, .memory = mem};
    x->ext[1] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_TABLE, .table = tab};
    x->ext[2] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_GLOBAL,
                                 .global = {.value = &x->value, .type = gtype}};
}

static const wa_rt_global_type_t i32_const = {WA_RT_I32, 0};

Test(instance, matching_imports_are_bound) {
    wa_rt_module_t m = typed_module();
    typed_externs_t x;
    typed_setup(&x, new_memory(2, true, 2), new_table(5, true, 10), i32_const);
    x.value.i32 = 9;
    wa_rt_error_t err;
    wa_rt_instance_t *inst = wa_rt_instantiate(&m, x.ext, 3, NULL, &err);
    cr_assert_not_null(inst, "%s", err.message);
    cr_assert(inst->memories[0] == x.mem && inst->mem0 == x.mem && inst->mem0_base == x.mem->base);
    cr_assert_eq(inst->tables[0], x.tab);
    cr_assert_eq(inst->globals[0]->i32, 9);
    wa_rt_instance_free(inst);
    /* Imports are borrowed: still usable after the instance is gone. */
    x.mem->base[0] = 1;
    x.tab->elems[4] = &ref_a;
}

Test(instance, memory_limits_must_match) {
    wa_rt_module_t m = typed_module();
    typed_externs_t x;
    typed_setup(&x, new_memory(1, false, 0), new_table(2, true, 10), i32_const);
    expect_link_error(&m, x.ext, 3, "incompatible import type", 0); /* no max vs max 2 */
    wa_rt_error_t err;
    wa_rt_instantiate(&m, x.ext, 3, NULL, &err);
    cr_assert_str_eq(err.message,
                     "incompatible import type: import 0 \"env\".\"mem\" (memory): provided "
                     "{min 1, no max}, expected {min 1, max 2}");
    x.ext[0].memory = new_memory(1, true, 3);
    expect_link_error(&m, x.ext, 3, "incompatible import type", 0); /* max 3 > 2 */
    x.ext[0].memory = new_memory(0, true, 2);
    expect_link_error(&m, x.ext, 3, "incompatible import type", 0); /* size 0 < 1 */
    x.ext[0].memory = new_memory(0, true, 2);
    cr_assert_eq(wa_rt_memory_grow(x.ext[0].memory, 1), 0);
    cr_assert_not_null(wa_rt_instantiate(&m, x.ext, 3, NULL, NULL), "the current size counts");
}

Test(instance, table_types_must_match) {
    wa_rt_module_t m = typed_module();
    typed_externs_t x;
    typed_setup(&x, new_memory(1, true, 2), new_table(1, true, 10), i32_const);
    expect_link_error(&m, x.ext, 3, "incompatible import type", 1); /* size 1 < 2 */
    x.ext[1].table = new_table(2, false, 0);
    expect_link_error(&m, x.ext, 3, "incompatible import type", 1); /* no max */
    x.ext[1].table = new_table(2, true, 11);
    expect_link_error(&m, x.ext, 3, "incompatible import type", 1); /* max 11 > 10 */
    wa_rt_table_type_t ext_type = {WA_RT_EXTERNREF, {2, 10, 1, 0, 0}};
    x.ext[1].table = wa_rt_table_new(&ext_type, NULL);
    expect_link_error(&m, x.ext, 3, "incompatible import type", 1);
    x.ext[1].table = new_table(3, true, 3);
    cr_assert_not_null(wa_rt_instantiate(&m, x.ext, 3, NULL, NULL));
}

Test(instance, global_types_must_match_exactly) {
    wa_rt_module_t m = typed_module();
    typed_externs_t x;
    typed_setup(&x, new_memory(1, true, 2), new_table(2, true, 10),
                (wa_rt_global_type_t){WA_RT_I32, 1});
    expect_link_error(&m, x.ext, 3, "incompatible import type", 2); /* mutable */
    x.ext[2].global.type = (wa_rt_global_type_t){WA_RT_I64, 0};
    expect_link_error(&m, x.ext, 3, "incompatible import type", 2);
    x.ext[2] = (wa_rt_extern_t){.kind = WA_RT_EXTERN_TABLE, .table = x.tab};
    expect_link_error(&m, x.ext, 3, "incompatible import type", 2);
}

/* An init that writes into the imported memory, then fails on the table. */
static void init_then_trap(wa_rt_instance_t *inst) {
    static const uint8_t bytes[] = "kept";
    wa_rt_segment_t seg = {bytes, 4}, *own = inst->datas;
    inst->datas = &seg; /* the module declares no data segment: lend it one */
    wa_rt_memory_init(inst, 0, 0, 0, 0, 4);
    inst->datas = own;
    wa_rt_table_fill(inst, 0, 0, NULL, 100); /* the table has 2 elements */
}

Test(instance, a_trap_in_init_fails_but_keeps_earlier_writes) {
    wa_rt_module_t m = typed_module();
    m.init = init_then_trap;
    typed_externs_t x;
    typed_setup(&x, new_memory(1, true, 2), new_table(2, true, 10), i32_const);
    wa_rt_error_t err;
    cr_assert_null(wa_rt_instantiate(&m, x.ext, 3, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_TRAP);
    cr_assert_str_eq(err.message, "out of bounds table access");
    cr_assert_eq(err.trap.kind, WA_RT_TRAP_TABLE_OUT_OF_BOUNDS);
    cr_assert_arr_eq(x.mem->base, "kept", 4);
    cr_assert_not_null(err.instance);
    wa_rt_instance_free(err.instance);
}

static void divide_by_zero_start(void *ctx) {
    divide_fn(ctx, 1, 0);
}

Test(instance, a_trap_in_start_fails_instantiation) {
    wa_rt_module_t m = test_module();
    void *code[5];
    memcpy(code, m.func_code, sizeof code);
    code[3] = CODE(divide_by_zero_start);
    m.func_code = code;
    wa_rt_func_t add_one = host_func(2);
    wa_rt_extern_t imports[] = {{.kind = WA_RT_EXTERN_FUNC, .func = &add_one}};
    wa_rt_error_t err;
    cr_assert_null(wa_rt_instantiate(&m, imports, 1, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_TRAP);
    cr_assert_str_eq(err.message, "integer divide by zero");
    /* Init ran before start: its writes are there. */
    cr_assert_arr_eq(err.instance->mem0_base + 16, "hello", 5);
    wa_rt_instance_free(err.instance);
}

Test(instance, resource_and_abi_errors) {
    wa_rt_module_t m = test_module();
    m.abi_version = WA_RT_ABI_VERSION + 1;
    wa_rt_error_t err;
    cr_assert_null(wa_rt_instantiate(&m, NULL, 1, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_ABI);
    wa_rt_module_t big = typed_module();
    big.nimports = 0;
    static const wa_rt_table_type_t huge[] = {{WA_RT_FUNCREF, {WA_RT_TABLE_LIMIT + 1, 0, 0, 0, 0}}};
    big.tables = huge;
    cr_assert_null(wa_rt_instantiate(&big, NULL, 0, NULL, &err));
    cr_assert_eq(err.kind, WA_RT_ERROR_RESOURCE, "%s", err.message);
}

static int host_start_calls;

static void host_start(void *ctx) {
    cr_assert_eq(ctx, &host_start_calls);
    host_start_calls++;
}

Test(instance, the_start_function_may_be_an_import) {
    static const wa_rt_import_t imports[] = {{"env", "start", 3, 5, WA_RT_EXTERN_FUNC, 0}};
    static const uint32_t func_types[] = {1};
    static void *const code[] = {NULL};
    wa_rt_module_t m = {
        .abi_version = WA_RT_ABI_VERSION,
        .ntypes = 3,
        .types = test_types,
        .nimports = 1,
        .imports = imports,
        .nfuncs = 1,
        .nfunc_imports = 1,
        .func_types = func_types,
        .func_code = code,
        .start_func = 0,
    };
    wa_rt_func_t start = {.code = CODE(host_start),
                          .ctx = &host_start_calls,
                          .type_id = wa_rt_type_id(&test_types[1])};
    wa_rt_extern_t ext = {.kind = WA_RT_EXTERN_FUNC, .func = &start};
    host_start_calls = 0;
    wa_rt_instance_t *inst = wa_rt_instantiate(&m, &ext, 1, NULL, NULL);
    cr_assert_not_null(inst);
    cr_assert_eq(host_start_calls, 1);
    cr_assert_null(inst->mem0);
    cr_assert_null(inst->mem0_base);
    wa_rt_instance_free(inst);
}

typedef struct call_args {
    const wa_rt_func_t *f;
    int32_t a, b;
} call_args_t;

static void call_ii(void *arg) {
    call_args_t *c = arg;
    as_ii_i(c->f)(c->f->ctx, c->a, c->b);
}

Test(instance, trap_format_names_the_wasm_function) {
    wa_rt_module_t m = test_module();
    wa_rt_func_t add_one = host_func(2);
    wa_rt_extern_t imports[] = {{.kind = WA_RT_EXTERN_FUNC, .func = &add_one}};
    wa_rt_instance_t *inst = wa_rt_instantiate(&m, imports, 1, NULL, NULL);
    cr_assert_not_null(inst);
    call_args_t c = {inst->funcs[2], 1, 0};
    cr_assert_eq(wa_rt_call_guarded(call_ii, &c), WA_RT_TRAP_DIVIDE_BY_ZERO);
    char buf[256];
    wa_rt_trap_format(wa_rt_last_trap(), buf, sizeof buf);
    cr_assert_str_eq(buf, "wasm trap: integer divide by zero in function 2 (divide)");
    /* A function without a name: just its index. Pretend the PC is inside func 4. */
    wa_rt_trap_info_t info = {.kind = WA_RT_TRAP_UNREACHABLE,
                              .pc = (uintptr_t)CODE(call_import_fn) + 1};
    wa_rt_trap_format(&info, buf, sizeof buf);
    cr_assert_str_eq(buf, "wasm trap: unreachable in function 4");
    cr_assert_eq(wa_rt_module_func_at(&m, (uintptr_t)CODE(add_fn)), 1);
    cr_assert_eq(wa_rt_module_func_at(&m, (uintptr_t)CODE(host_add)), -1, "outside the range");
    wa_rt_instance_free(inst);
    /* Once no instance of the module lives, its code is not named any more. */
    info.pc = (uintptr_t)CODE(add_fn) + 1;
    wa_rt_trap_format(&info, buf, sizeof buf);
    cr_assert_str_eq(buf, "wasm trap: unreachable");
}

Test(instance, unknown_import_traps_naming_it) {
    wa_rt_module_t m = test_module();
    wa_rt_func_t stand_in = {
        .code = CODE(wa_rt_unknown_import),
        .ctx = (void *)&test_imports[0],
        .type_id = wa_rt_type_id(&test_types[2]),
    };
    wa_rt_extern_t imports[] = {{.kind = WA_RT_EXTERN_FUNC, .func = &stand_in}};
    wa_rt_instance_t *inst = wa_rt_instantiate(&m, imports, 1, NULL, NULL);
    cr_assert_not_null(inst);
    call_args_t c = {inst->funcs[4], 3, 0};
    /* func 4 has type (i32) -> (i32); passing an extra argument is harmless here. */
    cr_assert_eq(wa_rt_call_guarded(call_ii, &c), WA_RT_TRAP_UNKNOWN_IMPORT);
    cr_assert_eq(wa_rt_last_trap()->import, &test_imports[0]);
    char buf[256];
    wa_rt_trap_format(wa_rt_last_trap(), buf, sizeof buf);
    cr_assert_str_eq(buf, "wasm trap: call to an unknown import env.add_one in function 4");
    wa_rt_instance_free(inst);
}

/* ---- Executable start-up (entry.c) ---- */

/*
 * Each case is a C file defining wasmaot_module by hand, linked like a
 * compiled program (libwasmaot_start.a, the WASI shim, the runtime and
 * libwasmaot_common.a, in dependency order, each archive once) and run
 * with its stdout and stderr captured.
 */
static const char program_prelude[] =
    "#include \"wa_rt.h\"\n"
    "#include <stdint.h>\n"
    "#include <string.h>\n"
    "#define CODE __attribute__((section(\"wasm_code\"), noinline, used))\n"
    "extern const char __start_wasm_code[], __stop_wasm_code[];\n"
    "static const uint8_t sig[] = {0x7F, 0x7F, 0x7F, 0x7F, 0x7F};\n";

typedef struct run_result {
    int status; /* exit status, or 128 + signal */
    char out[4096], err[4096];
} run_result_t;

static void read_file(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "rb");
    size_t n = f != NULL ? fread(buf, 1, size - 1, f) : 0;
    buf[n] = '\0';
    if (f != NULL)
        fclose(f);
}

static void run_program(const char *body, const char *args, run_result_t *r) {
    char dir[] = "/tmp/wa_rt_entry_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256], cmd[2048];
    snprintf(path, sizeof path, "%s/prog.c", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(program_prelude, f);
    fputs(body, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "cc -std=c17 -O1 -fPIE -pie %s -I%s/../runtime -o %s/prog %s "
             "%s/../runtime/start/libwasmaot_start.a %s/../wasi-libc-shim/libwasmaot_wasi.a "
             "%s/../runtime/libwasmaot_rt.a %s/../runtime/libwasmaot_common.a "
             "-lpthread -lm 2> %s/cc.txt",
             UNDER_ASAN ? "-fsanitize=address,undefined" : "", WA_TEST_SOURCE_DIR, dir, path,
             WA_TEST_BUILD_DIR, WA_TEST_BUILD_DIR, WA_TEST_BUILD_DIR, WA_TEST_BUILD_DIR, dir);
    if (system(cmd) != 0) {
        char log[4096];
        snprintf(path, sizeof path, "%s/cc.txt", dir);
        read_file(path, log, sizeof log);
        cr_assert_fail("building the test program failed:\n%s", log);
    }
    /* The trap line alone: the backtrace after it is tests/e2e/backtrace.py's. */
    snprintf(cmd, sizeof cmd, "cd %s && WASMAOT_BACKTRACE=0 ./prog %s > out.txt 2> err.txt", dir,
             args);
    int status = system(cmd);
    r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    snprintf(path, sizeof path, "%s/out.txt", dir);
    read_file(path, r->out, sizeof r->out);
    snprintf(path, sizeof path, "%s/err.txt", dir);
    read_file(path, r->err, sizeof r->err);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/*
 * The descriptor every case shares: types 0 (i32 i32) -> (i32), 1 () -> (),
 * 2 (i32) -> (), 3 (i32 i32 i32 i32) -> (i32), 4 (i32 i32 i32) -> (i32); functions and exports come
 * from the case as FUNCS/NFUNCS, IMPORTS/NIMPORTS, EXPORTS/NEXPORTS.
 */
static const char program_module[] =
    "static const wa_rt_functype_t types[] = {{2, 1, sig}, {0, 0, 0}, {1, 0, sig},\n"
    "                                         {4, 1, sig}, {3, 1, sig}};\n"
    "static const wa_rt_limits_t mems[] = {{1, 1, 1}};\n"
    "const wa_rt_module_t wasmaot_module = {\n"
    "    .abi_version = WA_RT_ABI_VERSION, .ntypes = 5, .types = types,\n"
    "    .nimports = NIMPORTS, .imports = IMPORTS, .nfuncs = NFUNCS,\n"
    "    .nfunc_imports = NIMPORTS, .func_types = func_types, .func_code = func_code,\n"
    "    .func_names = func_names, .nmemories = 1, .memories = mems,\n"
    "    .nexports = NEXPORTS, .exports = EXPORTS, .start_func = START,\n"
    "    .code_start = __start_wasm_code, .code_end = __stop_wasm_code};\n";

static void run_module(const char *funcs, const char *args, run_result_t *r) {
    char body[8192];
    snprintf(body, sizeof body, "%s%s", funcs, program_module);
    run_program(body, args, r);
}

Test(entry, a_trap_prints_one_line_and_exits_134) {
    run_result_t r;
    run_module("CODE static void start(void *ctx) { (void)ctx; }\n"
               "CODE static int32_t divide(void *ctx, int32_t a, int32_t b) {\n"
               "    if (b == 0) wa_rt_trap(WA_RT_TRAP_DIVIDE_BY_ZERO, UINT32_MAX);\n"
               "    return a / b; }\n"
               "CODE static void run(void *ctx) { divide(ctx, 1, 0); }\n"
               "#define NIMPORTS 0\n#define IMPORTS 0\n#define NFUNCS 3\n#define START -1\n"
               "static const uint32_t func_types[] = {1, 0, 1};\n"
               "static void *const func_code[] = {(void *)start, (void *)divide, (void *)run};\n"
               "static const char *const func_names[] = {0, \"divide\", 0};\n"
               "static const wa_rt_export_t EXPORTS[] = {{\"_start\", 6, 0, 2}};\n"
               "#define NEXPORTS 1\n",
               "", &r);
    cr_assert_eq(r.status, 134);
    cr_assert_str_eq(r.err, "wasm trap: integer divide by zero in function 1 (divide)\n");
    cr_assert_str_eq(r.out, "");
}

Test(entry, no_start_export_just_instantiates) {
    run_result_t r;
    run_module("CODE static void start(void *ctx) { (void)ctx; }\n"
               "#define NIMPORTS 0\n#define IMPORTS 0\n#define NFUNCS 1\n#define START 0\n"
               "static const uint32_t func_types[] = {1};\n"
               "static void *const func_code[] = {(void *)start};\n"
               "static const char *const func_names[] = {0};\n"
               "#define EXPORTS 0\n#define NEXPORTS 0\n",
               "", &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.err, "");
}

Test(entry, a_trap_in_the_start_function_is_reported) {
    run_result_t r;
    run_module("CODE static void start(void *ctx) { (void)ctx;\n"
               "    wa_rt_trap(WA_RT_TRAP_UNREACHABLE, UINT32_MAX); }\n"
               "#define NIMPORTS 0\n#define IMPORTS 0\n#define NFUNCS 1\n#define START 0\n"
               "static const uint32_t func_types[] = {1};\n"
               "static void *const func_code[] = {(void *)start};\n"
               "static const char *const func_names[] = {0};\n"
               "#define EXPORTS 0\n#define NEXPORTS 0\n",
               "", &r);
    cr_assert_eq(r.status, 134);
    cr_assert_str_eq(r.err, "wasm trap: unreachable in function 0\n");
}

/* _start calls WASI fd_write on "hi\n" in memory 0, then proc_exit(rval) with argc + 4. */
static const char wasi_program[] =
    "static const wa_rt_import_t imports[] = {\n"
    "    {\"wasi_snapshot_preview1\", \"fd_write\", 22, 8, 0, 0},\n"
    "    {\"wasi_snapshot_preview1\", \"proc_exit\", 22, 9, 0, 1},\n"
    "    {\"wasi_snapshot_preview1\", \"args_sizes_get\", 22, 14, 0, 2}};\n"
    "typedef int32_t (*write_fn)(void *, int32_t, int32_t, int32_t, int32_t);\n"
    "typedef void (*exit_fn)(void *, int32_t);\n"
    "typedef int32_t (*sizes_fn)(void *, int32_t, int32_t);\n"
    "CODE static void run(void *ctx) {\n"
    "    wa_rt_instance_t *inst = ctx;\n"
    "    uint8_t *m = inst->mem0_base;\n"
    "    memcpy(m + 100, \"hi\\n\", 3);\n"
    "    uint32_t iov[2] = {100, 3};\n"
    "    memcpy(m + 16, iov, 8);\n"
    "    write_fn w; memcpy(&w, &inst->funcs[0]->code, sizeof w);\n"
    "    w(inst->funcs[0]->ctx, 1, 16, 1, 32);\n"
    "    sizes_fn s; memcpy(&s, &inst->funcs[2]->code, sizeof s);\n"
    "    s(inst->funcs[2]->ctx, 40, 44);\n"
    "    int32_t argc; memcpy(&argc, m + 40, 4);\n"
    "    exit_fn e; memcpy(&e, &inst->funcs[1]->code, sizeof e);\n"
    "    e(inst->funcs[1]->ctx, argc + 4);\n"
    "    wa_rt_trap(WA_RT_TRAP_UNREACHABLE, UINT32_MAX); }\n"
    "#define NIMPORTS 3\n#define IMPORTS imports\n#define NFUNCS 4\n#define START -1\n"
    "static const uint32_t func_types[] = {3, 2, 0, 1};\n"
    "static void *const func_code[] = {0, 0, 0, (void *)run};\n"
    "static const char *const func_names[] = {0, 0, 0, \"run\"};\n"
    "static const wa_rt_export_t EXPORTS[] = {{\"_start\", 6, 0, 3},\n"
    "                                         {\"memory\", 6, 2, 0}};\n"
    "#define NEXPORTS 2\n";

Test(entry, wasi_imports_are_resolved_and_proc_exit_sets_the_status) {
    run_result_t r;
    run_module(wasi_program, "one two", &r);
    cr_assert_str_eq(r.err, "");
    cr_assert_str_eq(r.out, "hi\n");
    cr_assert_eq(r.status, 7, "argc 3 + 4");
}

Test(entry, an_unknown_import_traps_when_called) {
    run_result_t r;
    run_module("static const wa_rt_import_t imports[] = {{\"env\", \"missing\", 3, 7, 0, 0}};\n"
               "typedef void (*fn)(void *, int32_t);\n"
               "CODE static void run(void *ctx) { wa_rt_instance_t *inst = ctx;\n"
               "    fn f; memcpy(&f, &inst->funcs[0]->code, sizeof f);\n"
               "    f(inst->funcs[0]->ctx, 1); }\n"
               "#define NIMPORTS 1\n#define IMPORTS imports\n#define NFUNCS 2\n"
               "#define START -1\n"
               "static const uint32_t func_types[] = {2, 1};\n"
               "static void *const func_code[] = {0, (void *)run};\n"
               "static const char *const func_names[] = {0, \"main\"};\n"
               "static const wa_rt_export_t EXPORTS[] = {{\"_start\", 6, 0, 1}};\n"
               "#define NEXPORTS 1\n",
               "", &r);
    cr_assert_eq(r.status, 134);
    cr_assert_str_eq(r.err, "wasm trap: call to an unknown import env.missing in function 1 "
                            "(main)\n");
}

Test(entry, a_wasi_signature_mismatch_refuses_to_start) {
    run_result_t r;
    run_module("static const wa_rt_import_t imports[] = {\n"
               "    {\"wasi_snapshot_preview1\", \"proc_exit\", 22, 9, 0, 0}};\n"
               "CODE static void run(void *ctx) { (void)ctx; }\n"
               "#define NIMPORTS 1\n#define IMPORTS imports\n#define NFUNCS 2\n"
               "#define START -1\n"
               "static const uint32_t func_types[] = {0, 1};\n" /* (i32 i32) -> (i32): wrong */
               "static void *const func_code[] = {0, (void *)run};\n"
               "static const char *const func_names[] = {0, 0};\n"
               "#define EXPORTS 0\n#define NEXPORTS 0\n",
               "", &r);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "incompatible import type: wasi_snapshot_preview1.proc_exit") != NULL,
              "stderr: %s", r.err);
}

Test(entry, memory_imports_are_unsupported) {
    run_result_t r;
    run_module("static const wa_rt_import_t imports[] = {{\"env\", \"memory\", 3, 6, 2, 0}};\n"
               "CODE static void run(void *ctx) { (void)ctx; }\n"
               "#define NIMPORTS 1\n#define IMPORTS imports\n#define NFUNCS 1\n"
               "#define START -1\n"
               "static const uint32_t func_types[] = {1};\n"
               "static void *const func_code[] = {(void *)run};\n"
               "static const char *const func_names[] = {0};\n"
               "#define EXPORTS 0\n#define NEXPORTS 0\n",
               "", &r);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "unsupported import: env.memory") != NULL, "stderr: %s", r.err);
}

Test(entry, runaway_recursion_reports_call_stack_exhausted) {
    run_result_t r;
    run_module("CODE static int32_t rec(void *ctx, int32_t n) {\n"
               "    wa_rt_instance_t *inst = ctx; volatile char pad[256];\n"
               "    if ((uintptr_t)__builtin_frame_address(0) < inst->stack_limit)\n"
               "        wa_rt_trap(WA_RT_TRAP_STACK_EXHAUSTED, UINT32_MAX);\n"
               "    pad[0] = (char)n; return rec(ctx, n + 1) + pad[0]; }\n"
               "CODE static void run(void *ctx) { rec(ctx, 0); }\n"
               "#define NIMPORTS 0\n#define IMPORTS 0\n#define NFUNCS 2\n#define START -1\n"
               "static const uint32_t func_types[] = {2, 1};\n"
               "static void *const func_code[] = {(void *)rec, (void *)run};\n"
               "static const char *const func_names[] = {\"rec\", \"run\"};\n"
               "static const wa_rt_export_t EXPORTS[] = {{\"_start\", 6, 0, 1}};\n"
               "#define NEXPORTS 1\n",
               "", &r);
    cr_assert_eq(r.status, 134);
    cr_assert_str_eq(r.err, "wasm trap: call stack exhausted in function 0 (rec)\n");
}

Test(entry, an_out_of_bounds_store_is_a_trap) {
    run_result_t r;
    run_module("CODE static void run(void *ctx) { wa_rt_instance_t *inst = ctx;\n"
               "    *(volatile uint8_t *)(inst->mem0_base + 65536 + 8) = 1; }\n"
               "#define NIMPORTS 0\n#define IMPORTS 0\n#define NFUNCS 1\n#define START -1\n"
               "static const uint32_t func_types[] = {1};\n"
               "static void *const func_code[] = {(void *)run};\n"
               "static const char *const func_names[] = {\"store\"};\n"
               "static const wa_rt_export_t EXPORTS[] = {{\"_start\", 6, 0, 0}};\n"
               "#define NEXPORTS 1\n",
               "", &r);
    cr_assert_eq(r.status, 134);
    cr_assert_str_eq(r.err, "wasm trap: out of bounds memory access in function 0 (store)\n");
}

/* _start asks WASI for the name of fd 3 (the first preopen) and writes it to stdout. */
static const char preopen_program[] =
    "static const wa_rt_import_t imports[] = {\n"
    "    {\"wasi_snapshot_preview1\", \"fd_write\", 22, 8, 0, 0},\n"
    "    {\"wasi_snapshot_preview1\", \"fd_prestat_get\", 22, 14, 0, 1},\n"
    "    {\"wasi_snapshot_preview1\", \"fd_prestat_dir_name\", 22, 19, 0, 2}};\n"
    "typedef int32_t (*fn4)(void *, int32_t, int32_t, int32_t, int32_t);\n"
    "typedef int32_t (*fn3)(void *, int32_t, int32_t, int32_t);\n"
    "typedef int32_t (*fn2)(void *, int32_t, int32_t);\n"
    "CODE static void run(void *ctx) {\n"
    "    wa_rt_instance_t *inst = ctx;\n"
    "    uint8_t *m = inst->mem0_base;\n"
    "    fn2 get; memcpy(&get, &inst->funcs[1]->code, sizeof get);\n"
    "    if (get(inst->funcs[1]->ctx, 3, 0) != 0 || m[0] != 0) wa_rt_exit(10);\n"
    "    uint32_t len; memcpy(&len, m + 4, 4);\n"
    "    fn3 name; memcpy(&name, &inst->funcs[2]->code, sizeof name);\n"
    "    if (name(inst->funcs[2]->ctx, 3, 100, (int32_t)len) != 0) wa_rt_exit(11);\n"
    "    uint32_t iov[2] = {100, len};\n"
    "    memcpy(m + 16, iov, 8);\n"
    "    fn4 w; memcpy(&w, &inst->funcs[0]->code, sizeof w);\n"
    "    w(inst->funcs[0]->ctx, 1, 16, 1, 32);\n"
    "    if (get(inst->funcs[1]->ctx, 4, 0) == 0) wa_rt_exit(12); }\n"
    "#define NIMPORTS 3\n#define IMPORTS imports\n#define NFUNCS 4\n#define START -1\n"
    "static const uint32_t func_types[] = {3, 0, 4, 1};\n"
    "static void *const func_code[] = {0, 0, 0, (void *)run};\n"
    "static const char *const func_names[] = {0, 0, 0, \"run\"};\n"
    "static const wa_rt_export_t EXPORTS[] = {{\"_start\", 6, 0, 3},\n"
    "                                         {\"memory\", 6, 2, 0}};\n"
    "#define NEXPORTS 2\n";

/* Least privilege: without a grant the program has no directory at all (fd 3 is EBADF). */
Test(entry, no_grant_no_preopen) {
    run_result_t r;
    unsetenv("WASMAOT_OPTIONS");
    run_module(preopen_program, "", &r);
    cr_assert_str_eq(r.err, "");
    cr_assert_eq(r.status, 10, "fd_prestat_get(3) succeeded without a grant");
    cr_assert_str_eq(r.out, "");
}

/* A run-time grant of the working directory is fd 3, named as granted, and the only preopen. */
Test(entry, granted_directory_is_the_only_preopen) {
    run_result_t r;
    setenv("WASMAOT_OPTIONS", "--dir .", 1);
    run_module(preopen_program, "", &r);
    cr_assert_str_eq(r.err, "");
    cr_assert_eq(r.status, 0);
    cr_assert_str_eq(r.out, ".");
}
