// SPDX-License-Identifier: GPL-2.0
/*
 * The MTYPE rule: CC becomes NC, nothing else changes; for a PTE and for
 * the uapi request it is made from.
 */
#include <linux/kprobes.h>

#include "rewrite.h"

/**
 * rmcp_rewrite_pte() - apply the "no CC on gfx10" rule to PTE flags
 * @pte: PTE flags as gmc_v10_0_get_vm_pte() left them
 *
 * Return: @pte with the MTYPE field set to NC if it was CC; otherwise @pte
 * unchanged. Only bits 50:48 are ever touched.
 */
u64 rmcp_rewrite_pte(u64 pte)
{
	if (rmcp_pte_mtype(pte) == RMCP_MTYPE_CC)
		return pte & ~RMCP_MTYPE_MASK;
	return pte;
}

/**
 * rmcp_rewrite_request() - apply the rule to a uapi mapping request
 * @vm_flags: AMDGPU_VM_* flags; the MTYPE request is bits 8:5
 *
 * Return: @vm_flags with an AMDGPU_VM_MTYPE_CC request turned into
 * AMDGPU_VM_MTYPE_NC; any other value unchanged. Only bits 8:5 are ever
 * touched.
 */
u32 rmcp_rewrite_request(u32 vm_flags)
{
	if (rmcp_request_is_cc(vm_flags))
		return (vm_flags & ~RMCP_VM_MTYPE_MASK) | RMCP_VM_MTYPE_NC;
	return vm_flags;
}

NOKPROBE_SYMBOL(rmcp_rewrite_request);
