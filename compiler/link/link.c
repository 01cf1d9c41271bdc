/*
 * link.c: the lld invocation.
 *
 * The command is what a C compiler driver would run for a PIE executable on
 * glibc, without the compiler: Scrt1.o crti.o OBJECT runtime libs -lc
 * --as-needed -lm crtn.o, dynamic linker /lib64/ld-linux-x86-64.so.2. Nothing linked needs
 * libgcc's crtbegin/crtend, so glibc's own start files are enough. The
 * runtime archives come in dependency order, each needing only those after
 * it (start-up -> WASI shim -> runtime -> common), so one pass over them
 * resolves everything: no archive group.
 *
 * Another --target (codegen/target.h) links the same command with that
 * target's pieces: the runtime built for it (runtime/targets/meson.build),
 * its C library's directory and dynamic linker (AArch64:
 * /usr/aarch64-linux-gnu/lib, /lib/ld-linux-aarch64.so.1), its libgcc_eh.a,
 * and its libgcc.a after libm.
 *
 * --static links the musl build of the runtime (runtime/targets/meson.build)
 * with musl's crt1.o, libc.a and crtn.o instead, as `musl-gcc -static`
 * would: an executable with no program interpreter and no dynamic section,
 * which needs nothing of the machine but a Linux kernel. Not a PIE: Debian's
 * musl has no static-PIE start file (rcrt1.o).
 *
 * lld's stderr is captured; its first "error:" line becomes the message.
 */
#include "link.h"

#include "../codegen/target.h"

#include "wa_config.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static bool is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directory of the running wasmaot executable, or "." if unknown. */
static void exe_dir(char *out, size_t size) {
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) {
        snprintf(out, size, ".");
        return;
    }
    path[n] = '\0';
    char *slash = strrchr(path, '/');
    if (slash)
        *slash = '\0';
    snprintf(out, size, "%s", path);
}

/* dir + "/" + name into out; false if it does not fit. */
static bool join(char *out, const char *dir, const char *name) {
    int n = snprintf(out, PATH_MAX, "%s/%s", dir, name);
    return n > 0 && n < PATH_MAX;
}

/*
 * The runtime archives in link order, with their directories in the build
 * tree (relative to the wasmaot executable's): main() of executables (an
 * archive of its own, so that linking the runtime into other programs never
 * pulls in a main), the WASI shim, the runtime, and what the runtime shares
 * with the compiler.
 */
static const struct {
    const char *name;
    const char *build_dir;
} runtime_archives[WA_LINK_NRUNTIME] = {
    {"libwasmaot_start.a", WA_START_BUILD_DIR},
    {"libwasmaot_wasi.a", WA_WASI_BUILD_DIR},
    {"libwasmaot_rt.a", WA_RUNTIME_BUILD_DIR},
    {"libwasmaot_common.a", WA_RUNTIME_BUILD_DIR},
};

_Static_assert(WA_LINK_NRUNTIME == 4, "wa_link_exe's lld command lists every archive");

typedef struct RuntimeLibs {
    char path[WA_LINK_NRUNTIME][PATH_MAX];
} RuntimeLibs;

/* The archives side by side in `dir` (installed, or $WASMAOT_RUNTIME_DIR). */
static bool libs_in(const char *dir, RuntimeLibs *l) {
    for (int i = 0; i < WA_LINK_NRUNTIME; i++)
        if (!join(l->path[i], dir, runtime_archives[i].name) || !is_file(l->path[i]))
            return false;
    return true;
}

/* The build tree: each archive in its build directory, beside compiler/ (runtime/, ...). */
static bool libs_in_build_tree(const char *exe_dir, RuntimeLibs *l) {
    for (int i = 0; i < WA_LINK_NRUNTIME; i++) {
        char dir[PATH_MAX];
        if (!join(dir, exe_dir, runtime_archives[i].build_dir) ||
            !join(l->path[i], dir, runtime_archives[i].name) || !is_file(l->path[i]))
            return false;
    }
    return true;
}

/*
 * The runtime's build for another target (runtime/targets/meson.build), in
 * the directory named by its triple: under $WASMAOT_RUNTIME_DIR if set, else
 * under the build tree's runtime/targets beside the wasmaot executable, else
 * under the install location. `option` names what needs it (--static,
 * --target NAME) and `hint` what to install if it is missing.
 */
static bool find_target_runtime(const char *triple, const char *option, const char *hint,
                                RuntimeLibs *l, WaDiag *d) {
    char dir[PATH_MAX], base[PATH_MAX], build[PATH_MAX];
    const char *env = getenv("WASMAOT_RUNTIME_DIR");
    if (env && *env) {
        if (join(dir, env, triple) && libs_in(dir, l))
            return true;
        return wa_diag_error_no_offset(d,
                                       "%s: WASMAOT_RUNTIME_DIR=%s lacks the %s runtime "
                                       "libraries (%s/libwasmaot_rt.a ...)",
                                       option, env, triple, triple);
    }
    exe_dir(base, sizeof base);
    if (join(build, base, WA_TARGET_BUILD_DIR) && join(dir, build, triple) && libs_in(dir, l))
        return true;
    char installed[PATH_MAX];
    if (join(installed, base, WA_RUNTIME_INSTALL_RELATIVE) && join(dir, installed, triple) &&
        libs_in(dir, l))
        return true;
    return wa_diag_error_no_offset(d,
                                   "%s needs the runtime built for %s, which this wasmaot "
                                   "lacks (%s)",
                                   option, triple, hint);
}

/* The musl build of the runtime archives (--static on the host). */
static bool find_static_runtime(RuntimeLibs *l, WaDiag *d) {
    const WaTarget *t = wa_target_default();
    return find_target_runtime(t->static_runtime_triple, "--static", t->install_hint, l, d);
}

/*
 * Finds the runtime archives: in $WASMAOT_RUNTIME_DIR if set, else beside the
 * wasmaot executable in the build tree, else at the install location
 * relative to it.
 */
static bool find_runtime(RuntimeLibs *l, WaDiag *d) {
    const char *env = getenv("WASMAOT_RUNTIME_DIR");
    if (env && *env) {
        if (libs_in(env, l))
            return true;
        return wa_diag_error_no_offset(d,
                                       "WASMAOT_RUNTIME_DIR=%s lacks the wasmaot runtime "
                                       "libraries (libwasmaot_rt.a ...)",
                                       env);
    }
    char dir[PATH_MAX], installed[PATH_MAX];
    exe_dir(dir, sizeof dir);
    if (libs_in_build_tree(dir, l))
        return true;
    if (join(installed, dir, WA_RUNTIME_INSTALL_RELATIVE) && libs_in(installed, l))
        return true;
    return wa_diag_error_no_offset(d,
                                   "cannot find the wasmaot runtime libraries near %s "
                                   "(set WASMAOT_RUNTIME_DIR)",
                                   dir);
}

static bool find_on_path(const char *name, char *out, size_t size) {
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(out, size, "%.*s/%s", (int)len, path, name);
        if (access(out, X_OK) == 0)
            return true;
        path += len + (colon ? 1 : 0);
    }
    return false;
}

static bool find_lld(char *out, size_t size, WaDiag *d) {
    snprintf(out, size, "%s/ld.lld", WA_LLVM_BINDIR);
    if (access(out, X_OK) == 0)
        return true;
    if (find_on_path("ld.lld-19", out, size) || find_on_path("ld.lld", out, size))
        return true;
    return wa_diag_error_no_offset(d, "cannot find the lld linker (install lld-19)");
}

/* The directory holding glibc's start files (Scrt1.o, crti.o, crtn.o). */
static bool find_libc_dir(char *out, size_t size, WaDiag *d) {
    const char *candidates[] = {WA_LIBC_DIR, "/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"};
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        snprintf(out, size, "%s/Scrt1.o", candidates[i]);
        if (is_file(out)) {
            snprintf(out, size, "%s", candidates[i]);
            return true;
        }
    }
    return wa_diag_error_no_offset(d, "cannot find the C start files Scrt1.o (install libc6-dev)");
}

/* Runs argv, returning its exit status; lld's first error line goes to `err`. */
static int run_capture(char *const *argv, char *err, size_t err_size) {
    int pipefd[2];
    if (pipe(pipefd) != 0) {
        snprintf(err, err_size, "pipe: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDERR_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipefd[0]);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipefd[1]);
    if (rc != 0) {
        close(pipefd[0]);
        snprintf(err, err_size, "cannot run %s: %s", argv[0], strerror(rc));
        return -1;
    }
    /* Keep the first error line (or the first line, if none says "error"). */
    char buf[8192];
    size_t used = 0;
    ssize_t n;
    while ((n = read(pipefd[0], buf + used, sizeof buf - 1 - used)) > 0) {
        used += (size_t)n;
        if (used == sizeof buf - 1)
            break;
    }
    buf[used] = '\0';
    char drain[4096];
    while (read(pipefd[0], drain, sizeof drain) > 0) {
    }
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    char *line = strstr(buf, "error:");
    if (line == NULL)
        line = buf;
    char *nl = strchr(line, '\n');
    if (nl)
        *nl = '\0';
    size_t len = strlen(line) < err_size - 1 ? strlen(line) : err_size - 1;
    memcpy(err, line, len);
    err[len] = '\0';
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Runs lld with argv: head[0..nhead), the objects, tail[0..ntail), NULL;
 * false with lld's first error line in d if it fails.
 */
static bool run_lld(char *const *head, size_t nhead, const char *const *objects, size_t nobjects,
                    char *const *tail, size_t ntail, WaDiag *d) {
    char **argv = calloc(nhead + nobjects + ntail + 1, sizeof *argv);
    if (argv == NULL)
        return wa_diag_error_no_offset(d, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < nhead; i++)
        argv[n++] = head[i];
    for (size_t i = 0; i < nobjects; i++)
        argv[n++] = (char *)objects[i];
    for (size_t i = 0; i < ntail; i++)
        argv[n++] = tail[i];
    argv[n] = NULL;
    char err[1024];
    int status = run_capture(argv, err, sizeof err);
    free(argv);
    if (status != 0)
        return wa_diag_error_no_offset(d, "link failed: %s", err[0] ? err : "ld.lld failed");
    return true;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* musl's libc.a and its start files (musl-dev), in the directory the build found them. */
static bool find_musl(char (*files)[PATH_MAX], WaDiag *d) {
    static const char *const names[] = {"crt1.o", "crti.o", "libc.a", "crtn.o"};
    for (size_t i = 0; i < 4; i++) {
        if (!join(files[i], WA_MUSL_LIBC_DIR, names[i]) || !is_file(files[i]))
            return wa_diag_error_no_offset(d,
                                           "--static: cannot find musl's %s in %s (install "
                                           "musl-dev)",
                                           names[i], WA_MUSL_LIBC_DIR);
    }
    return true;
}

static bool link_static_exe(const char *const *objects, size_t nobjects, const char *output,
                            WaDiag *d) {
    RuntimeLibs libs;
    WA_TRY(find_static_runtime(&libs, d));
    char lld[PATH_MAX], musl[4][PATH_MAX];
    WA_TRY(find_lld(lld, sizeof lld, d));
    WA_TRY(find_musl(musl, d));
    char *head[] = {
        lld,     "-static",    "--eh-frame-hdr", "-z", "relro",        "-z",
        "now",   "--build-id", "--gc-sections",  "-o", (char *)output, musl[0],
        musl[1],
    };
    char *tail[] = {
        libs.path[0], libs.path[1], libs.path[2],
        libs.path[3], WA_LIBGCC_EH, /* as for wa_link_exe; its _dl_find_object is runtime/musl's */
        musl[2],                    /* libc.a, libm included */
        musl[3],
    };
    return run_lld(head, COUNT(head), objects, nobjects, tail, COUNT(tail), d);
}

/*
 * The runtime archives and the C library's directory of a dynamic
 * executable for `t`: the build's own runtime and the host's glibc for the
 * host, else the target's runtime build and its libc_dir.
 */
static bool find_target_libs(const WaTarget *t, RuntimeLibs *libs, char *libc_dir, size_t size,
                             WaDiag *d) {
    if (t->runtime_triple == NULL)
        return find_runtime(libs, d) && find_libc_dir(libc_dir, size, d);
    char option[64];
    snprintf(option, sizeof option, "--target %s", t->name);
    WA_TRY(find_target_runtime(t->runtime_triple, option, t->install_hint, libs, d));
    char scrt1[PATH_MAX];
    if (!join(scrt1, t->libc_dir, "Scrt1.o") || !is_file(scrt1))
        return wa_diag_error_no_offset(d, "%s: cannot find the C start files %s (%s)", option,
                                       scrt1, t->install_hint);
    snprintf(libc_dir, size, "%s", t->libc_dir);
    return true;
}

bool wa_link_exe(const char *const *objects, size_t nobjects, const char *output,
                 const WaTarget *target, bool static_exe, WaDiag *d) {
    const WaTarget *t = target ? target : wa_target_default();
    if (static_exe && t->static_runtime_triple == NULL)
        return wa_diag_error_no_offset(d, "%s", t->no_static_why);
    if (static_exe)
        return link_static_exe(objects, nobjects, output, d);
    RuntimeLibs libs;
    char lld[PATH_MAX], libc_dir[PATH_MAX];
    WA_TRY(find_target_libs(t, &libs, libc_dir, sizeof libc_dir, d));
    WA_TRY(find_lld(lld, sizeof lld, d));
    char scrt1[PATH_MAX], crti[PATH_MAX], crtn[PATH_MAX], libpath[PATH_MAX + 2];
    if (!join(scrt1, libc_dir, "Scrt1.o") || !join(crti, libc_dir, "crti.o") ||
        !join(crtn, libc_dir, "crtn.o"))
        return wa_diag_error_no_offset(d, "path too long: %s", libc_dir);
    snprintf(libpath, sizeof libpath, "-L%s", libc_dir);
    /* The host's multiarch directory too (where its libc.so script points); no other's. */
    bool host = t->runtime_triple == NULL;
    char *head[] = {
        lld,
        "-pie",
        "--eh-frame-hdr",
        "-z",
        "relro",
        "-z",
        "now",
        "--hash-style=gnu",
        "--build-id",
        "--gc-sections",
        "-dynamic-linker",
        (char *)t->dynamic_linker,
        "-o",
        (char *)output,
        scrt1,
        crti,
    };
    char *tail[] = {
        /* The archives, once each, in runtime_archives' dependency order. */
        libs.path[0],
        libs.path[1],
        libs.path[2],
        libs.path[3],
        /*
         * The unwinder, static: only a program whose code throws wasm
         * exceptions pulls members out of it (runtime/exception.c calls
         * _Unwind_ForcedUnwind), so others link exactly as before, and no
         * program gains a DT_NEEDED on libgcc_s.
         */
        (char *)t->libgcc_eh,
        libpath,
        host ? "-L/lib/x86_64-linux-gnu" : libpath,
        "-lc",
        /*
         * libm only when a symbol resolves there: the runtime and the WASI
         * shim use none, and the generated object calls libm only for the
         * rounding operators (ceil, floor, trunc, nearest) on CPUs without
         * SSE4.1 (--cpu=x86-64). A needless DT_NEEDED costs every start-up
         * a library load (open, mmaps, its relocations; bench/startup).
         */
        "--as-needed",
        "-lm",
        "--no-as-needed",
        /* A target's compiler helpers (AArch64: libgcc.a, for what libgcc_eh.a calls). */
        t->libgcc ? (char *)t->libgcc : NULL,
        crtn,
    };
    /* Without a libgcc.a, crtn in its place: the host's command is the same as before. */
    size_t ntail = COUNT(tail);
    if (t->libgcc == NULL)
        tail[--ntail - 1] = crtn;
    return run_lld(head, COUNT(head), objects, nobjects, tail, ntail, d);
}

bool wa_link_shared(const char *const *objects, size_t nobjects, const char *output, WaDiag *d) {
    char lld[PATH_MAX], libc_dir[PATH_MAX], libpath[PATH_MAX + 2];
    WA_TRY(find_lld(lld, sizeof lld, d));
    WA_TRY(find_libc_dir(libc_dir, sizeof libc_dir, d));
    snprintf(libpath, sizeof libpath, "-L%s", libc_dir);
    /*
     * Rounding compiles to libm calls on CPUs without SSE4.1 (ceil, floor,
     * ...): the object records its need for libm, so any host can load it.
     */
    char *head[] = {lld,   "-shared",          "--eh-frame-hdr", "-z", "relro",       "-z",
                    "now", "--hash-style=gnu", "--build-id",     "-o", (char *)output};
    char *tail[] = {libpath, "--as-needed", "-lm"};
    return run_lld(head, COUNT(head), objects, nobjects, tail, COUNT(tail), d);
}

bool wa_link_relocatable(const char *const *objects, size_t nobjects, const char *output,
                         WaDiag *d) {
    char lld[PATH_MAX];
    WA_TRY(find_lld(lld, sizeof lld, d));
    char *head[] = {lld, "-r", "-o", (char *)output};
    return run_lld(head, COUNT(head), objects, nobjects, NULL, 0, d);
}

bool wa_link_runtime_paths(char (*paths)[PATH_MAX], bool static_exe, WaDiag *d) {
    /* For `wasmaot run`, which compiles for the host only. */
    RuntimeLibs libs;
    WA_TRY(static_exe ? find_static_runtime(&libs, d) : find_runtime(&libs, d));
    memcpy(paths, libs.path, sizeof libs.path);
    return true;
}
