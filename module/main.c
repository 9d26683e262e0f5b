// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp: RDNA Memory Coherency Patch, a companion module for amdgpu.
 *
 * Lifecycle: module init/exit, the module notifier that follows the amdgpu
 * module's COMING and GOING, and the PCI bus notifier that follows GPUs
 * added and removed after load (hotplug, PCI remove + rescan), arming and
 * disarming the hook and the policy. The hook is armed only while amdgpu
 * is loaded and at least one matched GPU exists; with no matched GPU no
 * probe is registered, only the two notifiers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "devices.h"
#include "evidence.h"
#include "hook.h"
#include "params.h"
#include "policy_hook.h"
#include "state.h"
#include "sysfs.h"

#define RMCP_WHY_LEN	256
#define RMCP_ARMED_COMING "at amdgpu load, before it initialised any device"
#define RMCP_ARMED_LATE \
	"after amdgpu had initialised its devices: mappings made before keep their type"
#define RMCP_NO_MATCH	"no matched GPU; no probe registered"
#define RMCP_BUILTIN \
	"amdgpu is built into this kernel: rmcp works with amdgpu as a module only"

/* Under the state mutex. */
static bool rmcp_amdgpu_here;		/* seen COMING or loaded, not GOING */
static bool rmcp_amdgpu_in_kernel;	/* built in: refused for good */

/* Arm for the amdgpu loaded or COMING; @when goes into the reason. */
static void rmcp_arm_locked(const char *when)
{
	char why[RMCP_WHY_LEN];

	if (rmcp_hook_arm(why, sizeof(why)))
		rmcp_state_set(true, "%s", why);
	else
		rmcp_state_set(false, "armed %s; %s", when, why);
}

/*
 * The matched devices or amdgpu changed: arm while amdgpu is here and a
 * matched GPU exists, disarm when none is left, else say what rmcp waits
 * for. @when: how an arm now comes about, for the reason.
 */
static void rmcp_update_locked(const char *when)
{
	if (!rmcp_devices_matched()) {
		if (rmcp_hook_armed())
			pr_info("no matched GPU left: disarming\n");
		rmcp_hook_disarm();
		rmcp_policy_disarm();
		rmcp_state_set(false, RMCP_NO_MATCH);
	} else if (rmcp_amdgpu_in_kernel) {
		rmcp_state_set(true, RMCP_BUILTIN);
	} else if (!rmcp_amdgpu_here) {
		rmcp_state_set(false, "waiting for amdgpu");
	} else if (!rmcp_hook_armed()) {
		rmcp_arm_locked(when);
	}
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
		rmcp_amdgpu_here = true;
		rmcp_policy_coming(mod);
		rmcp_update_locked(RMCP_ARMED_COMING);
		break;
	case MODULE_STATE_GOING:
		rmcp_amdgpu_here = false;
		rmcp_hook_disarm();
		rmcp_policy_going();
		if (rmcp_devices_matched())
			rmcp_state_set(false, "amdgpu unloaded; waiting for amdgpu");
		else
			rmcp_state_set(false, RMCP_NO_MATCH);
		break;
	}
	rmcp_state_unlock();
	return NOTIFY_OK;
}

static struct notifier_block rmcp_module_nb = {
	.notifier_call = rmcp_module_notify,
};

static void rmcp_added(struct rmcp_dev *d)
{
	rmcp_devices_log(d, "");
	rmcp_policy_added(d);
}

/*
 * A PCI device came or went. ADD_DEVICE comes before any driver probes it,
 * so amdgpu's probe of a new matched GPU finds it covered; REMOVED_DEVICE
 * comes after its driver was unbound.
 */
static int rmcp_pci_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct pci_dev *pdev = to_pci_dev(data);
	char when[64];
	struct rmcp_dev *d;
	int ret;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		rmcp_state_lock();
		d = rmcp_devices_add(pdev);
		if (IS_ERR(d)) {
			pr_warn("%s added, but rmcp cannot follow it (%ld): not covered\n",
				pci_name(pdev), PTR_ERR(d));
		} else if (d) {
			rmcp_devices_log(d, " (added)");
			rmcp_policy_added(d);
			snprintf(when, sizeof(when), "when %s was added",
				 pci_name(pdev));
			if (d->matched)
				rmcp_update_locked(when);
		}
		rmcp_state_unlock();
		break;
	case BUS_NOTIFY_REMOVED_DEVICE:
		rmcp_state_lock();
		ret = rmcp_devices_remove(pdev);
		if (ret >= 0)
			pr_info("%s removed\n", pci_name(pdev));
		if (ret == 1 && !rmcp_devices_matched())
			rmcp_update_locked("");
		rmcp_state_unlock();
		break;
	default:
		return NOTIFY_DONE;
	}
	return NOTIFY_OK;
}

static struct notifier_block rmcp_pci_nb = {
	.notifier_call = rmcp_pci_notify,
};

/* Which amdgpu is there now: arm for it, or say why not. */
static void rmcp_find_amdgpu_locked(void)
{
	if (rmcp_amdgpu_here) {
		/* COMING came while the devices were being scanned */
		rmcp_update_locked(RMCP_ARMED_COMING);
	} else if (rmcp_amdgpu_loaded()) {
		rmcp_amdgpu_here = true;
		rmcp_policy_amdgpu_first();
		rmcp_update_locked(RMCP_ARMED_LATE);
	} else {
		rmcp_amdgpu_in_kernel = rmcp_amdgpu_builtin();
		rmcp_update_locked("");
	}
}

/* Take off whatever the notifiers armed; they are gone already. */
static void rmcp_disarm_all(void)
{
	rmcp_state_lock();
	rmcp_hook_disarm();
	rmcp_policy_going();
	rmcp_state_unlock();
}

/*
 * The notifiers are registered without the state mutex held (their calls
 * take it under the notifier chain's lock), before the scan, so no device
 * is missed: one the scan also finds is added once.
 */
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
	rmcp_devices_init(devices_dir);
	ret = bus_register_notifier(&pci_bus_type, &rmcp_pci_nb);
	if (ret)
		goto err_sysfs;
	ret = register_module_notifier(&rmcp_module_nb);
	if (ret)
		goto err_bus;

	rmcp_state_lock();
	ret = rmcp_devices_scan(rmcp_added);
	if (!ret)
		rmcp_find_amdgpu_locked();
	rmcp_state_unlock();
	if (ret)
		goto err_module;
	rmcp_params_live();
	pr_info("version %s loaded\n", RMCP_VERSION);
	return 0;

err_module:
	unregister_module_notifier(&rmcp_module_nb);
err_bus:
	bus_unregister_notifier(&pci_bus_type, &rmcp_pci_nb);
	rmcp_disarm_all();
	rmcp_devices_free();
err_sysfs:
	rmcp_sysfs_exit();
	return ret;
}

static void __exit rmcp_exit(void)
{
	unregister_module_notifier(&rmcp_module_nb);
	bus_unregister_notifier(&pci_bus_type, &rmcp_pci_nb);
	rmcp_disarm_all();
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
