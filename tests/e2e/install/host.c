/*
 * host.c: the smallest embedder, built by tests/e2e/install.py against an
 * installed wasmaot with `cc host.c $(pkg-config --cflags --libs wasmaot)`:
 * loads a module compiled with the installed `wasmaot --emit=shared`,
 * instantiates it without imports and prints add(40, 2); and makes and
 * frees a WASI configuration, so that the WASI part of the API
 * (wa_wasi_embed.h) is known to compile and link against the install too.
 */
#include <wa_rt_embed.h>
#include <wa_wasi_embed.h>

#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: host MODULE.so\n");
        return 2;
    }
    char why[256];
    wa_rt_loaded_t *lib = wa_rt_load(argv[1], why, sizeof why);
    if (lib == NULL) {
        fprintf(stderr, "host: %s\n", why);
        return 1;
    }
    wa_rt_error_t err;
    wa_rt_instance_t *inst = wa_rt_instantiate(wa_rt_loaded_module(lib), NULL, 0, NULL, &err);
    if (inst == NULL) {
        fprintf(stderr, "host: cannot instantiate: %s\n", err.message);
        return 1;
    }
    wa_rt_func_t *add = wa_rt_instance_func(inst, "add");
    wa_rt_value_t v[2] = {{.i32 = 40}, {.i32 = 2}};
    if (add == NULL || wa_rt_call(add, v) != WA_RT_TRAP_NONE) {
        fprintf(stderr, "host: add failed\n");
        return 1;
    }
    printf("add(40, 2) = %d\n", v[0].i32);
    wa_wasi_config_t *config = wa_wasi_config_new();
    if (config == NULL) {
        fprintf(stderr, "host: no WASI configuration\n");
        return 1;
    }
    wa_wasi_config_free(config);
    wa_rt_instance_free(inst);
    wa_rt_unload(lib);
    return 0;
}
