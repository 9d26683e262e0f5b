// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp: RDNA Memory Coherency Patch, a companion module for amdgpu.
 *
 * Module init/exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

static int __init rmcp_init(void)
{
	pr_info("version %s loaded\n", RMCP_VERSION);
	return 0;
}

static void __exit rmcp_exit(void)
{
	pr_info("unloaded\n");
}

module_init(rmcp_init);
module_exit(rmcp_exit);

MODULE_DESCRIPTION("gfx10 (RDNA1/RDNA2) MTYPE guard and parameter policy for amdgpu");
MODULE_AUTHOR("rmcp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(RMCP_VERSION);
MODULE_SOFTDEP("post: amdgpu");
