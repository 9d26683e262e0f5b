// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe --record: user names, host name and serial numbers masked. */
#include "mask.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int mask_add(struct mask *k, const char *word, const char *as)
{
	size_t i;

	if (!word || !*word || !strcmp(word, "root") || strlen(word) >= MASK_WORD_MAX ||
	    strlen(as) >= sizeof(k->as[0]))
		return 0;
	for (i = 0; i < k->n; i++)
		if (!strcmp(k->word[i], word))
			return 0;
	if (k->n == MASK_WORDS)
		return -1;
	strcpy(k->word[k->n], word);
	strcpy(k->as[k->n], as);
	k->n++;
	return 0;
}

/* Characters a user or host name is made of: a word ends where they do. */
static bool namech(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

struct out {
	char *buf;
	size_t len, cap;
};

static bool put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->cap + n + 1) * 2;
		char *nb = realloc(o->buf, cap);

		if (!nb)
			return false;
		o->buf = nb;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return true;
}

/*
 * At "serial" (any case): the length of "serial<label>:<blanks>" when a value
 * follows, else 0. The label is a few letters, blanks, '_' or '-'
 * ("serial_number=", "Serial Number: ").
 */
static size_t serial_key(const char *p, const char *end)
{
	const char *q = p + 6;

	if (end - p < 7 || strncasecmp(p, "serial", 6))
		return 0;
	while (q < end && q - p < 24 && (isalpha((unsigned char)*q) || *q == ' ' ||
					 *q == '_' || *q == '-'))
		q++;
	if (q == end || (*q != ':' && *q != '='))
		return 0;
	q++;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	return q < end && *q != '\n' ? (size_t)(q - p) : 0;
}

char *mask_text(const struct mask *k, const char *in, size_t len, size_t *outlen)
{
	const char *p = in, *end = in + len;
	struct out o = { NULL, 0, 0 };
	bool ok = put(&o, "", 0);

	while (ok && p < end) {
		bool start = p == in || !namech(p[-1]);
		size_t i, n;

		if (!strncmp(p, "/home/", 6) && end - p > 6 && namech(p[6])) {
			ok = put(&o, "/home/user", 10);
			p += 6;
			while (p < end && namech(*p))
				p++;
			continue;
		}
		if (start && (n = serial_key(p, end))) {
			ok = put(&o, p, n) && put(&o, "masked", 6);
			p += n;
			while (p < end && !isspace((unsigned char)*p) && *p != ',' && *p != ';')
				p++;
			continue;
		}
		for (i = 0; start && i < k->n; i++) {
			n = strlen(k->word[i]);
			if ((size_t)(end - p) >= n && !memcmp(p, k->word[i], n) &&
			    (p + n == end || !namech(p[n])))
				break;
		}
		if (start && i < k->n) {
			ok = put(&o, k->as[i], strlen(k->as[i]));
			p += strlen(k->word[i]);
			continue;
		}
		ok = put(&o, p, 1);
		p++;
	}
	if (!ok) {
		free(o.buf);
		return NULL;
	}
	*outlen = o.len;
	return o.buf;
}
