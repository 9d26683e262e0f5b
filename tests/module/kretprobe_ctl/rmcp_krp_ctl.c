// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp_krp_ctl: a tests-only negative control for the unload_under_load
 * scenario. It does what rmcp's hook does to the kernel and nothing else: a
 * kretprobe with empty handlers on gmc_v10_0_get_vm_pte, registered at load
 * and unregistered at unload. If removing this module while the function is
 * hammered fails the same way as removing rmcp, the fault is not rmcp's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/module.h>

static int krp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

static int krp_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

static struct kretprobe krp = {
	.kp.symbol_name = "gmc_v10_0_get_vm_pte",
	.entry_handler = krp_entry,
	.handler = krp_return,
	.maxactive = 64,
};

static int __init krp_init(void)
{
	int ret = register_kretprobe(&krp);

	if (ret)
		pr_err("register_kretprobe: %d\n", ret);
	else
		pr_info("kretprobe at %pS\n", krp.kp.addr);
	return ret;
}

static void __exit krp_exit(void)
{
	unregister_kretprobe(&krp);
	pr_info("unregistered, nmissed %d\n", krp.nmissed);
}

module_init(krp_init);
module_exit(krp_exit);
MODULE_DESCRIPTION("rmcp tests only: a bare kretprobe on gmc_v10_0_get_vm_pte");
MODULE_LICENSE("GPL");
