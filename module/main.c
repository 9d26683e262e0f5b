// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp: RDNA Memory Coherency Patch, a companion module for amdgpu.
 *
 * Module init/exit, the module notifier that follows amdgpu's COMING and
 * GOING, arming and disarming, and the state shown in status/.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/string.h>
#include <rmcp/sysfs.h>

#include "rmcp.h"

#define RMCP_REASON_LEN	256
#define RMCP_ARMED_LATE \
	"after amdgpu had initialised its devices: PTEs written before keep their type"

static DEFINE_MUTEX(rmcp_lock);		/* arming, policy, rmcp_reason_buf */
static char rmcp_reason_buf[RMCP_REASON_LEN];
static bool rmcp_refused;
static bool rmcp_notifier_registered;

const char *rmcp_state(void)
{
	if (READ_ONCE(rmcp_refused))
		return RMCP_STATE_REFUSED;
	if (!rmcp_hook_armed())
		return RMCP_STATE_IDLE;
	if (!READ_ONCE(rmcp_param.enable))
		return RMCP_STATE_DISABLED;
	if (rmcp_hook_nmissed())
		return RMCP_STATE_DEGRADED;
	return RMCP_STATE_ARMED;
}

int rmcp_reason(char *buf, size_t size)
{
	int n;

	mutex_lock(&rmcp_lock);
	n = scnprintf(buf, size, "%s", rmcp_reason_buf);
	mutex_unlock(&rmcp_lock);
	if (rmcp_hook_armed() && !READ_ONCE(rmcp_param.enable))
		n += scnprintf(buf + n, size - n, "; enable=0: CC is counted, not rewritten");
	if (rmcp_hook_nmissed())
		n += scnprintf(buf + n, size - n,
			       "; %lu calls escaped the hook (nmissed)",
			       rmcp_hook_nmissed());
	return n;
}

void rmcp_state_changed(void)
{
	pr_info("state %s\n", rmcp_state());
}

/* Arm the hook; @when says how it relates to amdgpu's device init. */
static int rmcp_arm_locked(const char *when)
{
	char why[RMCP_REASON_LEN];
	int ret;

	ret = rmcp_hook_arm(why, sizeof(why));
	if (!ret) {
		WRITE_ONCE(rmcp_refused, false);
		snprintf(rmcp_reason_buf, sizeof(rmcp_reason_buf),
			 "armed %s; %s", when, why);
	} else if (ret == -ENOENT) {
		snprintf(rmcp_reason_buf, sizeof(rmcp_reason_buf),
			 "waiting for amdgpu");
	} else {
		WRITE_ONCE(rmcp_refused, true);
		snprintf(rmcp_reason_buf, sizeof(rmcp_reason_buf), "%s", why);
	}
	pr_info("state %s: %s\n", rmcp_state(), rmcp_reason_buf);
	return ret;
}

static int rmcp_module_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "amdgpu"))
		return NOTIFY_DONE;

	mutex_lock(&rmcp_lock);
	switch (action) {
	case MODULE_STATE_COMING:
		rmcp_policy_coming(mod);
		rmcp_arm_locked("at amdgpu load, before it initialised any device");
		break;
	case MODULE_STATE_GOING:
		rmcp_hook_disarm();
		rmcp_policy_going();
		snprintf(rmcp_reason_buf, sizeof(rmcp_reason_buf),
			 "amdgpu unloaded; waiting for amdgpu");
		pr_info("state %s: %s\n", rmcp_state(), rmcp_reason_buf);
		break;
	}
	mutex_unlock(&rmcp_lock);
	return NOTIFY_OK;
}

static struct notifier_block rmcp_module_nb = {
	.notifier_call = rmcp_module_notify,
};

static int __init rmcp_init(void)
{
	int ret;

	ret = rmcp_params_parse();
	if (ret)
		return ret;
	ret = rmcp_sysfs_init();
	if (ret)
		return ret;
	ret = rmcp_devices_scan();
	if (ret)
		goto err_devices;

	mutex_lock(&rmcp_lock);
	if (!rmcp_devices_matched()) {
		snprintf(rmcp_reason_buf, sizeof(rmcp_reason_buf),
			 "no matched GPU; nothing registered");
		pr_info("state %s: %s\n", rmcp_state(), rmcp_reason_buf);
	} else {
		ret = register_module_notifier(&rmcp_module_nb);
		if (ret) {
			mutex_unlock(&rmcp_lock);
			goto err_devices;
		}
		rmcp_notifier_registered = true;
		ret = rmcp_arm_locked(RMCP_ARMED_LATE);
		if (!ret)
			rmcp_policy_amdgpu_first();
	}
	mutex_unlock(&rmcp_lock);
	rmcp_params_live();
	ret = 0;
	pr_info("version %s loaded\n", RMCP_VERSION);
	return 0;

err_devices:
	rmcp_devices_free();
	rmcp_sysfs_exit();
	return ret;
}

static void __exit rmcp_exit(void)
{
	if (rmcp_notifier_registered)
		unregister_module_notifier(&rmcp_module_nb);
	mutex_lock(&rmcp_lock);
	rmcp_hook_disarm();
	rmcp_policy_going();
	mutex_unlock(&rmcp_lock);
	rmcp_devices_free();
	rmcp_sysfs_exit();
	pr_info("unloaded\n");
}

module_init(rmcp_init);
module_exit(rmcp_exit);

MODULE_DESCRIPTION("gfx10 (RDNA1/RDNA2) MTYPE guard and parameter policy for amdgpu");
MODULE_AUTHOR("rmcp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RMCP_VERSION);
MODULE_SOFTDEP("post: amdgpu");
