/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parameter policy for amdgpu's noretry / vm_fragment_size: legal
 * values and the decision per device. Pure: KUnit links it.
 */
#ifndef RMCP_MODULE_POLICY_H
#define RMCP_MODULE_POLICY_H

#include <linux/types.h>

#define RMCP_POLICY_LEAVE	(-1)	/* leave amdgpu's value alone */

#define RMCP_NORETRY_FORM		"-1, 0 or 1"
#define RMCP_VM_FRAGMENT_SIZE_FORM	"-1 or 4..9"

/* devices/<bdf>/policy; names in rmcp/sysfs.h RMCP_POLICY_* */
enum rmcp_policy_state {
	RMCP_PS_SKIPPED,	/* unmatched, or both policy values -1 */
	RMCP_PS_PENDING,	/* applied when amdgpu probes the device */
	RMCP_PS_APPLIED,	/* was in force during amdgpu_pci_probe() */
	RMCP_PS_TOO_LATE,	/* amdgpu had the device before rmcp loaded */
};

int rmcp_policy_parse_noretry(const char *s, int *val);
int rmcp_policy_parse_vm_fragment_size(const char *s, int *val);

enum rmcp_policy_state rmcp_policy_decide(bool matched, bool amdgpu_first,
					  int noretry, int vm_fragment_size);
int rmcp_policy_value(int policy, int user);
const char *rmcp_policy_name(enum rmcp_policy_state s);

#endif /* RMCP_MODULE_POLICY_H */
