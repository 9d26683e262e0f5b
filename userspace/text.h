/* SPDX-License-Identifier: GPL-2.0 */
/* rmcp-probe: bytes from files and the environment made safe to print. */
#ifndef RMCP_PROBE_TEXT_H
#define RMCP_PROBE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const char *s, size_t len);
/*
 * Copies in[0..len) to out (NUL-terminated, truncated to fit) keeping valid
 * UTF-8 text; control characters, '"', '\\' and bytes that are not UTF-8
 * become \xNN. The result is valid UTF-8 and safe in text and JSON.
 */
void text_printable(const char *in, size_t len, char *out, size_t outlen);

#endif
