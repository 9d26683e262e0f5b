// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: parsers for sysfs values and fixture files (see parse.h). */
#include "parse.h"

#include <string.h>

const char *parse_strerror(enum parse_err e)
{
	switch (e) {
	case PARSE_OK:		return "ok";
	case PARSE_EMPTY:	return "empty";
	case PARSE_NOT_NUMBER:	return "not a number";
	case PARSE_RANGE:	return "out of range";
	case PARSE_NOT_BOOL:	return "not Y/N";
	case PARSE_UNKNOWN_WORD: return "unexpected value";
	case PARSE_TOO_LONG:	return "too long";
	case PARSE_BAD_CHAR:	return "contains a control character";
	case PARSE_BAD_ID:	return "not a vvvv:dddd list";
	case PARSE_BAD_VERSION:	return "not a major.minor.revision version";
	case PARSE_BAD_LINE:	return "not a key=value line";
	}
	return "unknown error";
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trims blanks (incl. newlines) on both ends; returns the inner span. */
static void trim(const char **p, size_t *len)
{
	while (*len && is_blank(**p)) {
		(*p)++;
		(*len)--;
	}
	while (*len && is_blank((*p)[*len - 1]))
		(*len)--;
}

enum parse_err parse_line(const char *buf, size_t len, char *out, size_t outlen)
{
	size_t i;

	if (!outlen)
		return PARSE_TOO_LONG;
	out[0] = '\0';
	if (!buf)
		return PARSE_EMPTY;
	trim(&buf, &len);
	for (i = 0; i < len; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			return PARSE_BAD_CHAR;
	if (len >= outlen)
		return PARSE_TOO_LONG;
	memcpy(out, buf, len);
	out[len] = '\0';
	return PARSE_OK;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Unsigned magnitude of buf[0..len) in base 10 or 16; no sign, no blanks. */
static enum parse_err parse_mag(const char *p, size_t len, unsigned int base,
				uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return PARSE_NOT_NUMBER;
	for (i = 0; i < len; i++) {
		int d = hexval(p[i]);

		if (d < 0 || (unsigned int)d >= base)
			return PARSE_NOT_NUMBER;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return PARSE_RANGE;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return PARSE_OK;
}

enum parse_err parse_int(const char *buf, size_t len, int64_t min, int64_t max,
			 bool allow_hex, int64_t *out)
{
	bool neg = false;
	unsigned int base = 10;
	uint64_t mag;
	int64_t v;
	enum parse_err e;

	if (!buf)
		return PARSE_EMPTY;
	trim(&buf, &len);
	if (!len)
		return PARSE_EMPTY;
	if (*buf == '-' || *buf == '+') {
		neg = *buf == '-';
		buf++;
		len--;
	}
	if (allow_hex && len > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		base = 16;
		buf += 2;
		len -= 2;
	}
	e = parse_mag(buf, len, base, &mag);
	if (e)
		return e;
	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return PARSE_RANGE;
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return PARSE_RANGE;
		v = (int64_t)mag;
	}
	if (v < min || v > max)
		return PARSE_RANGE;
	*out = v;
	return PARSE_OK;
}

enum parse_err parse_u64(const char *buf, size_t len, uint64_t *out)
{
	if (!buf)
		return PARSE_EMPTY;
	trim(&buf, &len);
	if (!len)
		return PARSE_EMPTY;
	if (*buf == '-')
		return PARSE_RANGE;
	return parse_mag(buf, len, 10, out);
}

enum parse_err parse_bool(const char *buf, size_t len, bool *out)
{
	if (!buf)
		return PARSE_EMPTY;
	trim(&buf, &len);
	if (!len)
		return PARSE_EMPTY;
	if (len != 1)
		return PARSE_NOT_BOOL;
	switch (*buf) {
	case 'Y': case 'y': case '1':
		*out = true;
		return PARSE_OK;
	case 'N': case 'n': case '0':
		*out = false;
		return PARSE_OK;
	}
	return PARSE_NOT_BOOL;
}

enum parse_err parse_word(const char *buf, size_t len, const char *const *words,
			  int *out)
{
	int i;

	if (!buf)
		return PARSE_EMPTY;
	trim(&buf, &len);
	if (!len)
		return PARSE_EMPTY;
	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == len && !memcmp(words[i], buf, len)) {
			*out = i;
			return PARSE_OK;
		}
	return PARSE_UNKNOWN_WORD;
}

static enum parse_err parse_hex16(const char *p, size_t len, uint16_t *out)
{
	uint64_t v;

	if (len > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		len -= 2;
	}
	if (!len || len > 4 || parse_mag(p, len, 16, &v))
		return PARSE_BAD_ID;
	*out = (uint16_t)v;
	return PARSE_OK;
}

enum parse_err parse_id_list(const char *buf, size_t len, struct pci_id_list *out)
{
	out->n = 0;
	if (!buf)
		return PARSE_OK;
	trim(&buf, &len);
	while (len) {
		const char *comma = memchr(buf, ',', len);
		size_t item = comma ? (size_t)(comma - buf) : len;
		const char *colon = memchr(buf, ':', item);
		const char *p = buf;
		size_t ilen = item;

		trim(&p, &ilen);
		colon = memchr(p, ':', ilen);
		if (!colon)
			return PARSE_BAD_ID;
		if (out->n == PARSE_MAX_IDS)
			return PARSE_TOO_LONG;
		if (parse_hex16(p, (size_t)(colon - p), &out->vendor[out->n]) ||
		    parse_hex16(colon + 1, ilen - (size_t)(colon - p) - 1,
				&out->device[out->n]))
			return PARSE_BAD_ID;
		out->n++;
		if (!comma)
			break;
		buf = comma + 1;
		len -= item + 1;
		if (!len)
			return PARSE_BAD_ID; /* trailing comma */
	}
	return PARSE_OK;
}

bool id_list_has(const struct pci_id_list *l, uint16_t vendor, uint16_t device)
{
	size_t i;

	for (i = 0; i < l->n && i < PARSE_MAX_IDS; i++)
		if (l->vendor[i] == vendor && l->device[i] == device)
			return true;
	return false;
}

enum parse_err parse_version3(const char *buf, size_t len, struct version3 *out)
{
	unsigned int part[3];
	size_t n = 0;
	uint64_t v;

	if (!buf)
		return PARSE_EMPTY;
	trim(&buf, &len);
	if (!len)
		return PARSE_EMPTY;
	for (n = 0; n < 3; n++) {
		const char *dot = memchr(buf, '.', len);
		size_t l = dot ? (size_t)(dot - buf) : len;

		if ((n < 2) != (dot != NULL))
			return PARSE_BAD_VERSION;
		if (!l || l > 3 || parse_mag(buf, l, 10, &v))
			return PARSE_BAD_VERSION;
		part[n] = (unsigned int)v;
		if (dot) {
			buf = dot + 1;
			len -= l + 1;
		}
	}
	out->major = part[0];
	out->minor = part[1];
	out->rev = part[2];
	return PARSE_OK;
}

enum parse_err parse_kernel_release(const char *buf, size_t len,
				    unsigned int *major, unsigned int *minor)
{
	uint64_t a = 0, b = 0;
	size_t i = 0, j;

	if (!buf)
		return PARSE_EMPTY;
	trim(&buf, &len);
	if (!len)
		return PARSE_EMPTY;
	while (i < len && buf[i] >= '0' && buf[i] <= '9')
		i++;
	if (!i || i > 4 || i >= len || buf[i] != '.')
		return PARSE_BAD_VERSION;
	parse_mag(buf, i, 10, &a);
	j = ++i;
	while (i < len && buf[i] >= '0' && buf[i] <= '9')
		i++;
	if (i == j || i - j > 4)
		return PARSE_BAD_VERSION;
	parse_mag(buf + j, i - j, 10, &b);
	*major = (unsigned int)a;
	*minor = (unsigned int)b;
	return PARSE_OK;
}

enum parse_err parse_lockdown(const char *buf, size_t len, enum lockdown *out)
{
	static const char *const words[] = { "none", "integrity", "confidentiality", NULL };
	const char *open, *close;
	int w;

	if (!buf)
		return PARSE_EMPTY;
	trim(&buf, &len);
	if (!len)
		return PARSE_EMPTY;
	open = memchr(buf, '[', len);
	if (!open)
		return PARSE_UNKNOWN_WORD;
	close = memchr(open, ']', len - (size_t)(open - buf));
	if (!close)
		return PARSE_UNKNOWN_WORD;
	if (parse_word(open + 1, (size_t)(close - open - 1), words, &w))
		return PARSE_UNKNOWN_WORD;
	*out = (enum lockdown)w;
	return PARSE_OK;
}

enum parse_err parse_efivar_bool(const char *buf, size_t len, bool *out)
{
	if (!buf || !len)
		return PARSE_EMPTY;
	if (len != 5)
		return len < 5 ? PARSE_EMPTY : PARSE_TOO_LONG;
	if ((unsigned char)buf[4] > 1)
		return PARSE_RANGE;
	*out = buf[4] == 1;
	return PARSE_OK;
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

enum parse_err parse_kv(const char *buf, size_t len, kv_cb cb, void *ctx,
			unsigned int *lineno)
{
	char key[64], value[512];
	unsigned int ln = 0;

	while (buf && len) {
		const char *nl = memchr(buf, '\n', len);
		size_t l = nl ? (size_t)(nl - buf) : len;
		const char *p = buf;
		size_t pl = l, k;

		ln++;
		if (lineno)
			*lineno = ln;
		trim(&p, &pl);
		if (pl && *p != '#') {
			for (k = 0; k < pl && key_char(p[k]); k++)
				;
			if (!k || k >= sizeof(key) || k == pl || p[k] != '=')
				return PARSE_BAD_LINE;
			memcpy(key, p, k);
			key[k] = '\0';
			if (parse_line(p + k + 1, pl - k - 1, value, sizeof(value)))
				return PARSE_BAD_LINE;
			if (cb(ctx, key, value))
				return PARSE_BAD_LINE;
		}
		if (!nl)
			break;
		buf = nl + 1;
		len -= l + 1;
	}
	return PARSE_OK;
}

enum parse_err parse_kfd_props(const char *buf, size_t len, kv64_cb cb, void *ctx)
{
	char key[64];

	while (buf && len) {
		const char *nl = memchr(buf, '\n', len);
		size_t l = nl ? (size_t)(nl - buf) : len, k, v;
		uint64_t val;

		for (k = 0; k < l && key_char(buf[k]); k++)
			;
		for (v = k; v < l && buf[v] == ' '; v++)
			;
		if (k && k < sizeof(key) && v > k && v < l &&
		    !parse_mag(buf + v, l - v, 10, &val)) {
			memcpy(key, buf, k);
			key[k] = '\0';
			cb(ctx, key, val);
		}
		if (!nl)
			break;
		buf = nl + 1;
		len -= l + 1;
	}
	return PARSE_OK;
}
