/*
 * progress.c: the progress line of progress.h.
 *
 * The progress thread sleeps on a condition variable (CLOCK_MONOTONIC) until
 * the first line is due, then wakes every WA_PROGRESS_TICK_MS, formats the
 * line from the counters and writes it only if it differs from the one shown
 * (the time is in whole seconds, so a line changes at most once a second
 * unless the counters move). wa_progress_stop signals the variable, so it
 * never waits for a tick; the thread erases its line before it exits, and
 * the join orders that before anything the caller writes next.
 *
 * The line is cut to the terminal's width less one column (TIOCGWINSZ;
 * 80 if unknown): a line that wrapped could not be erased by "\r".
 */
#include "progress.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static const char ERASE_LINE[] = "\r\033[K";

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct timespec to_timespec(uint64_t ns) {
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000u),
                             .tv_nsec = (long)(ns % 1000000000u)};
}

/* Writes all of buf to stderr, unbuffered (the line must not wait in stdio). */
static void write_stderr(const char *buf, size_t len) {
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

/* Whether stderr is a terminal this process may draw on now. */
static bool is_foreground_terminal(void) {
    if (!isatty(STDERR_FILENO))
        return false;
    pid_t fg = tcgetpgrp(STDERR_FILENO);
    return fg < 0 || fg == getpgrp();
}

static size_t terminal_width(void) {
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
        return ws.ws_col;
    return 80;
}

/* The line for the counters now, without the erase sequences. */
static void format_line(WaProgress *p, char *out, size_t size) {
    const char *phase = atomic_load_explicit(&p->phase, memory_order_relaxed);
    unsigned total = atomic_load_explicit(&p->total, memory_order_relaxed);
    unsigned seconds = (unsigned)((now_ns() - p->start) / 1000000000u);
    if (total == 0 || strcmp(phase, "compiling") != 0) {
        snprintf(out, size, "wasmaot: %s: %s, %u s", p->name, phase, seconds);
        return;
    }
    /* Most telling first: a narrow terminal cuts the end. */
    unsigned compiled = atomic_load_explicit(&p->compiled, memory_order_relaxed);
    unsigned lowered = atomic_load_explicit(&p->lowered, memory_order_relaxed);
    unsigned nchunks = atomic_load_explicit(&p->nchunks, memory_order_relaxed);
    char chunks[48] = "";
    if (nchunks > 1)
        snprintf(chunks, sizeof chunks, ", %u/%u chunks",
                 atomic_load_explicit(&p->chunks_done, memory_order_relaxed), nchunks);
    snprintf(out, size, "wasmaot: %s: %u/%u functions compiled, %u lowered%s, %u s", p->name,
             compiled, total, lowered, chunks, seconds);
}

static void draw(WaProgress *p) {
    if (!is_foreground_terminal())
        return;
    char text[sizeof p->shown];
    format_line(p, text, sizeof text);
    size_t width = terminal_width() - 1;
    if (strlen(text) > width)
        text[width] = '\0';
    if (p->drawn && strcmp(text, p->shown) == 0)
        return;
    char line[sizeof text + 16];
    int n = snprintf(line, sizeof line, "\r%s\033[K", text);
    write_stderr(line, (size_t)n);
    memcpy(p->shown, text, sizeof text);
    p->drawn = true;
}

static void *progress_thread(void *arg) {
    WaProgress *p = arg;
    pthread_mutex_lock(&p->lock);
    uint64_t due = p->start + p->after;
    while (!p->stopping) {
        struct timespec ts = to_timespec(due);
        int rc = pthread_cond_timedwait(&p->wake, &p->lock, &ts);
        if (p->stopping)
            break;
        if (rc == ETIMEDOUT || now_ns() >= due) {
            draw(p);
            due = now_ns() + (uint64_t)WA_PROGRESS_TICK_MS * 1000000u;
        }
    }
    /* In the background by now (Ctrl-Z, bg), the line is left: erasing would hit the shell's. */
    if (p->drawn && is_foreground_terminal())
        write_stderr(ERASE_LINE, sizeof ERASE_LINE - 1);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

void wa_progress_start(WaProgress *p, const char *input, unsigned after_ms) {
    memset(p, 0, sizeof *p);
    atomic_init(&p->phase, "reading");
    const char *slash = input != NULL ? strrchr(input, '/') : NULL;
    snprintf(p->name, sizeof p->name, "%s", slash != NULL ? slash + 1 : input ? input : "");
    /* A control character in a file name would move the cursor: shown as '?'. */
    for (char *q = p->name; *q; q++)
        if ((unsigned char)*q < 0x20 || *q == 0x7f)
            *q = '?';
    p->start = now_ns();
    p->after = (uint64_t)after_ms * 1000000u;
    /* Only a terminal; whether in the foreground is asked at each draw (fg after bg works). */
    const char *term = getenv("TERM");
    if (!isatty(STDERR_FILENO) || (term != NULL && strcmp(term, "dumb") == 0))
        return;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&p->lock, NULL);
    p->running = pthread_create(&p->thread, NULL, progress_thread, p) == 0;
    if (!p->running) {
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
    }
}

void wa_progress_phase(WaProgress *p, const char *what) {
    atomic_store_explicit(&p->phase, what, memory_order_relaxed);
}

void wa_progress_total(WaProgress *p, unsigned functions, unsigned chunks) {
    atomic_store_explicit(&p->total, functions, memory_order_relaxed);
    atomic_store_explicit(&p->nchunks, chunks, memory_order_relaxed);
}

void wa_progress_lowered(WaProgress *p) {
    if (p != NULL)
        atomic_fetch_add_explicit(&p->lowered, 1, memory_order_relaxed);
}

void wa_progress_chunk_done(WaProgress *p, unsigned functions) {
    atomic_fetch_add_explicit(&p->compiled, functions, memory_order_relaxed);
    atomic_fetch_add_explicit(&p->chunks_done, 1, memory_order_relaxed);
}

void wa_progress_stop(WaProgress *p) {
    if (!p->running)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    p->running = false;
}
