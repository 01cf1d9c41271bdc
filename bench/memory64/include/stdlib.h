/* The part of <stdlib.h> the bench kernels use, for minilibc.c. */
#pragma once
#include <stddef.h>
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void free(void *p);
