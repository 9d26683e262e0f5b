/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/module/rmcp/status/ and the devices/ directory (sysfs.c).
 */
#ifndef RMCP_MODULE_SYSFS_H
#define RMCP_MODULE_SYSFS_H

struct kobject;

struct kobject *rmcp_sysfs_init(void);
void rmcp_sysfs_exit(void);

#endif /* RMCP_MODULE_SYSFS_H */
