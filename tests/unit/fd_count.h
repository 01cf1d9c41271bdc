/*
 * fd_count.h: the number of host fds this test process has open, for the
 * WASI unit tests: an fd leaked on an error path shows as a difference.
 */
#ifndef WA_TEST_FD_COUNT_H
#define WA_TEST_FD_COUNT_H

#include <criterion/criterion.h>
#include <dirent.h>

static inline int open_host_fds(void) {
    DIR *d = opendir("/proc/self/fd");
    cr_assert_not_null(d);
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

#endif
