// SPDX-License-Identifier: GPL-2.0
/*
 * The parameter policy: legal values of rmcp's noretry= and
 * vm_fragment_size=, and what happens to each device.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <rmcp/sysfs.h>

#include "policy.h"

/* Only the exact decimal spellings: no sign but "-1", no blanks, no "01". */
static int rmcp_parse_exact(const char *s, int *val, int lo, int hi)
{
	if (!strcmp(s, "-1")) {
		*val = RMCP_POLICY_LEAVE;
		return 0;
	}
	if (s[0] < '0' || s[0] > '9' || s[1])
		return -EINVAL;
	if (s[0] - '0' < lo || s[0] - '0' > hi)
		return -EINVAL;
	*val = s[0] - '0';
	return 0;
}

/* noretry=: -1 (leave alone), 0 or 1 */
int rmcp_policy_parse_noretry(const char *s, int *val)
{
	return rmcp_parse_exact(s, val, 0, 1);
}

/* vm_fragment_size=: -1 (leave alone) or 4..9 (amdgpu's legal range) */
int rmcp_policy_parse_vm_fragment_size(const char *s, int *val)
{
	return rmcp_parse_exact(s, val, 4, 9);
}

/**
 * rmcp_policy_decide() - the policy state of a device when rmcp sees it
 * @matched: the device is matched (table or extra_ids, not excluded)
 * @amdgpu_first: amdgpu was loaded before rmcp, so it has already probed
 *	the device with the user's values
 * @noretry: rmcp's noretry=
 * @vm_fragment_size: rmcp's vm_fragment_size=
 *
 * Return: RMCP_PS_SKIPPED, RMCP_PS_TOO_LATE or RMCP_PS_PENDING.
 */
enum rmcp_policy_state rmcp_policy_decide(bool matched, bool amdgpu_first,
					  int noretry, int vm_fragment_size)
{
	if (!matched)
		return RMCP_PS_SKIPPED;
	if (noretry == RMCP_POLICY_LEAVE &&
	    vm_fragment_size == RMCP_POLICY_LEAVE)
		return RMCP_PS_SKIPPED;
	if (amdgpu_first)
		return RMCP_PS_TOO_LATE;
	return RMCP_PS_PENDING;
}

/* The value amdgpu should read for a matched device. */
int rmcp_policy_value(int policy, int user)
{
	return policy == RMCP_POLICY_LEAVE ? user : policy;
}

const char *rmcp_policy_name(enum rmcp_policy_state s)
{
	switch (s) {
	case RMCP_PS_PENDING:
		return RMCP_POLICY_PENDING;
	case RMCP_PS_APPLIED:
		return RMCP_POLICY_APPLIED;
	case RMCP_PS_TOO_LATE:
		return RMCP_POLICY_TOO_LATE;
	default:
		return RMCP_POLICY_SKIPPED;
	}
}
