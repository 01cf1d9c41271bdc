/*
 * interp.c: a threaded-code interpreter whose handlers end in guaranteed
 * tail calls (clang's musttail; -mtail-call makes them wasm return_call and
 * return_call_indirect). It runs a small bytecode program for tens of
 * millions of steps: every step is a tail call, so without real tail calls
 * the stack would grow by a frame per step and overflow. Built for
 * wasm32-wasi and natively (clang-19 both), compared byte for byte.
 *
 * The program: for n in 1..N, run the Collatz sequence of n to 1 and count
 * its steps; print the total, the longest and the n that had it, and a
 * checksum over all step counts.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Vm Vm;
typedef struct Insn Insn;
typedef uint64_t (*Handler)(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps);

struct Insn {
    Handler handler;
    int32_t arg; /* register, constant or jump offset */
    int32_t arg2;
};

struct Vm {
    uint64_t reg[8];
    uint64_t dispatched;
};

#define NEXT(vm, ip, acc, steps)                                                                   \
    __attribute__((musttail)) return (ip)->handler((vm), (ip), (acc), (steps) + 1)

static uint64_t op_load(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    (void)acc;
    acc = vm->reg[ip->arg];
    ip++;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_store(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    vm->reg[ip->arg] = acc;
    ip++;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_const(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    (void)acc;
    acc = (uint64_t)(int64_t)ip->arg;
    ip++;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_add(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    acc += vm->reg[ip->arg];
    ip++;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_addi(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    acc += (uint64_t)(int64_t)ip->arg;
    ip++;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_mul3(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    acc = acc * 3;
    ip++;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_half(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    acc >>= 1;
    ip++;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_mix(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    /* checksum = checksum * 31 + acc, in register arg */
    vm->reg[ip->arg] = vm->reg[ip->arg] * 31 + acc;
    ip++;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_max(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    /* if acc > reg[arg]: reg[arg] = acc, reg[arg2] = reg[0] (n) */
    if (acc > vm->reg[ip->arg]) {
        vm->reg[ip->arg] = acc;
        vm->reg[ip->arg2] = vm->reg[0];
    }
    ip++;
    NEXT(vm, ip, acc, steps);
}

/* Jumps by arg if acc is odd, else by arg2. */
static uint64_t op_parity(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    ip += (acc & 1) ? ip->arg : ip->arg2;
    NEXT(vm, ip, acc, steps);
}

/* Jumps by arg if acc == 1, else on. */
static uint64_t op_if_one(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    ip += acc == 1 ? ip->arg : 1;
    NEXT(vm, ip, acc, steps);
}

/* Jumps by arg if acc <= reg[arg2]. */
static uint64_t op_if_le(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    ip += acc <= vm->reg[ip->arg2] ? ip->arg : 1;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_jump(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    ip += ip->arg;
    NEXT(vm, ip, acc, steps);
}

static uint64_t op_halt(Vm *vm, const Insn *ip, uint64_t acc, uint64_t steps) {
    (void)ip;
    (void)acc;
    vm->dispatched = steps;
    return vm->reg[1];
}

/*
 * Registers: 0 n, 1 total steps, 2 N, 3 longest, 4 its n, 5 checksum, 6 steps of n.
 */
// clang-format off
static const Insn program[] = {
    /* 0 */ {op_const, 1, 0},
    /* 1 */ {op_store, 0, 0}, /* n = 1 */
    /* loop over n: */
    /* 2 */ {op_const, 0, 0},
    /* 3 */ {op_store, 6, 0}, /* steps = 0 */
    /* 4 */ {op_load, 0, 0},  /* acc = n */
    /* collatz: */
    /* 5 */ {op_if_one, 12, 0},  /* acc == 1: to 17 */
    /* 6 */ {op_parity, 1, 4},   /* odd: 7, even: 10 */
    /* 7 */ {op_mul3, 0, 0},     /* acc = 3 acc + 1 */
    /* 8 */ {op_addi, 1, 0},
    /* 9 */ {op_jump, 2, 0},     /* to 11 */
    /* 10 */ {op_half, 0, 0},
    /* 11 */ {op_store, 7, 0},   /* keep acc in 7 */
    /* 12 */ {op_load, 6, 0},
    /* 13 */ {op_addi, 1, 0},
    /* 14 */ {op_store, 6, 0},   /* steps++ */
    /* 15 */ {op_load, 7, 0},
    /* 16 */ {op_jump, -11, 0},  /* to 5 */
    /* done with n: */
    /* 17 */ {op_load, 6, 0},
    /* 18 */ {op_max, 3, 4},
    /* 19 */ {op_mix, 5, 0},
    /* 20 */ {op_add, 1, 0},
    /* 21 */ {op_store, 1, 0},   /* total += steps */
    /* 22 */ {op_load, 0, 0},
    /* 23 */ {op_addi, 1, 0},
    /* 24 */ {op_store, 0, 0},   /* n++ */
    /* 25 */ {op_if_le, -23, 2}, /* n <= N: to 2 */
    /* 26 */ {op_halt, 0, 0},
};
// clang-format on

int main(int argc, char **argv) {
    Vm vm = {{0}, 0};
    vm.reg[2] = argc > 1 ? strtoull(argv[1], NULL, 10) : 30000;
    uint64_t total = program[0].handler(&vm, program, 0, 0);
    printf("n <= %" PRIu64 ": %" PRIu64 " collatz steps, longest %" PRIu64 " (n = %" PRIu64
           "), checksum %016" PRIx64 "\n",
           vm.reg[2], total, vm.reg[3], vm.reg[4], vm.reg[5]);
    printf("%" PRIu64 " instructions dispatched, each by a tail call\n", vm.dispatched);
    return 0;
}
