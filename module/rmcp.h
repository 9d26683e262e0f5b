/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmcp internals shared between the files of the module.
 */
#ifndef RMCP_MODULE_RMCP_H
#define RMCP_MODULE_RMCP_H

#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/types.h>

#include "ids.h"
#include "policy.h"

struct module;
struct pci_dev;

/* params.c: the parsed parameters */
struct rmcp_params {
	bool enable;
	bool apu;
	int noretry;
	int vm_fragment_size;
	struct rmcp_id_list extra_ids;
	struct rmcp_id_list exclude_ids;
};

extern struct rmcp_params rmcp_param;
int rmcp_params_parse(void);
void rmcp_params_live(void);

/* devices.c: the AMD display devices present, matched or not */
struct rmcp_dev {
	struct list_head node;		/* rmcp_devices, RCU */
	struct kobject kobj;		/* devices/<bdf>/ */
	struct pci_dev *pdev;		/* referenced */
	const struct rmcp_id *id;	/* table row, NULL if none */
	enum rmcp_match match;
	bool matched;
	enum rmcp_policy_state policy;
	bool probed;			/* seen in amdgpu_pci_probe() */
	int noretry;			/* values amdgpu read in that probe */
	int vm_fragment_size;
	atomic64_t calls;
	atomic64_t cc_seen;
	atomic64_t cc_rewritten;
	atomic64_t rejected;
};

extern struct list_head rmcp_devices;
int rmcp_devices_scan(void);
void rmcp_devices_free(void);
unsigned int rmcp_devices_matched(void);
struct rmcp_dev *rmcp_devices_find(const struct pci_dev *pdev);

/* hook.c: the kretprobe on gmc_v10_0_get_vm_pte */
extern atomic64_t rmcp_rejected;
int rmcp_hook_arm(char *reason, size_t size);
void rmcp_hook_disarm(void);
bool rmcp_hook_armed(void);
unsigned long rmcp_hook_nmissed(void);
const char *rmcp_hook_abi(void);
const char *rmcp_hook_selftest(void);

/* policy_hook.c: applying the policy inside amdgpu_pci_probe() */
void rmcp_policy_coming(struct module *amdgpu);
void rmcp_policy_going(void);
void rmcp_policy_amdgpu_first(void);

/* main.c: state */
void rmcp_state_changed(void);
const char *rmcp_state(void);
int rmcp_reason(char *buf, size_t size);

/* sysfs.c */
int rmcp_sysfs_init(void);
void rmcp_sysfs_exit(void);
int rmcp_sysfs_add_dev(struct rmcp_dev *d);

#endif /* RMCP_MODULE_RMCP_H */
