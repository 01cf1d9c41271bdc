/*
 * smallfiles.c: creates N small files in a new directory under the working
 * directory, stats each, then unlinks them all: the WASI I/O benchmark's
 * metadata half (path_open, fd_write, fd_close, path_filestat_get,
 * path_unlink_file per file). usage: smallfiles [N] (default 100000).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000;
    const char *dir = "smallfiles.tmp";
    if (mkdir(dir, 0755) != 0) {
        perror(dir);
        return 1;
    }
    char path[64];
    for (long i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%ld", dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0 || write(fd, path, strlen(path)) < 0 || close(fd) != 0) {
            perror(path);
            return 1;
        }
    }
    long long bytes = 0;
    for (long i = 0; i < n; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/f%ld", dir, i);
        if (stat(path, &st) != 0) {
            perror(path);
            return 1;
        }
        bytes += st.st_size;
    }
    for (long i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/f%ld", dir, i);
        if (unlink(path) != 0) {
            perror(path);
            return 1;
        }
    }
    if (rmdir(dir) != 0) {
        perror(dir);
        return 1;
    }
    printf("%ld files, %lld bytes\n", n, bytes);
    return 0;
}
