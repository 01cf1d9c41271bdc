/*
 * args.c: args_get, args_sizes_get, environ_get, environ_sizes_get
 * (wasi_snapshot_preview1.witx).
 *
 * Layout: the *_sizes_get functions report the count and the total bytes of
 * the NUL-terminated strings; the *_get functions write the strings back to
 * back into the guest buffer and a u32 guest pointer to each into the array.
 * Both areas are checked in full before anything is written.
 */
#include "wasi_impl.h"

#include <string.h>

static int32_t strings_sizes_get(wa_wasi_ctx_t *ctx, const wa_wasi_strings_t *s, int32_t count_out,
                                 int32_t size_out) {
    /* Sizes are u32 in the guest: strings that cannot be addressed there do not fit. */
    if (s->buf_size > UINT32_MAX)
        return WA_WASI_E2BIG;
    uint8_t *count_p = wa_guest_out(ctx, count_out, 4);
    uint8_t *size_p = wa_guest_out(ctx, size_out, 4);
    if (!count_p || !size_p)
        return WA_WASI_EFAULT;
    wa_guest_store_u32(count_p, s->count);
    wa_guest_store_u32(size_p, (uint32_t)s->buf_size);
    return WA_WASI_ESUCCESS;
}

static int32_t strings_get(wa_wasi_ctx_t *ctx, const wa_wasi_strings_t *s, int32_t array,
                           int32_t buf) {
    uint8_t *array_p, *buf_p;
    if (!wa_guest_range(ctx, (uint32_t)array, (uint64_t)s->count * 4, &array_p) ||
        !wa_guest_range(ctx, (uint32_t)buf, s->buf_size, &buf_p))
        return WA_WASI_EFAULT;
    /* buf + buf_size <= memory size <= 4 GiB, so every guest address below fits in u32. */
    uint32_t guest_addr = (uint32_t)buf;
    for (uint32_t i = 0; i < s->count; i++) {
        size_t n = strlen(s->items[i]) + 1;
        memcpy(buf_p, s->items[i], n);
        wa_guest_store_u32(array_p + 4 * (size_t)i, guest_addr);
        buf_p += n;
        guest_addr += (uint32_t)n;
    }
    return WA_WASI_ESUCCESS;
}

int32_t wa_wasi_args_sizes_get(wa_wasi_ctx_t *ctx, int32_t argc_out, int32_t buf_size_out) {
    return strings_sizes_get(ctx, &ctx->args, argc_out, buf_size_out);
}

int32_t wa_wasi_args_get(wa_wasi_ctx_t *ctx, int32_t argv, int32_t argv_buf) {
    return strings_get(ctx, &ctx->args, argv, argv_buf);
}

int32_t wa_wasi_environ_sizes_get(wa_wasi_ctx_t *ctx, int32_t count_out, int32_t buf_size_out) {
    return strings_sizes_get(ctx, &ctx->env, count_out, buf_size_out);
}

int32_t wa_wasi_environ_get(wa_wasi_ctx_t *ctx, int32_t environ_ptrs, int32_t environ_buf) {
    return strings_get(ctx, &ctx->env, environ_ptrs, environ_buf);
}
