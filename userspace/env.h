/* SPDX-License-Identifier: GPL-2.0 */
/* rmcp-probe: an environment as a list of NAME=value strings. */
#ifndef RMCP_PROBE_ENV_H
#define RMCP_PROBE_ENV_H

#include <stdbool.h>
#include <stddef.h>

struct env {
	size_t n;
	char **v;		/* "NAME=value", malloc'ed */
};

/* Adds a copy of "NAME=value"; -ENOMEM, -EINVAL without '='. */
int env_add(struct env *e, const char *s, size_t len);
/*
 * Splits buf at NUL or newline bytes (the /proc/<pid>/environ form, or a
 * recorded file with one variable a line; '#' lines are comments).
 * Returns 0, -ENOMEM, or -EINVAL for an entry without '='.
 */
int env_parse(struct env *e, const char *buf, size_t len, bool comments);
const char *env_get(const struct env *e, const char *name);
void env_free(struct env *e);

#endif
