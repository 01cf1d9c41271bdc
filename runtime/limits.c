/*
 * limits.c: the run-time side of the limits (README "Limits"): the fuel
 * and interrupt flag that code compiled with --fuel or --timeout checks
 * (wa_rt.h), and the timer thread of --timeout. --max-memory and
 * --max-stack live where they apply (memory.c, stack.c).
 *
 * The timeout is epoch-style, as wasmtime's: no signal is sent (a signal
 * would interrupt WASI calls with EINTR and land on any thread); a thread
 * sleeps until the deadline and sets wa_rt_interrupt, which function
 * entries and loop headers of instrumented code read. A program blocked in
 * a host call (a WASI sleep, a read) is interrupted when the call returns
 * to wasm code.
 */
#include "rt_internal.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

int64_t wa_rt_fuel = INT64_MAX;
volatile uint32_t wa_rt_interrupt;

void wa_rt_set_fuel(int64_t fuel) {
    wa_rt_fuel = fuel;
}

static struct timespec deadline;

static void *timer_main(void *unused) {
    (void)unused;
    /* clock_nanosleep returns early only when interrupted; sleep on until the deadline. */
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) != 0)
        ;
    __atomic_store_n(&wa_rt_interrupt, 1, __ATOMIC_RELEASE);
    return NULL;
}

bool wa_rt_start_timeout(uint64_t ns) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint64_t total = (uint64_t)now.tv_nsec + ns % 1000000000u;
    deadline.tv_sec = now.tv_sec + (time_t)(ns / 1000000000u) + (time_t)(total / 1000000000u);
    deadline.tv_nsec = (long)(total % 1000000000u);
    /* The thread inherits the signal mask: block everything, so that no signal lands on it. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64u << 10);
    pthread_t t;
    bool ok = pthread_create(&t, &attr, timer_main, NULL) == 0;
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return ok;
}
