/*
 * check_validate_spec: decodes and validates wasm files and compares the
 * outcome with what the spec test suite expects. A developer tool for the
 * validator; tools/check_validator_spec.sh feeds it from wast2json output.
 *
 * Input (stdin), one command per line, tab-separated:
 *     valid<TAB>path               the module must decode and validate
 *     invalid<TAB>path<TAB>text    it must decode, then fail validation with a
 *                                  message that starts with `text`
 *     malformed<TAB>path<TAB>text  decoding or validation must fail with a
 *                                  message that starts with `text` (errors in
 *                                  instruction sequences surface in validation,
 *                                  which reads function bodies)
 * Output: one line per failed expectation, then a summary per kind. Exit
 * status 0 if every expectation held, 1 otherwise, 2 on bad usage.
 */
#include "wasm/decode.h"
#include "wasm/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Tally {
    unsigned pass, fail;
} Tally;

/* Reads a whole file into a malloc'd buffer; returns NULL on failure. */
static uint8_t *read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    *size = len;
    return buf;
}

/* Checks one command; prints a line and returns false if the expectation does not hold. */
static bool check_one(const char *kind, const char *path, const char *text) {
    size_t size = 0;
    uint8_t *bytes = read_file(path, &size);
    if (!bytes) {
        printf("FAIL %s %s: cannot read\n", kind, path);
        return false;
    }
    WaDiag d;
    wa_diag_init(&d, path);
    WaModule m;
    char msg[1024];
    bool ok = false;
    bool decoded = wa_decode_module(bytes, size, path, wa_features_default(), &m, &d);
    if (strcmp(kind, "malformed") == 0) {
        bool failed = !decoded || !wa_validate_module(&m, &d);
        ok = failed && strncmp(d.message, text, strlen(text)) == 0;
        if (!failed)
            printf("FAIL malformed %s: accepted, expected \"%s\"\n", path, text);
        else if (!ok)
            printf("FAIL malformed %s: expected \"%s\", got: %s\n", path, text,
                   wa_diag_format(&d, msg, sizeof msg));
        if (decoded)
            wa_module_free(&m);
        free(bytes);
        return ok;
    }
    if (!decoded) {
        printf("FAIL %s %s: decode failed: %s\n", kind, path, wa_diag_format(&d, msg, sizeof msg));
        free(bytes);
        return false;
    }
    bool valid = wa_validate_module(&m, &d);
    if (strcmp(kind, "valid") == 0) {
        ok = valid;
        if (!ok)
            printf("FAIL valid %s: %s\n", path, wa_diag_format(&d, msg, sizeof msg));
    } else if (valid) {
        printf("FAIL invalid %s: validated, expected \"%s\"\n", path, text);
    } else {
        ok = strncmp(d.message, text, strlen(text)) == 0;
        if (!ok)
            printf("FAIL invalid %s: expected \"%s\", got: %s\n", path, text,
                   wa_diag_format(&d, msg, sizeof msg));
    }
    wa_module_free(&m);
    free(bytes);
    return ok;
}

int main(int argc, char **argv) {
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: check_validate_spec < commands.tsv\n");
        return 2;
    }
    Tally valid = {0}, invalid = {0}, malformed = {0};
    char line[8192];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0')
            continue;
        char *kind = line;
        char *path = strchr(kind, '\t');
        if (!path) {
            fprintf(stderr, "bad line: %s\n", line);
            return 2;
        }
        *path++ = '\0';
        char *text = strchr(path, '\t');
        if (text)
            *text++ = '\0';
        else
            text = "";
        Tally *t = strcmp(kind, "valid") == 0     ? &valid
                   : strcmp(kind, "invalid") == 0 ? &invalid
                                                  : &malformed;
        if (check_one(kind, path, text))
            t->pass++;
        else
            t->fail++;
    }
    printf("valid modules:   %u/%u pass\n", valid.pass, valid.pass + valid.fail);
    printf("invalid modules: %u/%u pass\n", invalid.pass, invalid.pass + invalid.fail);
    printf("malformed modules: %u/%u pass\n", malformed.pass, malformed.pass + malformed.fail);
    return valid.fail || invalid.fail || malformed.fail ? 1 : 0;
}
