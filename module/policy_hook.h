/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Applying the parameter policy while amdgpu probes a matched device
 * (policy_hook.c). Called with the state mutex held, except
 * rmcp_policy_nmissed().
 */
#ifndef RMCP_MODULE_POLICY_HOOK_H
#define RMCP_MODULE_POLICY_HOOK_H

struct module;
struct rmcp_dev;

void rmcp_policy_coming(struct module *amdgpu);
void rmcp_policy_added(struct rmcp_dev *d);
void rmcp_policy_disarm(void);
void rmcp_policy_going(void);
void rmcp_policy_amdgpu_first(void);
unsigned long rmcp_policy_nmissed(void);

#endif /* RMCP_MODULE_POLICY_HOOK_H */
