// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp's state and the reason for it.
 *
 * The reason is always a terminated string rmcp wrote, under the state
 * mutex. Reading the state re-proves an armed hook first (hook.c), so
 * "armed" means the hook worked a moment ago, and "degraded" says when it
 * stopped working.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <rmcp/sysfs.h>

#include "hook.h"
#include "params.h"
#include "policy_hook.h"
#include "state.h"

#define RMCP_REASON_LEN	320

static DEFINE_MUTEX(rmcp_state_mutex);
static char rmcp_reason_buf[RMCP_REASON_LEN];	/* under the mutex */
static char rmcp_degraded_buf[RMCP_REASON_LEN];	/* under the mutex */
static bool rmcp_refused;

void rmcp_state_lock(void)
{
	mutex_lock(&rmcp_state_mutex);
}

void rmcp_state_unlock(void)
{
	mutex_unlock(&rmcp_state_mutex);
}

/**
 * rmcp_state_set() - a new reason; logged with the state it leads to
 * @refused: rmcp refuses (until the next arm)
 * @fmt: the reason
 *
 * Caller holds the state mutex.
 */
void rmcp_state_set(bool refused, const char *fmt, ...)
{
	va_list ap;

	lockdep_assert_held(&rmcp_state_mutex);
	va_start(ap, fmt);
	vscnprintf(rmcp_reason_buf, sizeof(rmcp_reason_buf), fmt, ap);
	va_end(ap);
	WRITE_ONCE(rmcp_refused, refused);
	rmcp_degraded_buf[0] = '\0';
	pr_info("state %s: %s\n", rmcp_state(), rmcp_reason_buf);
}

/* Re-prove an armed hook; status reads call this first. */
void rmcp_state_refresh(void)
{
	char why[RMCP_REASON_LEN];

	mutex_lock(&rmcp_state_mutex);
	if (rmcp_hook_armed()) {
		if (rmcp_hook_reprove(why, sizeof(why)))
			rmcp_degraded_buf[0] = '\0';
		else
			strscpy(rmcp_degraded_buf, why, sizeof(rmcp_degraded_buf));
	}
	mutex_unlock(&rmcp_state_mutex);
}

const char *rmcp_state(void)
{
	if (READ_ONCE(rmcp_refused))
		return RMCP_STATE_REFUSED;
	if (!rmcp_hook_armed())
		return RMCP_STATE_IDLE;
	if (rmcp_hook_degraded() || rmcp_hook_nmissed() ||
	    rmcp_policy_nmissed())
		return RMCP_STATE_DEGRADED;
	if (!READ_ONCE(rmcp_param.enable))
		return RMCP_STATE_DISABLED;
	return RMCP_STATE_ARMED;
}

int rmcp_reason(char *buf, size_t size)
{
	unsigned long n_hook = rmcp_hook_nmissed();
	unsigned long n_policy = rmcp_policy_nmissed();
	int n;

	mutex_lock(&rmcp_state_mutex);
	n = scnprintf(buf, size, "%s", rmcp_reason_buf);
	if (rmcp_hook_degraded())
		n += scnprintf(buf + n, size - n,
			       "; degraded: the hook no longer works: %s",
			       rmcp_degraded_buf);
	mutex_unlock(&rmcp_state_mutex);
	if (rmcp_hook_armed() && !READ_ONCE(rmcp_param.enable))
		n += scnprintf(buf + n, size - n,
			       "; enable=0: CC is counted, not rewritten");
	if (n_hook)
		n += scnprintf(buf + n, size - n,
			       "; %lu calls escaped the hook (nmissed)", n_hook);
	if (n_policy)
		n += scnprintf(buf + n, size - n,
			       "; %lu amdgpu probes escaped the policy probe (nmissed)",
			       n_policy);
	return n;
}
