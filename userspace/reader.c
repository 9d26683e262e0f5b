// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: the reader layer (see reader.h). */
#include "reader.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rmcp/sysfs.h>

#include "probe.h"
#include "text.h"

/*
 * Reads one value. Missing files are silent (-ENOENT) unless must is set;
 * every other failure becomes a "sysfs-value" warning that names the file.
 */
int read_raw(struct backend *be, struct model *m, const char *path,
		    char *buf, size_t len, bool must)
{
	ssize_t n = be_read(be, path, buf, len);

	if (n >= 0)
		return (int)n;
	if (n != -ENOENT || must)
		add_finding(m, "sysfs-value", SEV_WARNING, NULL, NULL, "%s: %s", path,
			    n == -EFBIG ? "file too large" : n == -EINVAL ?
			    "not a regular file" : strerror((int)-n));
	return (int)n;
}

void bad_value(struct model *m, const char *path, enum parse_err e,
		      const char *buf, int n)
{
	char shown[140];

	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	text_printable(buf, n > 32 ? 32 : (size_t)(n < 0 ? 0 : n), shown, sizeof(shown));
	add_finding(m, "sysfs-value", SEV_WARNING, NULL, NULL, "%s: %s (\"%s%s\")",
		    path, parse_strerror(e), shown, n > 32 ? "..." : "");
}

/*
 * Read @path (at most @len bytes, 1024 at the most) and hand it to @parse;
 * a value @parse refuses becomes a finding that names the file.
 */
static bool read_value(struct backend *be, struct model *m, const char *path,
		       size_t len, bool must,
		       enum parse_err (*parse)(const char *, size_t, void *), void *ctx)
{
	char buf[1024];
	int n = read_raw(be, m, path, buf, len < sizeof(buf) ? len : sizeof(buf), must);
	enum parse_err e;

	if (n < 0)
		return false;
	e = parse(buf, (size_t)n, ctx);
	if (e)
		bad_value(m, path, e, buf, n);
	return !e;
}

struct str_req { char *out; size_t outlen; };
struct int_req { int64_t min, max; bool hex; int64_t *v; };
struct word_req { const char *const *words; int w; };

static enum parse_err parse_str_cb(const char *b, size_t n, void *c)
{
	struct str_req *r = c;

	return parse_line(b, n, r->out, r->outlen);
}

static enum parse_err parse_int_cb(const char *b, size_t n, void *c)
{
	struct int_req *r = c;

	return parse_int(b, n, r->min, r->max, r->hex, r->v);
}

static enum parse_err parse_u64_cb(const char *b, size_t n, void *c)
{
	return parse_u64(b, n, c);
}

static enum parse_err parse_bool_cb(const char *b, size_t n, void *c)
{
	return parse_bool(b, n, c);
}

static enum parse_err parse_word_cb(const char *b, size_t n, void *c)
{
	struct word_req *r = c;

	return parse_word(b, n, r->words, &r->w);
}

void read_str(struct backend *be, struct model *m, const char *path,
		     char *out, size_t outlen, bool must)
{
	struct str_req r = { out, outlen };

	out[0] = '\0';
	read_value(be, m, path, 1024, must, parse_str_cb, &r);
}

void read_int(struct backend *be, struct model *m, const char *path,
		     int64_t min, int64_t max, bool hex, struct opt_int *out, bool must)
{
	struct int_req r = { min, max, hex, &out->v };

	out->known = read_value(be, m, path, 64, must, parse_int_cb, &r);
}

static enum parse_err parse_int_or_unknown_cb(const char *b, size_t n, void *c)
{
	static const char *const unknown[] = { RMCP_VALUE_UNKNOWN, NULL };
	struct int_req *r = c;
	int w;

	if (parse_word(b, n, unknown, &w) == PARSE_OK) {
		r->v = NULL;	/* legal, and not a number */
		return PARSE_OK;
	}
	return parse_int(b, n, r->min, r->max, r->hex, r->v);
}

void read_int_or_unknown(struct backend *be, struct model *m, const char *path,
			 int64_t min, int64_t max, struct opt_int *out, bool must)
{
	struct int_req r = { min, max, false, &out->v };

	out->known = read_value(be, m, path, 64, must, parse_int_or_unknown_cb, &r) && r.v;
}

void read_u64(struct backend *be, struct model *m, const char *path,
		     struct opt_u64 *out, bool must)
{
	out->known = read_value(be, m, path, 64, must, parse_u64_cb, &out->v);
}

void read_bool(struct backend *be, struct model *m, const char *path,
		      struct opt_bool *out, bool must)
{
	out->known = read_value(be, m, path, 64, must, parse_bool_cb, &out->v);
}

/* A word from a fixed set; anything else is reported and left "". */
void read_word(struct backend *be, struct model *m, const char *path,
		      const char *const *words, char *out, size_t outlen, bool must)
{
	struct word_req r = { words, 0 };

	out[0] = '\0';
	if (read_value(be, m, path, 256, must, parse_word_cb, &r))
		snprintf(out, outlen, "%s", words[r.w]);
}

