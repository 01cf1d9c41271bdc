/*
 * phase_timer.c: phase times and the -v report (phase_timer.h).
 *
 * The table below is the report's view of the pipeline: per phase, its
 * name, whether it runs per chunk (its time is then summed over the chunks,
 * "summed" time, else it is "wall" time), and the passes of driver.c it
 * covers, spelled as driver.c's opening comment spells them. driver.c enters
 * each phase before the first of its passes.
 */
#include "phase_timer.h"

#include <time.h>

/* clang-format off */
static const struct {
    const char *name;
    bool per_chunk;
    const char *passes;
} phases[WA_NPHASES] = {
    [WA_PHASE_DECODE]   = {"decode",   false, "read, decode, check features"},
    [WA_PHASE_VALIDATE] = {"validate", false, "validate, check imports, record, partition, "
                                              "name outputs"},
    [WA_PHASE_LOWER]    = {"lower",    true,  "begin codegen, lower functions, lower initializer, "
                                              "describe module"},
    [WA_PHASE_OPTIMIZE] = {"optimize", true,  "verify, optimize"},
    [WA_PHASE_CODEGEN]  = {"codegen",  true,  "write"},
    [WA_PHASE_LINK]     = {"link",     false, "combine, link, the output renamed into place"},
};
/* clang-format on */

uint64_t wa_phase_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void wa_phase_timer_init(WaPhaseTimer *t) {
    *t = (WaPhaseTimer){.current = -1};
}

void wa_phase_stop(WaPhaseTimer *t) {
    uint64_t now = wa_phase_now();
    if (t->current >= 0)
        t->ns[t->current] += now - t->since;
    t->current = -1;
    t->since = now;
}

void wa_phase_enter(WaPhaseTimer *t, WaPhase phase) {
    wa_phase_stop(t);
    t->current = (int)phase;
}

void wa_phase_add(WaPhaseTimer *into, const WaPhaseTimer *from) {
    for (int k = 0; k < WA_NPHASES; k++)
        into->ns[k] += from->ns[k];
}

static double ms(uint64_t ns) {
    return (double)ns / 1e6;
}

void wa_phase_report_print(const WaPhaseReport *r, FILE *f) {
    for (int k = 0; k < WA_NPHASES; k++) {
        const WaPhaseTimer *t = phases[k].per_chunk ? r->chunks : r->serial;
        fprintf(f, "wasmaot: %-9s %10.1f ms %-6s  %s\n", phases[k].name, ms(t->ns[k]),
                phases[k].per_chunk ? "summed" : "wall", phases[k].passes);
    }
    fprintf(f, "wasmaot: %-9s %10.1f ms %-6s  lower to codegen, %zu chunk%s on %u thread%s\n",
            "parallel", ms(r->parallel_ns), "wall", r->nchunks, r->nchunks == 1 ? "" : "s",
            r->threads, r->threads == 1 ? "" : "s");
    fprintf(f, "wasmaot: %-9s %10.1f ms %-6s  (summed: the chunks' times added up)\n", "total",
            ms(r->total_ns), "wall");
    fprintf(f, "wasmaot: functions: %u defined, %u imported\n", r->functions, r->imported);
    fprintf(f, "wasmaot: output: %s, %llu bytes\n",
            r->output[0] == '-' && r->output[1] == '\0' ? "standard output" : r->output,
            (unsigned long long)r->output_size);
}
