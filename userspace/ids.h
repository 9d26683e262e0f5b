/* SPDX-License-Identifier: GPL-2.0 */
/* rmcp-probe: classification of AMD GPUs by PCI ID and GC version. */
#ifndef RMCP_PROBE_IDS_H
#define RMCP_PROBE_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

struct rmcp_gpu_id {
	uint16_t device;
	uint8_t gc_major, gc_minor, gc_rev;
	uint8_t rdna;
	const char *gfx;
	int kind; /* RMCP_KIND_DGPU / RMCP_KIND_APU */
	const char *chip;
};

/* The row for 1002:device, or NULL when rmcp's table does not list it. */
const struct rmcp_gpu_id *rmcp_id_lookup(uint16_t vendor, uint16_t device);
/* Number of rows and the i-th row (for tests and listings). */
size_t rmcp_id_count(void);
const struct rmcp_gpu_id *rmcp_id_at(size_t i);

/* GC 10.1.x or 10.3.x: served by gmc_v10_0, in rmcp's scope. */
bool gc_is_gfx10(const struct version3 *gc);
/* 1 for GC 10.1, 2 for 10.3, 3 for 11, 4 for 12, 0 otherwise. */
unsigned int gc_rdna(const struct version3 *gc);
/*
 * The ISA target the compilers use for a GC version ("gfx1030"), as the
 * kernel's KFD reports it; "" when not known (out must hold 16 bytes).
 */
void gc_gfx_target(const struct version3 *gc, char *out, size_t outlen);

/* KFD's gfx_target_version (100300) as a target name ("gfx1030"). */
void gfx_target_of_version(uint32_t v, char *out, size_t outlen);
/* The LLVM generic target whose members run each other's code, or NULL. */
const char *gfx_family(const char *target);
/* Code built for target code runs on a GPU of target gpu (same family, no missing instructions). */
bool gfx_runs_on(const char *code, const char *gpu);

/* HSA_OVERRIDE_GFX_VERSION against a GPU's real target. */
enum hsa_verdict {
	HSA_UNSET,		/* not set */
	HSA_INVALID,		/* the runtime rejects it */
	HSA_SAME,		/* names the GPU's own target */
	HSA_COMPATIBLE,		/* another target of the same ISA family */
	HSA_MISMATCH,		/* a target of another ISA family */
	HSA_UNKNOWN_TARGET,	/* set, but the GPU's target is not known */
};
/*
 * The runtime's own rule (libhsakmt): sscanf "%u.%u.%u%c" must find exactly
 * three numbers, major <= 63, minor and step <= 255; "10.3.0 " is rejected.
 */
bool hsa_override_parse(const char *value, struct version3 *out);
/* "10.3.0" -> "gfx1030"; false when the runtime would reject the value. */
bool hsa_override_target(const char *value, char *out, size_t outlen);
enum hsa_verdict hsa_compare(const char *value, const char *real_target,
			     char *override_target, size_t outlen);

#endif
