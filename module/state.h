/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp's state and its reason, as status/state and status/reason show them
 * (state.c). The state mutex serialises arming, disarming, the policy and
 * the reason.
 */
#ifndef RMCP_MODULE_STATE_H
#define RMCP_MODULE_STATE_H

#include <linux/compiler.h>
#include <linux/types.h>

void rmcp_state_lock(void);
void rmcp_state_unlock(void);
__printf(2, 3) void rmcp_state_set(bool refused, const char *fmt, ...);
void rmcp_state_refresh(void);
const char *rmcp_state(void);
int rmcp_reason(char *buf, size_t size);

#endif /* RMCP_MODULE_STATE_H */
