/*
 * test_wasi_path.c: the path_* functions and the sandbox beneath a
 * directory fd (wasi-libc-shim/path.c, resolve.c), called directly over a
 * fake linear memory as test_wasi.c does.
 *
 * Every test runs twice: in suite path_openat2 with the kernel's openat2
 * resolver and in suite path_walk with the component-by-component fallback
 * (ctx->resolve_by_walk); PATH_TEST defines both. Each gets a fresh tree in
 * a temporary directory:
 *
 *     ROOT/sandbox/     preopened read-write as fd 3 (SB)
 *     ROOT/sandbox2/    preopened read-write as fd 4 (SB2)
 *     ROOT/ro/          preopened read-only as fd 5 (RO), holding file.txt
 *     ROOT/outside/     never granted: secret.txt, secret_dir/
 *
 * and the teardown checks that nothing in outside/ was created, removed,
 * renamed, written or had its times changed, whatever the test tried, and
 * that freeing the context left no host fd open (none leaked on any path).
 */
#include "wa_rt_api.h"
#include "wa_wasi.h"
#include "wasi_impl.h"

#include <criterion/criterion.h>

#include "fd_count.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE 65536u
#define CANARY_SIZE 64u
#define CANARY 0xEE

/* Guest addresses: result slots, a filestat, a readlink buffer, then strings. */
#define OUT 64u
#define FST 128u
#define BUF 512u
#define STRINGS 4096u

#define SB 3
#define SB2 4
#define RO 5
#define ALL WA_WASI_RIGHTS_ALL
#define FOLLOW WA_WASI_LOOKUP_SYMLINK_FOLLOW

static uint8_t *buf;
static wa_rt_memory_t mem;
static wa_wasi_ctx_t *ctx;
static char root[64];
static uint32_t next_string;
static struct stat secret_before, secret_dir_before;
static int host_fds_before;

/* ---- The tree, the context, and the outside check. ---- */

static char *host(const char *rel) {
    static char paths[4][PATH_MAX];
    static int which;
    char *p = paths[which++ % 4];
    snprintf(p, PATH_MAX, "%s/%s", root, rel);
    return p;
}

static void put_file(const char *rel, const char *content) {
    FILE *f = fopen(host(rel), "w");
    cr_assert_not_null(f, "creating %s", rel);
    fputs(content, f);
    fclose(f);
}

static void put_dir(const char *rel) {
    cr_assert_eq(mkdir(host(rel), 0777), 0, "mkdir %s", rel);
}

static void put_link(const char *target, const char *rel) {
    cr_assert_eq(symlink(target, host(rel)), 0, "symlink %s", rel);
}

static bool exists(const char *rel) {
    struct stat st;
    return lstat(host(rel), &st) == 0;
}

/* The content of host file `rel` (static buffer), "" if it cannot be read. */
static const char *content_of(const char *rel) {
    static char text[256];
    text[0] = '\0';
    FILE *f = fopen(host(rel), "r");
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    return text;
}

static void preopen(const char *rel, bool read_only, int32_t want_fd) {
    uint32_t fd;
    cr_assert(wa_wasi_ctx_preopen(ctx, host(rel), rel, read_only, &fd), "preopen %s", rel);
    cr_assert_eq(fd, (uint32_t)want_fd);
}

static void setup(bool walk) {
    buf = malloc(MEM_SIZE + CANARY_SIZE);
    cr_assert_not_null(buf);
    memset(buf, 0, MEM_SIZE);
    memset(buf + MEM_SIZE, CANARY, CANARY_SIZE);
    mem = (wa_rt_memory_t){.base = buf, .size = MEM_SIZE, .max_pages = 1, .reserved = MEM_SIZE};
    strcpy(root, "/tmp/test_wasi_path_XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    put_dir("sandbox");
    put_dir("sandbox2");
    put_dir("ro");
    put_file("ro/file.txt", "read only\n");
    put_dir("outside");
    put_dir("outside/secret_dir");
    put_file("outside/secret.txt", "secret\n");
    cr_assert_eq(stat(host("outside/secret.txt"), &secret_before), 0);
    cr_assert_eq(stat(host("outside/secret_dir"), &secret_dir_before), 0);
    host_fds_before = open_host_fds();
    ctx = wa_wasi_ctx_new(0, NULL, NULL);
    cr_assert_not_null(ctx);
    wa_wasi_ctx_set_memory(ctx, &mem);
    ctx->resolve_by_walk = walk;
    preopen("sandbox", false, SB);
    preopen("sandbox2", false, SB2);
    preopen("ro", true, RO);
    next_string = STRINGS;
}

static void setup_openat2(void) {
    setup(false);
}

static void setup_walk(void) {
    setup(true);
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void)st, (void)type, (void)ftw;
    return remove(path);
}

/* The names in host directory `rel`, sorted and joined by spaces. */
static const char *listing(const char *rel) {
    static char out[512];
    struct dirent **names;
    int n = scandir(host(rel), &names, NULL, alphasort);
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            strcat(out, out[0] ? " " : "");
            strcat(out, names[i]->d_name);
        }
        free(names[i]);
    }
    if (n >= 0)
        free(names);
    return out;
}

static bool same_times(const struct stat *a, const struct stat *b) {
    return a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void teardown(void) {
    for (uint32_t i = 0; i < CANARY_SIZE; i++)
        cr_assert_eq(buf[MEM_SIZE + i], CANARY, "write past the end of guest memory");
    wa_wasi_ctx_free(ctx);
    cr_expect_eq(open_host_fds(), host_fds_before, "host fds leaked");
    /* The sandbox never reaches outside/: same names, same content, same times. */
    cr_expect_str_eq(listing("outside"), "secret.txt secret_dir");
    cr_expect_str_eq(listing("outside/secret_dir"), "");
    cr_expect_str_eq(content_of("outside/secret.txt"), "secret\n");
    struct stat st;
    cr_expect_eq(stat(host("outside/secret.txt"), &st), 0);
    cr_expect(same_times(&st, &secret_before), "outside/secret.txt was touched");
    cr_expect_eq(stat(host("outside/secret_dir"), &st), 0);
    cr_expect(same_times(&st, &secret_dir_before), "outside/secret_dir was touched");
    nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(buf);
}

/* Defines the test body once and registers it under both resolvers. */
#define PATH_TEST(name)                                                                            \
    static void body_##name(void);                                                                 \
    Test(path_openat2, name, .init = setup_openat2, .fini = teardown) {                            \
        body_##name();                                                                             \
    }                                                                                              \
    Test(path_walk, name, .init = setup_walk, .fini = teardown) {                                  \
        body_##name();                                                                             \
    }                                                                                              \
    static void body_##name(void)

/* An errno check that shows what came back. */
#define EXPECT_ERRNO(call, want)                                                                   \
    do {                                                                                           \
        int32_t got_ = (call);                                                                     \
        cr_expect_eq(got_, (want), "%s: errno %d, expected %d", #call, got_, (int)(want));         \
    } while (0)
#define EXPECT_ERRNO_MSG(call, want, fmt, ...)                                                     \
    do {                                                                                           \
        int32_t got_ = (call);                                                                     \
        cr_expect_eq(got_, (want), fmt ": errno %d, expected %d", __VA_ARGS__, got_, (int)(want)); \
    } while (0)

/* ---- Guest memory and calls. ---- */

static uint32_t load_u32(uint32_t addr) {
    return wa_guest_load_u32(buf + addr);
}

static uint64_t load_u64(uint32_t addr) {
    return (uint64_t)load_u32(addr) | (uint64_t)load_u32(addr + 4) << 32;
}

/* Copies `s` (without its NUL) into guest memory; returns its address. */
static int32_t gstr(const char *s) {
    size_t n = strlen(s);
    if (next_string + n + 1 > MEM_SIZE)
        next_string = STRINGS;
    uint32_t at = next_string;
    memcpy(buf + at, s, n);
    buf[at + n] = 'Z'; /* not NUL-terminated: the length is what counts */
    next_string += (uint32_t)n + 1;
    return (int32_t)at;
}

/* A guest string argument pair: address, length. */
#define S(str) gstr(str), (int32_t)strlen(str)

static int32_t open_at(int32_t dir, const char *path, int32_t dirflags, int32_t oflags,
                       uint64_t base, int32_t fdflags, int32_t *fd) {
    int32_t err = wa_wasi_path_open(ctx, dir, dirflags, S(path), oflags, (int64_t)base,
                                    (int64_t)ALL, fdflags, (int32_t)OUT);
    if (err == WA_WASI_ESUCCESS && fd)
        *fd = (int32_t)load_u32(OUT);
    return err;
}

/*
 * path_open with every right but fd_write (which a directory refuses: EISDIR),
 * as wasi-libc's open(O_RDONLY) asks; the fd is closed again.
 */
static int32_t open_simple(int32_t dir, const char *path, int32_t dirflags, int32_t oflags) {
    int32_t fd;
    int32_t err = open_at(dir, path, dirflags, oflags, ALL & ~WA_WASI_RIGHT_FD_WRITE, 0, &fd);
    if (err == WA_WASI_ESUCCESS)
        cr_assert_eq(wa_wasi_fd_close(ctx, fd), WA_WASI_ESUCCESS);
    return err;
}

static int32_t stat_at(int32_t dir, int32_t flags, const char *path) {
    return wa_wasi_path_filestat_get(ctx, dir, flags, S(path), (int32_t)FST);
}

static int32_t times_at(int32_t dir, int32_t flags, const char *path, uint64_t mtim) {
    return wa_wasi_path_filestat_set_times(ctx, dir, flags, S(path), 0, (int64_t)mtim,
                                           WA_WASI_FSTFLAG_MTIM);
}

static int32_t mkdir_at(int32_t dir, const char *path) {
    return wa_wasi_path_create_directory(ctx, dir, S(path));
}

static int32_t rmdir_at(int32_t dir, const char *path) {
    return wa_wasi_path_remove_directory(ctx, dir, S(path));
}

static int32_t unlink_at(int32_t dir, const char *path) {
    return wa_wasi_path_unlink_file(ctx, dir, S(path));
}

static int32_t symlink_at(const char *target, int32_t dir, const char *path) {
    return wa_wasi_path_symlink(ctx, S(target), dir, S(path));
}

static int32_t link_at(int32_t old_dir, int32_t flags, const char *old_path, int32_t new_dir,
                       const char *new_path) {
    return wa_wasi_path_link(ctx, old_dir, flags, S(old_path), new_dir, S(new_path));
}

static int32_t rename_at(int32_t old_dir, const char *old_path, int32_t new_dir,
                         const char *new_path) {
    return wa_wasi_path_rename(ctx, old_dir, S(old_path), new_dir, S(new_path));
}

/* path_readlink into BUF with `len` bytes; the count in *used. */
static int32_t readlink_at(int32_t dir, const char *path, uint32_t len, uint32_t *used) {
    int32_t err =
        wa_wasi_path_readlink(ctx, dir, S(path), (int32_t)BUF, (int32_t)len, (int32_t)OUT);
    if (err == WA_WASI_ESUCCESS && used)
        *used = load_u32(OUT);
    return err;
}

static int host_fd_of(int32_t fd) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    cr_assert_not_null(e);
    return e->host_fd;
}

static uint64_t rights_of(int32_t fd) {
    wa_fdtab_entry_t *e = wa_fdtab_get(ctx, fd);
    cr_assert_not_null(e);
    return e->rights_base;
}

/* Writes `text` through WASI fd `fd`; returns the errno. */
static int32_t write_fd(int32_t fd, const char *text) {
    uint32_t at = (uint32_t)gstr(text);
    wa_guest_store_u32(buf + OUT + 8, at);
    wa_guest_store_u32(buf + OUT + 12, (uint32_t)strlen(text));
    return wa_wasi_fd_write(ctx, fd, (int32_t)OUT + 8, 1, (int32_t)OUT + 16);
}

/*
 * Every path_* function with `path` as the path under test (the other path
 * of link and rename a harmless name) must answer `want`. Used for paths
 * that name something outside the sandbox in every reading.
 */
static void expect_every_op(const char *path, int32_t want) {
    put_file("sandbox/victim.txt", "v\n");
    cr_expect_eq(open_simple(SB, path, 0, 0), want, "open %s", path);
    cr_expect_eq(open_simple(SB, path, FOLLOW, 0), want, "open follow %s", path);
    cr_expect_eq(open_simple(SB, path, FOLLOW, WA_WASI_OFLAG_CREAT), want, "create %s", path);
    cr_expect_eq(open_simple(SB, path, 0, WA_WASI_OFLAG_DIRECTORY), want, "opendir %s", path);
    cr_expect_eq(mkdir_at(SB, path), want, "mkdir %s", path);
    cr_expect_eq(rmdir_at(SB, path), want, "rmdir %s", path);
    cr_expect_eq(unlink_at(SB, path), want, "unlink %s", path);
    cr_expect_eq(stat_at(SB, 0, path), want, "stat %s", path);
    cr_expect_eq(stat_at(SB, FOLLOW, path), want, "stat follow %s", path);
    cr_expect_eq(times_at(SB, 0, path, 1000000000), want, "set_times %s", path);
    cr_expect_eq(times_at(SB, FOLLOW, path, 1000000000), want, "set_times follow %s", path);
    cr_expect_eq(readlink_at(SB, path, 64, NULL), want, "readlink %s", path);
    cr_expect_eq(symlink_at("victim.txt", SB, path), want, "symlink at %s", path);
    cr_expect_eq(link_at(SB, 0, path, SB, "new_link"), want, "link from %s", path);
    cr_expect_eq(link_at(SB, FOLLOW, path, SB, "new_link"), want, "link follow from %s", path);
    cr_expect_eq(link_at(SB, 0, "victim.txt", SB, path), want, "link to %s", path);
    cr_expect_eq(rename_at(SB, path, SB, "new_name"), want, "rename from %s", path);
    cr_expect_eq(rename_at(SB, "victim.txt", SB, path), want, "rename to %s", path);
    cr_expect(!exists("sandbox/new_link") && !exists("sandbox/new_name"));
    cr_expect_str_eq(content_of("sandbox/victim.txt"), "v\n");
}

/*
 * The path_* functions that look through the final component of `path` (or
 * follow it with the flag) must answer `want`; for a path such as "link/"
 * whose link points outside. The others act on the link itself (the kernel
 * does not follow it for unlink, rmdir, mkdir, rename, symlink or link's new
 * path, trailing slash or not), which lies inside.
 */
static void expect_following_ops(const char *path, int32_t want) {
    EXPECT_ERRNO_MSG(open_simple(SB, path, 0, 0), want, "open %s", path);
    EXPECT_ERRNO_MSG(open_simple(SB, path, FOLLOW, 0), want, "open follow %s", path);
    EXPECT_ERRNO_MSG(open_simple(SB, path, 0, WA_WASI_OFLAG_DIRECTORY), want, "opendir %s", path);
    EXPECT_ERRNO_MSG(stat_at(SB, 0, path), want, "stat %s", path);
    EXPECT_ERRNO_MSG(stat_at(SB, FOLLOW, path), want, "stat follow %s", path);
    EXPECT_ERRNO_MSG(times_at(SB, 0, path, 1000000000), want, "set_times %s", path);
    EXPECT_ERRNO_MSG(times_at(SB, FOLLOW, path, 1000000000), want, "set_times follow %s", path);
    EXPECT_ERRNO_MSG(readlink_at(SB, path, 64, NULL), want, "readlink %s", path);
    EXPECT_ERRNO_MSG(link_at(SB, 0, path, SB, "new_link"), want, "link from %s", path);
    EXPECT_ERRNO_MSG(link_at(SB, FOLLOW, path, SB, "new_link"), want, "link follow from %s", path);
    cr_expect(!exists("sandbox/new_link"));
}

/* ---- Both resolvers are really there. ---- */

Test(path_openat2, kernel_has_openat2) {
    /* The openat2 suite means something only if the kernel has it (Linux 5.6). */
    struct open_how how = {.flags = O_PATH, .resolve = RESOLVE_BENEATH};
    long fd = syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how);
    cr_assert_geq(fd, 0, "openat2 unavailable (errno %d): only the walk is tested", errno);
    close((int)fd);
}

/*
 * Makes openat2 fail with `err` in this (forked) test process, as old
 * kernels (ENOSYS) and some seccomp sandboxes (EPERM) do.
 */
static void refuse_openat2(int err) {
#if defined(__x86_64__)
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
    cr_assert_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
    cr_assert_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
    struct open_how how = {.flags = O_PATH};
    cr_assert_eq(syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how), -1);
    cr_assert_eq(errno, err);
#else
    (void)err;
    cr_skip_test("the seccomp filter is written for x86-64");
#endif
}

/* Without openat2 the walk takes over by itself, and the sandbox holds. */
static void check_fallback(int err) {
    refuse_openat2(err);
    cr_assert(!ctx->resolve_by_walk);
    put_dir("sandbox/sub");
    put_file("sandbox/sub/f", "f");
    put_link("../outside/secret.txt", "sandbox/out");
    EXPECT_ERRNO(open_simple(SB, "sub/f", 0, 0), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "sub/../sub/f", 0, WA_WASI_OFLAG_CREAT), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(stat_at(SB, 0, "sub/f"), WA_WASI_ESUCCESS);
    expect_every_op("../outside/secret.txt", WA_WASI_EPERM);
    expect_every_op("sub/../..", WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(SB, "out", FOLLOW, 0), WA_WASI_EPERM);
}

Test(path_openat2, falls_back_to_the_walk_on_enosys, .init = setup_openat2, .fini = teardown) {
    check_fallback(ENOSYS);
}

Test(path_openat2, falls_back_to_the_walk_on_eperm, .init = setup_openat2, .fini = teardown) {
    check_fallback(EPERM);
}

/* ---- Escapes, under both resolvers. ---- */

PATH_TEST(escape_by_dotdot) {
    put_dir("sandbox/a");
    put_dir("sandbox/a/b");
    expect_every_op("..", WA_WASI_EPERM);
    expect_every_op("../outside/secret.txt", WA_WASI_EPERM);
    expect_every_op("../outside/secret_dir", WA_WASI_EPERM);
    expect_every_op("a/../../outside/secret.txt", WA_WASI_EPERM);
    expect_every_op("a/b/../../../outside/secret_dir/x", WA_WASI_EPERM);
    expect_every_op("a/../..", WA_WASI_EPERM);
    expect_every_op("./../sandbox/victim.txt", WA_WASI_EPERM);
    /* Going down and up again stays inside. */
    put_file("sandbox/f.txt", "f\n");
    EXPECT_ERRNO(open_simple(SB, "a/b/../../f.txt", 0, 0), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "a/.//b/.././../f.txt", 0, 0), WA_WASI_ESUCCESS);
}

PATH_TEST(escape_by_absolute_path) {
    expect_every_op("/etc/passwd", WA_WASI_EPERM);
    expect_every_op("/", WA_WASI_EPERM);
    expect_every_op("//tmp", WA_WASI_EPERM);
    expect_every_op(host("outside/secret.txt"), WA_WASI_EPERM);
    expect_every_op(host("sandbox/victim.txt"), WA_WASI_EPERM);
}

PATH_TEST(escape_by_absolute_symlink) {
    put_link(host("outside/secret.txt"), "sandbox/abs_file");
    put_link(host("outside/secret_dir"), "sandbox/abs_dir");
    put_link("/", "sandbox/slash");
    /* Followed: refused. Intermediate: refused in every op. */
    EXPECT_ERRNO(open_simple(SB, "abs_file", FOLLOW, 0), WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(SB, "abs_file", FOLLOW, WA_WASI_OFLAG_TRUNC), WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(SB, "abs_dir", FOLLOW, WA_WASI_OFLAG_DIRECTORY), WA_WASI_EPERM);
    EXPECT_ERRNO(stat_at(SB, FOLLOW, "abs_file"), WA_WASI_EPERM);
    EXPECT_ERRNO(times_at(SB, FOLLOW, "abs_file", 5), WA_WASI_EPERM);
    EXPECT_ERRNO(link_at(SB, FOLLOW, "abs_file", SB, "hard"), WA_WASI_EPERM);
    expect_every_op("abs_dir/x", WA_WASI_EPERM);
    expect_every_op("slash/etc/passwd", WA_WASI_EPERM);
    expect_following_ops("abs_dir/", WA_WASI_EPERM);
    /* Not followed: the link itself, which lies inside. */
    EXPECT_ERRNO(open_simple(SB, "abs_file", 0, 0), WA_WASI_ELOOP);
    EXPECT_ERRNO(stat_at(SB, 0, "abs_file"), WA_WASI_ESUCCESS);
    cr_expect_eq(buf[FST + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_SYMBOLIC_LINK);
    /* Its text names the host's tree: not told (cap-std). */
    EXPECT_ERRNO(readlink_at(SB, "abs_file", 256, NULL), WA_WASI_EPERM);
    EXPECT_ERRNO(unlink_at(SB, "abs_file"), WA_WASI_ESUCCESS);
    cr_expect(!exists("sandbox/abs_file"));
}

PATH_TEST(escape_by_relative_symlink) {
    put_dir("sandbox/sub");
    put_link("../outside/secret.txt", "sandbox/out_file");
    put_link("../outside/secret_dir", "sandbox/out_dir");
    put_link("../..", "sandbox/sub/up2");
    put_link("..", "sandbox/up");
    put_link("../new.txt", "sandbox/out_new");
    expect_every_op("out_dir/x", WA_WASI_EPERM);
    expect_following_ops("out_dir/", WA_WASI_EPERM);
    expect_every_op("sub/up2/outside/secret.txt", WA_WASI_EPERM);
    expect_following_ops("sub/up2/", WA_WASI_EPERM);
    expect_every_op("up/outside/secret_dir", WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(SB, "out_file", FOLLOW, 0), WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(SB, "out_dir", FOLLOW, WA_WASI_OFLAG_DIRECTORY), WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(SB, "up", FOLLOW, 0), WA_WASI_EPERM);
    EXPECT_ERRNO(stat_at(SB, FOLLOW, "out_file"), WA_WASI_EPERM);
    EXPECT_ERRNO(times_at(SB, FOLLOW, "out_file", 5), WA_WASI_EPERM);
    EXPECT_ERRNO(link_at(SB, FOLLOW, "out_file", SB, "hard"), WA_WASI_EPERM);
    /* Creating through a dangling link that points outside creates nothing there. */
    EXPECT_ERRNO(open_simple(SB, "out_new", FOLLOW, WA_WASI_OFLAG_CREAT), WA_WASI_EPERM);
    cr_expect(!exists("new.txt"));
    /* Unfollowed ops act on the links themselves, inside: the text is readable. */
    uint32_t used;
    EXPECT_ERRNO(readlink_at(SB, "sub/up2", 64, &used), WA_WASI_ESUCCESS);
    cr_expect_eq(used, 5);
    cr_expect_eq(memcmp(buf + BUF, "../..", 5), 0);
    EXPECT_ERRNO(open_simple(SB, "out_file", 0, 0), WA_WASI_ELOOP);
    EXPECT_ERRNO(times_at(SB, 0, "out_file", 5000000000), WA_WASI_ESUCCESS);
    struct stat st;
    cr_expect_eq(lstat(host("sandbox/out_file"), &st), 0);
    cr_expect_eq(st.st_mtim.tv_sec, 5);
    EXPECT_ERRNO(rename_at(SB, "out_file", SB, "sub/moved"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(unlink_at(SB, "sub/moved"), WA_WASI_ESUCCESS);
}

PATH_TEST(escape_by_symlink_chain_out_and_back_in) {
    /* Each link alone is harmless-looking; together they leave and re-enter. */
    put_dir("sandbox/sub");
    put_file("sandbox/f.txt", "inside\n");
    put_link("../sandbox/f.txt", "sandbox/back_in");
    put_link("../../sandbox/f.txt", "sandbox/sub/back_in2");
    put_link("sub/hop", "sandbox/chain");
    put_link("../../sandbox", "sandbox/sub/hop");
    EXPECT_ERRNO(open_simple(SB, "back_in", FOLLOW, 0), WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(SB, "sub/back_in2", FOLLOW, 0), WA_WASI_EPERM);
    expect_every_op("chain/f.txt", WA_WASI_EPERM);
    EXPECT_ERRNO(stat_at(SB, FOLLOW, "back_in"), WA_WASI_EPERM);
    /* A chain that stays inside works, across directories. */
    put_link("sub/l2", "sandbox/l1");
    put_link("../sub/./l3", "sandbox/sub/l2");
    put_link("../f.txt", "sandbox/sub/l3");
    int32_t fd;
    cr_assert_eq(open_at(SB, "l1", FOLLOW, 0, WA_WASI_RIGHT_FD_READ, 0, &fd), WA_WASI_ESUCCESS);
    char text[16] = "";
    cr_expect_eq(pread(host_fd_of(fd), text, sizeof text - 1, 0), 7);
    cr_expect_str_eq(text, "inside\n");
    EXPECT_ERRNO(stat_at(SB, FOLLOW, "l1"), WA_WASI_ESUCCESS);
    cr_expect_eq(buf[FST + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_REGULAR_FILE);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_FILESIZE), 7);
}

PATH_TEST(dangling_symlink) {
    put_link("nothing", "sandbox/dangle");
    put_link("missing_dir/x", "sandbox/dangle2");
    EXPECT_ERRNO(open_simple(SB, "dangle", FOLLOW, 0), WA_WASI_ENOENT);
    EXPECT_ERRNO(open_simple(SB, "dangle", 0, 0), WA_WASI_ELOOP);
    EXPECT_ERRNO(stat_at(SB, FOLLOW, "dangle"), WA_WASI_ENOENT);
    EXPECT_ERRNO(stat_at(SB, 0, "dangle"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(times_at(SB, FOLLOW, "dangle", 5), WA_WASI_ENOENT);
    EXPECT_ERRNO(open_simple(SB, "dangle/x", 0, 0), WA_WASI_ENOENT);
    EXPECT_ERRNO(mkdir_at(SB, "dangle/x"), WA_WASI_ENOENT);
    EXPECT_ERRNO(link_at(SB, FOLLOW, "dangle", SB, "hard"), WA_WASI_ENOENT);
    /* Unfollowed, a dangling link can be hard-linked (wasi-testsuite path_link). */
    EXPECT_ERRNO(link_at(SB, 0, "dangle", SB, "hard"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(unlink_at(SB, "hard"), WA_WASI_ESUCCESS);
    /* O_CREAT follows it and creates the target, inside, as open(2) does. */
    EXPECT_ERRNO(open_simple(SB, "dangle", FOLLOW, WA_WASI_OFLAG_CREAT), WA_WASI_ESUCCESS);
    cr_expect(exists("sandbox/nothing"));
    EXPECT_ERRNO(open_simple(SB, "dangle2", FOLLOW, WA_WASI_OFLAG_CREAT), WA_WASI_ENOENT);
    /* With EXCL the link itself is in the way. */
    EXPECT_ERRNO(open_simple(SB, "dangle2", FOLLOW, WA_WASI_OFLAG_CREAT | WA_WASI_OFLAG_EXCL),
                 WA_WASI_EEXIST);
}

PATH_TEST(symlink_loops) {
    put_link("self", "sandbox/self");
    put_link("b", "sandbox/a");
    put_link("a", "sandbox/b");
    EXPECT_ERRNO(open_simple(SB, "self", FOLLOW, 0), WA_WASI_ELOOP);
    EXPECT_ERRNO(open_simple(SB, "a", FOLLOW, 0), WA_WASI_ELOOP);
    EXPECT_ERRNO(open_simple(SB, "a/x", 0, 0), WA_WASI_ELOOP);
    EXPECT_ERRNO(open_simple(SB, "a", FOLLOW, WA_WASI_OFLAG_CREAT), WA_WASI_ELOOP);
    EXPECT_ERRNO(stat_at(SB, FOLLOW, "self"), WA_WASI_ELOOP);
    EXPECT_ERRNO(times_at(SB, FOLLOW, "a", 5), WA_WASI_ELOOP);
    EXPECT_ERRNO(link_at(SB, FOLLOW, "a", SB, "hard"), WA_WASI_ELOOP);
    EXPECT_ERRNO(mkdir_at(SB, "a/x"), WA_WASI_ELOOP);
    EXPECT_ERRNO(unlink_at(SB, "self/"), WA_WASI_ENOTDIR);
    /* A loop is still a link: it can be read and removed. */
    uint32_t used;
    EXPECT_ERRNO(readlink_at(SB, "self", 64, &used), WA_WASI_ESUCCESS);
    cr_expect_eq(used, 4);
    EXPECT_ERRNO(unlink_at(SB, "self"), WA_WASI_ESUCCESS);
}

PATH_TEST(long_symlink_chain) {
    /* 40 links are followed (Linux's MAXSYMLINKS); the 41st is ELOOP. */
    put_file("sandbox/end", "e");
    char name[32], target[32];
    for (int i = 0; i < 41; i++) {
        snprintf(name, sizeof name, "sandbox/l%d", i);
        if (i == 0)
            snprintf(target, sizeof target, "end");
        else
            snprintf(target, sizeof target, "l%d", i - 1);
        put_link(target, name);
    }
    EXPECT_ERRNO(open_simple(SB, "l39", FOLLOW, 0), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "l40", FOLLOW, 0), WA_WASI_ELOOP);
    EXPECT_ERRNO(stat_at(SB, FOLLOW, "l39"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(stat_at(SB, FOLLOW, "l40"), WA_WASI_ELOOP);
}

PATH_TEST(final_dot_and_dotdot) {
    put_dir("sandbox/d");
    put_file("sandbox/d/f", "x");
    /* "..": outside from the top, in every op. */
    expect_every_op("..", WA_WASI_EPERM);
    expect_every_op("d/../..", WA_WASI_EPERM);
    /* "." and "d/..": the directory itself, with the host's answers. */
    EXPECT_ERRNO(open_simple(SB, ".", 0, WA_WASI_OFLAG_DIRECTORY), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "d/..", 0, 0), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "d/.", 0, 0), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(mkdir_at(SB, "."), WA_WASI_EEXIST);
    EXPECT_ERRNO(mkdir_at(SB, "d/.."), WA_WASI_EEXIST);
    EXPECT_ERRNO(unlink_at(SB, "."), WA_WASI_EISDIR);
    EXPECT_ERRNO(unlink_at(SB, "d/.."), WA_WASI_EISDIR);
    EXPECT_ERRNO(rmdir_at(SB, "."), WA_WASI_EINVAL);
    EXPECT_ERRNO(rmdir_at(SB, "d/."), WA_WASI_EINVAL);
    EXPECT_ERRNO(symlink_at("x", SB, "."), WA_WASI_EEXIST);
    EXPECT_ERRNO(link_at(SB, 0, "d/f", SB, "."), WA_WASI_EEXIST);
    EXPECT_ERRNO(link_at(SB, 0, ".", SB, "dirlink"), WA_WASI_EPERM);
    EXPECT_ERRNO(rename_at(SB, "d/.", SB, "e"), WA_WASI_EBUSY);
    EXPECT_ERRNO(rename_at(SB, "d/f", SB, "."), WA_WASI_EBUSY);
    EXPECT_ERRNO(readlink_at(SB, ".", 64, NULL), WA_WASI_EINVAL);
    EXPECT_ERRNO(stat_at(SB, 0, "d/.."), WA_WASI_ESUCCESS);
    struct stat st;
    cr_assert_eq(stat(host("sandbox"), &st), 0);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_INO), (uint64_t)st.st_ino);
    EXPECT_ERRNO(times_at(SB, 0, "d/.", 7000000000), WA_WASI_ESUCCESS);
    cr_assert_eq(stat(host("sandbox/d"), &st), 0);
    cr_expect_eq(st.st_mtim.tv_sec, 7);
    cr_expect(exists("sandbox/d/f"));
}

PATH_TEST(rename_and_link_across_the_boundary) {
    put_file("sandbox/mine.txt", "mine\n");
    EXPECT_ERRNO(rename_at(SB, "../outside/secret.txt", SB, "stolen"), WA_WASI_EPERM);
    EXPECT_ERRNO(rename_at(SB, "mine.txt", SB, "../outside/mine.txt"), WA_WASI_EPERM);
    EXPECT_ERRNO(rename_at(SB, "mine.txt", SB, "../outside/secret.txt"), WA_WASI_EPERM);
    EXPECT_ERRNO(link_at(SB, 0, "../outside/secret.txt", SB, "stolen"), WA_WASI_EPERM);
    EXPECT_ERRNO(link_at(SB, 0, "mine.txt", SB, "../outside/mine.txt"), WA_WASI_EPERM);
    EXPECT_ERRNO(symlink_at("mine.txt", SB, "../outside/planted"), WA_WASI_EPERM);
    EXPECT_ERRNO(mkdir_at(SB, "../outside/planted"), WA_WASI_EPERM);
    cr_expect(!exists("sandbox/stolen"));
    cr_expect_str_eq(content_of("sandbox/mine.txt"), "mine\n");
}

PATH_TEST(link_of_a_symlink_pointing_outside) {
    put_link("../outside/secret.txt", "sandbox/out");
    /* Unfollowed: the new name is another link to the same text, and as harmless. */
    EXPECT_ERRNO(link_at(SB, 0, "out", SB, "hard"), WA_WASI_ESUCCESS);
    struct stat st;
    cr_assert_eq(lstat(host("sandbox/hard"), &st), 0);
    cr_expect(S_ISLNK(st.st_mode));
    EXPECT_ERRNO(open_simple(SB, "hard", FOLLOW, 0), WA_WASI_EPERM);
    /* Followed: refused, nothing created. */
    EXPECT_ERRNO(link_at(SB, FOLLOW, "out", SB, "hard2"), WA_WASI_EPERM);
    cr_expect(!exists("sandbox/hard2"));
}

PATH_TEST(trailing_slash_through_links) {
    put_dir("sandbox/d");
    put_file("sandbox/f", "f");
    put_link("d", "sandbox/to_d");
    put_link("../outside/secret_dir", "sandbox/out_dir");
    /* A trailing slash follows the final link (to a directory inside: fine). */
    EXPECT_ERRNO(stat_at(SB, 0, "to_d/"), WA_WASI_ESUCCESS);
    cr_expect_eq(buf[FST + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_DIRECTORY);
    EXPECT_ERRNO(open_simple(SB, "to_d/", 0, 0), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "f/", 0, 0), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(open_simple(SB, "f//", 0, 0), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(open_simple(SB, "d//", 0, 0), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(stat_at(SB, 0, "f/"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(readlink_at(SB, "to_d/", 64, NULL), WA_WASI_EINVAL);
    /* Never outside, and the kernel's no-follow calls do not look through the link. */
    EXPECT_ERRNO(stat_at(SB, 0, "out_dir/"), WA_WASI_EPERM);
    EXPECT_ERRNO(times_at(SB, 0, "out_dir/", 5), WA_WASI_EPERM);
    EXPECT_ERRNO(readlink_at(SB, "out_dir/", 64, NULL), WA_WASI_EPERM);
    EXPECT_ERRNO(link_at(SB, 0, "out_dir/", SB, "x"), WA_WASI_EPERM);
    EXPECT_ERRNO(rmdir_at(SB, "out_dir/"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(unlink_at(SB, "out_dir/"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(open_simple(SB, "out_dir/", 0, 0), WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(SB, "out_dir/", 0, WA_WASI_OFLAG_CREAT), WA_WASI_EISDIR);
    cr_expect(exists("sandbox/out_dir"));
}

/* Swaps sandbox/x and sandbox/d between links inside and links outside until told to stop. */
static atomic_int stop_swapping;
static atomic_uint swaps;

static void *swap_links(void *arg) {
    (void)arg;
    char tmp[PATH_MAX], x[PATH_MAX], d[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/sandbox/.swap", root);
    snprintf(x, sizeof x, "%s/sandbox/x", root);
    snprintf(d, sizeof d, "%s/sandbox/d", root);
    for (unsigned i = 0; !stop_swapping; i++) {
        bool out = i & 1;
        unlink(tmp);
        if (symlink(out ? "../outside/secret.txt" : "in.txt", tmp) == 0)
            rename(tmp, x);
        unlink(tmp);
        if (symlink(out ? "../outside" : "d_real", tmp) == 0)
            rename(tmp, d);
        swaps = i + 1;
    }
    unlink(tmp);
    return NULL;
}

PATH_TEST(links_swapped_during_resolution) {
    /*
     * Another process (here a thread) flips links between inside and outside
     * while paths through them are resolved: every open either fails or
     * lands inside, never on the secret.
     */
    put_file("sandbox/in.txt", "inside\n");
    put_dir("sandbox/d_real");
    put_file("sandbox/d_real/secret.txt", "inside\n");
    put_link("in.txt", "sandbox/x");
    put_link("d_real", "sandbox/d");
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, swap_links, NULL), 0);
    int opened = 0, refused = 0;
    /*
     * At least 3000 tries, and on until the swapper has really run alongside:
     * on a loaded machine it may get little time, so the bound is time, not
     * a count of tries.
     */
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int i = 0; i < 3000 || swaps < 2000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec > 60)
            break;
        const char *path = i & 1 ? "x" : "d/secret.txt";
        int32_t fd;
        int32_t err = open_at(SB, path, FOLLOW, 0, WA_WASI_RIGHT_FD_READ, 0, &fd);
        if (err == WA_WASI_ESUCCESS) {
            char text[16] = "";
            cr_expect_eq(pread(host_fd_of(fd), text, sizeof text - 1, 0), 7);
            cr_expect_str_eq(text, "inside\n", "%s reached outside", path);
            cr_assert_eq(wa_wasi_fd_close(ctx, fd), WA_WASI_ESUCCESS);
            opened++;
        } else {
            /* PERM for an escape; ENOENT or ELOOP when caught between two renames. */
            cr_expect(err == WA_WASI_EPERM || err == WA_WASI_ENOENT || err == WA_WASI_ELOOP,
                      "errno %d", err);
            refused++;
        }
        if (stat_at(SB, FOLLOW, path) == WA_WASI_ESUCCESS)
            cr_expect_neq(load_u64(FST + WA_WASI_FILESTAT_INO), (uint64_t)secret_before.st_ino);
    }
    stop_swapping = 1;
    pthread_join(t, NULL);
    cr_log_info("links_swapped_during_resolution: %d opened, %d refused, %u swaps", opened, refused,
                swaps);
    cr_expect_geq(swaps, 2000u, "the swapper hardly ran");
}

/* ---- path_open. ---- */

PATH_TEST(open_create_write_read) {
    int32_t fd;
    cr_assert_eq(open_at(SB, "new.txt", 0, WA_WASI_OFLAG_CREAT, ALL, 0, &fd), WA_WASI_ESUCCESS);
    cr_expect_geq(fd, 6);
    EXPECT_ERRNO(write_fd(fd, "hello"), WA_WASI_ESUCCESS);
    cr_expect_eq(load_u32(OUT + 16), 5);
    cr_expect_str_eq(content_of("sandbox/new.txt"), "hello");
    /* Every right asked, the file's kind granted: no path_* rights on a file. */
    cr_expect_eq(rights_of(fd) & WA_WASI_RIGHT_PATH_OPEN, 0);
    cr_expect_neq(rights_of(fd) & WA_WASI_RIGHT_FD_SEEK, 0);
    cr_expect_eq(fcntl(host_fd_of(fd), F_GETFL) & O_ACCMODE, O_RDWR);
    cr_expect_neq(fcntl(host_fd_of(fd), F_GETFD) & FD_CLOEXEC, 0);
    EXPECT_ERRNO(wa_wasi_fd_close(ctx, fd), WA_WASI_ESUCCESS);
    struct stat st;
    cr_assert_eq(stat(host("sandbox/new.txt"), &st), 0);
    cr_expect_eq(st.st_mode & 0077 & ~(mode_t)0066, 0);

    EXPECT_ERRNO(open_simple(SB, "new.txt", 0, WA_WASI_OFLAG_CREAT | WA_WASI_OFLAG_EXCL),
                 WA_WASI_EEXIST);
    EXPECT_ERRNO(open_simple(SB, "absent.txt", 0, 0), WA_WASI_ENOENT);
    EXPECT_ERRNO(open_simple(SB, "absent/x.txt", 0, WA_WASI_OFLAG_CREAT), WA_WASI_ENOENT);
    EXPECT_ERRNO(open_simple(SB, "new.txt/x", 0, 0), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(open_simple(SB, "new.txt", 0, WA_WASI_OFLAG_DIRECTORY), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(open_simple(SB, "", 0, 0), WA_WASI_ENOENT);

    /* TRUNC empties it. */
    cr_assert_eq(open_at(SB, "new.txt", 0, WA_WASI_OFLAG_TRUNC, WA_WASI_RIGHT_FD_READ, 0, &fd),
                 WA_WASI_ESUCCESS);
    cr_expect_str_eq(content_of("sandbox/new.txt"), "");
}

PATH_TEST(open_rights_and_modes) {
    put_file("sandbox/f.txt", "abc");
    int32_t fd;
    /* Read only: the host fd is O_RDONLY, writing is NOTCAPABLE. */
    cr_assert_eq(open_at(SB, "f.txt", 0, 0, WA_WASI_RIGHT_FD_READ, 0, &fd), WA_WASI_ESUCCESS);
    cr_expect_eq(rights_of(fd), WA_WASI_RIGHT_FD_READ);
    cr_expect_eq(fcntl(host_fd_of(fd), F_GETFL) & O_ACCMODE, O_RDONLY);
    EXPECT_ERRNO(write_fd(fd, "x"), WA_WASI_ENOTCAPABLE);
    /* Write only. */
    cr_assert_eq(open_at(SB, "f.txt", 0, 0, WA_WASI_RIGHT_FD_WRITE, WA_WASI_FDFLAG_APPEND, &fd),
                 WA_WASI_ESUCCESS);
    cr_expect_eq(fcntl(host_fd_of(fd), F_GETFL) & (O_ACCMODE | O_APPEND), O_WRONLY | O_APPEND);
    EXPECT_ERRNO(write_fd(fd, "d"), WA_WASI_ESUCCESS);
    cr_expect_str_eq(content_of("sandbox/f.txt"), "abcd");
    /* No rights: opened read-only, and nothing is allowed. */
    cr_assert_eq(open_at(SB, "f.txt", 0, 0, 0, 0, &fd), WA_WASI_ESUCCESS);
    cr_expect_eq(rights_of(fd), 0);
    EXPECT_ERRNO(write_fd(fd, "x"), WA_WASI_ENOTCAPABLE);
    /* Flags. */
    cr_assert_eq(
        open_at(SB, "f.txt", 0, 0, ALL, WA_WASI_FDFLAG_NONBLOCK | WA_WASI_FDFLAG_SYNC, &fd),
        WA_WASI_ESUCCESS);
    int fl = fcntl(host_fd_of(fd), F_GETFL);
    cr_expect_neq(fl & O_NONBLOCK, 0);
    cr_expect_eq(fl & O_SYNC, O_SYNC);
    cr_assert_eq(open_at(SB, "f.txt", 0, 0, ALL, WA_WASI_FDFLAG_DSYNC, &fd), WA_WASI_ESUCCESS);
    cr_expect_eq(fcntl(host_fd_of(fd), F_GETFL) & O_DSYNC, O_DSYNC);
    /* A directory: with write it is EISDIR (the host's and wasmtime's answer). */
    put_dir("sandbox/d");
    EXPECT_ERRNO(open_at(SB, "d", 0, WA_WASI_OFLAG_DIRECTORY,
                         WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_WRITE, 0, NULL),
                 WA_WASI_EISDIR);
    EXPECT_ERRNO(open_at(SB, "d", 0, 0, WA_WASI_RIGHT_FD_WRITE, 0, NULL), WA_WASI_EISDIR);
    cr_assert_eq(
        open_at(SB, "d", 0, WA_WASI_OFLAG_DIRECTORY, ALL & ~WA_WASI_RIGHT_FD_WRITE, 0, &fd),
        WA_WASI_ESUCCESS);
    cr_expect_eq(wa_fdtab_get(ctx, fd)->filetype, WA_WASI_FILETYPE_DIRECTORY);
    cr_expect_neq(rights_of(fd) & WA_WASI_RIGHT_PATH_OPEN, 0);
    cr_expect_eq(rights_of(fd) & WA_WASI_RIGHT_FD_READ, 0);
}

PATH_TEST(open_inherits_within_the_directory) {
    put_dir("sandbox/d");
    put_file("sandbox/d/f.txt", "f");
    int32_t d;
    /* A directory whose files may only be read. */
    cr_assert_eq(wa_wasi_path_open(ctx, SB, 0, S("d"), WA_WASI_OFLAG_DIRECTORY,
                                   (int64_t)(ALL & ~WA_WASI_RIGHT_FD_WRITE),
                                   (int64_t)(WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_SEEK), 0,
                                   (int32_t)OUT),
                 WA_WASI_ESUCCESS);
    d = (int32_t)load_u32(OUT);
    cr_expect_eq(wa_fdtab_get(ctx, d)->rights_inheriting,
                 WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_SEEK);
    int32_t fd;
    /* Asking for more is not an error: the rights are masked (wasmtime, wasi-libc). */
    cr_assert_eq(open_at(d, "f.txt", 0, 0, ALL, 0, &fd), WA_WASI_ESUCCESS);
    cr_expect_eq(rights_of(fd), WA_WASI_RIGHT_FD_READ | WA_WASI_RIGHT_FD_SEEK);
    cr_expect_eq(fcntl(host_fd_of(fd), F_GETFL) & O_ACCMODE, O_RDONLY);
    EXPECT_ERRNO(write_fd(fd, "x"), WA_WASI_ENOTCAPABLE);
    /* Synchronous writes are rights it cannot pass on (fd_sync, fd_datasync). */
    EXPECT_ERRNO(open_at(d, "f.txt", 0, 0, ALL, WA_WASI_FDFLAG_DSYNC, NULL), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(open_at(d, "f.txt", 0, 0, ALL, WA_WASI_FDFLAG_SYNC, NULL), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(open_at(d, "f.txt", 0, 0, ALL, WA_WASI_FDFLAG_RSYNC, NULL), WA_WASI_ENOTCAPABLE);
    /* The directory fd is a directory fd like a preopen: paths resolve beneath it. */
    EXPECT_ERRNO(open_simple(d, "../d/f.txt", 0, 0), WA_WASI_EPERM);
    EXPECT_ERRNO(open_simple(d, "..", 0, 0), WA_WASI_EPERM);
    EXPECT_ERRNO(stat_at(d, 0, "f.txt"), WA_WASI_ESUCCESS);
    /* Its own base rights are those of a directory: no creating files through it... */
    EXPECT_ERRNO(open_simple(d, "g.txt", 0, WA_WASI_OFLAG_CREAT), WA_WASI_ESUCCESS);
    /* ...unless its base rights lack them. */
    cr_assert_eq(open_at(SB, "d", 0, WA_WASI_OFLAG_DIRECTORY, WA_WASI_RIGHT_PATH_OPEN, 0, &d),
                 WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(d, "h.txt", 0, WA_WASI_OFLAG_CREAT), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(open_simple(d, "f.txt", 0, WA_WASI_OFLAG_TRUNC), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(mkdir_at(d, "x"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(unlink_at(d, "f.txt"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(rmdir_at(d, "x"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(stat_at(d, 0, "f.txt"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(times_at(d, 0, "f.txt", 5), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(readlink_at(d, "f.txt", 8, NULL), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(symlink_at("f.txt", d, "l"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(link_at(d, 0, "f.txt", SB, "l"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(link_at(SB, 0, "d/f.txt", d, "l"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(rename_at(d, "f.txt", SB, "l"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(rename_at(SB, "d/f.txt", d, "l"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(open_simple(d, "f.txt", 0, 0), WA_WASI_ESUCCESS);
    /* Without path_open nothing opens. */
    cr_assert_eq(open_at(SB, "d", 0, WA_WASI_OFLAG_DIRECTORY, WA_WASI_RIGHT_FD_READDIR, 0, &d),
                 WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(d, "f.txt", 0, 0), WA_WASI_ENOTCAPABLE);
}

PATH_TEST(open_bad_arguments) {
    put_file("sandbox/f.txt", "f");
    int32_t fd;
    EXPECT_ERRNO(open_simple(99, "f.txt", 0, 0), WA_WASI_EBADF);
    EXPECT_ERRNO(open_simple(-1, "f.txt", 0, 0), WA_WASI_EBADF);
    cr_assert_eq(open_at(SB, "f.txt", 0, 0, ALL, 0, &fd), WA_WASI_ESUCCESS);
    /* A file is no directory: it has no path rights (the testsuite accepts NOTCAPABLE). */
    EXPECT_ERRNO(open_simple(fd, "x", 0, 0), WA_WASI_ENOTCAPABLE);
    /* Even with the rights (no such fd can be made, but the check stands): ENOTDIR (wasmtime). */
    wa_fdtab_get(ctx, fd)->rights_base = ALL;
    EXPECT_ERRNO(open_simple(fd, "x", 0, 0), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(mkdir_at(fd, "x"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(rename_at(SB, "f.txt", fd, "x"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(open_simple(SB, "d", 0, WA_WASI_OFLAG_DIRECTORY | WA_WASI_OFLAG_CREAT),
                 WA_WASI_EINVAL);
    EXPECT_ERRNO(open_simple(SB, "f.txt", 0, WA_WASI_OFLAG_DIRECTORY | WA_WASI_OFLAG_TRUNC),
                 WA_WASI_EINVAL);
    EXPECT_ERRNO(open_simple(SB, "f.txt", 0, 1 << 4), WA_WASI_EINVAL);
    EXPECT_ERRNO(open_simple(SB, "f.txt", 2, 0), WA_WASI_EINVAL);
    EXPECT_ERRNO(open_at(SB, "f.txt", 0, 0, ALL, 1 << 5, NULL), WA_WASI_EINVAL);
    /* Bad guest pointers: EFAULT, and nothing is created or left open. */
    uint32_t slots_before = ctx->nfds;
    EXPECT_ERRNO(wa_wasi_path_open(ctx, SB, 0, (int32_t)MEM_SIZE - 2, 3, WA_WASI_OFLAG_CREAT,
                                   (int64_t)ALL, (int64_t)ALL, 0, (int32_t)OUT),
                 WA_WASI_EFAULT);
    EXPECT_ERRNO(wa_wasi_path_open(ctx, SB, 0, S("made.txt"), WA_WASI_OFLAG_CREAT, (int64_t)ALL,
                                   (int64_t)ALL, 0, (int32_t)MEM_SIZE - 3),
                 WA_WASI_EFAULT);
    EXPECT_ERRNO(wa_wasi_path_open(ctx, SB, 0, S("made.txt"), WA_WASI_OFLAG_CREAT, (int64_t)ALL,
                                   (int64_t)ALL, 0, -1),
                 WA_WASI_EFAULT);
    cr_expect(!exists("sandbox/made.txt"));
    cr_expect_eq(ctx->nfds, slots_before);
    /* A NUL inside is EINVAL (wasmtime), bytes that are not UTF-8 EILSEQ. */
    memcpy(buf + 3000, "f.txt/garbage", 13);
    EXPECT_ERRNO_MSG(
        wa_wasi_path_open(ctx, SB, 0, 3000, 5, 0, (int64_t)ALL, (int64_t)ALL, 0, (int32_t)OUT),
        WA_WASI_ESUCCESS, "%s", "the length counts, not a terminator");
    memcpy(buf + 3000, "f.txt\0", 6);
    EXPECT_ERRNO(
        wa_wasi_path_open(ctx, SB, 0, 3000, 6, 0, (int64_t)ALL, (int64_t)ALL, 0, (int32_t)OUT),
        WA_WASI_EINVAL);
    memcpy(buf + 3000, "f\xff.txt", 6);
    EXPECT_ERRNO(
        wa_wasi_path_open(ctx, SB, 0, 3000, 6, 0, (int64_t)ALL, (int64_t)ALL, 0, (int32_t)OUT),
        WA_WASI_EILSEQ);
    memcpy(buf + 3000, "\xed\xa0\x80", 3); /* a UTF-16 surrogate */
    EXPECT_ERRNO(
        wa_wasi_path_open(ctx, SB, 0, 3000, 3, 0, (int64_t)ALL, (int64_t)ALL, 0, (int32_t)OUT),
        WA_WASI_EILSEQ);
    EXPECT_ERRNO(open_simple(SB, "caf\xc3\xa9", 0, WA_WASI_OFLAG_CREAT), WA_WASI_ESUCCESS);
    cr_expect(exists("sandbox/caf\xc3\xa9"));
    /* PATH_MAX bytes and more: NAMETOOLONG from both resolvers, before anything is copied. */
    memset(buf + 8192, 'a', PATH_MAX);
    for (uint32_t i = 8192 + 200; i < 8192 + PATH_MAX; i += 200)
        buf[i] = '/';
    EXPECT_ERRNO(wa_wasi_path_filestat_get(ctx, SB, 0, 8192, PATH_MAX, (int32_t)FST),
                 WA_WASI_ENAMETOOLONG);
    EXPECT_ERRNO(wa_wasi_path_open(ctx, SB, 0, 8192, PATH_MAX, WA_WASI_OFLAG_CREAT, (int64_t)ALL,
                                   (int64_t)ALL, 0, (int32_t)OUT),
                 WA_WASI_ENAMETOOLONG);
    EXPECT_ERRNO(wa_wasi_path_open(ctx, SB, 0, 8192, (int32_t)(MEM_SIZE - 8192), 0, (int64_t)ALL,
                                   (int64_t)ALL, 0, (int32_t)OUT),
                 WA_WASI_ENAMETOOLONG);
}

PATH_TEST(open_symlinks) {
    put_file("sandbox/target", "t");
    put_dir("sandbox/dir");
    put_link("target", "sandbox/to_file");
    put_link("dir", "sandbox/to_dir");
    /* Not followed: ELOOP as O_NOFOLLOW gives; with O_DIRECTORY the host says ENOTDIR. */
    EXPECT_ERRNO(open_simple(SB, "to_file", 0, 0), WA_WASI_ELOOP);
    int32_t err = open_simple(SB, "to_dir", 0, WA_WASI_OFLAG_DIRECTORY);
    cr_expect(err == WA_WASI_ELOOP || err == WA_WASI_ENOTDIR, "errno %d", err);
    EXPECT_ERRNO(open_simple(SB, "to_file", FOLLOW, 0), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "to_dir", FOLLOW, WA_WASI_OFLAG_DIRECTORY), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "to_file", FOLLOW, WA_WASI_OFLAG_DIRECTORY), WA_WASI_ENOTDIR);
    /* Intermediate links are always followed. */
    put_file("sandbox/dir/in", "i");
    EXPECT_ERRNO(open_simple(SB, "to_dir/in", 0, 0), WA_WASI_ESUCCESS);
}

PATH_TEST(read_only_grant) {
    int32_t fd;
    /* Opening for writing succeeds, but the fd cannot write: masked, and O_RDONLY on the host. */
    cr_assert_eq(open_at(RO, "file.txt", 0, 0, ALL, 0, &fd), WA_WASI_ESUCCESS);
    cr_expect_eq(rights_of(fd) & WA_WASI_RIGHTS_WRITING, 0);
    cr_expect_eq(fcntl(host_fd_of(fd), F_GETFL) & O_ACCMODE, O_RDONLY);
    EXPECT_ERRNO(write_fd(fd, "x"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(open_simple(RO, "new.txt", 0, WA_WASI_OFLAG_CREAT), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(open_simple(RO, "file.txt", 0, WA_WASI_OFLAG_TRUNC), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(mkdir_at(RO, "d"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(unlink_at(RO, "file.txt"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(rmdir_at(RO, "d"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(symlink_at("file.txt", RO, "l"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(link_at(RO, 0, "file.txt", RO, "l"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(link_at(RO, 0, "file.txt", SB, "l"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(rename_at(RO, "file.txt", RO, "moved"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(rename_at(RO, "file.txt", SB, "moved"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(rename_at(SB, "x", RO, "moved"), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(times_at(RO, 0, "file.txt", 5), WA_WASI_ENOTCAPABLE);
    /* A directory opened through it is read-only too. */
    put_dir("ro/sub");
    int32_t d;
    cr_assert_eq(open_at(RO, "sub", 0, WA_WASI_OFLAG_DIRECTORY, ALL, 0, &d), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(d, "new.txt", 0, WA_WASI_OFLAG_CREAT), WA_WASI_ENOTCAPABLE);
    EXPECT_ERRNO(mkdir_at(d, "x"), WA_WASI_ENOTCAPABLE);
    /* Looking is allowed. */
    EXPECT_ERRNO(stat_at(RO, 0, "file.txt"), WA_WASI_ESUCCESS);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_FILESIZE), 10);
    cr_expect_str_eq(content_of("ro/file.txt"), "read only\n");
    cr_expect_str_eq(listing("ro"), "file.txt sub");
}

/* ---- The other functions. ---- */

PATH_TEST(create_and_remove_directory) {
    put_file("sandbox/f", "f");
    EXPECT_ERRNO(mkdir_at(SB, "d"), WA_WASI_ESUCCESS);
    struct stat st;
    cr_assert_eq(stat(host("sandbox/d"), &st), 0);
    cr_expect(S_ISDIR(st.st_mode));
    EXPECT_ERRNO(mkdir_at(SB, "d"), WA_WASI_EEXIST);
    EXPECT_ERRNO(mkdir_at(SB, "f"), WA_WASI_EEXIST);
    EXPECT_ERRNO(mkdir_at(SB, "d/e/"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(mkdir_at(SB, "missing/e"), WA_WASI_ENOENT);
    EXPECT_ERRNO(mkdir_at(SB, "f/e"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(mkdir_at(SB, ""), WA_WASI_ENOENT);
    EXPECT_ERRNO(rmdir_at(SB, "d"), WA_WASI_ENOTEMPTY);
    EXPECT_ERRNO(rmdir_at(SB, "f"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(rmdir_at(SB, "f/"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(rmdir_at(SB, "absent"), WA_WASI_ENOENT);
    EXPECT_ERRNO(rmdir_at(SB, "d/e/"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(rmdir_at(SB, "d"), WA_WASI_ESUCCESS);
    cr_expect(!exists("sandbox/d"));
    put_link("f", "sandbox/l");
    EXPECT_ERRNO(rmdir_at(SB, "l"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(mkdir_at(99, "x"), WA_WASI_EBADF);
    EXPECT_ERRNO(rmdir_at(99, "x"), WA_WASI_EBADF);
    EXPECT_ERRNO(wa_wasi_path_create_directory(ctx, SB, (int32_t)MEM_SIZE, 1), WA_WASI_EFAULT);
    EXPECT_ERRNO(wa_wasi_path_remove_directory(ctx, SB, 10, -1), WA_WASI_EFAULT);
}

PATH_TEST(filestat_get) {
    put_file("sandbox/f", "12345");
    put_link("f", "sandbox/l");
    cr_assert_eq(stat_at(SB, 0, "f"), WA_WASI_ESUCCESS);
    struct stat st;
    cr_assert_eq(stat(host("sandbox/f"), &st), 0);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_DEV), (uint64_t)st.st_dev);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_INO), (uint64_t)st.st_ino);
    cr_expect_eq(buf[FST + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_REGULAR_FILE);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_NLINK), 1);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_FILESIZE), 5);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_MTIM),
                 (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec);
    cr_assert_eq(stat_at(SB, 0, "l"), WA_WASI_ESUCCESS);
    cr_expect_eq(buf[FST + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_SYMBOLIC_LINK);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_FILESIZE), 1);
    cr_assert_eq(stat_at(SB, FOLLOW, "l"), WA_WASI_ESUCCESS);
    cr_expect_eq(load_u64(FST + WA_WASI_FILESTAT_INO), (uint64_t)st.st_ino);
    cr_assert_eq(stat_at(SB, 0, "."), WA_WASI_ESUCCESS);
    cr_expect_eq(buf[FST + WA_WASI_FILESTAT_FILETYPE], WA_WASI_FILETYPE_DIRECTORY);
    EXPECT_ERRNO(stat_at(SB, 0, "absent"), WA_WASI_ENOENT);
    EXPECT_ERRNO(stat_at(SB, 0, "f/x"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(stat_at(SB, 2, "f"), WA_WASI_EINVAL);
    EXPECT_ERRNO(stat_at(99, 0, "f"), WA_WASI_EBADF);
    memset(buf + FST, 0xAB, 8);
    EXPECT_ERRNO(wa_wasi_path_filestat_get(ctx, SB, 0, S("f"), (int32_t)MEM_SIZE - 63),
                 WA_WASI_EFAULT);
    EXPECT_ERRNO(wa_wasi_path_filestat_get(ctx, SB, 0, (int32_t)MEM_SIZE, 1, (int32_t)FST),
                 WA_WASI_EFAULT);
    cr_expect_eq(buf[FST], 0xAB, "nothing written on EFAULT");
}

PATH_TEST(filestat_set_times) {
    put_file("sandbox/f", "f");
    put_link("f", "sandbox/l");
    EXPECT_ERRNO(wa_wasi_path_filestat_set_times(ctx, SB, 0, S("f"), 3000000001, 2000000002,
                                                 WA_WASI_FSTFLAG_ATIM | WA_WASI_FSTFLAG_MTIM),
                 WA_WASI_ESUCCESS);
    struct stat st;
    cr_assert_eq(stat(host("sandbox/f"), &st), 0);
    cr_expect_eq(st.st_atim.tv_sec, 3);
    cr_expect_eq(st.st_atim.tv_nsec, 1);
    cr_expect_eq(st.st_mtim.tv_sec, 2);
    cr_expect_eq(st.st_mtim.tv_nsec, 2);
    /* Not followed: the link's own time changes, the file's stays. */
    EXPECT_ERRNO(times_at(SB, 0, "l", 9000000000), WA_WASI_ESUCCESS);
    cr_assert_eq(lstat(host("sandbox/l"), &st), 0);
    cr_expect_eq(st.st_mtim.tv_sec, 9);
    cr_assert_eq(stat(host("sandbox/f"), &st), 0);
    cr_expect_eq(st.st_mtim.tv_sec, 2);
    EXPECT_ERRNO(times_at(SB, FOLLOW, "l", 8000000000), WA_WASI_ESUCCESS);
    cr_assert_eq(stat(host("sandbox/f"), &st), 0);
    cr_expect_eq(st.st_mtim.tv_sec, 8);
    /* MTIM_NOW. */
    EXPECT_ERRNO(
        wa_wasi_path_filestat_set_times(ctx, SB, 0, S("f"), 0, 0, WA_WASI_FSTFLAG_MTIM_NOW),
        WA_WASI_ESUCCESS);
    cr_assert_eq(stat(host("sandbox/f"), &st), 0);
    cr_expect_gt(st.st_mtim.tv_sec, 1000000000);
    EXPECT_ERRNO(wa_wasi_path_filestat_set_times(ctx, SB, 0, S("f"), 0, 0,
                                                 WA_WASI_FSTFLAG_MTIM | WA_WASI_FSTFLAG_MTIM_NOW),
                 WA_WASI_EINVAL);
    EXPECT_ERRNO(wa_wasi_path_filestat_set_times(ctx, SB, 0, S("f"), 0, 0, 1 << 4), WA_WASI_EINVAL);
    EXPECT_ERRNO(wa_wasi_path_filestat_set_times(ctx, SB, 4, S("f"), 0, 0, 0), WA_WASI_EINVAL);
    EXPECT_ERRNO(times_at(SB, 0, "absent", 5), WA_WASI_ENOENT);
    EXPECT_ERRNO(times_at(99, 0, "f", 5), WA_WASI_EBADF);
    EXPECT_ERRNO(wa_wasi_path_filestat_set_times(ctx, SB, 0, (int32_t)MEM_SIZE, 1, 0, 0, 0),
                 WA_WASI_EFAULT);
}

PATH_TEST(link) {
    put_file("sandbox/f", "f");
    put_dir("sandbox/d");
    EXPECT_ERRNO(link_at(SB, 0, "f", SB, "g"), WA_WASI_ESUCCESS);
    struct stat st;
    cr_assert_eq(stat(host("sandbox/g"), &st), 0);
    cr_expect_eq(st.st_nlink, 2);
    EXPECT_ERRNO(link_at(SB, 0, "f", SB, "g"), WA_WASI_EEXIST);
    EXPECT_ERRNO(link_at(SB, 0, "f", SB, "f"), WA_WASI_EEXIST);
    EXPECT_ERRNO(link_at(SB, 0, "f", SB, "d"), WA_WASI_EEXIST);
    EXPECT_ERRNO(link_at(SB, 0, "d", SB, "dl"), WA_WASI_EPERM);
    EXPECT_ERRNO(link_at(SB, 0, "absent", SB, "x"), WA_WASI_ENOENT);
    EXPECT_ERRNO(link_at(SB, 0, "f", SB, "x/"), WA_WASI_ENOENT);
    EXPECT_ERRNO(link_at(SB, 0, "f", SB, "absent/x"), WA_WASI_ENOENT);
    /* Into a subdirectory fd, and across two preopens (same file system). */
    int32_t d;
    cr_assert_eq(open_at(SB, "d", 0, WA_WASI_OFLAG_DIRECTORY, ALL & ~WA_WASI_RIGHT_FD_WRITE, 0, &d),
                 WA_WASI_ESUCCESS);
    EXPECT_ERRNO(link_at(SB, 0, "f", d, "in_d"), WA_WASI_ESUCCESS);
    cr_expect(exists("sandbox/d/in_d"));
    EXPECT_ERRNO(link_at(SB, 0, "f", SB2, "in_sb2"), WA_WASI_ESUCCESS);
    cr_expect_str_eq(content_of("sandbox2/in_sb2"), "f");
    /* Followed, the target is linked. */
    put_link("f", "sandbox/l");
    EXPECT_ERRNO(link_at(SB, FOLLOW, "l", SB, "via_l"), WA_WASI_ESUCCESS);
    cr_assert_eq(lstat(host("sandbox/via_l"), &st), 0);
    cr_expect(S_ISREG(st.st_mode));
    EXPECT_ERRNO(link_at(SB, 2, "f", SB, "y"), WA_WASI_EINVAL);
    EXPECT_ERRNO(link_at(99, 0, "f", SB, "y"), WA_WASI_EBADF);
    EXPECT_ERRNO(link_at(SB, 0, "f", 99, "y"), WA_WASI_EBADF);
    EXPECT_ERRNO(wa_wasi_path_link(ctx, SB, 0, S("f"), SB, (int32_t)MEM_SIZE, 1), WA_WASI_EFAULT);
    EXPECT_ERRNO(wa_wasi_path_link(ctx, SB, 0, (int32_t)MEM_SIZE, 1, SB, S("y")), WA_WASI_EFAULT);
}

PATH_TEST(readlink) {
    put_link("target", "sandbox/l");
    put_file("sandbox/f", "f");
    memset(buf + BUF, 0, 16);
    uint32_t used;
    EXPECT_ERRNO(readlink_at(SB, "l", 10, &used), WA_WASI_ESUCCESS);
    cr_expect_eq(used, 6);
    cr_expect_eq(memcmp(buf + BUF, "target\0\0\0\0", 10), 0);
    /* Truncated to the buffer, and the count says so (wasmtime, wasi-testsuite readlink). */
    memset(buf + BUF, 0, 16);
    EXPECT_ERRNO(readlink_at(SB, "l", 4, &used), WA_WASI_ESUCCESS);
    cr_expect_eq(used, 4);
    cr_expect_eq(memcmp(buf + BUF, "targ\0", 5), 0);
    EXPECT_ERRNO(readlink_at(SB, "l", 0, &used), WA_WASI_ESUCCESS);
    cr_expect_eq(used, 0);
    EXPECT_ERRNO(readlink_at(SB, "f", 10, NULL), WA_WASI_EINVAL);
    EXPECT_ERRNO(readlink_at(SB, "absent", 10, NULL), WA_WASI_ENOENT);
    EXPECT_ERRNO(readlink_at(99, "l", 10, NULL), WA_WASI_EBADF);
    EXPECT_ERRNO(wa_wasi_path_readlink(ctx, SB, S("l"), (int32_t)MEM_SIZE - 2, 3, (int32_t)OUT),
                 WA_WASI_EFAULT);
    EXPECT_ERRNO(wa_wasi_path_readlink(ctx, SB, S("l"), (int32_t)BUF, 10, (int32_t)MEM_SIZE),
                 WA_WASI_EFAULT);
    EXPECT_ERRNO(
        wa_wasi_path_readlink(ctx, SB, (int32_t)MEM_SIZE, 1, (int32_t)BUF, 10, (int32_t)OUT),
        WA_WASI_EFAULT);
    /* A long target is read whole. */
    char long_target[1000];
    memset(long_target, 'a', sizeof long_target - 1);
    long_target[sizeof long_target - 1] = '\0';
    put_link(long_target, "sandbox/long");
    EXPECT_ERRNO(readlink_at(SB, "long", 2000, &used), WA_WASI_ESUCCESS);
    cr_expect_eq(used, 999);
}

PATH_TEST(rename) {
    put_file("sandbox/f", "f");
    put_dir("sandbox/d");
    put_dir("sandbox/full");
    put_file("sandbox/full/x", "x");
    EXPECT_ERRNO(rename_at(SB, "f", SB, "g"), WA_WASI_ESUCCESS);
    cr_expect(!exists("sandbox/f") && exists("sandbox/g"));
    EXPECT_ERRNO(rename_at(SB, "d", SB, "e"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(rename_at(SB, "e/", SB, "d/"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(rename_at(SB, "d", SB, "full"), WA_WASI_ENOTEMPTY);
    EXPECT_ERRNO(rename_at(SB, "g", SB, "d"), WA_WASI_EISDIR);
    EXPECT_ERRNO(rename_at(SB, "d", SB, "g"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(rename_at(SB, "g/", SB, "h"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(rename_at(SB, "absent", SB, "h"), WA_WASI_ENOENT);
    EXPECT_ERRNO(rename_at(SB, "g", SB, "absent/h"), WA_WASI_ENOENT);
    /* Across two preopens, both ways. */
    EXPECT_ERRNO(rename_at(SB, "g", SB2, "moved"), WA_WASI_ESUCCESS);
    cr_expect_str_eq(content_of("sandbox2/moved"), "f");
    EXPECT_ERRNO(rename_at(SB2, "moved", SB, "full/back"), WA_WASI_ESUCCESS);
    cr_expect_str_eq(content_of("sandbox/full/back"), "f");
    /* A symlink is renamed, not what it names. */
    put_link("../outside/secret.txt", "sandbox/l");
    EXPECT_ERRNO(rename_at(SB, "l", SB2, "l"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(rename_at(99, "x", SB, "y"), WA_WASI_EBADF);
    EXPECT_ERRNO(rename_at(SB, "x", 99, "y"), WA_WASI_EBADF);
    EXPECT_ERRNO(wa_wasi_path_rename(ctx, SB, S("d"), SB, (int32_t)MEM_SIZE, 1), WA_WASI_EFAULT);
    EXPECT_ERRNO(wa_wasi_path_rename(ctx, SB, (int32_t)MEM_SIZE, 1, SB, S("e")), WA_WASI_EFAULT);
    cr_expect(exists("sandbox/d"));
}

PATH_TEST(symlink) {
    put_file("sandbox/f", "f");
    EXPECT_ERRNO(symlink_at("f", SB, "l"), WA_WASI_ESUCCESS);
    char text[16] = "";
    cr_expect_eq(readlink(host("sandbox/l"), text, sizeof text - 1), 1);
    cr_expect_str_eq(text, "f");
    EXPECT_ERRNO(symlink_at("f", SB, "l"), WA_WASI_EEXIST);
    EXPECT_ERRNO(symlink_at("f", SB, "f"), WA_WASI_EEXIST);
    EXPECT_ERRNO(symlink_at("source", SB, "target/"), WA_WASI_ENOENT);
    EXPECT_ERRNO(symlink_at("f", SB, "absent/l"), WA_WASI_ENOENT);
    /* Dangling and escaping targets are stored as given (cap-std); following stays inside. */
    EXPECT_ERRNO(symlink_at("nothing/yet", SB, "dangle"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(symlink_at("../outside/secret.txt", SB, "out"), WA_WASI_ESUCCESS);
    EXPECT_ERRNO(open_simple(SB, "out", FOLLOW, 0), WA_WASI_EPERM);
    /* Absolute targets are refused (cap-std): PERM, nothing created. */
    EXPECT_ERRNO(symlink_at("/etc/passwd", SB, "abs"), WA_WASI_EPERM);
    EXPECT_ERRNO(symlink_at("/", SB, "abs"), WA_WASI_EPERM);
    cr_expect(!exists("sandbox/abs"));
    EXPECT_ERRNO(symlink_at("", SB, "empty"), WA_WASI_ENOENT);
    EXPECT_ERRNO(symlink_at("f", 99, "x"), WA_WASI_EBADF);
    EXPECT_ERRNO(wa_wasi_path_symlink(ctx, (int32_t)MEM_SIZE, 1, SB, S("x")), WA_WASI_EFAULT);
    EXPECT_ERRNO(wa_wasi_path_symlink(ctx, S("f"), SB, (int32_t)MEM_SIZE, 1), WA_WASI_EFAULT);
    memcpy(buf + 3000, "a\0b", 3);
    EXPECT_ERRNO(wa_wasi_path_symlink(ctx, 3000, 3, SB, S("x")), WA_WASI_EINVAL);
    cr_expect(!exists("sandbox/x"));
}

PATH_TEST(unlink_file) {
    put_file("sandbox/f", "f");
    put_dir("sandbox/d");
    put_link("f", "sandbox/l");
    EXPECT_ERRNO(unlink_at(SB, "l"), WA_WASI_ESUCCESS);
    cr_expect(!exists("sandbox/l") && exists("sandbox/f"));
    EXPECT_ERRNO(unlink_at(SB, "d"), WA_WASI_EISDIR);
    EXPECT_ERRNO(unlink_at(SB, "d/"), WA_WASI_EISDIR);
    EXPECT_ERRNO(unlink_at(SB, "f/"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(unlink_at(SB, "absent"), WA_WASI_ENOENT);
    EXPECT_ERRNO(unlink_at(SB, "f/x"), WA_WASI_ENOTDIR);
    EXPECT_ERRNO(unlink_at(SB, "f"), WA_WASI_ESUCCESS);
    cr_expect(!exists("sandbox/f"));
    EXPECT_ERRNO(unlink_at(99, "f"), WA_WASI_EBADF);
    EXPECT_ERRNO(wa_wasi_path_unlink_file(ctx, SB, (int32_t)MEM_SIZE - 1, 2), WA_WASI_EFAULT);
}

PATH_TEST(registered) {
    /* Each function is found under its witx signature. */
    static const struct {
        const char *name;
        uint32_t nparams;
        uint8_t types[10];
    } funcs[] = {
        {"path_create_directory", 3, {WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32}},
        {"path_unlink_file", 3, {WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32}},
        {"path_open",
         9,
         {WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I64, WA_RT_I64, WA_RT_I32,
          WA_RT_I32, WA_RT_I32}},
        {"path_filestat_set_times",
         7,
         {WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I32, WA_RT_I64, WA_RT_I64, WA_RT_I32, WA_RT_I32}},
    };
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
        wa_rt_functype_t t = {funcs[i].nparams, 1, funcs[i].types};
        void *code = NULL;
        cr_expect_eq(wa_wasi_lookup("wasi_snapshot_preview1", funcs[i].name, &t, &code),
                     WA_WASI_FOUND, "%s", funcs[i].name);
        cr_expect_not_null(code);
    }
}
