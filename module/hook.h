/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The MTYPE hook on the loaded amdgpu (hook.c).
 */
#ifndef RMCP_MODULE_HOOK_H
#define RMCP_MODULE_HOOK_H

#include <linux/atomic.h>
#include <linux/types.h>

extern atomic64_t rmcp_rejected;

int rmcp_hook_arm(char *reason, size_t size);
bool rmcp_hook_reprove(char *reason, size_t size);
void rmcp_hook_disarm(void);
bool rmcp_hook_armed(void);
bool rmcp_hook_degraded(void);
unsigned long rmcp_hook_nmissed(void);
const char *rmcp_hook_abi(void);
const char *rmcp_hook_selftest(void);

#endif /* RMCP_MODULE_HOOK_H */
