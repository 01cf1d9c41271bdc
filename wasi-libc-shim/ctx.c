/*
 * ctx.c: making and freeing a WASI context (wa_wasi.h): the copied argument
 * and environment strings, the fd table, the memory guest pointers refer to.
 */
#include "wasi_impl.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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
                         uint32_t *fd) {
    int host_fd = open(host_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host_fd < 0)
        return false;
    if (wa_fdtab_insert(ctx, host_fd, guest_name, fd) != WA_WASI_ESUCCESS) {
        /* The WASI errno has no host spelling to give back; say which way it failed. */
        close(host_fd);
        errno = ENOMEM;
        return false;
    }
    return true;
}
