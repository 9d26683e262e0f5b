// SPDX-License-Identifier: GPL-2.0
/*
 * The MTYPE rule for a PTE: CC becomes NC, nothing else changes (the rule
 * for the uapi request it is made from is inline, in rewrite.h).
 */
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
