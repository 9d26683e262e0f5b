/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI-ID matching: the gfx10 table of include/rmcp/id-table.h and the
 * extra_ids= / exclude_ids= lists. Pure: no kernel state, KUnit links it.
 */
#ifndef RMCP_MODULE_IDS_H
#define RMCP_MODULE_IDS_H

#include <linux/types.h>
#include <rmcp/ids.h>

struct rmcp_id {
	u16 device;
	u8 gc_major, gc_minor, gc_rev;
	u8 rdna;
	u8 kind;		/* RMCP_KIND_DGPU or RMCP_KIND_APU */
	const char *gfx;	/* "gfx1030" */
	const char *chip;	/* "SIENNA_CICHLID" */
};

/* A user list of vendor:device pairs, (vendor << 16) | device each. */
struct rmcp_id_list {
	unsigned int n;
	u32 ids[RMCP_MAX_USER_IDS];
};

/* Why a device is (not) matched; names in rmcp/sysfs.h RMCP_MATCH_*. */
enum rmcp_match {
	RMCP_M_NONE,
	RMCP_M_TABLE,
	RMCP_M_EXTRA,
	RMCP_M_EXCLUDED,
	RMCP_M_APU_OFF,
};

/* The legal form, for log lines. */
#define RMCP_ID_LIST_FORM \
	"vvvv:dddd[,vvvv:dddd...] (4 hex digits each, at most 16 ids)"

unsigned int rmcp_id_count(void);
const struct rmcp_id *rmcp_id_at(unsigned int i);
const struct rmcp_id *rmcp_id_lookup(u16 vendor, u16 device);

int rmcp_id_list_parse(const char *s, struct rmcp_id_list *list,
		       const char **why);
bool rmcp_id_list_has(const struct rmcp_id_list *list, u16 vendor, u16 device);
int rmcp_id_list_print(const struct rmcp_id_list *list, char *buf,
		       size_t size);

enum rmcp_match rmcp_match_device(u16 vendor, u16 device,
				  const struct rmcp_id_list *extra,
				  const struct rmcp_id_list *exclude, bool apu);
bool rmcp_match_is_matched(enum rmcp_match m);
const char *rmcp_match_name(enum rmcp_match m);

#endif /* RMCP_MODULE_IDS_H */
