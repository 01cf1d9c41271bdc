/*
 * test_progress.c: the phase timer behind -v (base/phase_timer.c) and the
 * counters of the progress line (base/progress.c). What a terminal shows is
 * tested end to end, under a pseudo-terminal, by tests/e2e/progress.py.
 */
#include "base/phase_timer.h"
#include "base/pool.h"
#include "base/progress.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms) {
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

Test(phase_timer, charges_each_interval_to_the_phase_entered) {
    WaPhaseTimer t;
    wa_phase_timer_init(&t);
    wa_phase_enter(&t, WA_PHASE_DECODE);
    sleep_ms(30);
    wa_phase_enter(&t, WA_PHASE_LINK);
    sleep_ms(10);
    wa_phase_stop(&t);
    sleep_ms(300); /* idle: charged to no phase */
    wa_phase_stop(&t);
    cr_assert_geq(t.ns[WA_PHASE_DECODE], 30000000u);
    cr_assert_geq(t.ns[WA_PHASE_LINK], 10000000u);
    cr_assert_lt(t.ns[WA_PHASE_LINK], 300000000u, "the idle time was charged to link");
    cr_assert_eq(t.ns[WA_PHASE_VALIDATE], 0);
    cr_assert_eq(t.current, -1);
}

Test(phase_timer, add_sums_every_phase) {
    WaPhaseTimer a, b;
    wa_phase_timer_init(&a);
    wa_phase_timer_init(&b);
    for (int k = 0; k < WA_NPHASES; k++) {
        a.ns[k] = 1000u * (uint64_t)(k + 1);
        b.ns[k] = 7;
    }
    wa_phase_add(&a, &b);
    for (int k = 0; k < WA_NPHASES; k++)
        cr_assert_eq(a.ns[k], 1000u * (uint64_t)(k + 1) + 7);
}

/* The report of r, as text (malloc'ed). */
static char *report_text(const WaPhaseReport *r) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    wa_phase_report_print(r, f);
    fclose(f);
    return text;
}

Test(phase_timer, report_has_a_line_per_phase_the_counts_and_the_size) {
    WaPhaseTimer serial, chunks;
    wa_phase_timer_init(&serial);
    wa_phase_timer_init(&chunks);
    serial.ns[WA_PHASE_DECODE] = 1500000;   /* 1.5 ms */
    chunks.ns[WA_PHASE_OPTIMIZE] = 2300000; /* 2.3 ms, summed */
    WaPhaseReport r = {.serial = &serial,
                       .chunks = &chunks,
                       .parallel_ns = 2000000,
                       .total_ns = 4000000,
                       .functions = 12,
                       .imported = 3,
                       .nchunks = 2,
                       .threads = 2,
                       .output = "app",
                       .output_size = 4096};
    char *text = report_text(&r);
    static const char *const want[] = {
        "wasmaot: decode           1.5 ms wall    read, decode, check features\n",
        "wasmaot: optimize         2.3 ms summed  verify, optimize\n",
        "wasmaot: validate         0.0 ms wall ",
        "wasmaot: lower            0.0 ms summed ",
        "wasmaot: codegen          0.0 ms summed  write\n",
        "wasmaot: link             0.0 ms wall ",
        "wasmaot: parallel         2.0 ms wall    lower to codegen, 2 chunks on 2 threads\n",
        "wasmaot: total            4.0 ms wall ",
        "wasmaot: functions: 12 defined, 3 imported\n",
        "wasmaot: output: app, 4096 bytes\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_assert_not_null(strstr(text, want[i]), "missing %s in:\n%s", want[i], text);
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    cr_assert_eq(lines, 10, "%s", text);
    free(text);
    r.output = "-";
    r.nchunks = 1;
    r.threads = 1;
    text = report_text(&r);
    cr_assert_not_null(strstr(text, "wasmaot: output: standard output, 4096 bytes\n"), "%s", text);
    cr_assert_not_null(strstr(text, "1 chunk on 1 thread\n"), "%s", text);
    free(text);
}

static bool bump(void *arg, size_t index) {
    (void)index;
    for (int i = 0; i < 1000; i++)
        wa_progress_lowered(arg);
    wa_progress_chunk_done(arg, 1000);
    return true;
}

/* stderr is not a terminal here (/dev/null): the counters count, no thread draws anything. */
Test(progress, counts_from_every_thread_without_a_terminal) {
    int devnull = open("/dev/null", O_WRONLY);
    cr_assert_geq(devnull, 0);
    cr_assert_eq(dup2(devnull, STDERR_FILENO), STDERR_FILENO);
    close(devnull);
    WaProgress p;
    wa_progress_start(&p, "dir/app.wasm", 0);
    cr_assert_not(p.running, "a progress thread started without a terminal");
    cr_assert_str_eq(p.name, "app.wasm");
    wa_progress_total(&p, 16000, 16);
    wa_progress_phase(&p, "compiling");
    cr_assert_eq(wa_pool_run(4, 16, bump, &p), 16);
    cr_assert_eq(atomic_load(&p.lowered), 16000);
    cr_assert_eq(atomic_load(&p.compiled), 16000);
    cr_assert_eq(atomic_load(&p.chunks_done), 16);
    wa_progress_lowered(NULL); /* no progress kept: nothing happens */
    wa_progress_stop(&p);
}
