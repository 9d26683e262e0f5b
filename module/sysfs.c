// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: /sys/module/rmcp/status/, one value per file, and the devices/
 * directory the device kobjects (devices.c) live in. The names are the
 * contract in include/rmcp/sysfs.h.
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include <rmcp/sysfs.h>

#include "hook.h"
#include "state.h"
#include "sysfs.h"

static struct kobject *rmcp_status_kobj;
static struct kobject *rmcp_devices_kobj;

static ssize_t rmcp_status_state_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	rmcp_state_refresh();
	return sysfs_emit(buf, "%s\n", rmcp_state());
}

static ssize_t rmcp_status_reason_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	int n;

	rmcp_state_refresh();
	n = rmcp_reason(buf, PAGE_SIZE - 1);
	buf[n++] = '\n';
	return n;
}

static ssize_t rmcp_status_kernel_abi_show(struct kobject *kobj,
					   struct kobj_attribute *attr,
					   char *buf)
{
	return sysfs_emit(buf, "%s\n", rmcp_hook_abi());
}

static ssize_t rmcp_status_selftest_show(struct kobject *kobj,
					 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", rmcp_hook_selftest());
}

static ssize_t rmcp_status_nmissed_show(struct kobject *kobj,
					struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", rmcp_hook_nmissed());
}

static ssize_t rmcp_status_version_show(struct kobject *kobj,
					struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", RMCP_VERSION);
}

static ssize_t rmcp_status_rejected_show(struct kobject *kobj,
					 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&rmcp_rejected));
}

#define RMCP_STATUS_FILE(n)	__ATTR(n, 0444, rmcp_status_##n##_show, NULL),
#define RMCP_DEVICE_FILE(n)
static struct kobj_attribute rmcp_status_attrs[] = {
#include <rmcp/sysfs-files.h>
};

#undef RMCP_STATUS_FILE
#undef RMCP_DEVICE_FILE

/* filled from rmcp_status_attrs[] at init, NULL-terminated */
static struct attribute *rmcp_status_list[ARRAY_SIZE(rmcp_status_attrs) + 1];

static const struct attribute_group rmcp_status_group = {
	.attrs = rmcp_status_list,
};

/**
 * rmcp_sysfs_init() - status/ with its files, and an empty devices/
 *
 * Return: devices/, the parent of the device directories; NULL on failure
 * (nothing left behind).
 */
struct kobject *rmcp_sysfs_init(void)
{
	struct kobject *parent = &THIS_MODULE->mkobj.kobj;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rmcp_status_attrs); i++)
		rmcp_status_list[i] = &rmcp_status_attrs[i].attr;
	rmcp_status_kobj = kobject_create_and_add(RMCP_SYSFS_STATUS, parent);
	if (!rmcp_status_kobj)
		return NULL;
	if (sysfs_create_group(rmcp_status_kobj, &rmcp_status_group))
		goto err_status;
	rmcp_devices_kobj = kobject_create_and_add(RMCP_SYSFS_DEVICES, parent);
	if (!rmcp_devices_kobj)
		goto err_status;
	return rmcp_devices_kobj;

err_status:
	kobject_put(rmcp_status_kobj);
	rmcp_status_kobj = NULL;
	return NULL;
}

/* After rmcp_devices_free(): the device directories are gone already. */
void rmcp_sysfs_exit(void)
{
	kobject_put(rmcp_devices_kobj);
	kobject_put(rmcp_status_kobj);
}
