/*
 * dl_find_object.c: glibc's _dl_find_object (glibc 2.35, <dlfcn.h>) for
 * static executables on musl (`wasmaot --static`).
 *
 * The unwinder every executable links statically, libgcc_eh.a of Debian's
 * gcc 12, was built against glibc and finds the unwind tables of a code
 * address with _dl_find_object only: a trap's backtrace
 * (runtime/backtrace.c) and a thrown wasm exception (runtime/exception.c)
 * both go through it. musl has no such function, so the musl build of the
 * runtime carries this one: the loaded object whose PT_LOAD segments hold
 * `pc`, with its PT_GNU_EH_FRAME segment (the .eh_frame_hdr search table
 * lld writes with --eh-frame-hdr), found with dl_iterate_phdr. In a static
 * executable that walk reads the program headers the kernel passed, takes no
 * lock and allocates nothing, so the fault handler may run it.
 *
 * The struct is glibc's layout on x86-64 (no dlfo_eh_dbase there).
 */
#include <link.h>
#include <stddef.h>
#include <stdint.h>

struct dl_find_object {
    unsigned long long dlfo_flags;
    void *dlfo_map_start;
    void *dlfo_map_end;
    struct link_map *dlfo_link_map;
    void *dlfo_eh_frame;
    unsigned long long dlfo_reserved[7];
};

int _dl_find_object(void *pc, struct dl_find_object *result);

typedef struct query {
    uintptr_t pc;
    struct dl_find_object *result;
    int found;
} query_t;

/* dl_iterate_phdr's callback: fills q->result and stops at the object holding q->pc. */
static int visit(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    query_t *q = data;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    void *eh_frame = NULL;
    int holds_pc = 0;
    for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD) {
            if (start < lo)
                lo = start;
            if (start + ph->p_memsz > hi)
                hi = start + ph->p_memsz;
            if (q->pc >= start && q->pc - start < ph->p_memsz)
                holds_pc = 1;
        } else if (ph->p_type == PT_GNU_EH_FRAME) {
            eh_frame = (void *)start;
        }
    }
    if (!holds_pc)
        return 0;
    *q->result = (struct dl_find_object){
        .dlfo_map_start = (void *)lo, .dlfo_map_end = (void *)hi, .dlfo_eh_frame = eh_frame};
    q->found = 1;
    return 1;
}

int _dl_find_object(void *pc, struct dl_find_object *result) {
    query_t q = {(uintptr_t)pc, result, 0};
    dl_iterate_phdr(visit, &q);
    return q.found ? 0 : -1;
}
