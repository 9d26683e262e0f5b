// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp: RDNA Memory Coherency Patch, a companion module for amdgpu.
 *
 * Lifecycle: module init/exit and the module notifier that follows the
 * amdgpu module's COMING and GOING, arming and disarming the hook and the
 * policy. With no matched GPU nothing is registered at all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/string.h>

#include "devices.h"
#include "evidence.h"
#include "hook.h"
#include "params.h"
#include "policy_hook.h"
#include "state.h"
#include "sysfs.h"

#define RMCP_WHY_LEN	256
#define RMCP_ARMED_LATE \
	"after amdgpu had initialised its devices: mappings made before keep their type"

static bool rmcp_notifier_registered;

/* Arm for the amdgpu loaded or COMING; @when goes into the reason. */
static void rmcp_arm_locked(const char *when)
{
	char why[RMCP_WHY_LEN];

	if (rmcp_hook_arm(why, sizeof(why)))
		rmcp_state_set(true, "%s", why);
	else
		rmcp_state_set(false, "armed %s; %s", when, why);
}

static int rmcp_module_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "amdgpu"))
		return NOTIFY_DONE;

	rmcp_state_lock();
	switch (action) {
	case MODULE_STATE_COMING:
		rmcp_policy_coming(mod);
		rmcp_arm_locked("at amdgpu load, before it initialised any device");
		break;
	case MODULE_STATE_GOING:
		rmcp_hook_disarm();
		rmcp_policy_going();
		rmcp_state_set(false, "amdgpu unloaded; waiting for amdgpu");
		break;
	}
	rmcp_state_unlock();
	return NOTIFY_OK;
}

static struct notifier_block rmcp_module_nb = {
	.notifier_call = rmcp_module_notify,
};

/* Which amdgpu is there now: arm for it, or say why not. */
static void rmcp_find_amdgpu_locked(void)
{
	if (rmcp_amdgpu_loaded()) {
		rmcp_policy_amdgpu_first();
		rmcp_arm_locked(RMCP_ARMED_LATE);
	} else if (rmcp_amdgpu_builtin()) {
		rmcp_state_set(true,
			       "amdgpu is built into this kernel: rmcp works with amdgpu as a module only");
	} else {
		rmcp_state_set(false, "waiting for amdgpu");
	}
}

static int __init rmcp_init(void)
{
	struct kobject *devices_dir;
	int ret;

	ret = rmcp_params_parse();
	if (ret)
		return ret;
	devices_dir = rmcp_sysfs_init();
	if (!devices_dir)
		return -ENOMEM;
	ret = rmcp_devices_scan(devices_dir);
	if (ret)
		goto err_devices;

	rmcp_state_lock();
	if (!rmcp_devices_matched()) {
		rmcp_state_set(false, "no matched GPU; nothing registered");
	} else {
		ret = register_module_notifier(&rmcp_module_nb);
		if (ret) {
			rmcp_state_unlock();
			goto err_devices;
		}
		rmcp_notifier_registered = true;
		rmcp_find_amdgpu_locked();
	}
	rmcp_state_unlock();
	rmcp_params_live();
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
	rmcp_state_lock();
	rmcp_hook_disarm();
	rmcp_policy_going();
	rmcp_state_unlock();
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
