// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/module/rmcp/status/ and /sys/module/rmcp/devices/<bdf>/, one
 * value per file; the names are the contract in include/rmcp/sysfs.h.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <rmcp/sysfs.h>

#include "rmcp.h"

static struct kobject *rmcp_status_kobj;
static struct kobject *rmcp_devices_kobj;

/* status/ */

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", rmcp_state());
}

static ssize_t reason_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	int n = rmcp_reason(buf, PAGE_SIZE - 1);

	buf[n++] = '\n';
	return n;
}

static ssize_t kernel_abi_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", rmcp_hook_abi());
}

static ssize_t selftest_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", rmcp_hook_selftest());
}

static ssize_t nmissed_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%lu\n", rmcp_hook_nmissed());
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", RMCP_VERSION);
}

static ssize_t status_rejected_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(&rmcp_rejected));
}

static struct kobj_attribute rmcp_status_attrs[] = {
	__ATTR_RO(state),
	__ATTR_RO(reason),
	__ATTR_RO(kernel_abi),
	__ATTR_RO(selftest),
	__ATTR_RO(nmissed),
	__ATTR_RO(version),
	__ATTR(rejected, 0444, status_rejected_show, NULL),	/* RMCP_S_REJECTED */
};

static struct attribute *rmcp_status_list[] = {
	&rmcp_status_attrs[0].attr,
	&rmcp_status_attrs[1].attr,
	&rmcp_status_attrs[2].attr,
	&rmcp_status_attrs[3].attr,
	&rmcp_status_attrs[4].attr,
	&rmcp_status_attrs[5].attr,
	&rmcp_status_attrs[6].attr,
	NULL,
};

static const struct attribute_group rmcp_status_group = {
	.attrs = rmcp_status_list,
};

/* devices/<bdf>/ */

static struct rmcp_dev *to_rmcp_dev(struct kobject *kobj)
{
	return container_of(kobj, struct rmcp_dev, kobj);
}

static ssize_t pci_id_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct pci_dev *pdev = to_rmcp_dev(kobj)->pdev;

	return sysfs_emit(buf, "%04x:%04x\n", pdev->vendor, pdev->device);
}

static ssize_t family_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	const struct rmcp_id *id = to_rmcp_dev(kobj)->id;

	if (!id)
		return sysfs_emit(buf, "unknown\n");
	return sysfs_emit(buf, "RDNA%u %s GC %u.%u.%u %s\n", id->rdna, id->chip,
			  id->gc_major, id->gc_minor, id->gc_rev,
			  id->kind == RMCP_KIND_APU ? "APU" : "dGPU");
}

static ssize_t gfx_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	const struct rmcp_id *id = to_rmcp_dev(kobj)->id;

	return sysfs_emit(buf, "%s\n", id ? id->gfx : "unknown");
}

static ssize_t matched_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", rmcp_match_name(to_rmcp_dev(kobj)->match));
}

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  rmcp_policy_name(READ_ONCE(to_rmcp_dev(kobj)->policy)));
}

static ssize_t dev_noretry_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct rmcp_dev *d = to_rmcp_dev(kobj);

	if (!READ_ONCE(d->probed))
		return sysfs_emit(buf, "unknown\n");
	return sysfs_emit(buf, "%d\n", READ_ONCE(d->noretry));
}

static ssize_t dev_vm_fragment_size_show(struct kobject *kobj,
					 struct kobj_attribute *attr, char *buf)
{
	struct rmcp_dev *d = to_rmcp_dev(kobj);

	if (!READ_ONCE(d->probed))
		return sysfs_emit(buf, "unknown\n");
	return sysfs_emit(buf, "%d\n", READ_ONCE(d->vm_fragment_size));
}

static ssize_t rmcp_counter_show(atomic64_t *v, char *buf)
{
	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(v));
}

static ssize_t calls_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return rmcp_counter_show(&to_rmcp_dev(kobj)->calls, buf);
}

static ssize_t cc_seen_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return rmcp_counter_show(&to_rmcp_dev(kobj)->cc_seen, buf);
}

static ssize_t cc_rewritten_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return rmcp_counter_show(&to_rmcp_dev(kobj)->cc_rewritten, buf);
}

static ssize_t rejected_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return rmcp_counter_show(&to_rmcp_dev(kobj)->rejected, buf);
}

static struct kobj_attribute rmcp_dev_kattrs[] = {
	__ATTR_RO(pci_id),
	__ATTR_RO(family),
	__ATTR_RO(gfx),
	__ATTR_RO(matched),
	__ATTR_RO(policy),
	__ATTR(noretry, 0444, dev_noretry_show, NULL),
	__ATTR(vm_fragment_size, 0444, dev_vm_fragment_size_show, NULL),
	__ATTR_RO(calls),
	__ATTR_RO(cc_seen),
	__ATTR_RO(cc_rewritten),
	__ATTR_RO(rejected),
};

static struct attribute *rmcp_dev_attrs[] = {
	&rmcp_dev_kattrs[0].attr,
	&rmcp_dev_kattrs[1].attr,
	&rmcp_dev_kattrs[2].attr,
	&rmcp_dev_kattrs[3].attr,
	&rmcp_dev_kattrs[4].attr,
	&rmcp_dev_kattrs[5].attr,
	&rmcp_dev_kattrs[6].attr,
	&rmcp_dev_kattrs[7].attr,
	&rmcp_dev_kattrs[8].attr,
	&rmcp_dev_kattrs[9].attr,
	&rmcp_dev_kattrs[10].attr,
	NULL,
};
ATTRIBUTE_GROUPS(rmcp_dev);

static void rmcp_dev_release(struct kobject *kobj)
{
	struct rmcp_dev *d = to_rmcp_dev(kobj);

	pci_dev_put(d->pdev);
	kfree(d);
}

static const struct kobj_type rmcp_dev_ktype = {
	.release = rmcp_dev_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = rmcp_dev_groups,
};

/* @d is freed by the final kobject_put(), also when this fails. */
int rmcp_sysfs_add_dev(struct rmcp_dev *d)
{
	return kobject_init_and_add(&d->kobj, &rmcp_dev_ktype,
				    rmcp_devices_kobj, "%s", pci_name(d->pdev));
}

int rmcp_sysfs_init(void)
{
	struct kobject *parent = &THIS_MODULE->mkobj.kobj;
	int ret;

	rmcp_status_kobj = kobject_create_and_add(RMCP_SYSFS_STATUS, parent);
	if (!rmcp_status_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(rmcp_status_kobj, &rmcp_status_group);
	if (ret)
		goto err_status;
	rmcp_devices_kobj = kobject_create_and_add(RMCP_SYSFS_DEVICES, parent);
	if (!rmcp_devices_kobj) {
		ret = -ENOMEM;
		goto err_status;
	}
	return 0;

err_status:
	kobject_put(rmcp_status_kobj);
	rmcp_status_kobj = NULL;
	return ret;
}

/* After rmcp_devices_free(): the device directories are gone already. */
void rmcp_sysfs_exit(void)
{
	kobject_put(rmcp_devices_kobj);
	kobject_put(rmcp_status_kobj);
}
