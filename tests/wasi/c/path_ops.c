/*
 * path_ops.c: the path_* functions from inside wasm, on the preopened "."
 * (fd 3): each function through <wasi/api.h> with its errno, every escape
 * from the sandbox (.., absolute paths, symlinks the setup planted pointing
 * outside, a chain that steps out and back in), and the same operations
 * through wasi-libc (fopen, stat, lstat, access, mkdir, rename, unlink,
 * rmdir, symlink, readlink, link, opendir/readdir). The checks afterwards
 * make sure outside/ is as it was.
 *
 * wasi-options: --dir .
 * wasi-setup: printf 'hello\n' > file.txt
 * wasi-setup: mkdir sub
 * wasi-setup: ln -s ../outside/secret.txt escape_link
 * wasi-setup: ln -s ../outside/secret_dir escape_dir
 * wasi-setup: ln -s "$(cd ../outside && pwd)/secret.txt" abs_link
 * wasi-setup: ln -s ../../sandbox/file.txt sub/back_in
 * wasi-setup: ln -s loop loop
 * wasi-setup: ln -s nothing dangling
 * wasi-check: test "$(cat ../outside/secret.txt)" = secret
 * wasi-check: test "$(ls -A ../outside | tr '\n' ' ')" = "secret.txt secret_dir "
 * wasi-check: test -z "$(ls -A ../outside/secret_dir)"
 * wasi-check: test -d made_by_libc && test -L made_link && test ! -e new.txt
 */
#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR_FD 3
#define READ_RIGHTS (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL)

static __wasi_errno_t open_path(const char *path, __wasi_lookupflags_t dirflags,
                                __wasi_oflags_t oflags) {
    __wasi_fd_t fd;
    __wasi_errno_t err =
        __wasi_path_open(DIR_FD, dirflags, path, oflags, READ_RIGHTS, READ_RIGHTS, 0, &fd);
    if (err == __WASI_ERRNO_SUCCESS)
        (void)__wasi_fd_close(fd);
    return err;
}

/* Every escape is PERM (wasmtime's answer), whatever the operation. */
static void escapes(void) {
    static const char *const outside[] = {
        "..",          "../outside/secret.txt", "sub/../../outside/secret.txt",
        "/etc/passwd", "escape_dir/x",          "sub/back_in/..",
    };
    __wasi_filestat_t st;
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        const char *p = outside[i];
        CHECK_ERRNO(open_path(p, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0), __WASI_ERRNO_PERM);
        CHECK_ERRNO(open_path(p, 0, __WASI_OFLAGS_CREAT), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_filestat_get(DIR_FD, 0, p, &st), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_create_directory(DIR_FD, p), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_unlink_file(DIR_FD, p), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_remove_directory(DIR_FD, p), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_rename(DIR_FD, p, DIR_FD, "stolen"), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_rename(DIR_FD, "file.txt", DIR_FD, p), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_link(DIR_FD, 0, p, DIR_FD, "stolen"), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_symlink("file.txt", DIR_FD, p), __WASI_ERRNO_PERM);
        CHECK_ERRNO(__wasi_path_filestat_set_times(DIR_FD, 0, p, 0, 0, __WASI_FSTFLAGS_MTIM_NOW),
                    __WASI_ERRNO_PERM);
    }
    /* Links planted by the setup: followed, refused; not followed, they are just links. */
    static const char *const links[] = {"escape_link", "escape_dir", "abs_link", "sub/back_in"};
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        const char *p = links[i];
        CHECK_ERRNO(open_path(p, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0), __WASI_ERRNO_PERM);
        CHECK_ERRNO(open_path(p, 0, 0), __WASI_ERRNO_LOOP);
        CHECK_ERRNO(__wasi_path_filestat_get(DIR_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, p, &st),
                    __WASI_ERRNO_PERM);
        CHECK_OK(__wasi_path_filestat_get(DIR_FD, 0, p, &st));
        CHECK(st.filetype == __WASI_FILETYPE_SYMBOLIC_LINK);
        CHECK_ERRNO(__wasi_path_filestat_set_times(DIR_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, p, 0,
                                                   0, __WASI_FSTFLAGS_MTIM_NOW),
                    __WASI_ERRNO_PERM);
        CHECK_ERRNO(
            __wasi_path_link(DIR_FD, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, p, DIR_FD, "stolen"),
            __WASI_ERRNO_PERM);
    }
    CHECK_ERRNO(open_path("escape_dir/", 0, 0), __WASI_ERRNO_PERM);
    CHECK_ERRNO(__wasi_path_filestat_get(DIR_FD, 0, "escape_dir/", &st), __WASI_ERRNO_PERM);
    /* An absolute target is neither told nor made (cap-std). */
    uint8_t buf[64];
    __wasi_size_t used;
    CHECK_ERRNO(__wasi_path_readlink(DIR_FD, "abs_link", buf, sizeof buf, &used),
                __WASI_ERRNO_PERM);
    CHECK_ERRNO(__wasi_path_symlink("/etc/passwd", DIR_FD, "abs2"), __WASI_ERRNO_PERM);
    /* Loops and dangling links. */
    CHECK_ERRNO(open_path("loop", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0), __WASI_ERRNO_LOOP);
    CHECK_ERRNO(open_path("dangling", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, 0), __WASI_ERRNO_NOENT);
    CHECK_ERRNO(open_path("dangling", 0, 0), __WASI_ERRNO_LOOP);
    /* Down and up again stays inside. */
    CHECK_OK(open_path("sub/../file.txt", 0, 0));
}

static void raw_calls(void) {
    __wasi_fd_t fd;
    CHECK_OK(__wasi_path_open(DIR_FD, 0, "new.txt", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL,
                              __WASI_RIGHTS_FD_WRITE | __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    const char text[] = "written";
    __wasi_ciovec_t iov = {(const uint8_t *)text, sizeof text - 1};
    __wasi_size_t n = 0;
    CHECK_OK(__wasi_fd_write(fd, &iov, 1, &n));
    CHECK(n == sizeof text - 1);
    CHECK_OK(__wasi_fd_close(fd));
    CHECK_ERRNO(open_path("new.txt", 0, __WASI_OFLAGS_CREAT | __WASI_OFLAGS_EXCL),
                __WASI_ERRNO_EXIST);
    CHECK_ERRNO(open_path("absent", 0, 0), __WASI_ERRNO_NOENT);
    CHECK_ERRNO(open_path("new.txt/", 0, 0), __WASI_ERRNO_NOTDIR);
    CHECK_ERRNO(open_path("new.txt", 0, __WASI_OFLAGS_DIRECTORY), __WASI_ERRNO_NOTDIR);
    /* A read-only fd cannot write. */
    CHECK_OK(__wasi_path_open(DIR_FD, 0, "new.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
    CHECK_ERRNO(__wasi_fd_write(fd, &iov, 1, &n), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_close(fd));
    /* A directory opened for writing is EISDIR. */
    CHECK_ERRNO(__wasi_path_open(DIR_FD, 0, "sub", __WASI_OFLAGS_DIRECTORY,
                                 __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd),
                __WASI_ERRNO_ISDIR);

    __wasi_filestat_t st;
    CHECK_OK(__wasi_path_filestat_get(DIR_FD, 0, "new.txt", &st));
    CHECK(st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == sizeof text - 1);
    CHECK_OK(__wasi_path_filestat_set_times(DIR_FD, 0, "new.txt", 0, 1000000000ull * 86400,
                                            __WASI_FSTFLAGS_MTIM));
    CHECK_OK(__wasi_path_filestat_get(DIR_FD, 0, "new.txt", &st));
    CHECK(st.mtim == 1000000000ull * 86400);
    CHECK_ERRNO(__wasi_path_filestat_set_times(DIR_FD, 0, "new.txt", 0, 0,
                                               __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
                __WASI_ERRNO_INVAL);

    CHECK_OK(__wasi_path_create_directory(DIR_FD, "d"));
    CHECK_ERRNO(__wasi_path_create_directory(DIR_FD, "d"), __WASI_ERRNO_EXIST);
    CHECK_OK(__wasi_path_rename(DIR_FD, "new.txt", DIR_FD, "d/moved.txt"));
    CHECK_ERRNO(__wasi_path_remove_directory(DIR_FD, "d"), __WASI_ERRNO_NOTEMPTY);
    CHECK_OK(__wasi_path_link(DIR_FD, 0, "d/moved.txt", DIR_FD, "hard.txt"));
    CHECK_OK(__wasi_path_filestat_get(DIR_FD, 0, "hard.txt", &st));
    CHECK(st.nlink == 2);
    CHECK_OK(__wasi_path_symlink("d/moved.txt", DIR_FD, "soft"));
    uint8_t buf[32] = {0};
    __wasi_size_t used = 0;
    CHECK_OK(__wasi_path_readlink(DIR_FD, "soft", buf, sizeof buf, &used));
    CHECK(used == 11 && memcmp(buf, "d/moved.txt", 11) == 0);
    CHECK_OK(__wasi_path_readlink(DIR_FD, "soft", buf, 4, &used));
    CHECK(used == 4);
    CHECK_ERRNO(__wasi_path_readlink(DIR_FD, "hard.txt", buf, sizeof buf, &used),
                __WASI_ERRNO_INVAL);
    CHECK_ERRNO(__wasi_path_unlink_file(DIR_FD, "d"), __WASI_ERRNO_ISDIR);
    CHECK_ERRNO(__wasi_path_unlink_file(DIR_FD, "hard.txt/"), __WASI_ERRNO_NOTDIR);
    CHECK_OK(__wasi_path_unlink_file(DIR_FD, "soft"));
    CHECK_OK(__wasi_path_unlink_file(DIR_FD, "hard.txt"));
    CHECK_OK(__wasi_path_unlink_file(DIR_FD, "d/moved.txt"));
    CHECK_OK(__wasi_path_remove_directory(DIR_FD, "d/"));
    CHECK_ERRNO(__wasi_path_remove_directory(DIR_FD, "d"), __WASI_ERRNO_NOENT);
    CHECK_ERRNO(__wasi_path_unlink_file(99, "x"), __WASI_ERRNO_BADF);
    /* A subdirectory fd is a directory fd like the preopen, with its own "beneath". */
    __wasi_fd_t sub;
    CHECK_OK(__wasi_path_open(DIR_FD, 0, "sub", __WASI_OFLAGS_DIRECTORY,
                              __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_FILESTAT_GET,
                              READ_RIGHTS, 0, &sub));
    CHECK_OK(__wasi_path_filestat_get(sub, 0, "back_in", &st));
    CHECK_ERRNO(__wasi_path_filestat_get(sub, 0, "../file.txt", &st), __WASI_ERRNO_PERM);
    CHECK_ERRNO(__wasi_path_create_directory(sub, "x"), __WASI_ERRNO_NOTCAPABLE);
    CHECK_OK(__wasi_fd_close(sub));
}

/* The same through wasi-libc, as ordinary C programs use it. */
static void libc_calls(void) {
    FILE *f = fopen("file.txt", "r");
    char line[32] = "";
    CHECK(f && fgets(line, sizeof line, f) && strcmp(line, "hello\n") == 0);
    if (f)
        fclose(f);
    f = fopen("libc.txt", "w");
    CHECK(f && fputs("via libc\n", f) >= 0);
    if (f)
        CHECK(fclose(f) == 0);
    struct stat st;
    CHECK(stat("libc.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 9);
    CHECK(mkdir("made_by_libc", 0755) == 0);
    CHECK(mkdir("made_by_libc", 0755) == -1 && errno == EEXIST);
    CHECK(rename("libc.txt", "made_by_libc/renamed.txt") == 0);
    CHECK(stat("libc.txt", &st) == -1 && errno == ENOENT);
    CHECK(symlink("file.txt", "made_link") == 0);
    char target[32] = "";
    CHECK(readlink("made_link", target, sizeof target - 1) == 8 && strcmp(target, "file.txt") == 0);
    CHECK(lstat("made_link", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("made_link", &st) == 0 && S_ISREG(st.st_mode));
    CHECK(link("file.txt", "made_by_libc/hard") == 0);
    CHECK(unlink("made_by_libc/hard") == 0);
    CHECK(unlink("made_by_libc/renamed.txt") == 0);
    CHECK(rmdir("made_by_libc") == 0);
    CHECK(mkdir("made_by_libc", 0755) == 0);
    /* opendir: path_open with O_DIRECTORY, then fd_readdir. */
    DIR *d = opendir("sub");
    int seen = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
        seen += strcmp(e->d_name, "back_in") == 0;
    CHECK(d != NULL && seen == 1);
    CHECK(d == NULL || closedir(d) == 0);
    CHECK(opendir("file.txt") == NULL && errno == ENOTDIR);
    CHECK(opendir("escape_dir") == NULL && errno == EPERM);
    /* Escapes through libc: the errno is EPERM, nothing is read or made. */
    errno = 0;
    CHECK(fopen("../outside/secret.txt", "r") == NULL && errno == EPERM);
    errno = 0;
    CHECK(fopen("escape_link", "r") == NULL && errno == EPERM);
    errno = 0;
    CHECK(fopen("escape_dir/planted", "w") == NULL && errno == EPERM);
    errno = 0;
    CHECK(stat("escape_link", &st) == -1 && errno == EPERM);
    CHECK(lstat("escape_link", &st) == 0 && S_ISLNK(st.st_mode));
    errno = 0;
    CHECK(rename("file.txt", "escape_dir/file.txt") == -1 && errno == EPERM);
    CHECK(mkdir("sub/back_in/x", 0755) == -1);
    CHECK(symlink("x", "../outside/planted") == -1);
    CHECK(access("file.txt", F_OK) == 0);
}

int main(void) {
    escapes();
    raw_calls();
    libc_calls();
    return check_done();
}
