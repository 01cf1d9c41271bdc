/*
 * wa_escape.h: the one escaping of names from a module for messages.
 *
 * Names in a WebAssembly module (function names from the name section,
 * import module and field names, export names, custom-section names) are
 * arbitrary bytes. Every message that shows one, in the compiler's
 * diagnostics and in the runtime's traps and start-up errors, passes it
 * through wa_rt_escape, so a message stays one line and never carries
 * terminal control codes. The escaping:
 *
 *     \n \r \t        for newline, carriage return, tab
 *     \\              for a backslash (so the escaping is reversible and two
 *                     different names never print alike)
 *     \xNN            (two lowercase hex digits) for every other byte below
 *                     0x20, for 0x7f, for every byte of a C1 control
 *                     character (U+0080..U+009F, encoded c2 80..c2 9f), and
 *                     for every byte that is not part of a well-formed UTF-8
 *                     sequence (overlong forms, surrogates, beyond U+10FFFF,
 *                     truncated sequences)
 *     anything else   as it is: printable ASCII and well-formed UTF-8
 *
 * It is async-signal-safe (no stdio, no allocation): the fault handler
 * formats trap messages with it. This header is the runtime's, and the
 * compiler includes it; it includes nothing from the compiler.
 */
#ifndef WA_ESCAPE_H
#define WA_ESCAPE_H

#include <stddef.h>

/*
 * The longest escaped form of one input byte ("\xNN"): a buffer of
 * WA_RT_ESCAPE_MAX * n + 1 bytes always holds the escaped form of n bytes.
 */
#define WA_RT_ESCAPE_MAX 4

/*
 * Writes the escaped form of the n bytes at s into buf (size bytes with the
 * terminating NUL; truncated at an escape's boundary if it does not fit) and
 * returns the length the whole escaped form has, like snprintf. size may be
 * 0 (then buf is not touched and may be NULL).
 */
size_t wa_rt_escape(char *buf, size_t size, const char *s, size_t n);

#endif
