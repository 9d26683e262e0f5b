// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp_debug_bad: the negative control of the debug kernel's splat detector
 * (tests/debug/run). Loading it leaks kzalloc'd objects (kmemleak must
 * report them after a scan) and reads an object after freeing it (KASAN must
 * report it). Tests only; it is never built into anything shipped.
 *
 * Parameters: leak=0 or uaf=0 turns that bug off.
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static bool leak = true;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "leak 32 kzalloc'd objects on load (default: on)");

static bool uaf = true;
module_param(uaf, bool, 0444);
MODULE_PARM_DESC(uaf, "read a kmalloc'd object after kfree() on load (default: on)");

#define RMCP_BAD_LEAK_SIZE 8192
#define RMCP_BAD_LEAK_COUNT 32
#define RMCP_BAD_UAF_SIZE 64

/*
 * 8 KiB objects: kmemleak reported none of 32 leaked 200-byte objects on
 * 7.2.13-rmcp-debug (3 runs, kmalloc and kzalloc alike, cause not found:
 * something it scans still points into those small slabs), and 24 of 32
 * of these. kzalloc, so that no stale next-free pointer of SLUB's is left
 * in an object to reference another. A stale copy of a pointer (a cached
 * stack, a saved register) can still hide a few.
 */
static noinline void rmcp_debug_bad_leak(void)
{
	int i, n = 0;

	for (i = 0; i < RMCP_BAD_LEAK_COUNT; i++) {
		char *p = kzalloc(RMCP_BAD_LEAK_SIZE, GFP_KERNEL);

		if (!p)
			continue;
		/* Recognisable in kmemleak's hex dump. */
		strscpy(p, "rmcp_debug_bad leak", RMCP_BAD_LEAK_SIZE);
		/* The only reference dies with this iteration. */
		OPTIMIZER_HIDE_VAR(p);
		n++;
	}
	pr_info("rmcp_debug_bad: leaked %d objects of %d bytes\n", n, RMCP_BAD_LEAK_SIZE);
}

static noinline void rmcp_debug_bad_uaf(void)
{
	char *p = kmalloc(RMCP_BAD_UAF_SIZE, GFP_KERNEL);

	if (!p)
		return;
	memset(p, 0x5a, RMCP_BAD_UAF_SIZE);
	kfree(p);
	/* Keep the compiler from seeing (and warning about) the bug. */
	OPTIMIZER_HIDE_VAR(p);
	pr_info("rmcp_debug_bad: read after free: %#x\n", READ_ONCE(p[8]) & 0xff);
}

static int __init rmcp_debug_bad_init(void)
{
	if (leak)
		rmcp_debug_bad_leak();
	if (uaf)
		rmcp_debug_bad_uaf();
	return 0;
}

static void __exit rmcp_debug_bad_exit(void)
{
}

module_init(rmcp_debug_bad_init);
module_exit(rmcp_debug_bad_exit);
MODULE_DESCRIPTION("rmcp debug kernel negative control: a leak and a use-after-free");
MODULE_LICENSE("GPL");
