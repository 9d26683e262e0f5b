// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: classification of AMD GPUs by PCI ID. */
#include "ids.h"

#include <stdio.h>
#include <string.h>

#include <rmcp/ids.h>

#define RMCP_ID(dev, maj, min, rev, rd, gfx_, kind_, chip_) \
	{ .device = (dev), .gc_major = (maj), .gc_minor = (min), .gc_rev = (rev), \
	  .rdna = (rd), .gfx = (gfx_), .kind = (kind_), .chip = (chip_) },
static const struct rmcp_gpu_id rmcp_ids[] = {
#include <rmcp/id-table.h>
};
#undef RMCP_ID

size_t rmcp_id_count(void)
{
	return sizeof(rmcp_ids) / sizeof(rmcp_ids[0]);
}

const struct rmcp_gpu_id *rmcp_id_at(size_t i)
{
	return i < rmcp_id_count() ? &rmcp_ids[i] : NULL;
}

const struct rmcp_gpu_id *rmcp_id_lookup(uint16_t vendor, uint16_t device)
{
	size_t i;

	if (vendor != RMCP_PCI_VENDOR_AMD)
		return NULL;
	for (i = 0; i < rmcp_id_count(); i++)
		if (rmcp_ids[i].device == device)
			return &rmcp_ids[i];
	return NULL;
}

bool gc_is_gfx10(const struct version3 *gc)
{
	return gc->major == 10 && (gc->minor == 1 || gc->minor == 3);
}

unsigned int gc_rdna(const struct version3 *gc)
{
	if (gc->major == 10)
		return gc->minor == 1 ? 1 : gc->minor == 3 ? 2 : 0;
	if (gc->major == 11)
		return 3;
	if (gc->major == 12)
		return 4;
	return 0;
}

/* KFD's gfx_target_version for GC 10.x (kfd_device.c), as gfx names. */
static const struct {
	uint8_t minor, rev;
	const char *gfx;
} gc10_targets[] = {
	{ 1, 10, "gfx1010" }, { 1, 1, "gfx1012" }, { 1, 2, "gfx1011" },
	{ 1, 3, "gfx1013" }, { 1, 4, "gfx1013" },
	{ 3, 0, "gfx1030" }, { 3, 2, "gfx1031" }, { 3, 4, "gfx1032" },
	{ 3, 5, "gfx1034" }, { 3, 1, "gfx1033" }, { 3, 3, "gfx1035" },
	{ 3, 6, "gfx1036" }, { 3, 7, "gfx1036" },
};

void gc_gfx_target(const struct version3 *gc, char *out, size_t outlen)
{
	size_t i;

	if (!outlen)
		return;
	out[0] = '\0';
	if (gc->major == 10) {
		for (i = 0; i < sizeof(gc10_targets) / sizeof(gc10_targets[0]); i++)
			if (gc10_targets[i].minor == gc->minor &&
			    gc10_targets[i].rev == gc->rev)
				snprintf(out, outlen, "%s", gc10_targets[i].gfx);
		return;
	}
	/* From GC 11 on the target is gfx<major><minor><rev>. */
	if (gc->major >= 11 && gc->major <= 99 && gc->minor <= 9 && gc->rev <= 15)
		snprintf(out, outlen, "gfx%u%u%x", gc->major, gc->minor, gc->rev);
}

bool hsa_override_target(const char *value, char *out, size_t outlen)
{
	struct version3 v;

	if (!value || parse_version3(value, strlen(value), &v) ||
	    v.major < 6 || v.major > 99 || v.minor > 9 || v.rev > 15)
		return false;
	snprintf(out, outlen, "gfx%u%u%x", v.major, v.minor, v.rev);
	return true;
}

enum hsa_verdict hsa_compare(const char *value, const char *real_target,
			     char *override_target, size_t outlen)
{
	if (outlen)
		override_target[0] = '\0';
	if (!value)
		return HSA_UNSET;
	if (!hsa_override_target(value, override_target, outlen))
		return HSA_INVALID;
	if (!real_target || !*real_target)
		return HSA_UNKNOWN_TARGET;
	return strcmp(override_target, real_target) ? HSA_MISMATCH : HSA_SAME;
}
