/*
 * test_parcompile.c: the parts of the parallel compile that need no LLVM:
 * the partition of a module into chunks (codegen/codegen.c) and the thread
 * pool (base/pool.c). The whole compile with several chunks is tested end to
 * end by tests/e2e/parcompile.py.
 */
#include "base/pool.h"
#include "codegen/codegen.h"

#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* A module of n defined functions (after nimports imported ones) of the given code sizes. */
static WaModule module_of(uint32_t nimports, uint32_t n, const size_t *sizes) {
    WaModule m = {0};
    m.nfunc_imports = nimports;
    m.nfuncs = nimports + n;
    m.funcs = calloc(m.nfuncs, sizeof *m.funcs);
    for (uint32_t i = 0; i < nimports; i++)
        m.funcs[i].imported = true;
    for (uint32_t i = 0; i < n; i++)
        m.funcs[nimports + i].code_size = sizes[i];
    return m;
}

/* Every defined function is in exactly one chunk, in index order, none empty. */
static void check_cover(const WaModule *m, const WaChunk *c, size_t n) {
    cr_assert(n >= 1 && n <= WA_CHUNK_MAX);
    cr_assert_eq(c[0].first, m->nfunc_imports);
    for (size_t k = 0; k < n; k++) {
        if (m->nfuncs > m->nfunc_imports)
            cr_assert_lt(c[k].first, c[k].end, "chunk %zu is empty", k);
        if (k > 0)
            cr_assert_eq(c[k].first, c[k - 1].end);
    }
    cr_assert_eq(c[n - 1].end, m->nfuncs);
}

Test(partition, small_module_is_one_chunk) {
    size_t sizes[100];
    for (int i = 0; i < 100; i++)
        sizes[i] = 10000; /* 1,000,000 bytes: just under WA_CHUNK_WHOLE_MAX */
    WaModule m = module_of(3, 100, sizes);
    WaChunk c[WA_CHUNK_MAX];
    size_t n = wa_codegen_partition(&m, 0, c);
    cr_assert_eq(n, 1);
    check_cover(&m, c, n);
    free(m.funcs);
}

Test(partition, no_defined_function) {
    WaModule m = module_of(2, 0, NULL);
    WaChunk c[WA_CHUNK_MAX];
    size_t n = wa_codegen_partition(&m, 0, c);
    cr_assert_eq(n, 1);
    cr_assert_eq(c[0].first, 2);
    cr_assert_eq(c[0].end, 2);
    free(m.funcs);
}

Test(partition, large_module_by_code_size) {
    enum { N = 4000 };
    size_t *sizes = malloc(N * sizeof *sizes);
    for (int i = 0; i < N; i++)
        sizes[i] = 100 + (size_t)(i * 7919 % 1000); /* ~2.4 MB in all */
    sizes[1234] = 3 << 20; /* one function larger than a chunk: a chunk ends after it */
    WaModule m = module_of(1, N, sizes);
    WaChunk c[WA_CHUNK_MAX];
    size_t n = wa_codegen_partition(&m, 0, c);
    check_cover(&m, c, n);
    cr_assert_gt(n, 4);
    for (size_t k = 0; k < n; k++) {
        uint64_t size = 0;
        for (uint32_t i = c[k].first; i < c[k].end; i++)
            size += m.funcs[i].code_size;
        /* Each chunk but the last closes as soon as it holds WA_CHUNK_BYTES. */
        if (k + 1 < n)
            cr_assert_geq(size, WA_CHUNK_BYTES);
        if (k + 1 < n)
            cr_assert_lt(size - m.funcs[c[k].end - 1].code_size, WA_CHUNK_BYTES);
    }
    /* The same module, the same chunks. */
    WaChunk again[WA_CHUNK_MAX];
    cr_assert_eq(wa_codegen_partition(&m, 0, again), n);
    cr_assert_arr_eq(c, again, n * sizeof *c);
    free(sizes);
    free(m.funcs);
}

Test(partition, never_more_than_the_maximum) {
    enum { N = 100000 };
    size_t *sizes = malloc(N * sizeof *sizes);
    for (int i = 0; i < N; i++)
        sizes[i] = 2000; /* 200 MB: would be 382 chunks of 512 KiB */
    WaModule m = module_of(0, N, sizes);
    WaChunk c[WA_CHUNK_MAX];
    size_t n = wa_codegen_partition(&m, 0, c);
    check_cover(&m, c, n);
    cr_assert_leq(n, WA_CHUNK_MAX);
    /* A test's chunk size cuts even a small module. */
    WaModule small = module_of(0, 10, sizes);
    n = wa_codegen_partition(&small, 4000, c);
    check_cover(&small, c, n);
    cr_assert_eq(n, 5);
    free(sizes);
    free(m.funcs);
    free(small.funcs);
}

/* ---- The pool ---- */

typedef struct Tasks {
    atomic_int ran[64];
    size_t fail_from; /* tasks at or after this index fail */
} Tasks;

static bool task(void *arg, size_t i) {
    Tasks *t = arg;
    atomic_fetch_add(&t->ran[i], 1);
    if (i >= t->fail_from)
        return false;
    usleep(1000);
    return true;
}

Test(pool, runs_every_task_once) {
    for (unsigned threads = 1; threads <= 4; threads++) {
        Tasks t = {.fail_from = 64};
        cr_assert_eq(wa_pool_run(threads, 64, task, &t), 64);
        for (int i = 0; i < 64; i++)
            cr_assert_eq(atomic_load(&t.ran[i]), 1, "task %d with %u threads", i, threads);
    }
}

Test(pool, reports_the_lowest_failure_and_runs_everything_before_it) {
    for (unsigned threads = 1; threads <= 4; threads++) {
        Tasks t = {.fail_from = 20};
        cr_assert_eq(wa_pool_run(threads, 64, task, &t), 20, "%u threads", threads);
        for (int i = 0; i <= 20; i++)
            cr_assert_eq(atomic_load(&t.ran[i]), 1, "task %d with %u threads", i, threads);
        /* Tasks after the failure may have started (how many depends on timing), not all. */
        for (int i = 21; i < 64; i++)
            cr_assert_leq(atomic_load(&t.ran[i]), 1);
    }
}

Test(pool, cpus_is_at_least_one) {
    cr_assert_geq(wa_pool_cpus(), 1);
}
