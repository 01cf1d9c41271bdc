/*
 * progress.h: the progress line of a long compile on a terminal.
 *
 * A compile that lasts longer than about a second (WA_PROGRESS_AFTER_MS)
 * shows one line on stderr, redrawn in place ("\r" + text + erase to the end
 * of the line) at most every WA_PROGRESS_TICK_MS: what is being done, how
 * many functions are lowered and compiled of how many, and the time so far.
 * It is erased when the compile ends, so the terminal is left as it was and
 * whatever follows (an error line, the program `wasmaot run` executes)
 * starts at the beginning of a line.
 *
 * Only when stderr is a terminal, TERM is not "dumb", and the process is in
 * the terminal's foreground process group (a compile started with `&` does
 * not draw over the shell): nothing at all reaches a pipe, a file or a CI
 * log. The output file never depends on it.
 *
 * Threads: the counters are atomics, bumped by any thread (the compile's
 * pool threads, base/pool.c) at the cost of one relaxed add; only the
 * progress thread writes to the terminal, with write(2) on fd 2, so a line
 * is never interleaved with itself. No wasm knowledge here: the counted
 * items are "functions" for the reader only.
 */
#ifndef WA_BASE_PROGRESS_H
#define WA_BASE_PROGRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* The progress line appears only after this long. */
#define WA_PROGRESS_AFTER_MS 1000
/* It is redrawn at most this often. */
#define WA_PROGRESS_TICK_MS 100

typedef struct WaProgress {
    /* Set by the compile, read by the progress thread. */
    _Atomic(const char *) phase; /* "decoding", "linking", ...; a string literal */
    atomic_uint total;           /* functions to compile; 0 until known */
    atomic_uint lowered;         /* functions lowered so far, by all threads */
    atomic_uint compiled;        /* functions whose chunk is written */
    atomic_uint nchunks, chunks_done;
    /* The progress thread's own. */
    bool running; /* a progress thread exists (stderr is a terminal) */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stopping;   /* under lock */
    bool drawn;      /* a line is on the terminal */
    char name[64];   /* the input's base name, for the line */
    uint64_t start;  /* CLOCK_MONOTONIC ns at wa_progress_start */
    uint64_t after;  /* ns after start before the first line */
    char shown[512]; /* the line on the terminal, to redraw only a change */
} WaProgress;

/*
 * Starts counting for a compile of `input` (a path; the line shows its base
 * name) and, if stderr is a terminal, a thread that draws the line once
 * `after_ms` have passed, whenever the process is in the foreground. Never
 * fails: without a thread (not a terminal, or none could start) the
 * counters still work and nothing is drawn.
 */
void wa_progress_start(WaProgress *p, const char *input, unsigned after_ms);

/*
 * What the compile does now: a string literal ("decoding"). During
 * "compiling" the line shows the counters; in other phases, the phase.
 */
void wa_progress_phase(WaProgress *p, const char *what);

/* The number of functions to compile and of chunks they are compiled in. */
void wa_progress_total(WaProgress *p, unsigned functions, unsigned chunks);

/* One more function lowered; any thread; p may be NULL (no progress kept). */
void wa_progress_lowered(WaProgress *p);

/* One more chunk written, holding `functions` functions; any thread. */
void wa_progress_chunk_done(WaProgress *p, unsigned functions);

/*
 * Stops the thread and erases the line if one was drawn; returns when the
 * terminal is clean. Safe to call once after wa_progress_start.
 */
void wa_progress_stop(WaProgress *p);

#endif
