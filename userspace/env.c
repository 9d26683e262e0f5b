// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: an environment as a list of NAME=value strings. */
#include "env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int env_add(struct env *e, const char *s, size_t len)
{
	char **v, *copy;

	if (!memchr(s, '=', len) || *s == '=')
		return -EINVAL;
	copy = malloc(len + 1);
	v = realloc(e->v, (e->n + 1) * sizeof(*v));
	if (!copy || !v) {
		free(copy);
		if (v)
			e->v = v;
		return -ENOMEM;
	}
	memcpy(copy, s, len);
	copy[len] = '\0';
	e->v = v;
	e->v[e->n++] = copy;
	return 0;
}

int env_parse(struct env *e, const char *buf, size_t len, bool comments)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		int r;

		while (j < len && buf[j] && buf[j] != '\n')
			j++;
		if (j > i && !(comments && buf[i] == '#')) {
			r = env_add(e, buf + i, j - i);
			if (r)
				return r;
		}
		i = j + 1;
	}
	return 0;
}

const char *env_get(const struct env *e, const char *name)
{
	size_t i, l = strlen(name);

	/* the first definition wins, as with getenv() */
	for (i = 0; i < e->n; i++)
		if (!strncmp(e->v[i], name, l) && e->v[i][l] == '=')
			return e->v[i] + l + 1;
	return NULL;
}

void env_free(struct env *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}
