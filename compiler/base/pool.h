/*
 * pool.h: running numbered tasks on a few threads, for the parallel compile.
 *
 * Tasks 0..n-1 are started in index order, each on whichever thread is free;
 * a task that fails (returns false) stops every task after it from starting,
 * while the ones before it still run, so the caller can report the failure of
 * the lowest-numbered failing task, the same one whatever the thread count.
 * No wasm knowledge here.
 */
#ifndef WA_BASE_POOL_H
#define WA_BASE_POOL_H

#include <stdbool.h>
#include <stddef.h>

/* A task: `arg` is wa_pool_run's, `index` the task's number. */
typedef bool (*WaPoolTask)(void *arg, size_t index);

/*
 * Runs tasks 0..ntasks-1 on up to `nthreads` threads (on the calling thread
 * alone when that is 1 or there is one task). Returns the index of the
 * lowest-numbered task that failed, or ntasks if none did. Tasks after a
 * failed one may or may not have run; none after it starts once it failed.
 */
size_t wa_pool_run(unsigned nthreads, size_t ntasks, WaPoolTask task, void *arg);

/* The number of CPUs this process may run on (sched_getaffinity), at least 1. */
unsigned wa_pool_cpus(void);

#endif
