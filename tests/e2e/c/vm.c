/*
 * vm.c: a tiny stack-based bytecode interpreter and an expression compiler.
 *
 * A recursive-descent parser compiles arithmetic expressions with variables
 * to bytecode; a switch-dispatched VM (a dense switch: br_table) runs them,
 * plus hand-assembled programs with loops and calls (factorial, gcd, bit
 * operations). Division by zero is checked by the VM, never executed.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// clang-format off
enum Op {
    OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG,
    OP_LT, OP_EQ, OP_JMP, OP_JZ, OP_CALL, OP_RET, OP_DUP, OP_DROP, OP_SWAP,
    OP_PRINT, OP_HALT, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR, OP_INC, OP_DEC
};
// clang-format on

typedef struct Vm {
    int64_t stack[256];
    int sp;
    int rstack[64];
    int rsp;
    int64_t vars[26];
    uint64_t steps;
} Vm;

static const char *run(Vm *vm, const int64_t *code) {
    int pc = 0;
    for (;;) {
        vm->steps++;
        int64_t a, b;
        switch ((enum Op)code[pc++]) {
        case OP_PUSH:
            vm->stack[vm->sp++] = code[pc++];
            break;
        case OP_LOAD:
            vm->stack[vm->sp++] = vm->vars[code[pc++]];
            break;
        case OP_STORE:
            vm->vars[code[pc++]] = vm->stack[--vm->sp];
            break;
        case OP_ADD:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] += b;
            break;
        case OP_SUB:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] -= b;
            break;
        case OP_MUL:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] *= b;
            break;
        case OP_DIV:
        case OP_MOD:
            b = vm->stack[--vm->sp];
            a = vm->stack[vm->sp - 1];
            if (b == 0)
                return "division by zero";
            vm->stack[vm->sp - 1] = code[pc - 1] == OP_DIV ? a / b : a % b;
            break;
        case OP_NEG:
            vm->stack[vm->sp - 1] = -vm->stack[vm->sp - 1];
            break;
        case OP_LT:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] < b;
            break;
        case OP_EQ:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] == b;
            break;
        case OP_JMP:
            pc = (int)code[pc];
            break;
        case OP_JZ:
            pc = vm->stack[--vm->sp] ? pc + 1 : (int)code[pc];
            break;
        case OP_CALL:
            vm->rstack[vm->rsp++] = pc + 1;
            pc = (int)code[pc];
            break;
        case OP_RET:
            pc = vm->rstack[--vm->rsp];
            break;
        case OP_DUP:
            vm->stack[vm->sp] = vm->stack[vm->sp - 1];
            vm->sp++;
            break;
        case OP_DROP:
            vm->sp--;
            break;
        case OP_SWAP:
            a = vm->stack[vm->sp - 1];
            vm->stack[vm->sp - 1] = vm->stack[vm->sp - 2];
            vm->stack[vm->sp - 2] = a;
            break;
        case OP_PRINT:
            printf("  out: %lld\n", (long long)vm->stack[--vm->sp]);
            break;
        case OP_HALT:
            return NULL;
        case OP_AND:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] &= b;
            break;
        case OP_OR:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] |= b;
            break;
        case OP_XOR:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] ^= b;
            break;
        case OP_SHL:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] = (int64_t)((uint64_t)vm->stack[vm->sp - 1] << (b & 63));
            break;
        case OP_SHR:
            b = vm->stack[--vm->sp];
            vm->stack[vm->sp - 1] >>= (b & 63);
            break;
        case OP_INC:
            vm->stack[vm->sp - 1]++;
            break;
        case OP_DEC:
            vm->stack[vm->sp - 1]--;
            break;
        default:
            return "bad opcode";
        }
    }
}

/* ---- Expression compiler: expr := term (('+'|'-') term)*, etc. ---- */

typedef struct Parser {
    const char *p;
    int64_t *code;
    int n;
    const char *error;
} Parser;

static void emit(Parser *ps, int64_t v) {
    ps->code[ps->n++] = v;
}

static void skip(Parser *ps) {
    while (*ps->p == ' ')
        ps->p++;
}

static void parse_expr(Parser *ps);

static void parse_atom(Parser *ps) {
    skip(ps);
    char ch = *ps->p;
    if (ch >= '0' && ch <= '9') {
        int64_t v = 0;
        while (*ps->p >= '0' && *ps->p <= '9')
            v = v * 10 + (*ps->p++ - '0');
        emit(ps, OP_PUSH);
        emit(ps, v);
    } else if (ch >= 'a' && ch <= 'z') {
        ps->p++;
        emit(ps, OP_LOAD);
        emit(ps, ch - 'a');
    } else if (ch == '(') {
        ps->p++;
        parse_expr(ps);
        skip(ps);
        if (*ps->p != ')')
            ps->error = "expected )";
        else
            ps->p++;
    } else if (ch == '-') {
        ps->p++;
        parse_atom(ps);
        emit(ps, OP_NEG);
    } else {
        ps->error = "unexpected character";
    }
}

static void parse_term(Parser *ps) {
    parse_atom(ps);
    for (;;) {
        skip(ps);
        char ch = *ps->p;
        if (ch != '*' && ch != '/' && ch != '%')
            return;
        ps->p++;
        parse_atom(ps);
        emit(ps, ch == '*' ? OP_MUL : ch == '/' ? OP_DIV : OP_MOD);
    }
}

static void parse_expr(Parser *ps) {
    parse_term(ps);
    for (;;) {
        skip(ps);
        char ch = *ps->p;
        if (ch != '+' && ch != '-')
            return;
        ps->p++;
        parse_term(ps);
        emit(ps, ch == '+' ? OP_ADD : OP_SUB);
    }
}

static void evaluate(Vm *vm, const char *src) {
    int64_t code[512];
    Parser ps = {src, code, 0, NULL};
    parse_expr(&ps);
    skip(&ps);
    if (!ps.error && *ps.p)
        ps.error = "trailing input";
    if (ps.error) {
        printf("%-28s => parse error: %s at %d\n", src, ps.error, (int)(ps.p - src));
        return;
    }
    emit(&ps, OP_HALT);
    vm->sp = 0;
    const char *err = run(vm, code);
    if (err)
        printf("%-28s => runtime error: %s\n", src, err);
    else
        printf("%-28s => %lld (%d ops)\n", src, (long long)vm->stack[0], ps.n);
}

int main(void) {
    Vm vm;
    memset(&vm, 0, sizeof vm);
    vm.vars['x' - 'a'] = 7;
    vm.vars['y' - 'a'] = -3;
    const char *exprs[] = {"1 + 2 * 3",    "(1 + 2) * 3",   "x * x - y * y",
                           "100 / 7 % 4",  "-(x + y) * -2", "2 * (3 + (4 - (5 * (6 + 7))))",
                           "x / (y + 3)",  "1 + ",          "42 42",
                           "((((((x))))))"};
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++)
        evaluate(&vm, exprs[i]);

    // clang-format off: bytecode programs, laid out by address.
    /* factorial(20) with a loop: n=20, r=1; while (0 < n) { r *= n; n--; } print r. */
    const int64_t fact[] = {OP_PUSH, 20, OP_STORE, 13, OP_PUSH, 1, OP_STORE, 17,
                            /* 8 */ OP_PUSH, 0, OP_LOAD, 13, OP_LT, OP_JZ, 29,
                            /* 15 */ OP_LOAD, 17, OP_LOAD, 13, OP_MUL, OP_STORE, 17,
                            /* 22 */ OP_LOAD, 13, OP_DEC, OP_STORE, 13, OP_JMP, 8,
                            /* 29 */ OP_LOAD, 17, OP_PRINT, OP_HALT};
    printf("factorial(20):\n");
    const char *err = run(&vm, fact);
    printf("  err=%s\n", err ? err : "none");

    /* gcd as a subroutine: a=1071, b=462; call gcd; print a. */
    const int64_t gcd[] = {OP_PUSH, 1071, OP_STORE, 0, OP_PUSH, 462, OP_STORE, 1,
                           /* 8 */ OP_CALL, 14, OP_LOAD, 0, OP_PRINT, OP_HALT,
                           /* 14: while (b != 0) */ OP_LOAD, 1, OP_PUSH, 0, OP_EQ, OP_JZ, 22,
                           OP_RET,
                           /* 22: b, a = a % b, b */ OP_LOAD, 1, OP_LOAD, 0, OP_LOAD, 1, OP_MOD,
                           OP_STORE, 1, OP_STORE, 0, OP_JMP, 14};
    printf("gcd(1071, 462):\n");
    err = run(&vm, gcd);
    printf("  err=%s\n", err ? err : "none");

    /* A program dividing by zero: the VM reports it instead of executing it. */
    const int64_t divz[] = {OP_PUSH, 1, OP_PUSH, 0, OP_DIV, OP_PRINT, OP_HALT};
    err = run(&vm, divz);
    printf("divz: err=%s\n", err ? err : "none");

    /* Bit ops. */
    const int64_t bits[] = {OP_PUSH, 0xF0F0, OP_PUSH, 0x0FF0, OP_AND, OP_PRINT,
                            OP_PUSH, 1, OP_PUSH, 40, OP_SHL, OP_PUSH, 3, OP_OR, OP_PRINT,
                            OP_PUSH, -256, OP_PUSH, 4, OP_SHR, OP_PRINT,
                            OP_PUSH, 12345, OP_PUSH, 54321, OP_XOR, OP_DUP, OP_PRINT,
                            OP_PUSH, 5, OP_SWAP, OP_SUB, OP_PRINT, OP_HALT};
    printf("bits:\n");
    run(&vm, bits);
    // clang-format on
    printf("total steps: %llu\n", (unsigned long long)vm.steps);
    return 0;
}
