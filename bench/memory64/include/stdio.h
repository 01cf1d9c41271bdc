/* The part of <stdio.h> the bench kernels use, for minilibc.c (bench/memory64/README.md). */
#pragma once
int printf(const char *fmt, ...);
