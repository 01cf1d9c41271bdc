/*
 * phase_timer.h: the wall time of a compile's phases, for -v.
 *
 * Six phases: decode, validate, lower, optimize, codegen, link (the passes
 * of driver.c each one covers are in phase_timer.c's table). decode,
 * validate and link run once, on the calling thread; lower, optimize and
 * codegen run once per chunk, chunks in parallel (base/pool.c), so their
 * times are summed over the chunks ("summed": more than the wall time
 * with several threads), and the wall time of the parallel part is
 * reported beside them.
 *
 * A WaPhaseTimer charges the time between two wa_phase_enter calls to the
 * phase entered first; each thread uses its own, so no locking is needed
 * and the result does not depend on which thread ran which chunk. No wasm
 * knowledge here.
 */
#ifndef WA_BASE_PHASE_TIMER_H
#define WA_BASE_PHASE_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum WaPhase {
    WA_PHASE_DECODE,
    WA_PHASE_VALIDATE,
    WA_PHASE_LOWER,    /* per chunk */
    WA_PHASE_OPTIMIZE, /* per chunk */
    WA_PHASE_CODEGEN,  /* per chunk */
    WA_PHASE_LINK,
    WA_NPHASES,
} WaPhase;

typedef struct WaPhaseTimer {
    uint64_t ns[WA_NPHASES]; /* the time charged to each phase */
    int current;             /* the phase being timed, or -1 */
    uint64_t since;          /* when it was entered (CLOCK_MONOTONIC ns) */
} WaPhaseTimer;

/* CLOCK_MONOTONIC, in nanoseconds. */
uint64_t wa_phase_now(void);

/* An idle timer: nothing charged, no phase entered. */
void wa_phase_timer_init(WaPhaseTimer *t);

/* Charges the time since the last call to the phase entered then, and enters `phase`. */
void wa_phase_enter(WaPhaseTimer *t, WaPhase phase);

/* Charges the time since the last wa_phase_enter and leaves the timer idle. */
void wa_phase_stop(WaPhaseTimer *t);

/* Adds every phase's time of `from` into `into`. */
void wa_phase_add(WaPhaseTimer *into, const WaPhaseTimer *from);

/* What the -v report says besides the times. */
typedef struct WaPhaseReport {
    const WaPhaseTimer *serial;   /* decode, validate, link: wall time */
    const WaPhaseTimer *chunks;   /* lower, optimize, codegen: summed over the chunks */
    uint64_t parallel_ns;         /* wall time of the chunks' compile */
    uint64_t total_ns;            /* wall time of the whole compile */
    uint32_t functions, imported; /* defined and imported functions */
    size_t nchunks;
    unsigned threads;   /* threads the chunks ran on */
    const char *output; /* the output's name ("-": standard output) */
    uint64_t output_size;
} WaPhaseReport;

/*
 * Prints the report to f: one line per phase (its time, whether wall or
 * summed thread time, the passes it covers), one for the parallel part and
 * the total, one for the counts and one for the output and its size, each
 * line starting "wasmaot: ".
 */
void wa_phase_report_print(const WaPhaseReport *r, FILE *f);

#endif
