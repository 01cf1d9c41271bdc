/*
 * tempfile.c: temporary output files and their removal on signals
 * (tempfile.h).
 *
 * The handler unlinks the paths recorded in temp_paths (unlink is
 * async-signal-safe) and re-raises the signal, which SA_RESETHAND has reset
 * to its default action. A path is recorded before its file can exist and
 * cleared before it is freed, so the handler never sees a freed name.
 *
 * An output that exists and is not a regular file (/dev/null, a FIFO, a
 * terminal), or "-" (standard output), is never replaced: the file is
 * written in the temporary directory and its bytes copied into the output,
 * as a compiler writing there directly would. Renaming over /dev/null as root would replace the
 * device with a regular file for every process on the machine.
 */
#include "tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Whether `path` names something other than a regular file (see the opening comment). */
static bool is_special(const char *path) {
    struct stat st;
    return strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode));
}

const char *wa_tempfile_name(WaTempFiles *t, int slot, const char *path, const char *suffix) {
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    size_t n = strlen(path) + strlen(dir) + strlen(suffix) + 48;
    char *tmp = malloc(n);
    if (is_special(path))
        snprintf(tmp, n, "%s/wasmaot.%ld.%d.tmp%s", dir, (long)getpid(), slot, suffix);
    else
        snprintf(tmp, n, "%s.%ld.tmp%s", path, (long)getpid(), suffix);
    t->paths[slot] = tmp;
    temp_paths[slot] = tmp;
    return tmp;
}

bool wa_tempfile_create(WaTempFiles *t, int slot, const char *path, WaDiag *d) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return wa_diag_error_no_offset(d, "cannot write %s: %s", path, strerror(EISDIR));
    int fd = open(t->paths[slot], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return wa_diag_error_no_offset(d, "cannot write %s: %s", path, strerror(errno));
    close(fd);
    return true;
}

/* Copies file `from` into the existing special file `to`. */
static bool copy_into(const char *from, const char *to) {
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return false;
    int out = strcmp(to, "-") == 0 ? dup(STDOUT_FILENO) : open(to, O_WRONLY | O_CLOEXEC);
    bool ok = out >= 0;
    char buf[65536];
    ssize_t got;
    while (ok && (got = read(in, buf, sizeof buf)) != 0) {
        if (got < 0) {
            ok = errno == EINTR;
            continue;
        }
        for (ssize_t done = 0; ok && done < got;) {
            ssize_t put = write(out, buf + done, (size_t)(got - done));
            if (put < 0)
                ok = errno == EINTR;
            else
                done += put;
        }
    }
    int saved = errno;
    close(in);
    if (out >= 0 && close(out) != 0)
        ok = false;
    errno = ok ? 0 : saved;
    return ok;
}

bool wa_tempfile_keep(WaTempFiles *t, int slot, const char *path, WaDiag *d) {
    if (is_special(path)) {
        if (!copy_into(t->paths[slot], path))
            return wa_diag_error_no_offset(d, "cannot write %s: %s", path, strerror(errno));
        unlink(t->paths[slot]);
    } else if (rename(t->paths[slot], path) != 0) {
        return wa_diag_error_no_offset(d, "cannot write %s: %s", path, strerror(errno));
    }
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
