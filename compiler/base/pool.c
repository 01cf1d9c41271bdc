/*
 * pool.c: the thread pool of pool.h. Threads take the next task number from
 * a shared counter under a mutex; the lowest failed index is kept beside it.
 * With one thread the tasks run on the calling thread; with more, all run on
 * worker threads whose stack is as large as the main thread's may grow
 * (RLIMIT_STACK, 64 MiB if unlimited), because LLVM recurses deeply on huge
 * functions and a task must not run out of stack with -j2 where it would not
 * with -j1.
 */
#include "pool.h"

#include "check.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

enum { MAX_THREADS = 256 };

static size_t worker_stack_size(void) {
    struct rlimit rl;
    size_t min = (size_t)8 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return (size_t)64 << 20;
    return rl.rlim_cur > min ? (size_t)rl.rlim_cur : min;
}

typedef struct Pool {
    pthread_mutex_t lock;
    size_t next;   /* the next task to start */
    size_t failed; /* the lowest failed task, or ntasks */
    size_t ntasks;
    WaPoolTask task;
    void *arg;
} Pool;

/* Takes the next task to run, or returns false when none is left to start. */
static bool take(Pool *p, size_t *index) {
    pthread_mutex_lock(&p->lock);
    bool ok = p->next < p->ntasks && p->next < p->failed;
    if (ok)
        *index = p->next++;
    pthread_mutex_unlock(&p->lock);
    return ok;
}

static void record_failure(Pool *p, size_t index) {
    pthread_mutex_lock(&p->lock);
    if (index < p->failed)
        p->failed = index;
    pthread_mutex_unlock(&p->lock);
}

static void *work(void *arg) {
    Pool *p = arg;
    size_t i;
    while (take(p, &i))
        if (!p->task(p->arg, i))
            record_failure(p, i);
    return NULL;
}

size_t wa_pool_run(unsigned nthreads, size_t ntasks, WaPoolTask task, void *arg) {
    Pool p = {.next = 0, .failed = ntasks, .ntasks = ntasks, .task = task, .arg = arg};
    pthread_mutex_init(&p.lock, NULL);
    if (nthreads > MAX_THREADS)
        nthreads = MAX_THREADS;
    if ((size_t)nthreads > ntasks)
        nthreads = (unsigned)ntasks;
    pthread_t threads[MAX_THREADS];
    unsigned started = 0;
    if (nthreads > 1) {
        pthread_attr_t attr;
        WA_CHECK(pthread_attr_init(&attr) == 0);
        WA_CHECK(pthread_attr_setstacksize(&attr, worker_stack_size()) == 0);
        for (unsigned t = 0; t < nthreads; t++)
            if (pthread_create(&threads[started], &attr, work, &p) == 0)
                started++;
        pthread_attr_destroy(&attr);
    }
    /* With one thread, or if no thread could start, the tasks run here. */
    if (started == 0)
        work(&p);
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_mutex_destroy(&p.lock);
    return p.failed;
}

unsigned wa_pool_cpus(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    int n = CPU_COUNT(&set);
    return n > 0 ? (unsigned)n : 1;
}
