// SPDX-License-Identifier: GPL-2.0
/*
 * Applying the parameter policy where amdgpu reads it.
 *
 * amdgpu's noretry / vm_fragment_size are found through its struct module
 * at MODULE_STATE_COMING (mod->kp[], ops == &param_ops_int). COMING runs
 * before amdgpu's own arguments are parsed, so a value written there would
 * be overwritten by amdgpu.noretry=. Instead a kretprobe on
 * amdgpu_pci_probe(), which reads both through amdgpu_device_init(), sets
 * the policy values on entry for a matched device and restores the user's
 * values on return, so other GPUs keep theirs.
 *
 * Concurrency: the driver core probes amdgpu's devices one at a time unless
 * asynchronous probing is forced (driver_async_probe=amdgpu). Then an
 * unmatched device probed while a matched one holds the policy values would
 * see them; the policy is applied only to a probe that starts alone, and a
 * probe that starts while the values are in force is logged.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/ptrace.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "rmcp.h"

#define RMCP_PROBE_SYMBOL	"amdgpu_pci_probe"

struct rmcp_probe_call {
	struct rmcp_dev *d;
	bool applied;
};

static int *rmcp_amdgpu_noretry;
static int *rmcp_amdgpu_vm_fragment_size;
static struct kretprobe rmcp_probe_rp;
static bool rmcp_probe_armed;

static DEFINE_SPINLOCK(rmcp_policy_lock);
static unsigned int rmcp_probes_running;	/* under rmcp_policy_lock */
static unsigned int rmcp_policy_holders;	/* probes with policy in force */
static int rmcp_user_noretry;
static int rmcp_user_vm_fragment_size;

static void rmcp_policy_set(int noretry, int vm_fragment_size)
{
	WRITE_ONCE(*rmcp_amdgpu_noretry, noretry);
	WRITE_ONCE(*rmcp_amdgpu_vm_fragment_size, vm_fragment_size);
}

static int rmcp_probe_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct rmcp_probe_call *c = (struct rmcp_probe_call *)ri->data;
	struct pci_dev *pdev = (struct pci_dev *)regs_get_kernel_argument(regs, 0);
	struct rmcp_dev *d;
	unsigned long irq;

	rcu_read_lock();
	d = rmcp_devices_find(pdev);
	c->d = d;
	c->applied = false;
	spin_lock_irqsave(&rmcp_policy_lock, irq);
	if (rmcp_policy_holders)
		pr_warn_ratelimited("%s probed while the policy of another device is in force\n",
				    pci_name(pdev));
	if (d && d->matched && d->policy == RMCP_PS_PENDING &&
	    !rmcp_probes_running) {
		rmcp_user_noretry = READ_ONCE(*rmcp_amdgpu_noretry);
		rmcp_user_vm_fragment_size =
			READ_ONCE(*rmcp_amdgpu_vm_fragment_size);
		rmcp_policy_set(rmcp_policy_value(rmcp_param.noretry,
						  rmcp_user_noretry),
				rmcp_policy_value(rmcp_param.vm_fragment_size,
						  rmcp_user_vm_fragment_size));
		rmcp_policy_holders++;
		c->applied = true;
		WRITE_ONCE(d->policy, RMCP_PS_APPLIED);
	}
	rmcp_probes_running++;
	if (d) {
		WRITE_ONCE(d->noretry, READ_ONCE(*rmcp_amdgpu_noretry));
		WRITE_ONCE(d->vm_fragment_size,
			   READ_ONCE(*rmcp_amdgpu_vm_fragment_size));
		WRITE_ONCE(d->probed, true);
	}
	spin_unlock_irqrestore(&rmcp_policy_lock, irq);
	rcu_read_unlock();
	return 0;
}

static int rmcp_probe_return(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct rmcp_probe_call *c = (struct rmcp_probe_call *)ri->data;
	unsigned long irq;

	spin_lock_irqsave(&rmcp_policy_lock, irq);
	rmcp_probes_running--;
	if (c->applied && !--rmcp_policy_holders)
		rmcp_policy_set(rmcp_user_noretry, rmcp_user_vm_fragment_size);
	spin_unlock_irqrestore(&rmcp_policy_lock, irq);
	return 0;
}

static int *rmcp_find_int_param(struct module *mod, const char *name)
{
	unsigned int i;

	for (i = 0; i < mod->num_kp; i++) {
		if (strcmp(mod->kp[i].name, name))
			continue;
		if (mod->kp[i].ops != &param_ops_int) {
			pr_warn("amdgpu parameter %s is not an int; policy not applied\n",
				name);
			return NULL;
		}
		return mod->kp[i].arg;
	}
	pr_warn("amdgpu has no parameter %s; policy not applied\n", name);
	return NULL;
}

static void rmcp_policy_reset(bool amdgpu_first)
{
	struct rmcp_dev *d;

	list_for_each_entry(d, &rmcp_devices, node) {
		WRITE_ONCE(d->policy,
			   rmcp_policy_decide(d->matched, amdgpu_first,
					      rmcp_param.noretry,
					      rmcp_param.vm_fragment_size));
		WRITE_ONCE(d->probed, false);
	}
}

/* amdgpu is COMING. Called with the state mutex held. */
void rmcp_policy_coming(struct module *amdgpu)
{
	struct rmcp_dev *d;
	bool pending = false;
	int ret;

	rmcp_policy_reset(false);
	rmcp_amdgpu_noretry = rmcp_find_int_param(amdgpu, "noretry");
	rmcp_amdgpu_vm_fragment_size =
		rmcp_find_int_param(amdgpu, "vm_fragment_size");
	if (!rmcp_amdgpu_noretry || !rmcp_amdgpu_vm_fragment_size) {
		list_for_each_entry(d, &rmcp_devices, node)
			WRITE_ONCE(d->policy, RMCP_PS_SKIPPED);
		return;
	}
	/* Before parse_args(): amdgpu's defaults, whatever the command line says. */
	pr_info("amdgpu coming: noretry=%d vm_fragment_size=%d\n",
		*rmcp_amdgpu_noretry, *rmcp_amdgpu_vm_fragment_size);

	list_for_each_entry(d, &rmcp_devices, node)
		pending |= d->policy == RMCP_PS_PENDING;
	if (!pending)
		return;
	memset(&rmcp_probe_rp, 0, sizeof(rmcp_probe_rp));
	rmcp_probe_rp.kp.symbol_name = RMCP_PROBE_SYMBOL;
	rmcp_probe_rp.entry_handler = rmcp_probe_entry;
	rmcp_probe_rp.handler = rmcp_probe_return;
	rmcp_probe_rp.data_size = sizeof(struct rmcp_probe_call);
	rmcp_probe_rp.maxactive = max_t(int, 16, 2 * num_possible_cpus());
	ret = register_kretprobe(&rmcp_probe_rp);
	if (ret) {
		pr_warn("cannot probe %s (%d); policy not applied\n",
			RMCP_PROBE_SYMBOL, ret);
		list_for_each_entry(d, &rmcp_devices, node)
			WRITE_ONCE(d->policy, RMCP_PS_SKIPPED);
		return;
	}
	rmcp_probe_armed = true;
}

/* amdgpu is GOING, or rmcp is unloading. Called with the state mutex held. */
void rmcp_policy_going(void)
{
	if (rmcp_probe_armed) {
		unregister_kretprobe(&rmcp_probe_rp);
		rmcp_probe_armed = false;
	}
	rmcp_amdgpu_noretry = NULL;
	rmcp_amdgpu_vm_fragment_size = NULL;
}

/* amdgpu was there before rmcp: it has probed its devices already. */
void rmcp_policy_amdgpu_first(void)
{
	rmcp_policy_reset(true);
}
