/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which gfx10 mapping layout the loaded amdgpu has, decided from evidence in
 * its own symbol table, never from the kernel headers rmcp was built against:
 * amdgpu-dkms puts a newer amdgpu on an older kernel.
 *
 *   map_mtype (upstream 5.x..6.17 and backports of it): gfx10's MTYPE comes
 *	from gmc_v10_0_map_mtype(adev, u32 flags), called through
 *	amdgpu_gem_va_map_flags() for every GEM_VA and KFD mapping; the uapi
 *	request is argument 2.
 *   vm_flags (upstream 6.18+, "rework how PTE flags are generated v3"):
 *	neither function exists; gmc_v10_0_get_vm_pte(adev, vm, bo,
 *	u32 vm_flags, u64 *flags) reads the uapi request from argument 4.
 *
 * Pure: KUnit links it.
 */
#ifndef RMCP_MODULE_LAYOUT_H
#define RMCP_MODULE_LAYOUT_H

#include <linux/types.h>

#define RMCP_SYM_GET_VM_PTE		"gmc_v10_0_get_vm_pte"
#define RMCP_SYM_MAP_MTYPE		"gmc_v10_0_map_mtype"
#define RMCP_SYM_GEM_VA_MAP_FLAGS	"amdgpu_gem_va_map_flags"

enum rmcp_layout {
	RMCP_LAYOUT_MAP_MTYPE,
	RMCP_LAYOUT_VM_FLAGS,
};

/* What the loaded amdgpu's symbol table says: each a function of amdgpu. */
struct rmcp_evidence {
	bool get_vm_pte;
	bool map_mtype;
	bool gem_va_map_flags;
};

struct rmcp_layout_desc {
	enum rmcp_layout layout;
	const char *name;	/* status/kernel_abi */
	const char *symbol;	/* the function hooked */
	unsigned int arg;	/* its 0-based argument holding the request */
};

const struct rmcp_layout_desc *
rmcp_layout_decide(const struct rmcp_evidence *ev, const char **why);

#endif /* RMCP_MODULE_LAYOUT_H */
