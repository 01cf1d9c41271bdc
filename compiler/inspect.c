/*
 * inspect.c: `wasmaot inspect` (inspect.h). Finds the section
 * ".wasmaot_info" through the ELF section headers (<elf.h>: 64-bit ELF, the
 * only kind wasmaot writes) and prints the record it holds. Nothing of the
 * file is executed or loaded: this works on an executable built for a CPU
 * this machine lacks.
 */
#include "inspect.h"

#include "../runtime/wa_build_info.h"
#include "../runtime/wa_escape.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads exactly `size` bytes at `offset`; false if the file is shorter or unreadable. */
static bool read_at(int fd, uint64_t offset, void *buf, size_t size) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = pread(fd, (char *)buf + done, size - done, (off_t)(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

static char *fail_with(char *why, size_t why_size, const char *reason, void *to_free, int fd) {
    snprintf(why, why_size, "%s", reason);
    free(to_free);
    if (fd >= 0)
        close(fd);
    return NULL;
}

char *wa_inspect_read_record(const char *path, char *why, size_t why_size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_size, "cannot open: %s", strerror(errno));
        return NULL;
    }
    Elf64_Ehdr eh;
    if (!read_at(fd, 0, &eh, sizeof eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
        return fail_with(why, why_size, "not an ELF file", NULL, fd);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
        eh.e_shentsize != sizeof(Elf64_Shdr))
        return fail_with(why, why_size, "not a 64-bit little-endian ELF file", NULL, fd);
    /* Many sections: the real count and string-table index live in section header 0. */
    Elf64_Shdr first;
    uint64_t nsections = eh.e_shnum;
    uint64_t strndx = eh.e_shstrndx;
    if (eh.e_shoff == 0 || !read_at(fd, eh.e_shoff, &first, sizeof first))
        return fail_with(why, why_size, "no section headers", NULL, fd);
    if (nsections == 0)
        nsections = first.sh_size;
    if (strndx == SHN_XINDEX)
        strndx = first.sh_link;
    if (nsections == 0 || nsections > (1u << 20) || strndx >= nsections)
        return fail_with(why, why_size, "malformed section headers", NULL, fd);
    Elf64_Shdr *sh = calloc(nsections, sizeof *sh);
    if (sh == NULL || !read_at(fd, eh.e_shoff, sh, nsections * sizeof *sh))
        return fail_with(why, why_size, "cannot read the section headers", sh, fd);
    Elf64_Shdr *names_sh = &sh[strndx];
    if (names_sh->sh_size > (1u << 24))
        return fail_with(why, why_size, "malformed section name table", sh, fd);
    char *names = malloc(names_sh->sh_size + 1);
    if (names == NULL || !read_at(fd, names_sh->sh_offset, names, names_sh->sh_size)) {
        free(names);
        return fail_with(why, why_size, "cannot read the section names", sh, fd);
    }
    names[names_sh->sh_size] = '\0';
    const Elf64_Shdr *info = NULL;
    for (uint64_t i = 0; i < nsections && info == NULL; i++) {
        if (sh[i].sh_name < names_sh->sh_size &&
            strcmp(names + sh[i].sh_name, WA_BUILD_INFO_SECTION) == 0)
            info = &sh[i];
    }
    free(names);
    if (info == NULL)
        return fail_with(why, why_size,
                         "no " WA_BUILD_INFO_SECTION " section: not an executable built by "
                         "wasmaot",
                         sh, fd);
    if (info->sh_type != SHT_PROGBITS || info->sh_size == 0 || info->sh_size > (1u << 20))
        return fail_with(why, why_size, "malformed " WA_BUILD_INFO_SECTION " section", sh, fd);
    char *record = malloc(info->sh_size + 1);
    if (record == NULL || !read_at(fd, info->sh_offset, record, info->sh_size)) {
        free(record);
        return fail_with(why, why_size, "cannot read the " WA_BUILD_INFO_SECTION " section", sh,
                         fd);
    }
    record[info->sh_size] = '\0';
    free(sh);
    close(fd);
    return record;
}

/* Prints the value of the first `key` line, or "?" if there is none. */
static void print_value(const char *record, const char *key, FILE *out) {
    size_t len;
    const char *v = wa_build_info_find(record, key, NULL, &len);
    fprintf(out, "%.*s", v ? (int)len : 1, v ? v : "?");
}

/*
 * Prints `s`; one with control bytes is printed as wa_rt_escape writes it
 * (\\n, \\xNN, backslashes doubled) with a note saying so, so a grant stays
 * one line and two different grants never print alike. A plain one is
 * printed as it is: its quoting backslashes stay single.
 */
static void print_escaped(const char *s, FILE *out) {
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        plain = plain && *p >= 0x20 && *p != 0x7f;
    if (plain) {
        fputs(s, out);
        return;
    }
    size_t n = strlen(s);
    size_t need = wa_rt_escape(NULL, 0, s, n) + 1;
    char *escaped = malloc(need);
    if (escaped == NULL) {
        fputs("(out of memory)", out);
        return;
    }
    wa_rt_escape(escaped, need, s, n);
    fputs(escaped, out);
    free(escaped);
    fputs("   (escaped: \\n is a line break, \\\\ a backslash)", out);
}

void wa_inspect_print(const char *record, FILE *out) {
    fputs("built by:     wasmaot ", out);
    print_value(record, "version", out);
    fputs("\ncpu:          ", out);
    print_value(record, "cpu", out);
    fputs(" (--cpu=", out);
    print_value(record, "cpu-option", out);
    fputs(")\ncpu features: ", out);
    size_t len;
    const char *features = wa_build_info_find(record, "cpu-features", NULL, &len);
    for (size_t i = 0; features && i < len; i++)
        fputc(features[i] == ',' ? ' ' : features[i], out);
    fputs("\ngrants:       ", out);
    const char *g = wa_build_info_find(record, "grant", NULL, &len);
    if (g == NULL)
        fputs("none (the program gets its arguments and stdio only)", out);
    /* One grant a line, in WASMAOT_OPTIONS spelling. */
    for (bool first = true; g != NULL; first = false) {
        fputs(first ? "" : "\n              ", out);
        char *grant = wa_build_info_value(g, len);
        print_escaped(grant ? grant : "(out of memory)", out);
        free(grant);
        g = wa_build_info_find(record, "grant", g + len, &len);
    }
    /* Only for a program compiled with --fuel or --timeout (README "Limits"). */
    const char *checks = wa_build_info_find(record, "instrumented", NULL, &len);
    if (checks != NULL)
        fprintf(out, "\nchecks:       %.*s (the amounts may change in WASMAOT_OPTIONS)", (int)len,
                checks);
    fputc('\n', out);
}

int wa_inspect_main(int argc, char **argv) {
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "wasmaot: usage: wasmaot inspect EXECUTABLE\n");
        return 2;
    }
    char why[256];
    char *record = wa_inspect_read_record(argv[1], why, sizeof why);
    if (record == NULL) {
        fprintf(stderr, "wasmaot: %s: %s\n", argv[1], why);
        return 1;
    }
    wa_inspect_print(record, stdout);
    free(record);
    return 0;
}
