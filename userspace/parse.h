/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp-probe: parsers for sysfs values and fixture files.
 *
 * Pure functions: no I/O, no allocation. Every parser takes the raw bytes of
 * a file (not NUL-terminated, may contain anything), and either fills its
 * result and returns PARSE_OK, or returns a named error. None of them crash
 * on any input; the fuzz target in tests/fuzz_parse.c holds them to that.
 */
#ifndef RMCP_PROBE_PARSE_H
#define RMCP_PROBE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum parse_err {
	PARSE_OK = 0,
	PARSE_EMPTY,		/* nothing but white space */
	PARSE_NOT_NUMBER,	/* not a number of the expected form */
	PARSE_RANGE,		/* a number, but outside the legal range */
	PARSE_NOT_BOOL,		/* not Y/N/1/0 */
	PARSE_UNKNOWN_WORD,	/* not one of the expected words */
	PARSE_TOO_LONG,		/* longer than the value may be */
	PARSE_BAD_CHAR,		/* NUL or a control character inside the value */
	PARSE_BAD_ID,		/* not a vvvv:dddd PCI id list */
	PARSE_BAD_VERSION,	/* not a maj.min.rev version */
	PARSE_BAD_LINE,		/* fixture line that is not key=value */
};

const char *parse_strerror(enum parse_err e);

/*
 * One line of text: strips one trailing newline and surrounding blanks,
 * copies into out (size outlen). Rejects NUL/control characters and values
 * that do not fit.
 */
enum parse_err parse_line(const char *buf, size_t len, char *out, size_t outlen);

/* Decimal (or 0x-hex when allow_hex) integer in [min, max]. */
enum parse_err parse_int(const char *buf, size_t len, int64_t min, int64_t max,
			 bool allow_hex, int64_t *out);
/* Unsigned 64-bit counter (decimal). */
enum parse_err parse_u64(const char *buf, size_t len, uint64_t *out);
/* Kernel bool parameter: Y/N/1/0 (also y/n). */
enum parse_err parse_bool(const char *buf, size_t len, bool *out);
/* One of words[] (NULL-terminated); *out is the index. */
enum parse_err parse_word(const char *buf, size_t len, const char *const *words,
			  int *out);

/* extra_ids / exclude_ids: "vvvv:dddd[,vvvv:dddd...]" (hex, optional 0x); "" is an empty list. */
#define PARSE_MAX_IDS 16
struct pci_id_list {
	size_t n;
	uint16_t vendor[PARSE_MAX_IDS];
	uint16_t device[PARSE_MAX_IDS];
};
enum parse_err parse_id_list(const char *buf, size_t len, struct pci_id_list *out);
bool id_list_has(const struct pci_id_list *l, uint16_t vendor, uint16_t device);

/* "maj.min.rev", each a decimal number (HSA_OVERRIDE_GFX_VERSION, GC versions). */
struct version3 {
	unsigned int major, minor, rev;
};
enum parse_err parse_version3(const char *buf, size_t len, struct version3 *out);

/* Kernel release "6.12.57+deb13-amd64" -> 6, 12. */
enum parse_err parse_kernel_release(const char *buf, size_t len,
				    unsigned int *major, unsigned int *minor);

/* /sys/kernel/security/lockdown: "none [integrity] confidentiality" -> word in brackets. */
enum lockdown {
	LOCKDOWN_NONE,
	LOCKDOWN_INTEGRITY,
	LOCKDOWN_CONFIDENTIALITY,
};
enum parse_err parse_lockdown(const char *buf, size_t len, enum lockdown *out);

/* efivars SecureBoot-<guid>: 4 attribute bytes then one value byte. */
enum parse_err parse_efivar_bool(const char *buf, size_t len, bool *out);

/*
 * Fixture key=value files: calls cb for every "key=value" line; blank lines
 * and lines starting with '#' are skipped. Keys are [a-z0-9_]+. Stops at the
 * first bad line and returns PARSE_BAD_LINE with *lineno set.
 */
typedef int (*kv_cb)(void *ctx, const char *key, const char *value);
enum parse_err parse_kv(const char *buf, size_t len, kv_cb cb, void *ctx,
			unsigned int *lineno);

/*
 * KFD topology properties: "key value" lines, value a decimal u64. Calls cb
 * for each; lines of another form are skipped. Returns PARSE_OK.
 */
typedef void (*kv64_cb)(void *ctx, const char *key, uint64_t value);
enum parse_err parse_kfd_props(const char *buf, size_t len, kv64_cb cb, void *ctx);

#endif
