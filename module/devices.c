// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD display devices rmcp knows, each with its match decision,
 * counters and directory devices/<bdf>/ (the device type, its attributes
 * and its release live here). The list is built at load and follows PCI
 * hotplug (main.c's bus notifier): a device added later joins it, a
 * removed one leaves it. It changes only under the state mutex and is read
 * under RCU by the hooks; a removed device is freed after a grace period,
 * the others once every probe and notifier is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/pci.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <rmcp/sysfs.h>

#include "devices.h"
#include "params.h"

LIST_HEAD(rmcp_devices);
static struct kobject *rmcp_devices_dir;	/* devices/ */
/* devices not yet released; rmcp_devices_free() waits for none */
static atomic_t rmcp_devices_live = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(rmcp_devices_released);

static struct rmcp_dev *to_rmcp_dev(struct kobject *kobj)
{
	return container_of(kobj, struct rmcp_dev, kobj);
}

static ssize_t rmcp_dev_pci_id_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	struct pci_dev *pdev = to_rmcp_dev(kobj)->pdev;

	return sysfs_emit(buf, "%04x:%04x\n", pdev->vendor, pdev->device);
}

static ssize_t rmcp_dev_family_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	const struct rmcp_id *id = to_rmcp_dev(kobj)->id;

	if (!id)
		return sysfs_emit(buf, "unknown\n");
	return sysfs_emit(buf, "RDNA%u %s GC %u.%u.%u %s\n", id->rdna, id->chip,
			  id->gc_major, id->gc_minor, id->gc_rev,
			  id->kind == RMCP_KIND_APU ? "APU" : "dGPU");
}

static ssize_t rmcp_dev_gfx_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	const struct rmcp_id *id = to_rmcp_dev(kobj)->id;

	return sysfs_emit(buf, "%s\n", id ? id->gfx : "unknown");
}

static ssize_t rmcp_dev_matched_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", rmcp_match_name(to_rmcp_dev(kobj)->match));
}

static ssize_t rmcp_dev_policy_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  rmcp_policy_name(READ_ONCE(to_rmcp_dev(kobj)->policy)));
}

static ssize_t rmcp_dev_noretry_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	struct rmcp_dev *d = to_rmcp_dev(kobj);

	if (!READ_ONCE(d->probed))
		return sysfs_emit(buf, RMCP_VALUE_UNKNOWN "\n");
	return sysfs_emit(buf, "%d\n", READ_ONCE(d->noretry));
}

static ssize_t rmcp_dev_vm_fragment_size_show(struct kobject *kobj,
					      struct kobj_attribute *attr,
					      char *buf)
{
	struct rmcp_dev *d = to_rmcp_dev(kobj);

	if (!READ_ONCE(d->probed))
		return sysfs_emit(buf, RMCP_VALUE_UNKNOWN "\n");
	return sysfs_emit(buf, "%d\n", READ_ONCE(d->vm_fragment_size));
}

static ssize_t rmcp_dev_count(atomic64_t *v, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(v));
}

static ssize_t rmcp_dev_calls_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return rmcp_dev_count(&to_rmcp_dev(kobj)->calls, buf);
}

static ssize_t rmcp_dev_cc_seen_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return rmcp_dev_count(&to_rmcp_dev(kobj)->cc_seen, buf);
}

static ssize_t rmcp_dev_cc_rewritten_show(struct kobject *kobj,
					  struct kobj_attribute *attr,
					  char *buf)
{
	return rmcp_dev_count(&to_rmcp_dev(kobj)->cc_rewritten, buf);
}

static ssize_t rmcp_dev_rejected_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	return rmcp_dev_count(&to_rmcp_dev(kobj)->rejected, buf);
}

#define RMCP_STATUS_FILE(n)
#define RMCP_DEVICE_FILE(n)	__ATTR(n, 0444, rmcp_dev_##n##_show, NULL),
static struct kobj_attribute rmcp_dev_kattrs[] = {
#include <rmcp/sysfs-files.h>
};

#undef RMCP_STATUS_FILE
#undef RMCP_DEVICE_FILE

/* filled from rmcp_dev_kattrs[] before the first device, NULL-terminated */
static struct attribute *rmcp_dev_attrs[ARRAY_SIZE(rmcp_dev_kattrs) + 1];
ATTRIBUTE_GROUPS(rmcp_dev);

static void rmcp_dev_release(struct kobject *kobj)
{
	struct rmcp_dev *d = to_rmcp_dev(kobj);

	pci_dev_put(d->pdev);
	kfree(d);
	if (atomic_dec_and_test(&rmcp_devices_live))
		wake_up(&rmcp_devices_released);
}

/* const where kobject_init_and_add() takes it so (Kbuild: RMCP_KTYPE_CONST) */
static RMCP_KTYPE_CONST struct kobj_type rmcp_dev_ktype = {
	.release = rmcp_dev_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = rmcp_dev_groups,
};

/* AMD display-class devices, and any AMD device the user named. */
static bool rmcp_dev_listed(struct pci_dev *pdev, enum rmcp_match m)
{
	if (pdev->vendor != RMCP_PCI_VENDOR_AMD)
		return m == RMCP_M_EXTRA || m == RMCP_M_EXCLUDED;
	return (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY || m != RMCP_M_NONE;
}

/* Under the state mutex: the list cannot change meanwhile. */
static struct rmcp_dev *rmcp_devices_find_locked(const struct pci_dev *pdev)
{
	struct rmcp_dev *d;

	list_for_each_entry(d, &rmcp_devices, node)
		if (d->pdev == pdev)
			return d;
	return NULL;
}

/**
 * rmcp_devices_init() - where the device directories go
 * @parent: devices/
 */
void rmcp_devices_init(struct kobject *parent)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rmcp_dev_kattrs); i++)
		rmcp_dev_attrs[i] = &rmcp_dev_kattrs[i].attr;
	rmcp_devices_dir = parent;
}

/**
 * rmcp_devices_add() - add @pdev, with its directory, if listed and new
 * @pdev: a PCI device rmcp may not know yet
 *
 * The new device is visible to the hooks only once its directory exists.
 * Its policy state is the one of a device amdgpu has not seen; the caller
 * corrects it (policy_hook.c). Caller holds the state mutex.
 *
 * Return: the new device; NULL if @pdev is not listed or known already;
 * ERR_PTR(-errno) if it could not be added.
 */
struct rmcp_dev *rmcp_devices_add(struct pci_dev *pdev)
{
	struct rmcp_dev *d;
	enum rmcp_match m;
	int ret;

	m = rmcp_match_device(pdev->vendor, pdev->device,
			      &rmcp_param.extra_ids, &rmcp_param.exclude_ids,
			      rmcp_param.apu);
	if (!rmcp_dev_listed(pdev, m) || rmcp_devices_find_locked(pdev))
		return NULL;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	atomic_inc(&rmcp_devices_live);
	d->pdev = pci_dev_get(pdev);
	d->id = rmcp_id_lookup(pdev->vendor, pdev->device);
	d->match = m;
	d->matched = rmcp_match_is_matched(m);
	d->policy = rmcp_policy_decide(d->matched, false, rmcp_param.noretry,
				       rmcp_param.vm_fragment_size);
	/* from here the kobject's release frees d, also on failure */
	ret = kobject_init_and_add(&d->kobj, &rmcp_dev_ktype, rmcp_devices_dir,
				   "%s", pci_name(pdev));
	if (ret) {
		kobject_put(&d->kobj);
		return ERR_PTR(ret);
	}
	list_add_tail_rcu(&d->node, &rmcp_devices);
	return d;
}

/**
 * rmcp_devices_remove() - drop @pdev and its directory, if rmcp knows it
 * @pdev: a PCI device the PCI core has removed
 *
 * Waits until no hook can still look at it (RCU). Caller holds the state
 * mutex.
 *
 * Return: 1 if a matched device went, 0 an unmatched one, -ENOENT if rmcp
 * did not know @pdev.
 */
int rmcp_devices_remove(struct pci_dev *pdev)
{
	struct rmcp_dev *d = rmcp_devices_find_locked(pdev);
	bool matched;

	if (!d)
		return -ENOENT;
	matched = d->matched;
	list_del_rcu(&d->node);
	/*
	 * The directory goes now, whenever the release runs (it may be
	 * delayed): a rescan adds the same name again at once.
	 */
	kobject_del(&d->kobj);
	synchronize_rcu();
	/* the kobject's release drops the pci_dev and frees d */
	kobject_put(&d->kobj);
	return matched;
}

/**
 * rmcp_devices_scan() - add the devices present now
 * @added: called for each device added, may be NULL
 *
 * Caller holds the state mutex.
 *
 * Return: 0 or -errno; on error the caller frees with rmcp_devices_free().
 */
int rmcp_devices_scan(void (*added)(struct rmcp_dev *d))
{
	struct pci_dev *pdev = NULL;
	struct rmcp_dev *d;

	for_each_pci_dev(pdev) {
		d = rmcp_devices_add(pdev);
		if (IS_ERR(d)) {
			pci_dev_put(pdev);
			return PTR_ERR(d);
		}
		if (d && added)
			added(d);
	}
	return 0;
}

/* One line per device rmcp starts to know; @how: "" or " (added)". */
void rmcp_devices_log(const struct rmcp_dev *d, const char *how)
{
	pr_info("%s %04x:%04x %s%s%s\n", pci_name(d->pdev), d->pdev->vendor,
		d->pdev->device, d->matched ? "matched: " : "not matched: ",
		rmcp_match_name(d->match), how);
}

/*
 * Called with no hook or notifier left that could look at the list.
 * Returns once every device's release has run: it is rmcp's code, and
 * with CONFIG_DEBUG_KOBJECT_RELEASE it runs seconds after the last put,
 * also for a device removed earlier.
 */
void rmcp_devices_free(void)
{
	struct rmcp_dev *d, *tmp;

	synchronize_rcu();
	list_for_each_entry_safe(d, tmp, &rmcp_devices, node) {
		list_del(&d->node);
		/* the kobject's release drops the pci_dev and frees d */
		kobject_put(&d->kobj);
	}
	wait_event(rmcp_devices_released, !atomic_read(&rmcp_devices_live));
}

unsigned int rmcp_devices_matched(void)
{
	struct rmcp_dev *d;
	unsigned int n = 0;

	list_for_each_entry(d, &rmcp_devices, node)
		n += d->matched;
	return n;
}
