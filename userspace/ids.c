// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: classification of AMD GPUs by PCI ID. */
#include "ids.h"

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
