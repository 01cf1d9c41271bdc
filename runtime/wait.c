/*
 * wait.c: memory.atomic.wait32/64 and memory.atomic.notify on shared
 * memories (threads proposal, Overview.md "Wait and Notify Operators"), as a
 * parking lot keyed by host address.
 *
 * A waiter is queued in the bucket its address hashes to; each bucket is a
 * mutex and a FIFO list of waiters, each with its own condition variable,
 * so a notify wakes exactly the waiters it counts, oldest first (the
 * proposal: "in the order they were enqueued") and no others. The host
 * address names the location: a shared memory's base never moves and every
 * instance sharing it sees the same mapping, so one address is one wasm
 * location in one memory, whichever instance or thread asks.
 *
 * No lost wake-up: wait compares the value at the address with `expected`
 * while holding the bucket's lock and queues itself under the same lock; a
 * notify takes that lock too, so a notify that follows a store which
 * changed the value either finds the waiter queued or ran before the
 * waiter's compare, which then sees the new value and returns 1
 * ("not-equal"). The compare is a seq_cst atomic load, as the proposal
 * specifies for the wait's read.
 *
 * Timeouts are relative nanoseconds, measured on CLOCK_MONOTONIC (the
 * condition variables are made for that clock), negative meaning forever;
 * a deadline beyond what timespec holds is forever too. Spurious wake-ups
 * of pthread_cond_wait are absorbed: a waiter returns 0 only when a notify
 * dequeued it, 2 only when its deadline passed while still queued.
 *
 * Generated code checked alignment and bounds before calling (compiler/
 * lower/atomic.c), and memories never shrink, so the address stays valid.
 */
#include "rt_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

typedef struct waiter {
    const void *addr;
    pthread_cond_t cond;
    bool woken; /* set by notify, under the bucket lock, when it dequeues this waiter */
    struct waiter *next, *prev;
} waiter_t;

typedef struct bucket {
    pthread_mutex_t lock;
    waiter_t *head, *tail; /* FIFO: notify wakes from the head */
} bucket_t;

/* A power of two; more buckets only spread unrelated addresses further. */
#define NBUCKETS 64

static bucket_t buckets[NBUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void init_buckets(void) {
    for (int i = 0; i < NBUCKETS; i++)
        pthread_mutex_init(&buckets[i].lock, NULL);
}

static bucket_t *bucket_of(const void *addr) {
    pthread_once(&buckets_once, init_buckets);
    /* Fibonacci hashing of the address without its alignment bits. */
    uint64_t h = ((uint64_t)(uintptr_t)addr >> 2) * UINT64_C(0x9E3779B97F4A7C15);
    return &buckets[h >> (64 - 6)];
}
_Static_assert(NBUCKETS == 1 << 6, "bucket_of takes the top 6 bits");

static void unlink_waiter(bucket_t *b, waiter_t *w) {
    if (w->prev != NULL)
        w->prev->next = w->next;
    else
        b->head = w->next;
    if (w->next != NULL)
        w->next->prev = w->prev;
    else
        b->tail = w->prev;
    w->next = w->prev = NULL;
}

/* The CLOCK_MONOTONIC deadline `ns` from now into *out; false if it does not fit (forever). */
static bool deadline_after(int64_t ns, struct timespec *out) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t sec = ns / 1000000000;
    int64_t nsec = now.tv_nsec + ns % 1000000000;
    if (nsec >= 1000000000) {
        nsec -= 1000000000;
        sec++;
    }
    if (sec > INT64_MAX - now.tv_sec)
        return false;
    out->tv_sec = (time_t)(now.tv_sec + sec);
    out->tv_nsec = (long)nsec;
    return true;
}

/*
 * The common part of wait32 and wait64: `equal` is the outcome of the
 * compare, made by the caller's load, which runs under the bucket lock.
 */
static int32_t park(const void *addr, bool (*equal)(const void *, int64_t), int64_t expected,
                    int64_t timeout) {
    bucket_t *b = bucket_of(addr);
    pthread_mutex_lock(&b->lock);
    if (!equal(addr, expected)) {
        pthread_mutex_unlock(&b->lock);
        return 1; /* not-equal */
    }
    struct timespec deadline;
    bool forever = timeout < 0 || !deadline_after(timeout, &deadline);
    waiter_t w = {.addr = addr, .woken = false, .next = NULL, .prev = b->tail};
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w.cond, &attr);
    pthread_condattr_destroy(&attr);
    if (b->tail != NULL)
        b->tail->next = &w;
    else
        b->head = &w;
    b->tail = &w;
    int32_t result = 0;
    while (!w.woken) {
        int rc = forever ? pthread_cond_wait(&w.cond, &b->lock)
                         : pthread_cond_timedwait(&w.cond, &b->lock, &deadline);
        if (rc == ETIMEDOUT && !w.woken) {
            unlink_waiter(b, &w);
            result = 2; /* timed-out */
            break;
        }
    }
    pthread_mutex_unlock(&b->lock);
    pthread_cond_destroy(&w.cond);
    return result;
}

static bool equal32(const void *addr, int64_t expected) {
    return __atomic_load_n((const int32_t *)addr, __ATOMIC_SEQ_CST) == (int32_t)expected;
}

static bool equal64(const void *addr, int64_t expected) {
    return __atomic_load_n((const int64_t *)addr, __ATOMIC_SEQ_CST) == expected;
}

int32_t wa_rt_atomic_wait32(void *addr, int32_t expected, int64_t timeout) {
    return park(addr, equal32, expected, timeout);
}

int32_t wa_rt_atomic_wait64(void *addr, int64_t expected, int64_t timeout) {
    return park(addr, equal64, expected, timeout);
}

uint32_t wa_rt_atomic_notify(void *addr, uint32_t count) {
    bucket_t *b = bucket_of(addr);
    uint32_t woken = 0;
    pthread_mutex_lock(&b->lock);
    for (waiter_t *w = b->head; w != NULL && woken < count;) {
        waiter_t *next = w->next;
        if (w->addr == addr) {
            unlink_waiter(b, w);
            w->woken = true;
            /* Signalled under the lock: the waiter cannot destroy its condvar before this. */
            pthread_cond_signal(&w->cond);
            woken++;
        }
        w = next;
    }
    pthread_mutex_unlock(&b->lock);
    return woken;
}
