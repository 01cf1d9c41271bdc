/* wasi_glue.c: the WASI preview1 functions the benchmark programs import, for a module translated
   by wasm2c (wabt 1.0.32), and the main() that instantiates it and runs _start.

   bench/run translates each program with `wasm2c -n bench`, so the generated header is bench.h
   and every name has the Z_bench prefix; the import `wasi_snapshot_preview1.NAME` becomes
   `Z_wasi_snapshot_preview1Z_NAME`, called with the instance of the (here: our) WASI module. Only
   what a compute benchmark needs is real: stdout/stderr writes, arguments, clocks, random bytes,
   exit. There are no files and no environment: other descriptors answer badf, seeking stdio
   answers spipe, as for a terminal or a pipe; the guest's libc reports them like any failing
   call. The values are those of wasi-libc's <wasi/api.h>. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "wasm-rt-impl.h"

/* WASI errno values (preview1 `errno` enum). */
enum { WASI_ESUCCESS = 0, WASI_EBADF = 8, WASI_EINVAL = 28, WASI_EIO = 29, WASI_ESPIPE = 70 };
enum { WASI_FILETYPE_CHARACTER_DEVICE = 2 };

struct Z_wasi_snapshot_preview1_instance_t {
    wasm_rt_memory_t *memory;
    int argc;
    char **argv;
};

static Z_bench_instance_t module;

/* Guest memory access: every pointer the guest passes is checked against the memory size. */
static int in_bounds(struct Z_wasi_snapshot_preview1_instance_t *w, uint64_t addr, uint64_t len) {
    return addr + len <= w->memory->size;
}
static uint8_t *at(struct Z_wasi_snapshot_preview1_instance_t *w, uint32_t addr) {
    return w->memory->data + addr;
}
static void put_u32(struct Z_wasi_snapshot_preview1_instance_t *w, uint32_t addr, uint32_t v) {
    memcpy(at(w, addr), &v, 4);
}
static void put_u64(struct Z_wasi_snapshot_preview1_instance_t *w, uint32_t addr, uint64_t v) {
    memcpy(at(w, addr), &v, 8);
}
static uint32_t get_u32(struct Z_wasi_snapshot_preview1_instance_t *w, uint32_t addr) {
    uint32_t v;
    memcpy(&v, at(w, addr), 4);
    return v;
}

u32 Z_wasi_snapshot_preview1Z_args_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *w,
                                             u32 count_out, u32 size_out) {
    if (!in_bounds(w, count_out, 4) || !in_bounds(w, size_out, 4))
        return WASI_EINVAL;
    uint32_t size = 0;
    for (int i = 0; i < w->argc; i++)
        size += (uint32_t)strlen(w->argv[i]) + 1;
    put_u32(w, count_out, (uint32_t)w->argc);
    put_u32(w, size_out, size);
    return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_args_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 argv,
                                       u32 buf) {
    for (int i = 0; i < w->argc; i++) {
        uint32_t len = (uint32_t)strlen(w->argv[i]) + 1;
        if (!in_bounds(w, argv + 4u * (uint32_t)i, 4) || !in_bounds(w, buf, len))
            return WASI_EINVAL;
        put_u32(w, argv + 4u * (uint32_t)i, buf);
        memcpy(at(w, buf), w->argv[i], len);
        buf += len;
    }
    return WASI_ESUCCESS;
}

/* The programs get no environment (as under wasmaot without --env grants). */
u32 Z_wasi_snapshot_preview1Z_environ_sizes_get(struct Z_wasi_snapshot_preview1_instance_t *w,
                                                u32 count_out, u32 size_out) {
    if (!in_bounds(w, count_out, 4) || !in_bounds(w, size_out, 4))
        return WASI_EINVAL;
    put_u32(w, count_out, 0);
    put_u32(w, size_out, 0);
    return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_environ_get(struct Z_wasi_snapshot_preview1_instance_t *w,
                                          u32 environ, u32 buf) {
    (void)w, (void)environ, (void)buf;
    return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_write(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd,
                                       u32 iovs, u32 iovs_len, u32 nwritten_out) {
    if (fd != 1 && fd != 2)
        return WASI_EBADF;
    if (!in_bounds(w, iovs, 8ull * iovs_len) || !in_bounds(w, nwritten_out, 4))
        return WASI_EINVAL;
    uint32_t total = 0;
    for (uint32_t i = 0; i < iovs_len; i++) {
        uint32_t base = get_u32(w, iovs + 8 * i), len = get_u32(w, iovs + 8 * i + 4);
        if (!in_bounds(w, base, len))
            return WASI_EINVAL;
        for (uint32_t done = 0; done < len;) {
            ssize_t n = write((int)fd, at(w, base + done), len - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                return WASI_EIO;
            done += (uint32_t)n;
        }
        total += len;
    }
    put_u32(w, nwritten_out, total);
    return WASI_ESUCCESS;
}

/* fdstat of stdout/stderr: a character device with no rights restrictions (libc only looks at the
   file type, to choose line buffering). */
u32 Z_wasi_snapshot_preview1Z_fd_fdstat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd,
                                            u32 out) {
    if (fd > 2)
        return WASI_EBADF;
    if (!in_bounds(w, out, 24))
        return WASI_EINVAL;
    memset(at(w, out), 0, 24);
    *at(w, out) = WASI_FILETYPE_CHARACTER_DEVICE;
    put_u64(w, out + 8, ~0ull);
    put_u64(w, out + 16, ~0ull);
    return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_fd_seek(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd,
                                      u64 offset, u32 whence, u32 out) {
    (void)w, (void)offset, (void)whence, (void)out;
    return fd <= 2 ? WASI_ESPIPE : WASI_EBADF;
}

u32 Z_wasi_snapshot_preview1Z_fd_close(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd) {
    (void)w;
    return fd <= 2 ? WASI_ESUCCESS : WASI_EBADF;
}

/* No preopened directories: the first fd_prestat_get answers badf, which ends libc's scan. */
u32 Z_wasi_snapshot_preview1Z_fd_prestat_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 fd,
                                             u32 out) {
    (void)w, (void)fd, (void)out;
    return WASI_EBADF;
}

u32 Z_wasi_snapshot_preview1Z_fd_prestat_dir_name(struct Z_wasi_snapshot_preview1_instance_t *w,
                                                  u32 fd, u32 path, u32 len) {
    (void)w, (void)fd, (void)path, (void)len;
    return WASI_EBADF;
}

u32 Z_wasi_snapshot_preview1Z_clock_time_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 id,
                                             u64 precision, u32 out) {
    (void)precision;
    static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
                                       CLOCK_THREAD_CPUTIME_ID};
    struct timespec ts;
    if (id >= 4 || !in_bounds(w, out, 8))
        return WASI_EINVAL;
    if (clock_gettime(clocks[id], &ts) != 0)
        return WASI_EINVAL;
    put_u64(w, out, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
    return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_random_get(struct Z_wasi_snapshot_preview1_instance_t *w, u32 buf,
                                         u32 len) {
    if (!in_bounds(w, buf, len))
        return WASI_EINVAL;
    for (uint32_t done = 0; done < len;) {
        ssize_t n = getrandom(at(w, buf + done), len - done, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return WASI_EIO;
        done += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

u32 Z_wasi_snapshot_preview1Z_sched_yield(struct Z_wasi_snapshot_preview1_instance_t *w) {
    (void)w;
    return WASI_ESUCCESS;
}

/* The guest's stdio has already written its buffers through fd_write, so exit() loses nothing. */
void Z_wasi_snapshot_preview1Z_proc_exit(struct Z_wasi_snapshot_preview1_instance_t *w, u32 code) {
    (void)w;
    exit((int)code);
}

int main(int argc, char **argv) {
    struct Z_wasi_snapshot_preview1_instance_t wasi = {NULL, argc, argv};
    wasm_rt_init();
    Z_bench_init_module();
    Z_bench_instantiate(&module, &wasi);
    wasi.memory = Z_benchZ_memory(&module);
    wasm_rt_trap_t trap = wasm_rt_impl_try();
    if (trap != WASM_RT_TRAP_NONE) {
        fprintf(stderr, "%s: wasm trap: %s\n", argv[0], wasm_rt_strerror(trap));
        return 134;
    }
    Z_benchZ__start(&module);
    Z_bench_free(&module);
    wasm_rt_free();
    return 0;
}
