/*
 * ctx.c: making and freeing a WASI context (wa_wasi.h): the copied argument
 * and environment strings, the fd table, the memory guest pointers refer to,
 * and the grants the host adds to it: preopened directories (read-only ones
 * without the writing rights) and listening sockets.
 */
#include "wasi_impl.h"

#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Copies `n` strings (or up to the NULL entry if n < 0) into `out`. */
static bool copy_strings(wa_wasi_strings_t *out, const char *const *strings, int n) {
    if (n < 0) {
        n = 0;
        while (strings && strings[n])
            n++;
    }
    out->items = calloc((size_t)n + 1, sizeof *out->items);
    if (!out->items)
        return false;
    for (int i = 0; i < n; i++) {
        /* A NULL argv entry (argc larger than argv) is passed on as "". */
        const char *s = strings[i] ? strings[i] : "";
        if (!(out->items[i] = strdup(s)))
            return false;
        out->count++;
        out->buf_size += strlen(s) + 1;
    }
    return true;
}

static void free_strings(wa_wasi_strings_t *s) {
    for (uint32_t i = 0; i < s->count; i++)
        free(s->items[i]);
    free(s->items);
}

wa_wasi_ctx_t *wa_wasi_ctx_new(int argc, const char *const *argv, const char *const *envp) {
    wa_wasi_ctx_t *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    if (!copy_strings(&ctx->args, argv, argv ? (argc > 0 ? argc : 0) : 0) ||
        !copy_strings(&ctx->env, envp, -1) || !wa_fdtab_init(ctx)) {
        wa_wasi_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

void wa_wasi_ctx_free(wa_wasi_ctx_t *ctx) {
    if (!ctx)
        return;
    free_strings(&ctx->args);
    free_strings(&ctx->env);
    wa_fdtab_free(ctx);
    free(ctx);
}

void wa_wasi_ctx_set_memory(wa_wasi_ctx_t *ctx, wa_rt_memory_t *memory) {
    ctx->memory = memory;
}

bool wa_wasi_ctx_preopen(wa_wasi_ctx_t *ctx, const char *host_dir, const char *guest_name,
                         bool read_only, uint32_t *fd) {
    int host_fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host_fd < 0)
        return false;
    uint64_t mask = read_only ? WA_WASI_RIGHTS_ALL & ~WA_WASI_RIGHTS_WRITING : WA_WASI_RIGHTS_ALL;
    if (wa_fdtab_insert(ctx, host_fd, guest_name, mask, mask, fd) != WA_WASI_ESUCCESS) {
        /* The WASI errno has no host spelling to give back; say which way it failed. */
        close(host_fd);
        errno = ENOMEM;
        return false;
    }
    return true;
}

/*
 * Splits "HOST:PORT" or "[HOST]:PORT" into `host` and `port` (both within
 * `buf`); false if it has neither shape.
 */
static bool split_host_port(char *buf, char **host, char **port) {
    char *colon = strrchr(buf, ':');
    if (!colon || colon == buf || colon[1] == '\0')
        return false;
    *colon = '\0';
    *port = colon + 1;
    *host = buf;
    if (buf[0] == '[') {
        size_t n = strlen(buf);
        if (n < 3 || buf[n - 1] != ']')
            return false;
        buf[n - 1] = '\0';
        *host = buf + 1;
    } else if (strchr(buf, ':')) {
        return false; /* an IPv6 address needs its brackets */
    }
    for (const char *p = *port; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
    }
    return true;
}

/* Opens a listening TCP socket on the first address of `ai` that binds; -1 with errno set. */
static int listen_on(const struct addrinfo *ai) {
    int err = EADDRNOTAVAIL;
    for (; ai; ai = ai->ai_next) {
        int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (s < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(s, ai->ai_addr, ai->ai_addrlen) == 0 && listen(s, SOMAXCONN) == 0)
            return s;
        err = errno;
        close(s);
    }
    errno = err;
    return -1;
}

bool wa_wasi_ctx_tcplisten(wa_wasi_ctx_t *ctx, const char *addr, uint32_t *fd, char *why,
                           size_t why_size) {
    char buf[300];
    char *host, *port;
    if (strlen(addr) >= sizeof buf) {
        snprintf(why, why_size, "address too long");
        return false;
    }
    strcpy(buf, addr);
    if (!split_host_port(buf, &host, &port)) {
        snprintf(why, why_size, "expected HOST:PORT");
        return false;
    }
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *ai;
    int gai = getaddrinfo(host, port, &hints, &ai);
    if (gai != 0) {
        snprintf(why, why_size, "%s", gai_strerror(gai));
        return false;
    }
    int s = listen_on(ai);
    freeaddrinfo(ai);
    if (s < 0) {
        snprintf(why, why_size, "%s", strerror(errno));
        return false;
    }
    if (wa_fdtab_insert(ctx, s, NULL, WA_WASI_RIGHTS_ALL, WA_WASI_RIGHTS_ALL, fd) !=
        WA_WASI_ESUCCESS) {
        close(s);
        snprintf(why, why_size, "out of memory");
        return false;
    }
    return true;
}
