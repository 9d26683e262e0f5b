/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe --record: what a recording must not carry. User names, the host
 * name, home directories and serial numbers are replaced in text before it
 * is written.
 */
#ifndef RMCP_PROBE_MASK_H
#define RMCP_PROBE_MASK_H

#include <stddef.h>

#define MASK_WORDS	8
#define MASK_WORD_MAX	64

struct mask {
	size_t n;
	char word[MASK_WORDS][MASK_WORD_MAX];	/* replaced where it is a whole word */
	char as[MASK_WORDS][16];		/* ... by this */
};

/* Adds word (ignored when empty, "root", or too long; the list is full: -1). */
int mask_add(struct mask *k, const char *word, const char *as);
/*
 * A masked copy of in[0..len) (malloc'ed, NUL-terminated, *outlen set), or
 * NULL when out of memory. Besides the words: "/home/<name>" becomes
 * "/home/user", and the value after "serial...:" or "serial...=" becomes
 * "masked".
 */
char *mask_text(const struct mask *k, const char *in, size_t len, size_t *outlen);

#endif
