/*
 * strings.c: string processing with the C library.
 *
 * Covers strlen/strcpy/strcat/strcmp/strchr/strstr/strtok, memmove on
 * overlapping ranges, snprintf truncation, strtoll in several bases, and
 * some hand-written routines (reverse, palindromes, Caesar cipher, word
 * capitalisation) that stress byte loads and stores.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reverse(char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n / 2; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
}

static int is_palindrome(const char *s) {
    size_t i = 0, j = strlen(s);
    while (i < j) {
        if (!isalpha((unsigned char)s[i])) {
            i++;
        } else if (!isalpha((unsigned char)s[j - 1])) {
            j--;
        } else {
            if (tolower((unsigned char)s[i]) != tolower((unsigned char)s[j - 1]))
                return 0;
            i++;
            j--;
        }
    }
    return 1;
}

static void caesar(char *s, int k) {
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z')
            *s = (char)('a' + (*s - 'a' + k) % 26);
        else if (*s >= 'A' && *s <= 'Z')
            *s = (char)('A' + (*s - 'A' + k) % 26);
    }
}

int main(void) {
    char buf[256];
    strcpy(buf, "Hello");
    strcat(buf, ", ");
    strcat(buf, "WebAssembly world");
    printf("[%s] len=%zu\n", buf, strlen(buf));
    printf("strchr: %s | strrchr: %s | strstr: %s\n", strchr(buf, 'o'), strrchr(buf, 'o'),
           strstr(buf, "Assembly"));
    printf("strcmp: %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0,
           strncmp("prefix-one", "prefix-two", 7));

    reverse(buf);
    printf("reversed: %s\n", buf);
    caesar(buf, 13);
    printf("rot13: %s\n", buf);
    caesar(buf, 13);
    reverse(buf);
    printf("restored: %s\n", buf);

    const char *pals[] = {"A man, a plan, a canal: Panama", "No lemon, no melon", "wasm", ""};
    for (int i = 0; i < 4; i++)
        printf("palindrome(\"%s\") = %d\n", pals[i], is_palindrome(pals[i]));

    char text[] = "the quick  brown fox,jumps over;the lazy dog";
    int count = 0;
    for (char *tok = strtok(text, " ,;"); tok; tok = strtok(NULL, " ,;")) {
        tok[0] = (char)toupper((unsigned char)tok[0]);
        printf("%s%s", count ? " " : "", tok);
        count++;
    }
    printf(" (%d words)\n", count);

    char mm[32] = "0123456789abcdefghij";
    memmove(mm + 4, mm, 10);
    printf("memmove fwd: %s\n", mm);
    memmove(mm, mm + 6, 10);
    printf("memmove back: %s\n", mm);
    memset(mm + 3, '*', 5);
    printf("memset: %s  memcmp: %d\n", mm, memcmp("abc", "abc", 3));

    /* Truncation on purpose; the volatile size keeps GCC from warning about it. */
    char small[10];
    volatile size_t small_size = sizeof small;
    int w = snprintf(small, small_size, "%s-%d", "truncated", 123456);
    printf("snprintf: '%s' wanted %d\n", small, w);
    printf("pad: [%8s] [%-8s] [%.3s] [%5d] [%-5d] [%05d] [%+d]\n", "ab", "ab", "abcdef", 42, 42, 42,
           42);

    const char *nums[] = {"12345", "-987654321012", "0x7fffffff", "0777", "z", "  42xyz"};
    for (int i = 0; i < 6; i++) {
        char *end;
        long long v = strtoll(nums[i], &end, 0);
        printf("strtoll(%s) = %lld rest='%s'\n", nums[i], v, end);
    }
    printf("base36: %lld  base2: %lld  atoi: %d\n", strtoll("wasm", NULL, 36),
           strtoll("101101", NULL, 2), atoi("-321"));

    unsigned hist[26] = {0};
    const char *pangram = "Sphinx of black quartz, judge my vow";
    for (const char *p = pangram; *p; p++)
        if (isalpha((unsigned char)*p))
            hist[tolower((unsigned char)*p) - 'a']++;
    for (int i = 0; i < 26; i++)
        printf("%c%u", 'a' + i, hist[i]);
    printf("\n");
    return 0;
}
