/*
 * wc.c: word count of standard input, like wc, plus a little analysis.
 *
 * Reads stdin in 1000-byte chunks with fread (so reads cross line
 * boundaries), counts lines, words and bytes, the longest line, and the five
 * most frequent words (ties broken alphabetically).
 *
 * e2e-stdin: input/text.txt
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Word {
    char text[32];
    int count;
} Word;

static Word words[4096];
static int nwords;

static void count_word(const char *w) {
    for (int i = 0; i < nwords; i++)
        if (strcmp(words[i].text, w) == 0) {
            words[i].count++;
            return;
        }
    if (nwords < 4096) {
        strcpy(words[nwords].text, w);
        words[nwords++].count = 1;
    }
}

static int by_count(const void *a, const void *b) {
    const Word *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->text, y->text);
}

int main(void) {
    char buf[1000];
    size_t n;
    long lines = 0, wordc = 0, bytes = 0, longest = 0, cur = 0;
    int in_word = 0;
    char word[32];
    size_t wlen = 0;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            bytes++;
            if (c == '\n') {
                lines++;
                if (cur > longest)
                    longest = cur;
                cur = 0;
            } else {
                cur++;
            }
            if (isspace(c)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                wordc++;
            }
            if (isalpha(c)) {
                if (wlen < sizeof word - 1)
                    word[wlen++] = (char)tolower(c);
            } else if (wlen) {
                word[wlen] = 0;
                count_word(word);
                wlen = 0;
            }
        }
    }
    if (wlen) {
        word[wlen] = 0;
        count_word(word);
    }
    if (cur > longest)
        longest = cur;
    printf("%ld %ld %ld\n", lines, wordc, bytes);
    printf("longest line: %ld\n", longest);
    printf("distinct words: %d\n", nwords);
    qsort(words, (size_t)nwords, sizeof words[0], by_count);
    for (int i = 0; i < 5 && i < nwords; i++)
        printf("%-8s %d\n", words[i].text, words[i].count);
    fprintf(stderr, "wc: done\n");
    return 0;
}
