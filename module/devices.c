// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD display devices present at load, each with its match decision and
 * counters. The list is built once at load and read under RCU by the hooks;
 * it is torn down only after every probe is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pci.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "rmcp.h"

LIST_HEAD(rmcp_devices);

/* AMD display-class devices, and any AMD device the user named. */
static bool rmcp_dev_listed(struct pci_dev *pdev, enum rmcp_match m)
{
	if (pdev->vendor != RMCP_PCI_VENDOR_AMD)
		return m == RMCP_M_EXTRA || m == RMCP_M_EXCLUDED;
	return (pdev->class >> 16) == PCI_BASE_CLASS_DISPLAY || m != RMCP_M_NONE;
}

/**
 * rmcp_devices_scan() - build the device list and its sysfs directories
 *
 * Return: 0 or -errno; on error the caller frees with rmcp_devices_free().
 */
int rmcp_devices_scan(void)
{
	struct pci_dev *pdev = NULL;
	struct rmcp_dev *d;
	enum rmcp_match m;
	int ret;

	for_each_pci_dev(pdev) {
		m = rmcp_match_device(pdev->vendor, pdev->device,
				      &rmcp_param.extra_ids,
				      &rmcp_param.exclude_ids, rmcp_param.apu);
		if (!rmcp_dev_listed(pdev, m))
			continue;
		d = kzalloc(sizeof(*d), GFP_KERNEL);
		if (!d) {
			pci_dev_put(pdev);
			return -ENOMEM;
		}
		d->pdev = pci_dev_get(pdev);
		d->id = rmcp_id_lookup(pdev->vendor, pdev->device);
		d->match = m;
		d->matched = rmcp_match_is_matched(m);
		d->policy = rmcp_policy_decide(d->matched, false,
					       rmcp_param.noretry,
					       rmcp_param.vm_fragment_size);
		list_add_tail_rcu(&d->node, &rmcp_devices);
		ret = rmcp_sysfs_add_dev(d);
		if (ret) {
			pci_dev_put(pdev);
			return ret;
		}
		pr_info("%s %04x:%04x %s%s\n", pci_name(pdev), pdev->vendor,
			pdev->device, d->matched ? "matched: " : "not matched: ",
			rmcp_match_name(m));
	}
	return 0;
}

/* Called with no hook left that could read the list. */
void rmcp_devices_free(void)
{
	struct rmcp_dev *d, *tmp;

	synchronize_rcu();
	list_for_each_entry_safe(d, tmp, &rmcp_devices, node) {
		list_del(&d->node);
		/* the kobject's release drops the pci_dev and frees d */
		kobject_put(&d->kobj);
	}
}

unsigned int rmcp_devices_matched(void)
{
	struct rmcp_dev *d;
	unsigned int n = 0;

	list_for_each_entry(d, &rmcp_devices, node)
		n += d->matched;
	return n;
}

/* Under rcu_read_lock() or with preemption off; never dereferences @pdev. */
struct rmcp_dev *rmcp_devices_find(const struct pci_dev *pdev)
{
	struct rmcp_dev *d;

	list_for_each_entry_rcu(d, &rmcp_devices, node)
		if (d->pdev == pdev)
			return d;
	return NULL;
}
