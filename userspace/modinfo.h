/* SPDX-License-Identifier: GPL-2.0 */
/* rmcp-probe: a module file's info and signature through libkmod. */
#ifndef RMCP_PROBE_MODINFO_H
#define RMCP_PROBE_MODINFO_H

#include <stddef.h>

struct modinfo {
	int sig;			/* 1 signed, 0 not signed, -1 unknown */
	char signer[128];
	char version[64];
	char srcversion[64];
	char error[256];		/* why sig is unknown */
};

/*
 * Reads the module at file (.ko, .ko.xz, .ko.zst, .ko.gz: libkmod
 * decompresses it). Returns 0, or -errno with info->error set.
 */
int modinfo_read(const char *file, struct modinfo *info);
/*
 * The path modprobe would load for name under moddir (modules.dep), or
 * -ENOENT when modules.dep does not list it.
 */
int modinfo_lookup(const char *moddir, const char *name, char *out, size_t outlen);

#endif
