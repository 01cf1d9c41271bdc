/*
 * greet.c: the WASI command of the embedding example (tests/embedding/host.c).
 * Reads /data/name.txt from the directory the host grants, writes
 * /data/greeting.txt and the same line on stdout, and exits with the number
 * of its arguments (proc_exit), so the host sees argv, a directory, stdio and
 * an exit status.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    char name[64] = "";
    FILE *in = fopen("/data/name.txt", "r");
    if (in == NULL || fgets(name, sizeof name, in) == NULL) {
        fprintf(stderr, "greet: cannot read /data/name.txt\n");
        return 100;
    }
    fclose(in);
    name[strcspn(name, "\n")] = '\0';
    FILE *out = fopen("/data/greeting.txt", "w");
    if (out == NULL)
        return 101;
    fprintf(out, "hello, %s (from %s)\n", name, argc > 0 ? argv[0] : "?");
    fclose(out);
    printf("hello, %s\n", name);
    return argc;
}
