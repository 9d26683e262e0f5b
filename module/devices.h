/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AMD display devices rmcp knows, matched or not, each a kobject
 * (devices/<bdf>/) with its counters (devices.c): those present at load
 * and those the PCI core added since. The list changes only under the
 * state mutex (state.h); the hooks read it under RCU.
 */
#ifndef RMCP_MODULE_DEVICES_H
#define RMCP_MODULE_DEVICES_H

#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/rculist.h>
#include <linux/types.h>

#include "ids.h"
#include "policy.h"

struct pci_dev;

struct rmcp_dev {
	struct list_head node;		/* rmcp_devices, RCU */
	struct kobject kobj;		/* devices/<bdf>/ */
	struct pci_dev *pdev;		/* referenced */
	const struct rmcp_id *id;	/* table row, NULL if none */
	enum rmcp_match match;
	bool matched;
	enum rmcp_policy_state policy;
	bool probed;			/* amdgpu read its parameters for it */
	int noretry;			/* the values it read, latest */
	int vm_fragment_size;
	u8 read_seen, read_ok;		/* policy_hook.c, under its lock */
	atomic64_t calls;		/* requests seen for this device */
	atomic64_t cc_seen;		/* ... that asked for CC */
	atomic64_t cc_rewritten;	/* ... turned into NC */
	atomic64_t rejected;		/* calls the device check turned away */
};

extern struct list_head rmcp_devices;

void rmcp_devices_init(struct kobject *parent);
struct rmcp_dev *rmcp_devices_add(struct pci_dev *pdev);
int rmcp_devices_remove(struct pci_dev *pdev);
int rmcp_devices_scan(void (*added)(struct rmcp_dev *d));
void rmcp_devices_log(const struct rmcp_dev *d, const char *how);
void rmcp_devices_free(void);
unsigned int rmcp_devices_matched(void);

/*
 * The device of @pdev, or NULL. Under rcu_read_lock() or with preemption
 * off; never dereferences @pdev. Inline: the MTYPE hook's handler runs it
 * on every request.
 */
static __always_inline struct rmcp_dev *
rmcp_devices_find(const struct pci_dev *pdev)
{
	struct rmcp_dev *d;

	list_for_each_entry_rcu(d, &rmcp_devices, node)
		if (d->pdev == pdev)
			return d;
	return NULL;
}

#endif /* RMCP_MODULE_DEVICES_H */
