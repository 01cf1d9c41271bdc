/*
 * tempfile.c: temporary output files and their removal on signals
 * (tempfile.h).
 *
 * The handler unlinks the paths recorded in temp_paths (unlink is
 * async-signal-safe) and re-raises the signal, which SA_RESETHAND has reset
 * to its default action. A path is recorded before its file can exist and
 * cleared before it is freed, so the handler never sees a freed name.
 */
#include "tempfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *volatile temp_paths[WA_TEMPFILE_MAX];
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void remove_temps_and_die(int sig) {
    int saved = errno;
    for (int i = 0; i < WA_TEMPFILE_MAX; i++)
        if (temp_paths[i] != NULL)
            unlink(temp_paths[i]);
    errno = saved;
    raise(sig); /* blocked until this handler returns; then the default action */
}

void wa_tempfile_begin(WaTempFiles *t) {
    memset(t, 0, sizeof *t);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_temps_and_die;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 3; i++)
        sigaddset(&sa.sa_mask, cleanup_signals[i]);
    for (int i = 0; i < 3; i++) {
        sigaction(cleanup_signals[i], NULL, &t->old[i]);
        if (t->old[i].sa_handler != SIG_IGN)
            sigaction(cleanup_signals[i], &sa, NULL);
    }
}

const char *wa_tempfile_name(WaTempFiles *t, int slot, const char *path, const char *suffix) {
    size_t n = strlen(path) + strlen(suffix) + 32;
    char *tmp = malloc(n);
    snprintf(tmp, n, "%s.%ld.tmp%s", path, (long)getpid(), suffix);
    t->paths[slot] = tmp;
    temp_paths[slot] = tmp;
    return tmp;
}

bool wa_tempfile_keep(WaTempFiles *t, int slot, const char *path, WaDiag *d) {
    if (rename(t->paths[slot], path) != 0)
        return wa_diag_error_no_offset(d, "cannot write %s: %s", path, strerror(errno));
    temp_paths[slot] = NULL;
    free(t->paths[slot]);
    t->paths[slot] = NULL;
    return true;
}

void wa_tempfile_end(WaTempFiles *t) {
    for (int i = 0; i < WA_TEMPFILE_MAX; i++) {
        if (t->paths[i] == NULL)
            continue;
        unlink(t->paths[i]);
        temp_paths[i] = NULL;
        free(t->paths[i]);
        t->paths[i] = NULL;
    }
    for (int i = 0; i < 3; i++)
        sigaction(cleanup_signals[i], &t->old[i], NULL);
}
