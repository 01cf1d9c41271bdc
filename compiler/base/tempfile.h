/*
 * tempfile.h: the temporary files an output is written to, removed when the
 * compile fails or a signal ends it.
 *
 * The output is written to OUTPUT.PID.tmp (and, for an executable, the object
 * to OUTPUT.PID.tmp.o, or chunk K's to OUTPUT.PID.tmp.K.o) and renamed at the end, so a compile
 * that fails leaves nothing; one that SIGINT, SIGTERM or SIGHUP ends must not leave them either.
 * One set of temporary files exists at a time in a process.
 */
#ifndef WA_BASE_TEMPFILE_H
#define WA_BASE_TEMPFILE_H

#include "diag.h"

#include <signal.h>
#include <stdbool.h>

/* How many temporary files one output may have: it, an object, an object per chunk (256). */
#define WA_TEMPFILE_MAX 258

typedef struct WaTempFiles {
    char *paths[WA_TEMPFILE_MAX]; /* malloc'ed names; NULL when unused or kept */
    struct sigaction old[3];      /* the signal actions to restore */
} WaTempFiles;

/*
 * Starts a set: installs a handler for SIGINT, SIGTERM and SIGHUP that
 * unlinks the set's files and re-raises the signal with its default action,
 * so the exit status still says which signal it was. A signal the caller
 * ignores (nohup) stays ignored.
 */
void wa_tempfile_begin(WaTempFiles *t);

/*
 * Names temporary file `slot` (< WA_TEMPFILE_MAX): "PATH.PID.tmpSUFFIX",
 * beside `path` so that the final rename stays on one file system. The name
 * is recorded for the handler before the file can exist. Returns it; it
 * lives until wa_tempfile_end.
 */
const char *wa_tempfile_name(WaTempFiles *t, int slot, const char *path, const char *suffix);

/*
 * Creates temporary file `slot`, named for output `path`, empty: the check,
 * before anything is compiled, that the output can be written. False with
 * one line in d naming `path` (never the temporary name): a directory, a
 * missing or read-only directory.
 */
bool wa_tempfile_create(WaTempFiles *t, int slot, const char *path, WaDiag *d);

/* Renames temporary file `slot` to `path`; false with one line in d if that fails. */
bool wa_tempfile_keep(WaTempFiles *t, int slot, const char *path, WaDiag *d);

/* Removes the files not kept, restores the signal actions and frees the names. */
void wa_tempfile_end(WaTempFiles *t);

#endif
