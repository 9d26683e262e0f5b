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
 *   being probed at the same time (asynchronous probing): while its read
 *   is open the policy value is not put in, and if it starts while a
 *   matched device's read is open, the user's value is put back at once;
 *   such a matched read is reported as not applied;
 * - a re-probed device (unbind/bind, a retry, a new pci_dev after a PCI
 *   rescan, which main.c's bus notifier adds to the devices) gets the
 *   policy again when amdgpu reads the values again. A device added while
 *   an amdgpu that was loaded before rmcp runs is too-late: rmcp finds
 *   amdgpu's parameters only when it sees amdgpu come;
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
	unsigned int plain;		/* other reads, with the user's value */
	bool disturbed;			/* an unmatched read came meanwhile */
	int user;			/* the value to put back */
};

/*
 * One read, entry to return. The device is looked up again on return
 * (under RCU): it cannot go while amdgpu's probe of it runs, but rmcp
 * does not rely on that.
 */
struct rmcp_read {
	const void *pdev;		/* NULL: not a device rmcp knows */
	bool matched;			/* a matched device, policy to apply */
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

/* What rmcp knows of amdgpu; under the state mutex. */
static struct module *rmcp_policy_amdgpu;	/* COMING..GOING */
static bool rmcp_policy_late;		/* loaded before rmcp */
static bool rmcp_policy_failed;		/* parameters or probes missing */

/* The device behind @adev, or NULL. Under rcu_read_lock(). */
static struct rmcp_dev *rmcp_read_dev(void *adev)
{
	struct rmcp_adev_head head;
	struct rmcp_dev *d;

	if (rmcp_adev_read(adev, &head))
		return NULL;
	d = rmcp_devices_find(head.pdev);
	if (d && rmcp_adev_is(&head, d->pdev))
		return d;
	return NULL;
}

NOKPROBE_SYMBOL(rmcp_read_dev);

static int rmcp_read_entry(struct rmcp_reader *r, struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct rmcp_read *c = (struct rmcp_read *)ri->data;
	struct rmcp_dev *d;
	unsigned long irq;
	int cur;

	c->opened = false;
	rcu_read_lock();
	d = rmcp_read_dev((void *)regs_get_kernel_argument(regs, 0));
	c->pdev = d ? d->pdev : NULL;
	c->matched = d && d->matched && r->policy != RMCP_POLICY_LEAVE;
	spin_lock_irqsave(&rmcp_policy_lock, irq);
	if (c->matched && r->plain) {
		/* an unmatched read holds the user's value: not now */
		pr_warn_ratelimited("amdgpu reads %s for a matched device while an unmatched one reads it: the policy is not put in for it\n",
				    r->param);
	} else if (c->matched) {
		if (!r->open++) {
			r->disturbed = false;
			cur = READ_ONCE(*r->value);
			if (cmpxchg(r->value, cur, r->policy) == cur)
				r->user = cur;
			else		/* a user's write this very moment */
				r->open--;
		}
		c->opened = r->open > 0;
	} else {
		r->plain++;
		if (r->open) {
			/* not matched: the user's value, now */
			cmpxchg(r->value, r->policy, r->user);
			r->disturbed = true;
			pr_warn_ratelimited("amdgpu reads %s for an unmatched device while a matched one reads it: the user's value is back, the matched read may not have the policy\n",
					    r->param);
		}
	}
	if (d) {
		if (r == &rmcp_readers[RMCP_R_NORETRY])
			WRITE_ONCE(d->noretry, READ_ONCE(*r->value));
		else
			WRITE_ONCE(d->vm_fragment_size, READ_ONCE(*r->value));
		WRITE_ONCE(d->probed, true);
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
	struct rmcp_dev *d;
	unsigned long irq;
	bool ok;

	rcu_read_lock();
	d = c->pdev ? rmcp_devices_find(c->pdev) : NULL;
	spin_lock_irqsave(&rmcp_policy_lock, irq);
	ok = c->opened && !r->disturbed;
	if (c->opened && r->open && !--r->open)
		cmpxchg(r->value, r->policy, r->user);
	if (!c->matched && r->plain)
		r->plain--;
	if (d && c->matched)
		rmcp_read_done(d, r, ok);
	spin_unlock_irqrestore(&rmcp_policy_lock, irq);
	rcu_read_unlock();
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

/* A device's policy state from what rmcp knows of amdgpu now. */
static void rmcp_policy_set(struct rmcp_dev *d)
{
	enum rmcp_policy_state s;

	s = rmcp_policy_decide(d->matched, rmcp_policy_late, rmcp_param.noretry,
			       rmcp_param.vm_fragment_size);
	if (rmcp_policy_failed)
		s = RMCP_PS_SKIPPED;
	WRITE_ONCE(d->policy, s);
}

static void rmcp_policy_reset(void)
{
	struct rmcp_dev *d;

	list_for_each_entry(d, &rmcp_devices, node) {
		rmcp_policy_set(d);
		WRITE_ONCE(d->probed, false);
		d->read_ok = 0;
		d->read_seen = 0;
	}
}

/*
 * Probe amdgpu's readers, for the amdgpu rmcp saw COMING (@when: "coming",
 * or "running" for a device added later). On failure the policy of every
 * device waiting for it is skipped until amdgpu comes again.
 */
static void rmcp_policy_arm(const char *when)
{
	struct rmcp_dev *d;
	struct rmcp_reader *r;
	unsigned int i;
	int ret;

	rmcp_readers[RMCP_R_NORETRY].policy = rmcp_param.noretry;
	rmcp_readers[RMCP_R_VMFS].policy = rmcp_param.vm_fragment_size;
	for (i = 0; i < RMCP_NR_READERS; i++) {
		r = &rmcp_readers[i];
		if (r->policy == RMCP_POLICY_LEAVE || r->armed)
			continue;
		r->value = rmcp_find_int_param(rmcp_policy_amdgpu, r->param);
		if (!r->value)
			goto skip;
		/*
		 * COMING is before parse_args(): amdgpu's default, whatever
		 * the command line says.
		 */
		pr_info("amdgpu %s: %s=%d\n", when, r->param, *r->value);
		memset(&r->rp, 0, sizeof(r->rp));
		r->rp.kp.symbol_name = r->symbol;
		r->rp.entry_handler = r->entry;
		r->rp.handler = r->ret;
		r->rp.data_size = sizeof(struct rmcp_read);
		r->rp.maxactive = max_t(int, 16, 2 * num_possible_cpus());
		r->open = 0;
		r->plain = 0;
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
	rmcp_policy_disarm();
	rmcp_policy_failed = true;
	list_for_each_entry(d, &rmcp_devices, node)
		if (d->policy == RMCP_PS_PENDING)
			WRITE_ONCE(d->policy, RMCP_PS_SKIPPED);
}

/* amdgpu is COMING. Called with the state mutex held. */
void rmcp_policy_coming(struct module *amdgpu)
{
	struct rmcp_dev *d;
	bool pending = false;

	rmcp_policy_amdgpu = amdgpu;
	rmcp_policy_late = false;
	rmcp_policy_failed = false;
	rmcp_policy_reset();
	list_for_each_entry(d, &rmcp_devices, node)
		pending |= d->policy == RMCP_PS_PENDING;
	if (pending)
		rmcp_policy_arm("coming");
}

/**
 * rmcp_policy_added() - a device joined rmcp's devices
 * @d: the device
 *
 * Its policy state follows what rmcp knows of amdgpu; a matched device
 * gets the readers probed if amdgpu is there and they are not yet.
 * Called with the state mutex held.
 */
void rmcp_policy_added(struct rmcp_dev *d)
{
	rmcp_policy_set(d);
	if (d->policy == RMCP_PS_PENDING && rmcp_policy_amdgpu)
		rmcp_policy_arm("running");
	if (d->matched && d->policy == RMCP_PS_TOO_LATE)
		pr_info("%s: policy too-late: the amdgpu running was loaded before rmcp, whose parameters rmcp cannot reach\n",
			pci_name(d->pdev));
}

/*
 * Take the probes off and put back a user's value a read still held: no
 * matched device is left, amdgpu is GOING or rmcp unloading. Called with
 * the state mutex held.
 */
void rmcp_policy_disarm(void)
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
		r->plain = 0;
		r->disturbed = false;
		spin_unlock_irqrestore(&rmcp_policy_lock, irq);
		r->value = NULL;
	}
}

/* amdgpu is GOING, or rmcp is unloading. Called with the state mutex held. */
void rmcp_policy_going(void)
{
	rmcp_policy_disarm();
	rmcp_policy_amdgpu = NULL;
	rmcp_policy_late = false;
	rmcp_policy_failed = false;
}

/* amdgpu was there before rmcp: it has read the values for its devices. */
void rmcp_policy_amdgpu_first(void)
{
	rmcp_policy_late = true;
	rmcp_policy_reset();
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
