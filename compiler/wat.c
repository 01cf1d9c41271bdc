/*
 * wat.c: a text module (.wat) through wabt's wat2wasm.
 *
 * wat2wasm runs as a child with the feature flags of the compile
 * (wa_features_wabt_flags, as wasmaot-spec runs wast2json) and
 * --debug-names (so that backtraces and symbols show the text's $names), writing the
 * binary to /dev/stdout, a pipe read here; its stderr, a second pipe, holds
 * its diagnostics. Both pipes are read together (poll) so that neither can
 * fill and stall the child. Nothing is written to disk, so there is no
 * temporary file to name in a message or to leave behind.
 *
 * A diagnostic of wat2wasm reads "PATH:LINE:COL: error: REASON", then the
 * source line and a caret; the message here is its first error line as
 * "line LINE, column COL: REASON", escaped, after the file name the WaDiag
 * carries.
 */
#include "wat.h"

#include "../runtime/wa_escape.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Bytes of wat2wasm's stderr kept for the message. */
#define ERR_KEEP 4096

bool wa_wat_is_text(const uint8_t *bytes, size_t size) {
    size_t i = 0;
    while (i < size &&
           (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r'))
        i++;
    return i < size && (bytes[i] == '(' || bytes[i] == ';');
}

/* Appends up to n bytes to a growing buffer; false if out of memory. */
static bool append(uint8_t **buf, size_t *len, size_t *cap, const uint8_t *data, size_t n) {
    if (*len + n > *cap) {
        size_t want = *cap ? *cap * 2 : 65536;
        while (want < *len + n)
            want *= 2;
        uint8_t *grown = realloc(*buf, want);
        if (grown == NULL)
            return false;
        *buf = grown;
        *cap = want;
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    return true;
}

/* Reads both pipes to their end: the module into *out, the first ERR_KEEP bytes of stderr. */
static bool drain(int out_fd, int err_fd, uint8_t **out, size_t *out_len, char *err,
                  size_t *err_len) {
    size_t cap = 0;
    struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int open_fds = 2;
    uint8_t chunk[65536];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || fds[i].revents == 0)
                continue;
            ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                fds[i].fd = -1;
                open_fds--;
            } else if (i == 0) {
                if (!append(out, out_len, &cap, chunk, (size_t)n))
                    return false;
            } else {
                size_t keep =
                    ERR_KEEP - 1 - *err_len < (size_t)n ? ERR_KEEP - 1 - *err_len : (size_t)n;
                memcpy(err + *err_len, chunk, keep);
                *err_len += keep;
            }
        }
    }
    err[*err_len] = '\0';
    return true;
}

/* wat2wasm's first error line, as "line L, column C: REASON" (escaped) into d. */
static bool report(const char *path, char *err, WaDiag *d) {
    char *line = strstr(err, "error:");
    if (line == NULL)
        return wa_diag_error_no_offset(d, "wat2wasm failed on this text module");
    while (line > err && line[-1] != '\n')
        line--;
    line[strcspn(line, "\n")] = '\0';
    /* "PATH:LINE:COL: error: REASON": PATH is the one given, so it is skipped by length. */
    size_t plen = strlen(path);
    unsigned long row = 0, col = 0;
    const char *reason = strstr(line, "error:") + 6;
    while (*reason == ' ')
        reason++;
    char escaped[1024];
    if (strncmp(line, path, plen) == 0 && sscanf(line + plen, ":%lu:%lu:", &row, &col) == 2) {
        wa_rt_escape(escaped, sizeof escaped, reason, strlen(reason));
        return wa_diag_error_no_offset(d, "line %lu, column %lu: %s", row, col, escaped);
    }
    wa_rt_escape(escaped, sizeof escaped, reason, strlen(reason));
    return wa_diag_error_no_offset(d, "%s", escaped);
}

bool wa_wat_to_wasm(const char *path, WaFeatures features, uint8_t **out, size_t *size, WaDiag *d) {
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0)
        return wa_diag_error_no_offset(d, "pipe: %s", strerror(errno));
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return wa_diag_error_no_offset(d, "pipe: %s", strerror(errno));
    }
    char flags[WA_FEATURE_COUNT][WA_FEATURE_WABT_FLAG_SIZE];
    char *argv[WA_FEATURE_COUNT + 6];
    int n = 0;
    argv[n++] = "wat2wasm";
    n += wa_features_wabt_flags(features, flags, argv + n);
    argv[n++] = "--debug-names"; /* the text's $names in the name section: traps show them */
    argv[n++] = (char *)path;
    argv[n++] = "--output=/dev/stdout";
    argv[n] = NULL;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    pid_t pid;
    int rc = posix_spawnp(&pid, "wat2wasm", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        return wa_diag_error_no_offset(d,
                                       "this looks like WebAssembly text, which wasmaot compiles "
                                       "with wabt's wat2wasm: %s (install wabt)",
                                       strerror(rc));
    }
    uint8_t *bytes = NULL;
    size_t len = 0, err_len = 0;
    char err[ERR_KEEP];
    bool read_ok = drain(out_pipe[0], err_pipe[0], &bytes, &len, err, &err_len);
    close(out_pipe[0]);
    close(err_pipe[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!read_ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || bytes == NULL) {
        free(bytes);
        if (!read_ok || (bytes == NULL && WIFEXITED(status) && WEXITSTATUS(status) == 0))
            return wa_diag_error_no_offset(d, "reading wat2wasm's output failed");
        return report(path, err, d);
    }
    *out = bytes;
    *size = len;
    return true;
}
