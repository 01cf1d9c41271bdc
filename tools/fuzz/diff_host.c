/*
 * diff_host.c: the wasmaot side of the differential fuzzer (tools/fuzz/run).
 * Loads a module shared object (`wasmaot --emit=shared`), instantiates it with
 * binaryen's `fuzzing-support` logging imports and calls every function
 * export in order with zero arguments, as `wasm-opt --fuzz-exec` does: a trap
 * ends that call only, and memory and globals carry over to the next. Like
 * binaryen, it first calls the export `hangLimitInitializer` (if there is one:
 * -ttf modules count loop iterations down from it) before each call.
 *
 * Output, one event a line, every value with its type so the driver can
 * compare it with binaryen's untyped printing:
 *
 *     calling NAME
 *     result NAME => T:V, T:V ...     (i32:-5 i64:7 f32:0xBITS f64:0xBITS
 *                                      v128:0xW0 0xW1 0xW2 0xW3 ref:null ref:nonnull)
 *     trap KIND MESSAGE
 *     log T:V ...
 *
 * Exit status: 0 done, 2 usage or load error, 3 an import it cannot provide,
 * 4 instantiation failed without a trap.
 */
#include "wa_rt_embed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints one value of type `type` (WA_RT_*). */
static void print_value(uint8_t type, const wa_rt_value_t *v) {
    switch (type) {
    case WA_RT_I32:
        printf("i32:%" PRId32, v->i32);
        break;
    case WA_RT_I64:
        printf("i64:%" PRId64, v->i64);
        break;
    case WA_RT_F32: {
        uint32_t bits;
        memcpy(&bits, &v->f32, 4);
        printf("f32:0x%08" PRIx32, bits);
        break;
    }
    case WA_RT_F64: {
        uint64_t bits;
        memcpy(&bits, &v->f64, 8);
        printf("f64:0x%016" PRIx64, bits);
        break;
    }
    case WA_RT_V128: {
        uint32_t w[4];
        memcpy(w, v->v128, 16);
        printf("v128:0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32, w[0], w[1],
               w[2], w[3]);
        break;
    }
    default:
        printf("ref:%s", v->ref ? "nonnull" : "null");
        break;
    }
}

/* The logging imports: print their arguments. env is the import's type. */
static void host_log(void *env, wa_rt_value_t *values) {
    const wa_rt_functype_t *t = env;
    printf("log");
    for (uint32_t i = 0; i < t->nparams; i++) {
        putchar(' ');
        print_value(t->types[i], &values[i]);
    }
    putchar('\n');
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s MODULE.so\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    char why[256];
    wa_rt_loaded_t *lib = wa_rt_load(argv[1], why, sizeof why);
    if (!lib) {
        fprintf(stderr, "diff_host: %s\n", why);
        return 2;
    }
    const wa_rt_module_t *m = wa_rt_loaded_module(lib);
    wa_rt_extern_t *imports = calloc(m->nimports + 1, sizeof *imports);
    for (uint32_t i = 0; i < m->nimports; i++) {
        const wa_rt_import_t *imp = &m->imports[i];
        if (imp->kind != WA_RT_EXTERN_FUNC || strcmp(imp->module, "fuzzing-support") != 0 ||
            strncmp(imp->name, "log-", 4) != 0) {
            printf("unsupported-import %s %s\n", imp->module, imp->name);
            return 3;
        }
        const wa_rt_functype_t *t = &m->types[m->func_types[imp->index]];
        if (t->nresults != 0) {
            printf("unsupported-import %s %s\n", imp->module, imp->name);
            return 3;
        }
        imports[i].kind = WA_RT_EXTERN_FUNC;
        imports[i].func = wa_rt_host_func_new(t, host_log, (void *)t);
    }
    wa_rt_error_t err;
    wa_rt_instance_t *inst = wa_rt_instantiate(m, imports, m->nimports, NULL, &err);
    if (!inst) {
        if (err.kind == WA_RT_ERROR_TRAP) {
            printf("instantiate-trap %s\n", wa_rt_trap_message(err.trap.kind));
            return 0;
        }
        printf("instantiate-failed %s\n", err.message);
        return 4;
    }
    wa_rt_func_t *hang_init = wa_rt_instance_func(inst, "hangLimitInitializer");
    for (uint32_t e = 0; e < m->nexports; e++) {
        const wa_rt_export_t *x = &m->exports[e];
        if (x->kind != WA_RT_EXTERN_FUNC)
            continue;
        printf("calling %.*s\n", (int)x->name_len, x->name);
        wa_rt_func_t *f = wa_rt_instance_func(inst, x->name);
        const wa_rt_functype_t *t = wa_rt_func_type(f);
        uint32_t n = t->nparams > t->nresults ? t->nparams : t->nresults;
        wa_rt_value_t *v = calloc(n + 1, sizeof *v);
        wa_rt_trap_t trap = WA_RT_TRAP_NONE;
        if (hang_init)
            trap = wa_rt_call(hang_init, v);
        if (trap == WA_RT_TRAP_NONE)
            trap = wa_rt_call(f, v);
        if (trap != WA_RT_TRAP_NONE) {
            printf("trap %d %s\n", (int)trap, wa_rt_trap_message(trap));
        } else if (t->nresults > 0) {
            printf("result %.*s =>", (int)x->name_len, x->name);
            for (uint32_t i = 0; i < t->nresults; i++) {
                printf(i ? ", " : " ");
                print_value(t->types[t->nparams + i], &v[i]);
            }
            putchar('\n');
        }
        free(v);
    }
    return 0;
}
