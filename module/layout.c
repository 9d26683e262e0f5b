// SPDX-License-Identifier: GPL-2.0
/*
 * The layout decision: evidence in, one layout or a refusal out.
 */
#include <linux/kernel.h>

#include "layout.h"

static const struct rmcp_layout_desc rmcp_layouts[] = {
	[RMCP_LAYOUT_MAP_MTYPE] = {
		.layout = RMCP_LAYOUT_MAP_MTYPE,
		.name = "map_mtype: amdgpu has " RMCP_SYM_MAP_MTYPE " and "
			RMCP_SYM_GEM_VA_MAP_FLAGS "; request = "
			RMCP_SYM_MAP_MTYPE "(adev, flags) arg 2",
		.symbol = RMCP_SYM_MAP_MTYPE,
		.arg = 1,
	},
	[RMCP_LAYOUT_VM_FLAGS] = {
		.layout = RMCP_LAYOUT_VM_FLAGS,
		.name = "vm_flags: amdgpu has neither " RMCP_SYM_MAP_MTYPE
			" nor " RMCP_SYM_GEM_VA_MAP_FLAGS "; request = "
			RMCP_SYM_GET_VM_PTE
			"(adev, vm, bo, vm_flags, flags) arg 4",
		.symbol = RMCP_SYM_GET_VM_PTE,
		.arg = 3,
	},
};

/**
 * rmcp_layout_decide() - the layout the evidence shows, if it is unambiguous
 * @ev: what the loaded amdgpu's symbol table holds
 * @why: on refusal, the reason (static text)
 *
 * Both functions of the map_mtype layout present: map_mtype. Both absent
 * and get_vm_pte present: vm_flags. Anything else is no evidence or
 * contradicting evidence, and rmcp refuses.
 *
 * Return: the layout, or NULL.
 */
const struct rmcp_layout_desc *
rmcp_layout_decide(const struct rmcp_evidence *ev, const char **why)
{
	if (!ev->get_vm_pte) {
		*why = "no evidence: the loaded amdgpu has no "
			RMCP_SYM_GET_VM_PTE " (gfx10 support missing?)";
		return NULL;
	}
	if (ev->map_mtype && ev->gem_va_map_flags)
		return &rmcp_layouts[RMCP_LAYOUT_MAP_MTYPE];
	if (!ev->map_mtype && !ev->gem_va_map_flags)
		return &rmcp_layouts[RMCP_LAYOUT_VM_FLAGS];
	if (ev->map_mtype)
		*why = "contradicting evidence: the loaded amdgpu has "
			RMCP_SYM_MAP_MTYPE " but no " RMCP_SYM_GEM_VA_MAP_FLAGS;
	else
		*why = "contradicting evidence: the loaded amdgpu has "
			RMCP_SYM_GEM_VA_MAP_FLAGS " but no " RMCP_SYM_MAP_MTYPE;
	return NULL;
}
