// SPDX-License-Identifier: GPL-2.0
/*
 * Applying the parameter policy exactly where amdgpu reads it.
 *
 * amdgpu's noretry / vm_fragment_size are found through its struct module
 * at MODULE_STATE_COMING (mod->kp[], ops == &param_ops_int). COMING runs
 * before amdgpu's own arguments are parsed, so nothing is written there.
 * Each parameter has one reader that takes the device: amdgpu_gmc_noretry_set(adev)
 * and amdgpu_vm_adjust_size(adev, ...), both called once per device from
 * amdgpu_device_init(), neither sleeping. A kretprobe on each reader puts
 * the policy value in place on entry when @adev is a matched device, and
 * puts the user's value back on return, so the window is one short
 * function, not a whole (sleeping) probe:
 *
 * - an unmatched device reads the user's value, also while a matched one is
 *   being probed at the same time (asynchronous probing); if its read
 *   starts while a matched device's read is open, the user's value is put
 *   back at once and that matched read is reported as not applied;
 * - a re-probed device (unbind/bind, a retry, a new pci_dev after a PCI
 *   rescan) gets the policy again when amdgpu reads the values again, if
 *   rmcp knows the device (one added after rmcp loaded is logged, not
 *   covered);
 * - "applied" means amdgpu really read the policy value of each parameter
 *   rmcp sets, for that device, in its latest read;
 * - values are swapped with cmpxchg(): a user's write to
 *   /sys/module/amdgpu/parameters/noretry made meanwhile is never undone.
 *   kernel_param_lock() is a mutex and cannot be taken in a kprobe handler;
 *   cmpxchg() gives the same guarantee for the int;
 * - rmcp unloading (or amdgpu going) while a read is open puts the user's
 *   value back (the return handler will not run any more).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/ptrace.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "adev.h"
#include "devices.h"
#include "params.h"
#include "policy_hook.h"

enum { RMCP_R_NORETRY, RMCP_R_VMFS, RMCP_NR_READERS };

struct rmcp_reader {
	const char *param;		/* amdgpu's parameter */
	kretprobe_handler_t entry, ret;
	const char *symbol;		/* "amdgpu:<reader>" */
	int *value;			/* amdgpu's int, kp->arg */
	int policy;			/* what matched devices read */
	struct kretprobe rp;
	bool armed;
	/* under rmcp_policy_lock */
	unsigned int open;		/* matched reads with the policy in */
	bool disturbed;			/* an unmatched read came meanwhile */
	int user;			/* the value to put back */
};

struct rmcp_read {
	struct rmcp_dev *d;		/* NULL: not a device rmcp knows */
	bool opened;			/* this read holds the policy value */
};

static int rmcp_noretry_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
static int rmcp_noretry_return(struct kretprobe_instance *ri, struct pt_regs *regs);
static int rmcp_vmfs_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
static int rmcp_vmfs_return(struct kretprobe_instance *ri, struct pt_regs *regs);

static struct rmcp_reader rmcp_readers[RMCP_NR_READERS] = {
	[RMCP_R_NORETRY] = {
		.param = "noretry",
		.symbol = "amdgpu:amdgpu_gmc_noretry_set",
		.entry = rmcp_noretry_entry,
		.ret = rmcp_noretry_return,
	},
	[RMCP_R_VMFS] = {
		.param = "vm_fragment_size",
		.symbol = "amdgpu:amdgpu_vm_adjust_size",
		.entry = rmcp_vmfs_entry,
		.ret = rmcp_vmfs_return,
	},
};

static DEFINE_SPINLOCK(rmcp_policy_lock);
static unsigned long rmcp_policy_nmissed_before;

/* The device behind @adev, or NULL; logs a matched device rmcp missed. */
static struct rmcp_dev *rmcp_read_dev(void *adev)
{
	struct rmcp_adev_head head;
	struct rmcp_dev *d;

	if (rmcp_adev_read(adev, &head))
		return NULL;
	d = rmcp_devices_find(head.pdev);
	if (d && rmcp_adev_is(&head, d->pdev))
		return d;
	if (!d && head.pdev && head.dev ==
	    (void *)&((struct pci_dev *)head.pdev)->dev)
		pr_info_ratelimited("amdgpu reads its parameters for %s, a device rmcp did not see at load: policy not applied (reload rmcp to cover it)\n",
				    dev_name(head.dev));
	return NULL;
}

NOKPROBE_SYMBOL(rmcp_read_dev);

static int rmcp_read_entry(struct rmcp_reader *r, struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct rmcp_read *c = (struct rmcp_read *)ri->data;
	unsigned long irq;
	int cur;

	c->opened = false;
	rcu_read_lock();
	c->d = rmcp_read_dev((void *)regs_get_kernel_argument(regs, 0));
	spin_lock_irqsave(&rmcp_policy_lock, irq);
	if (c->d && c->d->matched && r->policy != RMCP_POLICY_LEAVE) {
		if (!r->open++) {
			r->disturbed = false;
			cur = READ_ONCE(*r->value);
			if (cmpxchg(r->value, cur, r->policy) == cur)
				r->user = cur;
			else		/* a user's write this very moment */
				r->open--;
		}
		c->opened = r->open > 0;
	} else if (r->open) {
		/* not matched: the user's value, now */
		cmpxchg(r->value, r->policy, r->user);
		r->disturbed = true;
		pr_warn_ratelimited("amdgpu reads %s for an unmatched device while a matched one reads it: the user's value is back, the matched read may not have the policy\n",
				    r->param);
	}
	if (c->d) {
		if (r == &rmcp_readers[RMCP_R_NORETRY])
			WRITE_ONCE(c->d->noretry, READ_ONCE(*r->value));
		else
			WRITE_ONCE(c->d->vm_fragment_size, READ_ONCE(*r->value));
		WRITE_ONCE(c->d->probed, true);
	}
	spin_unlock_irqrestore(&rmcp_policy_lock, irq);
	rcu_read_unlock();
	return 0;
}

NOKPROBE_SYMBOL(rmcp_read_entry);

/* The device's policy from its latest reads of every parameter rmcp sets. */
static void rmcp_read_done(struct rmcp_dev *d, struct rmcp_reader *r, bool ok)
{
	unsigned int bit = BIT(r - rmcp_readers), need = 0, i;

	if (ok)
		d->read_ok |= bit;
	else
		d->read_ok &= ~bit;
	d->read_seen |= bit;
	for (i = 0; i < RMCP_NR_READERS; i++)
		if (rmcp_readers[i].policy != RMCP_POLICY_LEAVE)
			need |= BIT(i);
	WRITE_ONCE(d->probed, true);
	if ((d->read_seen & need) == need)
		WRITE_ONCE(d->policy, (d->read_ok & need) == need ?
			   RMCP_PS_APPLIED : RMCP_PS_PENDING);
}

NOKPROBE_SYMBOL(rmcp_read_done);

static int rmcp_read_return(struct rmcp_reader *r,
			    struct kretprobe_instance *ri)
{
	struct rmcp_read *c = (struct rmcp_read *)ri->data;
	unsigned long irq;
	bool ok;

	spin_lock_irqsave(&rmcp_policy_lock, irq);
	ok = c->opened && !r->disturbed;
	if (c->opened && r->open && !--r->open)
		cmpxchg(r->value, r->policy, r->user);
	if (c->d && c->d->matched && r->policy != RMCP_POLICY_LEAVE)
		rmcp_read_done(c->d, r, ok);
	spin_unlock_irqrestore(&rmcp_policy_lock, irq);
	return 0;
}

NOKPROBE_SYMBOL(rmcp_read_return);

/* One handler pair per reader: no kretprobe-to-reader look-up needed. */
static int rmcp_noretry_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	return rmcp_read_entry(&rmcp_readers[RMCP_R_NORETRY], ri, regs);
}

NOKPROBE_SYMBOL(rmcp_noretry_entry);

static int rmcp_noretry_return(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	return rmcp_read_return(&rmcp_readers[RMCP_R_NORETRY], ri);
}

NOKPROBE_SYMBOL(rmcp_noretry_return);

static int rmcp_vmfs_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return rmcp_read_entry(&rmcp_readers[RMCP_R_VMFS], ri, regs);
}

NOKPROBE_SYMBOL(rmcp_vmfs_entry);

static int rmcp_vmfs_return(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	return rmcp_read_return(&rmcp_readers[RMCP_R_VMFS], ri);
}

NOKPROBE_SYMBOL(rmcp_vmfs_return);

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
		d->read_ok = 0;
		d->read_seen = 0;
	}
}

static void rmcp_policy_skip_all(void)
{
	struct rmcp_dev *d;

	list_for_each_entry(d, &rmcp_devices, node)
		WRITE_ONCE(d->policy, RMCP_PS_SKIPPED);
}

/* amdgpu is COMING. Called with the state mutex held. */
void rmcp_policy_coming(struct module *amdgpu)
{
	struct rmcp_reader *r;
	struct rmcp_dev *d;
	bool pending = false;
	unsigned int i;
	int ret;

	rmcp_policy_reset(false);
	list_for_each_entry(d, &rmcp_devices, node)
		pending |= d->policy == RMCP_PS_PENDING;
	if (!pending)
		return;
	rmcp_readers[RMCP_R_NORETRY].policy = rmcp_param.noretry;
	rmcp_readers[RMCP_R_VMFS].policy = rmcp_param.vm_fragment_size;
	for (i = 0; i < RMCP_NR_READERS; i++) {
		r = &rmcp_readers[i];
		if (r->policy == RMCP_POLICY_LEAVE)
			continue;
		r->value = rmcp_find_int_param(amdgpu, r->param);
		if (!r->value)
			goto skip;
		/* Before parse_args(): amdgpu's default, whatever the command line says. */
		pr_info("amdgpu coming: %s=%d\n", r->param, *r->value);
		memset(&r->rp, 0, sizeof(r->rp));
		r->rp.kp.symbol_name = r->symbol;
		r->rp.entry_handler = r->entry;
		r->rp.handler = r->ret;
		r->rp.data_size = sizeof(struct rmcp_read);
		r->rp.maxactive = max_t(int, 16, 2 * num_possible_cpus());
		r->open = 0;
		r->disturbed = false;
		ret = register_kretprobe(&r->rp);
		if (ret) {
			pr_warn("cannot probe %s (%d); policy not applied\n",
				r->symbol, ret);
			goto skip;
		}
		r->armed = true;
	}
	return;
skip:
	rmcp_policy_going();
	rmcp_policy_skip_all();
}

/*
 * amdgpu is GOING, or rmcp is unloading: take the probes off and put back
 * a user's value a read still held. Called with the state mutex held.
 */
void rmcp_policy_going(void)
{
	struct rmcp_reader *r;
	unsigned long irq;
	unsigned int i;

	for (i = 0; i < RMCP_NR_READERS; i++) {
		r = &rmcp_readers[i];
		if (!r->armed)
			continue;
		unregister_kretprobe(&r->rp);
		rmcp_policy_nmissed_before += r->rp.nmissed;
		r->armed = false;
		spin_lock_irqsave(&rmcp_policy_lock, irq);
		if (r->open) {
			cmpxchg(r->value, r->policy, r->user);
			pr_info("amdgpu was reading %s when the policy probe went: %d put back\n",
				r->param, r->user);
		}
		r->open = 0;
		r->disturbed = false;
		spin_unlock_irqrestore(&rmcp_policy_lock, irq);
		r->value = NULL;
	}
}

/* amdgpu was there before rmcp: it has read the values for its devices. */
void rmcp_policy_amdgpu_first(void)
{
	rmcp_policy_reset(true);
}

unsigned long rmcp_policy_nmissed(void)
{
	unsigned long n = rmcp_policy_nmissed_before;
	unsigned int i;

	for (i = 0; i < RMCP_NR_READERS; i++)
		if (READ_ONCE(rmcp_readers[i].armed))
			n += READ_ONCE(rmcp_readers[i].rp.nmissed);
	return n;
}
