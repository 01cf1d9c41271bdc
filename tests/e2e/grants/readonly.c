/*
 * readonly.c: a directory granted with ":ro" can be read but not changed.
 * Compiled with --dir ro::/ro:ro --dir rw::/rw; the harness puts a file
 * "f.txt" (holding "hi\n") and a directory "d" in both, and afterwards
 * checks that ro/ is unchanged. Through /ro, creating, writing,
 * truncating, renaming, unlinking, making and removing directories, and
 * changing times all fail with ENOTCAPABLE, while reading still works;
 * through /rw the same calls succeed, so the failures come from the grant.
 * Prints "FAIL ..." for each difference and "readonly ok" at the end.
 */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int failures;

static void expect(const char *what, __wasi_errno_t got, __wasi_errno_t want) {
    if (got != want) {
        printf("FAIL %s: errno %u, expected %u\n", what, got, want);
        failures++;
    }
}

/* The fd of the preopen named `name`, or -1. */
static int find_preopen(const char *name) {
    for (__wasi_fd_t fd = 3; fd < 16; fd++) {
        __wasi_prestat_t pre;
        char buf[64];
        if (__wasi_fd_prestat_get(fd, &pre) != __WASI_ERRNO_SUCCESS ||
            pre.u.dir.pr_name_len >= sizeof buf ||
            __wasi_fd_prestat_dir_name(fd, (uint8_t *)buf, pre.u.dir.pr_name_len) != 0)
            continue;
        buf[pre.u.dir.pr_name_len] = '\0';
        if (strcmp(buf, name) == 0)
            return (int)fd;
    }
    return -1;
}

static __wasi_errno_t open_file(int dir, const char *path, __wasi_oflags_t oflags,
                                __wasi_rights_t rights, __wasi_fd_t *fd) {
    return __wasi_path_open((__wasi_fd_t)dir, 0, path, oflags, rights, rights, 0, fd);
}

/* Runs every check on the preopen `dir`; each must give `want` (0 for success). */
static void check_dir(const char *label, int dir, __wasi_errno_t want) {
    char what[128];
    __wasi_fd_t fd;
    __wasi_errno_t err;
#define WHAT(s) (snprintf(what, sizeof what, "%s: %s", label, s), what)
    err = open_file(dir, "new.txt", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, &fd);
    expect(WHAT("path_open O_CREAT"), err, want);
    if (err == 0)
        (void)__wasi_fd_close(fd);
    /*
     * Opening for writing may fail, or succeed with an fd whose rights are
     * narrowed to the directory's inheriting rights (the witx's rule): then
     * writing through it is what fails.
     */
    err = open_file(dir, "f.txt", 0, __WASI_RIGHTS_FD_WRITE, &fd);
    if (err == 0) {
        __wasi_ciovec_t w = {(const uint8_t *)"x", 1};
        size_t n;
        expect(WHAT("fd_write on f.txt opened for writing"), __wasi_fd_write(fd, &w, 1, &n), want);
        (void)__wasi_fd_close(fd);
    } else {
        expect(WHAT("path_open f.txt for writing"), err, want);
    }
    err = open_file(dir, "f.txt", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, &fd);
    expect(WHAT("path_open O_TRUNC"), err, want);
    if (err == 0)
        (void)__wasi_fd_close(fd);
    expect(WHAT("path_create_directory"), __wasi_path_create_directory(dir, "newdir"), want);
    expect(WHAT("path_rename"), __wasi_path_rename(dir, "f.txt", dir, "g.txt"), want);
    const char *victim = want == 0 ? "g.txt" : "f.txt";
    expect(WHAT("path_unlink_file"), __wasi_path_unlink_file(dir, victim), want);
    expect(WHAT("path_remove_directory"), __wasi_path_remove_directory(dir, "d"), want);
    expect(WHAT("path_symlink"), __wasi_path_symlink("x", dir, "link"), want);
#undef WHAT
}

int main(void) {
    int ro = find_preopen("/ro"), rw = find_preopen("/rw");
    if (ro < 0 || rw < 0) {
        printf("FAIL preopens /ro (%d) and /rw (%d) not found\n", ro, rw);
        return 1;
    }
    /* Reading through the read-only grant still works. */
    __wasi_fd_t fd;
    __wasi_errno_t err = open_file(ro, "f.txt", 0, __WASI_RIGHTS_FD_READ, &fd);
    expect("/ro: path_open f.txt for reading", err, 0);
    if (err == 0) {
        char buf[16];
        __wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
        size_t n = 0;
        expect("/ro: fd_read f.txt", __wasi_fd_read(fd, &iov, 1, &n), 0);
        if (n != 3 || memcmp(buf, "hi\n", 3) != 0) {
            printf("FAIL /ro: f.txt read %zu bytes, expected \"hi\\n\"\n", n);
            failures++;
        }
        /* The file was opened without write rights: writing it is not capable. */
        __wasi_ciovec_t w = {(const uint8_t *)"x", 1};
        expect("/ro: fd_write on a file opened for reading", __wasi_fd_write(fd, &w, 1, &n),
               __WASI_ERRNO_NOTCAPABLE);
        (void)__wasi_fd_close(fd);
    }
    check_dir("/ro", ro, __WASI_ERRNO_NOTCAPABLE);
    check_dir("/rw", rw, 0);
    if (failures)
        return 1;
    printf("readonly ok\n");
    return 0;
}
