/* interp.c: a stack-machine bytecode interpreter, dispatched by a switch in a loop (a wasm
   br_table), running a program assembled here: a nested loop that sums a hash of the counters,
   with a call to a subroutine. Prints the result and the instruction count. `quick`: fewer
   iterations. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, SHR, AND, LT, JZ, JMP, CALL, RET, DUP, DROP, HALT };

typedef struct {
    int32_t op, arg;
} Instr;

static int64_t run(const Instr *code, int64_t *vars, uint64_t *executed) {
    int64_t stack[256];
    int32_t rstack[64];
    int sp = 0, rsp = 0, pc = 0;
    uint64_t count = 0;
    for (;;) {
        Instr in = code[pc++];
        count++;
        switch (in.op) {
        case PUSH:
            stack[sp++] = in.arg;
            break;
        case LOAD:
            stack[sp++] = vars[in.arg];
            break;
        case STORE:
            vars[in.arg] = stack[--sp];
            break;
        case ADD:
            sp--, stack[sp - 1] += stack[sp];
            break;
        case SUB:
            sp--, stack[sp - 1] -= stack[sp];
            break;
        case MUL:
            sp--, stack[sp - 1] *= stack[sp];
            break;
        case XOR:
            sp--, stack[sp - 1] ^= stack[sp];
            break;
        case SHR:
            sp--, stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> (stack[sp] & 63));
            break;
        case AND:
            sp--, stack[sp - 1] &= stack[sp];
            break;
        case LT:
            sp--, stack[sp - 1] = stack[sp - 1] < stack[sp];
            break;
        case JZ:
            if (stack[--sp] == 0)
                pc = in.arg;
            break;
        case JMP:
            pc = in.arg;
            break;
        case CALL:
            rstack[rsp++] = pc, pc = in.arg;
            break;
        case RET:
            pc = rstack[--rsp];
            break;
        case DUP:
            stack[sp] = stack[sp - 1], sp++;
            break;
        case DROP:
            sp--;
            break;
        case HALT:
            *executed = count;
            return vars[0];
        }
    }
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    int32_t outer = quick ? 300 : 20000, inner = 1000;
    /* vars: 0 sum, 1 i, 2 j, 3 scratch */
    const Instr code[] = {
        /*  0 */ {PUSH, 0},
        {STORE, 0},
        {PUSH, 0},
        {STORE, 1},
        /*  4 outer: */ {LOAD, 1},
        {PUSH, outer},
        {LT, 0},
        {JZ, 37},
        /*  8 */ {PUSH, 0},
        {STORE, 2},
        /* 10 inner: */ {LOAD, 2},
        {PUSH, inner},
        {LT, 0},
        {JZ, 32},
        /* 14 */ {LOAD, 1},
        {PUSH, 31},
        {MUL, 0},
        {LOAD, 2},
        {XOR, 0},
        {CALL, 38},
        /* 20 */ {LOAD, 0},
        {ADD, 0},
        {PUSH, 0x7fffffff},
        {AND, 0},
        {STORE, 0},
        /* 25 */ {LOAD, 2},
        {PUSH, 1},
        {ADD, 0},
        {STORE, 2},
        {JMP, 10},
        {HALT, 0},
        {HALT, 0},
        /* 32 */ {LOAD, 1},
        {PUSH, 1},
        {ADD, 0},
        {STORE, 1},
        {JMP, 4},
        /* 37 */ {HALT, 0},
        /* 38 mix(x): x * 0x9e3779b1 ^ (x >> 7) */
        {DUP, 0},
        {PUSH, 7},
        {SHR, 0},
        {STORE, 3},
        {PUSH, 0x9e3779b1},
        {MUL, 0},
        {LOAD, 3},
        {XOR, 0},
        {RET, 0},
    };
    int64_t vars[4] = {0};
    uint64_t executed = 0;
    int64_t result = run(code, vars, &executed);
    printf("interp result=%lld executed=%llu\n", (long long)result, (unsigned long long)executed);
    return 0;
}
