/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe: the reader layer. One value per file, parsed, and every file
 * that cannot be read or parsed becomes a "sysfs-value" finding naming it.
 */
#ifndef RMCP_PROBE_READER_H
#define RMCP_PROBE_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "backend.h"
#include "model.h"

/* Missing files are silent (-ENOENT) unless must; other failures are findings. */
int read_raw(struct backend *be, struct model *m, const char *path, char *buf,
	     size_t len, bool must);
/* A value a parser refused, shown safely. */
void bad_value(struct model *m, const char *path, enum parse_err e, const char *buf, int n);

void read_str(struct backend *be, struct model *m, const char *path, char *out,
	      size_t outlen, bool must);
void read_int(struct backend *be, struct model *m, const char *path, int64_t min,
	      int64_t max, bool hex, struct opt_int *out, bool must);
/* The same, where the module's RMCP_VALUE_UNKNOWN is legal: out unknown, no finding. */
void read_int_or_unknown(struct backend *be, struct model *m, const char *path,
			 int64_t min, int64_t max, struct opt_int *out, bool must);
void read_u64(struct backend *be, struct model *m, const char *path,
	      struct opt_u64 *out, bool must);
void read_bool(struct backend *be, struct model *m, const char *path,
	       struct opt_bool *out, bool must);
/* A word from a fixed set (NULL-terminated); anything else is reported, out "". */
void read_word(struct backend *be, struct model *m, const char *path,
	       const char *const *words, char *out, size_t outlen, bool must);

#endif
