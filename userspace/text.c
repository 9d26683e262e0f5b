// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: bytes from files and the environment made safe to print. */
#include "text.h"

#include <stdio.h>
#include <string.h>

/* Length of the UTF-8 sequence at s (1..4), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned int c = s[0], cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);

		if (!n)
			return false;
		i += n;
	}
	return true;
}

void text_printable(const char *in, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, k = 0;

	if (!outlen)
		return;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);

		if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f || p[i] == '"' || p[i] == '\\'))
			n = 0;
		if (n) {
			if (k + n >= outlen)
				break;
			memcpy(out + k, p + i, n);
			k += n;
			i += n;
		} else {
			if (k + 4 >= outlen)
				break;
			snprintf(out + k, 5, "\\x%02x", p[i]);
			k += 4;
			i++;
		}
	}
	out[k] = '\0';
}
