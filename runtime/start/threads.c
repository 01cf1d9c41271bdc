/*
 * threads.c: wasi-threads (the `wasi` module's thread-spawn, the
 * wasm32-wasip1-threads ABI) for compiled executables.
 *
 * The ABI: the module imports a shared memory (env.memory, made by entry.c
 * from the import's type) and exports wasi_thread_start(tid: i32,
 * start_arg: i32). thread-spawn(start_arg) starts a real OS thread (a
 * pthread) that runs wasi_thread_start(tid, start_arg) in a NEW INSTANCE of
 * the module: its own globals (the stack pointer global among them, as the
 * module initialises it: wasi-libc's thread start sets it from start_arg),
 * tables and function references, sharing the memory and every imported
 * function with the main instance. Its init runs again (a threads build
 * keeps its data in passive segments, initialised once by a start function
 * guarded in memory); a trap there counts as a trap of the thread.
 *
 * The instance is made on the new thread, so its stack limit
 * (ctx->stack_limit) is that thread's; wa_rt_call_guarded sets up the
 * thread's stack guard and alternate signal stack as it does on the main
 * thread. The parent waits until the child has instantiated, so a failure
 * (out of memory, no wasi_thread_start of the right type) is thread-spawn's
 * negative result rather than a thread that silently does nothing. Thread
 * ids count up from 1 and are never reused; past 0x1FFFFFFF (the ids the
 * wasi-threads proposal allows) thread-spawn fails.
 *
 * Ending: as wasmtime does, a trap in any thread ends the whole process
 * with its one line on stderr and status 134, and proc_exit in any thread
 * ends it with its code. Other threads are still running then, so the
 * process ends with _exit after flushing stdout: no exit handlers, no
 * freeing of the memory and instances they use. The first thread to end
 * the process wins; any other blocks until the process is gone. Once a
 * thread exists, the main thread ends the same way (entry.c).
 */
#include "threads.h"

#include "ending.h"

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The largest thread id wasi-threads allows (ids are positive, 29 bits). */
#define MAX_TID 0x1FFFFFFF
/* Each thread's stack: the main thread's RLIMIT_STACK, within these bounds. */
#define MIN_STACK (UINT64_C(1) << 20)
#define MAX_STACK (UINT64_C(256) << 20)
#define DEFAULT_STACK (UINT64_C(8) << 20)

static struct {
    const wa_rt_module_t *m;
    const wa_rt_extern_t *externs;
} program;

static atomic_int next_tid = 1;
static atomic_bool spawned;
static pthread_mutex_t ending = PTHREAD_MUTEX_INITIALIZER;

/* What a parent hands its child, and what the child reports back. */
typedef struct spawn {
    int32_t tid, start_arg;
    sem_t ready;
    bool ok; /* the child instantiated and found wasi_thread_start */
} spawn_t;

typedef struct start_call {
    const wa_rt_func_t *f;
    int32_t tid, start_arg;
} start_call_t;

_Noreturn void wa_start_threads_end(wa_rt_trap_t kind, const wa_rt_trap_info_t *info) {
    pthread_mutex_lock(&ending); /* never unlocked: the process ends here */
    char line[WA_START_ENDING_SIZE];
    int status = wa_start_exit_status(kind, info, line, sizeof line);
    fflush(stdout);
    if (line[0] != '\0')
        fprintf(stderr, "%s\n", line);
    fflush(stderr);
    _exit(status);
}

bool wa_start_threads_spawned(void) {
    return atomic_load(&spawned);
}

static void call_start(void *arg) {
    const start_call_t *c = arg;
    void (*code)(void *, int32_t, int32_t);
    memcpy(&code, &c->f->code, sizeof code); /* a code pointer in a void * (POSIX) */
    code(c->f->ctx, c->tid, c->start_arg);
}

/* wasi_thread_start, if the instance exports it with type [i32 i32] -> []. */
static const wa_rt_func_t *find_start(wa_rt_instance_t *inst) {
    wa_rt_extern_t e;
    const char *name = "wasi_thread_start";
    if (!wa_rt_instance_export(inst, name, strlen(name), WA_RT_EXTERN_FUNC, &e))
        return NULL;
    const wa_rt_functype_t *t = wa_rt_type_of_id(e.func->type_id);
    if (t->nparams != 2 || t->nresults != 0 || t->types[0] != WA_RT_I32 || t->types[1] != WA_RT_I32)
        return NULL;
    return e.func;
}

static void *thread_main(void *arg) {
    spawn_t *s = arg;
    int32_t tid = s->tid, start_arg = s->start_arg;
    wa_rt_error_t err;
    wa_rt_instance_t *inst =
        wa_rt_instantiate(program.m, program.externs, program.m->nimports, NULL, &err);
    if (inst == NULL && err.kind == WA_RT_ERROR_TRAP)
        wa_start_threads_end(err.trap.kind, &err.trap); /* init or start trapped */
    const wa_rt_func_t *f = inst != NULL ? find_start(inst) : NULL;
    s->ok = f != NULL;
    sem_post(&s->ready); /* s belongs to the parent again from here */
    if (f == NULL) {
        wa_rt_instance_free(inst);
        return NULL;
    }
    start_call_t call = {f, tid, start_arg};
    wa_rt_trap_t kind = wa_rt_call_guarded(call_start, &call);
    if (kind != WA_RT_TRAP_NONE)
        wa_start_threads_end(kind, wa_rt_last_trap());
    wa_rt_instance_free(inst);
    return NULL;
}

static size_t thread_stack_size(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return DEFAULT_STACK;
    uint64_t size = rl.rlim_cur;
    return size < MIN_STACK ? MIN_STACK : size > MAX_STACK ? MAX_STACK : size;
}

static int32_t spawn_thread(void *data, int32_t start_arg) {
    (void)data;
    int tid = atomic_fetch_add(&next_tid, 1);
    if (tid <= 0 || tid > MAX_TID)
        return -1;
    spawn_t s = {.tid = tid, .start_arg = start_arg, .ok = false};
    if (sem_init(&s.ready, 0, 0) != 0)
        return -1;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, thread_stack_size());
    atomic_store(&spawned, true);
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, thread_main, &s);
    pthread_attr_destroy(&attr);
    if (rc == 0) {
        while (sem_wait(&s.ready) != 0)
            ; /* EINTR */
    }
    sem_destroy(&s.ready);
    return rc == 0 && s.ok ? tid : -1;
}

void wa_start_threads_init(const wa_rt_module_t *m, const wa_rt_extern_t *externs,
                           wa_wasi_ctx_t *wasi) {
    program.m = m;
    program.externs = externs;
    wa_wasi_ctx_set_thread_spawn(wasi, spawn_thread, NULL);
}
