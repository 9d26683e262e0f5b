/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gfx10 PCI-ID table shared by the kernel module and rmcp-probe.
 *
 * Use:
 *	#define RMCP_ID(dev, gc_major, gc_minor, gc_rev, rdna, gfx, kind, chip) \
 *		{ ... },
 *	static const struct my_row my_table[] = {
 *	#include <rmcp/id-table.h>
 *	};
 *	#undef RMCP_ID
 *
 * GC 10.3.6 / 10.3.7 parts have no device IDs in amdgpu's table and so none
 * here; users add them with extra_ids=.
 */
#ifndef RMCP_IDS_H
#define RMCP_IDS_H

#define RMCP_PCI_VENDOR_AMD	0x1002

#define RMCP_KIND_DGPU		0
#define RMCP_KIND_APU		1

/* Number of rows in rmcp/id-table.h; checked by the unit tests of both sides. */
#define RMCP_ID_COUNT		64

/* Most ids extra_ids= / exclude_ids= accept each. */
#define RMCP_MAX_USER_IDS	16

#endif /* RMCP_IDS_H */
