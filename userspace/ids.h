/* SPDX-License-Identifier: GPL-2.0 */
/* rmcp-probe: classification of AMD GPUs by PCI ID (rmcp/id-table.h). */
#ifndef RMCP_PROBE_IDS_H
#define RMCP_PROBE_IDS_H

#include <stddef.h>
#include <stdint.h>

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

#endif
