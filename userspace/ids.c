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

/* KFD's gfx_target_version for GC 11 and 12 (kfd_device.c kgd2kfd_probe). */
static const struct {
	uint8_t major, minor, rev;
	const char *gfx;
} gc11_targets[] = {
	{ 11, 0, 0, "gfx1100" }, { 11, 0, 1, "gfx1103" }, { 11, 0, 2, "gfx1102" },
	{ 11, 0, 3, "gfx1101" }, { 11, 0, 4, "gfx1103" }, { 11, 5, 0, "gfx1150" },
	{ 11, 5, 1, "gfx1151" }, { 11, 5, 2, "gfx1152" }, { 12, 0, 0, "gfx1200" },
	{ 12, 0, 1, "gfx1201" },
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
	/* Not gfx<major><minor><rev>: GC 11.0.3 is gfx1101, 11.0.1 is gfx1103. */
	for (i = 0; i < sizeof(gc11_targets) / sizeof(gc11_targets[0]); i++)
		if (gc11_targets[i].major == gc->major && gc11_targets[i].minor == gc->minor &&
		    gc11_targets[i].rev == gc->rev)
			snprintf(out, outlen, "%s", gc11_targets[i].gfx);
}

void gfx_target_of_version(uint32_t v, char *out, size_t outlen)
{
	unsigned int major = v / 10000, minor = v / 100 % 100, step = v % 100;

	if (outlen)
		out[0] = '\0';
	if (major && minor <= 9 && step <= 15)
		snprintf(out, outlen, "gfx%u%u%x", major, minor, step);
}

bool hsa_override_parse(const char *value, struct version3 *out)
{
	unsigned int major, minor, step;
	char dummy;

	/* exactly what the runtime (libhsakmt topology.c) accepts */
	if (!value || sscanf(value, "%u.%u.%u%c", &major, &minor, &step, &dummy) != 3 ||
	    major > 63 || minor > 255 || step > 255)
		return false;
	out->major = major;
	out->minor = minor;
	out->rev = step;
	return true;
}

bool hsa_override_target(const char *value, char *out, size_t outlen)
{
	struct version3 v;

	if (!hsa_override_parse(value, &v))
		return false;
	if (v.minor <= 9 && v.rev <= 15)
		snprintf(out, outlen, "gfx%u%u%x", v.major, v.minor, v.rev);
	else
		snprintf(out, outlen, "%u.%u.%u", v.major, v.minor, v.rev);
	return true;
}

/*
 * Targets that run each other's code: the members of LLVM's generic
 * targets (gfx10-1-generic, gfx10-3-generic, gfx11-generic, gfx12-generic).
 */
const char *gfx_family(const char *target)
{
	static const struct {
		const char *family;
		const char *members;
	} fam[] = {
		{ "gfx10-1-generic", " gfx1010 gfx1011 gfx1012 gfx1013 " },
		{ "gfx10-3-generic", " gfx1030 gfx1031 gfx1032 gfx1033 gfx1034 gfx1035 gfx1036 " },
		{ "gfx11-generic", " gfx1100 gfx1101 gfx1102 gfx1103 gfx1150 gfx1151 gfx1152 gfx1153 " },
		{ "gfx12-generic", " gfx1200 gfx1201 " },
	};
	char key[24];
	size_t i;

	if (!target || strlen(target) > 16)
		return NULL;
	snprintf(key, sizeof(key), " %s ", target);
	for (i = 0; i < sizeof(fam) / sizeof(fam[0]); i++)
		if (strstr(fam[i].members, key))
			return fam[i].family;
	return NULL;
}

/*
 * Instructions a member of a generic family has beyond the family's
 * common set (LLVM's AMDGPU.td): gfx1011 and gfx1012 the dot-product
 * instructions (FeatureDot*Insts), gfx1013 the ray-tracing encoding
 * (FeatureGFX10_AEncoding). Code for a target runs on another member
 * only when the other has them all. gfx10.3's members share one ISA.
 */
static unsigned int gfx_extras(const char *target)
{
	if (!strcmp(target, "gfx1011") || !strcmp(target, "gfx1012"))
		return 1;
	if (!strcmp(target, "gfx1013"))
		return 2;
	return 0;
}

bool gfx_runs_on(const char *code, const char *gpu)
{
	const char *a = gfx_family(code), *b = gfx_family(gpu);

	return a && b && !strcmp(a, b) && !(gfx_extras(code) & ~gfx_extras(gpu));
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
	if (!strcmp(override_target, real_target))
		return HSA_SAME;
	return gfx_runs_on(override_target, real_target) ? HSA_COMPATIBLE : HSA_MISMATCH;
}
