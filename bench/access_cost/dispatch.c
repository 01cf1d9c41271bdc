/* dispatch.c: a compute kernel of bench/access_cost (see run.py); prints a checksum.
   A bytecode interpreter whose handlers are called through a table of function
   pointers (call_indirect in wasm), the way interpreters and vtables dispatch. */
#include <stdio.h>
typedef struct vm {
    unsigned acc, x, pc;
    unsigned regs[8];
} vm_t;
typedef void (*op_fn)(vm_t *, unsigned);
static void op_add(vm_t *m, unsigned a) {
    m->acc += m->regs[a & 7];
}
static void op_xor(vm_t *m, unsigned a) {
    m->acc ^= a * 2654435761u;
}
static void op_rot(vm_t *m, unsigned a) {
    m->acc = (m->acc << (a & 31)) | (m->acc >> (-a & 31));
}
static void op_st(vm_t *m, unsigned a) {
    m->regs[a & 7] = m->acc;
}
static void op_mul(vm_t *m, unsigned a) {
    m->acc = m->acc * (a | 1) + m->x;
}
static void op_swap(vm_t *m, unsigned a) {
    unsigned t = m->x;
    m->x = m->acc;
    m->acc = t + a;
}
static void op_jmp(vm_t *m, unsigned a) {
    if (m->acc & 1)
        m->pc = (m->pc + a) & 1023;
}
static void op_inc(vm_t *m, unsigned a) {
    m->x += a;
}
static op_fn ops[8] = {op_add, op_xor, op_rot, op_st, op_mul, op_swap, op_jmp, op_inc};
static unsigned char code[1024], args[1024];
int main(void) {
    unsigned s = 12345;
    for (int i = 0; i < 1024; i++) {
        s = s * 1664525u + 1013904223u;
        code[i] = (unsigned char)(s >> 24) & 7;
        args[i] = (unsigned char)(s >> 16);
    }
    vm_t m = {0};
    for (long n = 0; n < 60000000; n++) {
        unsigned pc = m.pc;
        m.pc = (pc + 1) & 1023;
        ops[code[pc]](&m, args[pc]);
    }
    printf("%u %u\n", m.acc, m.x);
    return 0;
}
