/*
 * fs_probe.c: the file-system guest of the `wasmaot run` grant tests
 * (tests/run/run_run.py): what a granted directory lets the program do.
 *
 *   cat PATH        the file's contents, or "cat: error ERRNO"
 *   write PATH      create PATH: "write: ok" or "write: error ERRNO"
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int cat(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        printf("cat: error %d\n", errno);
        return 0;
    }
    char buf[512];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
}

static int write_file(const char *path) {
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        printf("write: error %d\n", errno);
        return 0;
    }
    fputs("written\n", f);
    fclose(f);
    printf("write: ok\n");
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "cat") == 0)
        return cat(argv[2]);
    if (argc > 2 && strcmp(argv[1], "write") == 0)
        return write_file(argv[2]);
    fprintf(stderr, "fs_probe: usage: fs_probe cat|write PATH\n");
    return 2;
}
