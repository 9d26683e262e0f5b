/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MTYPE rule: a gfx10 PTE must not carry MTYPE_CC.
 *
 * Pure: no kernel state, so the KUnit suites link it as is.
 */
#ifndef RMCP_REWRITE_H
#define RMCP_REWRITE_H

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

u64 rmcp_rewrite_pte(u64 pte);

#endif /* RMCP_REWRITE_H */
