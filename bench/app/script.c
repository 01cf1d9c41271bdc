/* script.c: the application-sized benchmark: an interpreter for a small scripting language, run
   on the script embedded below (recursion, a prime sieve, sorting, n-queens, a PRNG-driven hash
   table, Collatz chains). The pipeline is the one of a real interpreter: a lexer, a recursive
   descent parser that compiles straight to stack bytecode (one pass, forward calls patched by
   name), and a virtual machine with call frames, integer values and heap arrays.

   The language: a program is functions `fn name(params) { ... }`; statements are `var x = e;`,
   `x = e;`, `a[i] = e;`, `if (e) {...} else {...}`, `while (e) {...}`, `return e;` and `e;`;
   expressions have integers, variables, calls, `a[i]`, unary `-` and `!`, and the binary operators
   `* / % + - < <= > >= == != && ||` in C's precedence. Values are 64-bit integers; `array(n)`
   makes a zeroed array and yields its handle; `print(x)` prints x and yields it.
   Variables are function-scoped. `quick` as the first argument runs `main` with a smaller size. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *script =
    "fn fib(n) { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); }\n"
    "fn sieve(n) {\n"
    "  var a = array(n + 1); var count = 0; var i = 2;\n"
    "  while (i <= n) {\n"
    "    if (a[i] == 0) { count = count + 1; var j = i * i;\n"
    "      while (j <= n) { a[j] = 1; j = j + i; } }\n"
    "    i = i + 1; }\n"
    "  return count; }\n"
    "fn rand(state) { return (state * 1103515245 + 12345) % 2147483648; }\n"
    "fn sort(a, lo, hi) {\n"
    "  while (lo < hi) {\n"
    "    var p = a[(lo + hi) / 2]; var i = lo; var j = hi;\n"
    "    while (i <= j) {\n"
    "      while (a[i] < p) { i = i + 1; } while (a[j] > p) { j = j - 1; }\n"
    "      if (i <= j) { var t = a[i]; a[i] = a[j]; a[j] = t; i = i + 1; j = j - 1; } }\n"
    "    if (j - lo < hi - i) { sort(a, lo, j); lo = i; } else { sort(a, i, hi); hi = j; } }\n"
    "  return 0; }\n"
    "fn sorted_check(n) {\n"
    "  var a = array(n); var s = 7; var i = 0;\n"
    "  while (i < n) { s = rand(s); a[i] = s % 1000000; i = i + 1; }\n"
    "  sort(a, 0, n - 1); var h = 0; i = 1;\n"
    "  while (i < n) { if (a[i - 1] > a[i]) { return -1; } h = (h * 31 + a[i]) % 1000000007; i = i "
    "+ 1; }\n"
    "  return h; }\n"
    "fn safe(cols, row, col) {\n"
    "  var r = 0;\n"
    "  while (r < row) { var c = cols[r];\n"
    "    if (c == col || c - col == row - r || col - c == row - r) { return 0; } r = r + 1; }\n"
    "  return 1; }\n"
    "fn queens(cols, row, n) {\n"
    "  if (row == n) { return 1; }\n"
    "  var count = 0; var col = 0;\n"
    "  while (col < n) { if (safe(cols, row, col)) { cols[row] = col; count = count + queens(cols, "
    "row + 1, n); }\n"
    "    col = col + 1; }\n"
    "  return count; }\n"
    "fn table(n) {\n"
    "  var size = 65536; var keys = array(size); var vals = array(size); var s = 1; var i = 0; var "
    "found = 0;\n"
    "  while (i < n) { s = rand(s); var k = s % 50000 + 1; var h = (k * 40503) % size;\n"
    "    while (keys[h] != 0 && keys[h] != k) { h = (h + 1) % size; }\n"
    "    if (keys[h] == k) { found = found + 1; } keys[h] = k; vals[h] = vals[h] + i; i = i + 1; "
    "}\n"
    "  var sum = 0; i = 0; while (i < size) { sum = (sum + vals[i] * (i + 1)) % 1000000007; i = i "
    "+ 1; }\n"
    "  return sum * 100000 + found % 100000; }\n"
    "fn collatz(limit) {\n"
    "  var best = 0; var arg = 0; var i = 1;\n"
    "  while (i < limit) { var x = i; var steps = 0;\n"
    "    while (x != 1) { if (x % 2 == 0) { x = x / 2; } else { x = 3 * x + 1; } steps = steps + "
    "1; }\n"
    "    if (steps > best) { best = steps; arg = i; } i = i + 1; }\n"
    "  return arg * 1000 + best; }\n"
    "fn main(size) {\n"
    "  print(fib(20 + size));\n"
    "  print(sieve(100000 * size));\n"
    "  print(sorted_check(20000 * size));\n"
    "  var cols = array(12); print(queens(cols, 0, 5 + size / 2));\n"
    "  print(table(40000 * size));\n"
    "  print(collatz(30000 * size));\n"
    "  return 0; }\n";

/* ---- bytecode ---- */
enum {
    OP_CONST,
    OP_LOAD,
    OP_STORE,
    OP_ALOAD,
    OP_ASTORE,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_LT,
    OP_LE,
    OP_GT,
    OP_GE,
    OP_EQ,
    OP_NE,
    OP_NEG,
    OP_NOT,
    OP_JMP,
    OP_JZ,
    OP_CALL,
    OP_RET,
    OP_POP,
    OP_PRINT,
    OP_ARRAY
};

typedef struct {
    char name[32];
    int entry, nparams, nlocals, defined;
} Func;

static int64_t code[1 << 16]; /* opcodes and operands; constants are 64-bit */
static int ncode;
static Func funcs[64];
static int nfuncs;

static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "script: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static int emit(int64_t word) {
    if (ncode == (int)(sizeof code / sizeof *code))
        fail("program too large");
    code[ncode] = word;
    return ncode++;
}

static int func_index(const char *name) {
    for (int i = 0; i < nfuncs; i++)
        if (strcmp(funcs[i].name, name) == 0)
            return i;
    if (nfuncs == (int)(sizeof funcs / sizeof *funcs))
        fail("too many functions");
    snprintf(funcs[nfuncs].name, sizeof funcs[nfuncs].name, "%s", name);
    return nfuncs++;
}

/* ---- lexer ---- */
enum { T_EOF, T_NUM, T_IDENT, T_PUNCT };
static const char *src;
static int tok;
static char tok_text[32];
static int64_t tok_num;

static void next(void) {
    while (isspace((unsigned char)*src))
        src++;
    if (!*src) {
        tok = T_EOF;
        return;
    }
    if (isdigit((unsigned char)*src)) {
        tok = T_NUM;
        tok_num = 0;
        while (isdigit((unsigned char)*src))
            tok_num = tok_num * 10 + (*src++ - '0');
        return;
    }
    int n = 0;
    if (isalpha((unsigned char)*src) || *src == '_') {
        tok = T_IDENT;
        while ((isalnum((unsigned char)*src) || *src == '_') && n < 31)
            tok_text[n++] = *src++;
    } else {
        tok = T_PUNCT;
        static const char *two[] = {"<=", ">=", "==", "!=", "&&", "||"};
        for (int i = 0; i < 6 && !n; i++)
            if (strncmp(src, two[i], 2) == 0)
                tok_text[n++] = *src++, tok_text[n++] = *src++;
        if (!n)
            tok_text[n++] = *src++;
    }
    tok_text[n] = 0;
}

/* The next character after the current token: tells `x = e` and `a[i] = e` from expressions. */
static const char *peek(void) {
    const char *p = src;
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

static int is(const char *p) {
    return (tok == T_PUNCT || tok == T_IDENT) && strcmp(tok_text, p) == 0;
}

static void expect(const char *p) {
    if (!is(p))
        fail("expected '%s' before '%s'", p, tok_text);
    next();
}

/* ---- parser + code generator (locals of the function being compiled) ---- */
static char locals[64][32];
static int nlocals;

static int local_slot(const char *name, int create) {
    for (int i = 0; i < nlocals; i++)
        if (strcmp(locals[i], name) == 0)
            return i;
    if (!create)
        fail("unknown variable '%s'", name);
    if (nlocals == 64)
        fail("too many locals");
    snprintf(locals[nlocals], sizeof locals[nlocals], "%s", name);
    return nlocals++;
}

static void expr(int min_prec);

static void primary(void) {
    if (tok == T_NUM) {
        emit(OP_CONST), emit(tok_num), next();
    } else if (is("(")) {
        next(), expr(0), expect(")");
    } else if (is("-")) {
        next(), primary(), emit(OP_NEG);
    } else if (is("!")) {
        next(), primary(), emit(OP_NOT);
    } else if (tok == T_IDENT) {
        char name[32];
        memcpy(name, tok_text, sizeof name);
        next();
        if (is("(")) {
            next();
            int argc = 0;
            while (!is(")")) {
                expr(0), argc++;
                if (!is(")"))
                    expect(",");
            }
            next();
            if (strcmp(name, "print") == 0 && argc == 1)
                emit(OP_PRINT);
            else if (strcmp(name, "array") == 0 && argc == 1)
                emit(OP_ARRAY);
            else
                emit(OP_CALL), emit(func_index(name)), emit(argc);
        } else if (is("[")) {
            emit(OP_LOAD), emit(local_slot(name, 0)), next(), expr(0), expect("]"), emit(OP_ALOAD);
        } else {
            emit(OP_LOAD), emit(local_slot(name, 0));
        }
    } else {
        fail("unexpected '%s'", tok_text);
    }
}

static const struct {
    const char *text;
    int prec, op;
} binops[] = {{"||", 1, -1},    {"&&", 2, -1},    {"==", 3, OP_EQ}, {"!=", 3, OP_NE},
              {"<", 4, OP_LT},  {"<=", 4, OP_LE}, {">", 4, OP_GT},  {">=", 4, OP_GE},
              {"+", 5, OP_ADD}, {"-", 5, OP_SUB}, {"*", 6, OP_MUL}, {"/", 6, OP_DIV},
              {"%", 6, OP_MOD}};

/* Precedence climbing; && and || short-circuit through jumps and yield 0 or 1. */
static void expr(int min_prec) {
    primary();
    for (;;) {
        int b = -1;
        for (int i = 0; i < (int)(sizeof binops / sizeof *binops) && tok == T_PUNCT; i++)
            if (strcmp(tok_text, binops[i].text) == 0)
                b = i;
        if (b < 0 || binops[b].prec <= min_prec)
            return;
        next();
        if (binops[b].op >= 0) {
            expr(binops[b].prec), emit(binops[b].op);
            continue;
        }
        int is_or = binops[b].prec == 1;
        if (is_or)
            emit(OP_NOT); /* a || b  ==  !(!a && !b) */
        emit(OP_JZ);
        int to_false = emit(0);
        expr(binops[b].prec);
        if (is_or)
            emit(OP_NOT);
        emit(OP_JZ);
        int to_false2 = emit(0);
        emit(OP_CONST), emit(!is_or), emit(OP_JMP);
        int to_end = emit(0);
        code[to_false] = code[to_false2] = ncode;
        emit(OP_CONST), emit(is_or);
        code[to_end] = ncode;
    }
}

static void block(void);

static void statement(void) {
    if (is("var")) {
        next();
        char name[32];
        memcpy(name, tok_text, sizeof name);
        next(), expect("="), expr(0), expect(";");
        emit(OP_STORE), emit(local_slot(name, 1));
    } else if (is("if")) {
        next(), expect("("), expr(0), expect(")"), emit(OP_JZ);
        int to_else = emit(0);
        block();
        if (is("else")) {
            next(), emit(OP_JMP);
            int to_end = emit(0);
            code[to_else] = ncode;
            if (is("if"))
                statement();
            else
                block();
            code[to_end] = ncode;
        } else {
            code[to_else] = ncode;
        }
    } else if (is("while")) {
        int top = ncode;
        next(), expect("("), expr(0), expect(")"), emit(OP_JZ);
        int to_end = emit(0);
        block();
        emit(OP_JMP), emit(top);
        code[to_end] = ncode;
    } else if (is("return")) {
        next(), expr(0), expect(";"), emit(OP_RET);
    } else if (tok == T_IDENT && peek()[0] == '=' && peek()[1] != '=') {
        int slot = local_slot(tok_text, 0);
        next(), next(), expr(0), expect(";"), emit(OP_STORE), emit(slot);
    } else if (tok == T_IDENT && peek()[0] == '[') {
        emit(OP_LOAD), emit(local_slot(tok_text, 0));
        next(), next(), expr(0), expect("]"), expect("="), expr(0), expect(";"), emit(OP_ASTORE);
    } else {
        expr(0), expect(";"), emit(OP_POP);
    }
}

static void block(void) {
    expect("{");
    while (!is("}"))
        statement();
    next();
}

static void compile(const char *text) {
    src = text;
    next();
    while (tok != T_EOF) {
        expect("fn");
        Func *f = &funcs[func_index(tok_text)];
        if (f->defined)
            fail("'%s' defined twice", f->name);
        next(), expect("(");
        nlocals = 0;
        while (!is(")")) {
            local_slot(tok_text, 1), next();
            if (!is(")"))
                expect(",");
        }
        next();
        f->nparams = nlocals, f->entry = ncode, f->defined = 1;
        block();
        emit(OP_CONST), emit(0), emit(OP_RET);
        f->nlocals = nlocals;
    }
    for (int i = 0; i < nfuncs; i++)
        if (!funcs[i].defined)
            fail("'%s' is called but not defined", funcs[i].name);
}

/* ---- virtual machine ---- */
typedef struct {
    int64_t *data;
    int64_t len;
} Array;

static Array arrays[1024];
static int narrays;
static int64_t stack[1 << 16];
static char out[1 << 12];
static size_t nout;

static void print_int(int64_t v) {
    nout += (size_t)snprintf(out + nout, sizeof out - nout, "%" PRId64 "\n", v);
    if (nout > sizeof out - 32)
        fwrite(out, 1, nout, stdout), nout = 0;
}

static Array *array_of(int64_t handle, int64_t index) {
    if (handle < 0 || handle >= narrays)
        fail("not an array: %" PRId64, handle);
    if (index < 0 || index >= arrays[handle].len)
        fail("index %" PRId64 " out of range", index);
    return &arrays[handle];
}

static int64_t run(int fn, int64_t arg) {
    struct {
        int ret_pc, base;
    } frames[4096];
    int nframes = 0, pc = funcs[fn].entry, base = 0, sp = funcs[fn].nlocals;
    memset(stack, 0, sizeof(int64_t) * (size_t)sp);
    stack[0] = arg;
    for (;;) {
        int64_t a, b;
        switch (code[pc++]) {
        case OP_CONST:
            stack[sp++] = code[pc++];
            break;
        case OP_LOAD:
            stack[sp++] = stack[base + (int)code[pc++]];
            break;
        case OP_STORE:
            stack[base + (int)code[pc++]] = stack[--sp];
            break;
        case OP_ALOAD:
            b = stack[--sp], a = stack[sp - 1];
            stack[sp - 1] = array_of(a, b)->data[b];
            break;
        case OP_ASTORE:
            sp -= 3;
            array_of(stack[sp], stack[sp + 1])->data[stack[sp + 1]] = stack[sp + 2];
            break;
#define BINARY(OP, EXPR)                                                                           \
    case OP:                                                                                       \
        b = stack[--sp], a = stack[sp - 1], stack[sp - 1] = (EXPR);                                \
        break;
            BINARY(OP_ADD, a + b)
            BINARY(OP_SUB, a - b)
            BINARY(OP_MUL, a * b)
            BINARY(OP_LT, a < b)
            BINARY(OP_LE, a <= b)
            BINARY(OP_GT, a > b)
            BINARY(OP_GE, a >= b)
            BINARY(OP_EQ, a == b)
            BINARY(OP_NE, a != b)
#undef BINARY
        case OP_DIV:
        case OP_MOD:
            b = stack[--sp], a = stack[sp - 1];
            if (b == 0)
                fail("division by zero");
            stack[sp - 1] = code[pc - 1] == OP_DIV ? a / b : a % b;
            break;
        case OP_NEG:
            stack[sp - 1] = -stack[sp - 1];
            break;
        case OP_NOT:
            stack[sp - 1] = !stack[sp - 1];
            break;
        case OP_JMP:
            pc = (int)code[pc];
            break;
        case OP_JZ:
            pc = stack[--sp] == 0 ? (int)code[pc] : pc + 1;
            break;
        case OP_CALL: {
            const Func *f = &funcs[code[pc]];
            int argc = (int)code[pc + 1];
            if (argc != f->nparams)
                fail("'%s' takes %d arguments", f->name, f->nparams);
            if (nframes == 4096 || sp + f->nlocals + 256 > (int)(sizeof stack / sizeof *stack))
                fail("call stack exhausted");
            frames[nframes].ret_pc = pc + 2, frames[nframes++].base = base;
            base = sp - argc;
            for (sp = base + argc; sp < base + f->nlocals; sp++)
                stack[sp] = 0;
            pc = f->entry;
            break;
        }
        case OP_RET:
            a = stack[--sp];
            if (nframes == 0)
                return a;
            sp = base;
            stack[sp++] = a;
            pc = frames[--nframes].ret_pc, base = frames[nframes].base;
            break;
        case OP_POP:
            sp--;
            break;
        case OP_PRINT:
            print_int(stack[sp - 1]);
            break;
        case OP_ARRAY:
            a = stack[sp - 1];
            if (narrays == 1024 || a < 0 || a > (1 << 26))
                fail("cannot make an array of %" PRId64, a);
            arrays[narrays].data = calloc((size_t)a + 1, sizeof(int64_t));
            arrays[narrays].len = a;
            stack[sp - 1] = narrays++;
            break;
        default:
            fail("bad opcode %" PRId64 " at %d", code[pc - 1], pc - 1);
        }
    }
}

int main(int argc, char **argv) {
    int quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    compile(script);
    int64_t result = run(func_index("main"), quick ? 1 : 10);
    print_int(result);
    fwrite(out, 1, nout, stdout);
    printf("script: %d functions, %d bytecode words, %d arrays\n", nfuncs, ncode, narrays);
    for (int i = 0; i < narrays; i++)
        free(arrays[i].data);
    return 0;
}
