/*
 * inspect.h: `wasmaot inspect EXECUTABLE`: what an executable was built
 * with, read from its build record (runtime/wa_build_info.h) in the ELF file.
 */
#ifndef WA_INSPECT_H
#define WA_INSPECT_H

#include <stddef.h>
#include <stdio.h>

/*
 * Runs the subcommand: argv[0] is "inspect", argv[1] the file. Prints the
 * record to stdout; returns the exit status (0, or 1 with one line on stderr
 * for a file that is not an ELF file or has no record, 2 for a usage error).
 */
int wa_inspect_main(int argc, char **argv);

/*
 * Reads the build record of the ELF file `path` into a malloc'ed
 * NUL-terminated *record. On failure returns NULL after writing the reason
 * (one phrase, e.g. "not an ELF file") to `why`.
 */
char *wa_inspect_read_record(const char *path, char *why, size_t why_size);

/* Prints `record` for people, as `wasmaot inspect` does. */
void wa_inspect_print(const char *record, FILE *out);

#endif
