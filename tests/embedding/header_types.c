/*
 * header_types.c: the C names and types of `wasmaot --header` (types.wat ->
 * types.h): colliding names get _2, _3; a name with a NUL byte is left out;
 * multiple results come back through one pointer each; v128, funcref and
 * externref as documented in compiler/codegen/header.c. Built with
 * -Wall -Wextra -Wpedantic -Werror, so the header is clean C17. Usage:
 * header_types TYPES.so; exits 0 when every call returns what it should.
 */
#include "types.h"

#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond, what)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "header_types: %s\n", what);                                           \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: header_types TYPES.so\n");
        return 2;
    }
    char why[256];
    wa_rt_loaded_t *lib = wa_rt_load(argv[1], why, sizeof why);
    if (lib == NULL) {
        fprintf(stderr, "header_types: %s\n", why);
        return 1;
    }
    wa_rt_error_t err;
    wa_rt_instance_t *inst = wa_rt_instantiate(wa_rt_loaded_module(lib), NULL, 0, NULL, &err);
    if (inst == NULL) {
        fprintf(stderr, "header_types: %s\n", err.message);
        return 1;
    }
    types_t m;
    if (!types_bind(&m, inst, why, sizeof why)) {
        fprintf(stderr, "header_types: %s\n", why);
        return 1;
    }
    int32_t r = 0;
    CHECK(types_a_b(&m, 5, &r) == WA_RT_TRAP_NONE && r == 5, "\"a-b\" is types_a_b");
    CHECK(types_a_b_2(&m, 5, &r) == WA_RT_TRAP_NONE && r == 6, "\"a_b\" is types_a_b_2");
    CHECK(types_bind_2(&m, &r) == WA_RT_TRAP_NONE && r == 7, "\"bind\" is types_bind_2");
    CHECK(types_t_2(&m, &r) == WA_RT_TRAP_NONE && r == 8, "\"t\" is types_t_2");
    CHECK(types__9lives(&m, &r) == WA_RT_TRAP_NONE && r == 9, "\"9lives\" is types__9lives");
    CHECK(types_x__y(&m, &r) == WA_RT_TRAP_NONE && r == 10, "\"x*/y\" is types_x__y");

    int64_t q = 0, rem = 0;
    float half = 0;
    CHECK(types_divmod(&m, 17, 5, &q, &rem, &half) == WA_RT_TRAP_NONE && q == 3 && rem == 2 &&
              half == 0.5f,
          "divmod: three results");
    CHECK(types_divmod(&m, 17, 5, NULL, &rem, NULL) == WA_RT_TRAP_NONE && rem == 2,
          "divmod: results not wanted");
    CHECK(types_divmod(&m, 1, 0, &q, &rem, &half) == WA_RT_TRAP_DIVIDE_BY_ZERO,
          "divmod: the trap comes back");

    wa_rt_value_t a, b, sum;
    for (int i = 0; i < 16; i++) {
        a.v128[i] = (uint8_t)i;
        b.v128[i] = i % 4 == 0 ? 1 : 0;
    }
    CHECK(types_vadd(&m, a, b, &sum) == WA_RT_TRAP_NONE && sum.v128[0] == 1 && sum.v128[4] == 5 &&
              sum.v128[5] == 5,
          "vadd: v128 as wa_rt_value_t");

    const wa_rt_func_t *self = NULL;
    CHECK(types_self(&m, &self) == WA_RT_TRAP_NONE && self == m.funcs[0],
          "self: a funcref is the export's wa_rt_func_t");
    int host_object = 0;
    void *back = NULL;
    CHECK(types_echo(&m, &host_object, &back) == WA_RT_TRAP_NONE && back == &host_object,
          "echo: an externref is the host's pointer");
    wa_rt_instance_free(inst);
    wa_rt_unload(lib);
    if (failures == 0)
        printf("ok: types.h\n");
    return failures == 0 ? 0 : 1;
}
