/*
 * args.c: command-line arguments and environment variables by name.
 *
 * Prints argc and every argument after argv[0] (argv[0] is the program path,
 * which differs between the native and the compiled binary), and variables
 * looked up with getenv (never the whole environment, whose contents the
 * host and a WASI runtime may present differently).
 *
 * e2e-args: first "two words" "" --flag=value ünïcødé 12345
 * e2e-env: E2E_NAME=wasmaot E2E_EMPTY= "E2E_SPACES=a b  c"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=\"%s\" (%zu bytes)\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "non-null");
    const char *vars[] = {"E2E_NAME", "E2E_EMPTY", "E2E_SPACES", "E2E_MISSING"};
    for (int i = 0; i < 4; i++) {
        const char *v = getenv(vars[i]);
        if (v)
            printf("%s=\"%s\"\n", vars[i], v);
        else
            printf("%s is unset\n", vars[i]);
    }
    long total = 0;
    for (int i = 1; i < argc; i++)
        total += strtol(argv[i], NULL, 10);
    printf("numeric total=%ld\n", total);
    return 0;
}
