/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MTYPE rule: a gfx10 PTE must not carry MTYPE_CC, and neither must the
 * uapi request it is made from.
 *
 * Pure and inline: no kernel state, so the KUnit suites test it as is.
 */
#ifndef RMCP_REWRITE_H
#define RMCP_REWRITE_H

#include <linux/compiler.h>
#include <linux/types.h>

/* gfx10 PTE MTYPE field, bits 50:48 (gmc_v10_0.c "PTE format on NAVI 10") */
#define RMCP_MTYPE_SHIFT	48
#define RMCP_MTYPE_MASK		(7ULL << RMCP_MTYPE_SHIFT)

#define RMCP_MTYPE_NC		0
#define RMCP_MTYPE_WC		1
#define RMCP_MTYPE_CC		2
#define RMCP_MTYPE_UC		3

static inline unsigned int rmcp_pte_mtype(u64 pte)
{
	return (pte & RMCP_MTYPE_MASK) >> RMCP_MTYPE_SHIFT;
}

/**
 * rmcp_rewrite_pte() - apply the "no CC on gfx10" rule to PTE flags
 * @pte: PTE flags as gmc_v10_0_get_vm_pte() leaves them
 *
 * The rule as it reads on the PTE amdgpu builds. The hook applies it one
 * step earlier, to the request (rmcp_rewrite_request() below); this form
 * is what KUnit and docs/how-it-works.md state the PTE rule with.
 *
 * Return: @pte with the MTYPE field set to NC if it was CC; otherwise @pte
 * unchanged. Only bits 50:48 are ever touched.
 */
static inline u64 rmcp_rewrite_pte(u64 pte)
{
	if (rmcp_pte_mtype(pte) == RMCP_MTYPE_CC)
		return pte & ~RMCP_MTYPE_MASK;
	return pte;
}

/*
 * The uapi request (include/uapi/drm/amdgpu_drm.h): AMDGPU_VM_MTYPE_* in
 * bits 8:5 of the flags userspace passes to DRM_IOCTL_AMDGPU_GEM_VA, as
 * gmc_v10_0_map_mtype() (6.17 and older) and gmc_v10_0_get_vm_pte()'s
 * vm_flags (6.18 and newer) receive them.
 */
#define RMCP_VM_MTYPE_SHIFT	5
#define RMCP_VM_MTYPE(v)	((u32)(v) << RMCP_VM_MTYPE_SHIFT)
#define RMCP_VM_MTYPE_MASK	RMCP_VM_MTYPE(0xf)
#define RMCP_VM_MTYPE_NC	RMCP_VM_MTYPE(1)
#define RMCP_VM_MTYPE_CC	RMCP_VM_MTYPE(3)
#define RMCP_VM_MTYPE_UC	RMCP_VM_MTYPE(4)

static __always_inline bool rmcp_request_is_cc(u32 vm_flags)
{
	return (vm_flags & RMCP_VM_MTYPE_MASK) == RMCP_VM_MTYPE_CC;
}

/**
 * rmcp_rewrite_request() - apply the rule to a uapi mapping request
 * @vm_flags: AMDGPU_VM_* flags; the MTYPE request is bits 8:5
 *
 * Inline: the MTYPE hook's handler runs it on every request.
 *
 * Return: @vm_flags with an AMDGPU_VM_MTYPE_CC request turned into
 * AMDGPU_VM_MTYPE_NC; any other value unchanged. Only bits 8:5 are ever
 * touched.
 */
static __always_inline u32 rmcp_rewrite_request(u32 vm_flags)
{
	if (rmcp_request_is_cc(vm_flags))
		return (vm_flags & ~RMCP_VM_MTYPE_MASK) | RMCP_VM_MTYPE_NC;
	return vm_flags;
}

#endif /* RMCP_REWRITE_H */
