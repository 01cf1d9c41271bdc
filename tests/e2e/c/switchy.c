/*
 * switchy.c: switch-heavy code: dense switches (br_table) and sparse ones.
 *
 * A lexer state machine over a small C-like source text, Roman numeral
 * conversion both ways, a day-of-week computation, and a sparse switch whose
 * cases are far apart (compiled to comparisons rather than a table).
 */
#include <stdio.h>
#include <string.h>

enum Token { T_IDENT, T_NUMBER, T_STRING, T_OP, T_PUNCT, T_COMMENT, T_KEYWORD, T_COUNT };

static const char *token_names[T_COUNT] = {"ident", "number",  "string", "op",
                                           "punct", "comment", "keyword"};

static int is_keyword(const char *s, size_t n) {
    static const char *kw[] = {"int", "return", "if", "else", "while", "for"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strlen(kw[i]) == n && memcmp(kw[i], s, n) == 0)
            return 1;
    return 0;
}

static void lex(const char *src, int counts[T_COUNT]) {
    const char *p = src;
    while (*p) {
        const char *start = p;
        enum Token t;
        // clang-format off: one line per character class reads as the table it is.
        switch (*p) {
        case ' ': case '\t': case '\n': case '\r':
            p++;
            continue;
        case 'a': case 'b': case 'c': case 'd': case 'e': case 'f': case 'g': case 'h':
        case 'i': case 'j': case 'k': case 'l': case 'm': case 'n': case 'o': case 'p':
        case 'q': case 'r': case 's': case 't': case 'u': case 'v': case 'w': case 'x':
        case 'y': case 'z': case '_':
            while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')
                p++;
            t = is_keyword(start, (size_t)(p - start)) ? T_KEYWORD : T_IDENT;
            break;
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            while (*p >= '0' && *p <= '9')
                p++;
            t = T_NUMBER;
            break;
        case '"':
            p++;
            while (*p && *p != '"')
                p += p[0] == '\\' && p[1] ? 2 : 1;
            if (*p)
                p++;
            t = T_STRING;
            break;
        case '/':
            if (p[1] == '/') {
                while (*p && *p != '\n')
                    p++;
                t = T_COMMENT;
                break;
            }
            p++;
            t = T_OP;
            break;
        case '+': case '-': case '*': case '%': case '=': case '<': case '>': case '!':
            p++;
            if (*p == '=')
                p++;
            t = T_OP;
            break;
        case '(': case ')': case '{': case '}': case ';': case ',':
            p++;
            t = T_PUNCT;
            break;
        default:
            p++;
            t = T_PUNCT;
            break;
        }
        // clang-format on
        counts[t]++;
        printf("%s:%.*s ", token_names[t], (int)(p - start > 12 ? 12 : p - start), start);
    }
    printf("\n");
}

static int roman_value(char c) {
    switch (c) {
    case 'I':
        return 1;
    case 'V':
        return 5;
    case 'X':
        return 10;
    case 'L':
        return 50;
    case 'C':
        return 100;
    case 'D':
        return 500;
    case 'M':
        return 1000;
    default:
        return 0;
    }
}

static int from_roman(const char *s) {
    int total = 0;
    for (; *s; s++) {
        int v = roman_value(*s), next = roman_value(s[1]);
        total += v < next ? -v : v;
    }
    return total;
}

static void to_roman(int n, char *out) {
    static const int vals[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
    static const char *syms[] = {"M",  "CM", "D",  "CD", "C",  "XC", "L",
                                 "XL", "X",  "IX", "V",  "IV", "I"};
    out[0] = 0;
    for (int i = 0; i < 13; i++)
        while (n >= vals[i]) {
            strcat(out, syms[i]);
            n -= vals[i];
        }
}

static const char *weekday(int y, int m, int d) {
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    switch ((y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7) {
    case 0:
        return "Sunday";
    case 1:
        return "Monday";
    case 2:
        return "Tuesday";
    case 3:
        return "Wednesday";
    case 4:
        return "Thursday";
    case 5:
        return "Friday";
    case 6:
        return "Saturday";
    }
    return "?";
}

static int sparse(int x) {
    switch (x) {
    case -1000000:
        return 1;
    case 7:
        return 2;
    case 1000:
        return 3;
    case 65536:
        return 4;
    case 99999999:
        return 5;
    default:
        return 0;
    }
}

int main(void) {
    const char *src = "int main(void) {\n  // count things\n  int x = 42;\n"
                      "  while (x >= 10) { x -= 3; }\n  if (x != 7) return x * 2;\n"
                      "  printf(\"x=%d\\n\", x);\n  return 0;\n}\n";
    int counts[T_COUNT] = {0};
    lex(src, counts);
    for (int i = 0; i < T_COUNT; i++)
        printf("%s=%d ", token_names[i], counts[i]);
    printf("\n");

    char buf[64];
    int years[] = {1, 4, 9, 14, 40, 90, 400, 1987, 1999, 2024, 3888, 3999};
    int roundtrip = 1;
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        to_roman(years[i], buf);
        printf("%d=%s ", years[i], buf);
        if (from_roman(buf) != years[i])
            roundtrip = 0;
    }
    printf("\nroundtrip=%d\n", roundtrip);
    int all = 1;
    for (int n = 1; n < 4000; n++) {
        to_roman(n, buf);
        all &= from_roman(buf) == n;
    }
    printf("all roman roundtrip=%d\n", all);

    printf("2000-01-01 %s, 1969-07-20 %s, 2038-01-19 %s\n", weekday(2000, 1, 1),
           weekday(1969, 7, 20), weekday(2038, 1, 19));
    int hist[6] = {0};
    int probes[] = {-1000000, 7, 8, 1000, 65536, 65537, 99999999, 0, 7, 7};
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
        hist[sparse(probes[i])]++;
    for (int i = 0; i < 6; i++)
        printf("sparse[%d]=%d ", i, hist[i]);
    printf("\n");
    return 0;
}
