// SPDX-License-Identifier: GPL-2.0
/*
 * The hook: a kretprobe on amdgpu's gmc_v10_0_get_vm_pte(). The entry
 * handler saves adev and the u64 *flags out-pointer, the return handler
 * applies the MTYPE rule (rewrite.c) to *flags, for matched devices only.
 *
 * Which argument holds the out-pointer depends on the kernel; the row of
 * rmcp_abis[] is picked at build time. Before reporting "armed", an arm-time
 * self-test calls the real function once through the armed probe and checks
 * that a CC request comes back NC with every other bit untouched.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/sched/task_stack.h>
#include <linux/string.h>
#include <linux/version.h>
#include <rmcp/sysfs.h>

#include "adev.h"
#include "rewrite.h"
#include "rmcp.h"

#define RMCP_HOOK_SYMBOL	"gmc_v10_0_get_vm_pte"

/* A PTE as amdgpu_vm_bo_update() hands it in: VALID|SYSTEM|SNOOPED|R|W, UC */
#define RMCP_SELFTEST_PTE_IN	(0x0003000000000067ULL | BIT_ULL(53))
/* 6.1..6.17: struct amdgpu_bo_va_mapping, flags (hardware bits) at 0x50 */
#define RMCP_MAPPING_FLAGS_OFF	0x50
/* 6.18+: uapi AMDGPU_VM_MTYPE_CC | AMDGPU_VM_PAGE_READABLE */
#define RMCP_VM_MTYPE_CC	(3U << 5)
#define RMCP_VM_PAGE_READABLE	BIT(1)

typedef void (*rmcp_pte_fn3)(void *adev, void *mapping, u64 *flags);
typedef void (*rmcp_pte_fn5)(void *adev, void *vm, void *bo, u32 vm_flags,
			     u64 *flags);

struct rmcp_abi {
	unsigned int since;		/* LINUX_VERSION_CODE */
	const char *name;		/* status/kernel_abi */
	unsigned int flags_arg;		/* 0-based argument of u64 *flags */
	void (*selftest_call)(unsigned long fn, u64 *flags);
};

/* The self-test's adev: the hook recognises it by address, never a device. */
static struct rmcp_adev_head rmcp_selftest_adev;

static void rmcp_call_3(unsigned long fn, u64 *flags)
{
	u64 bo_va[4] = { 0 };	/* bo_va->base.bo == NULL (6.12 reads it) */
	u64 mapping[16] = { 0 };

	mapping[0] = (unsigned long)bo_va;
	mapping[RMCP_MAPPING_FLAGS_OFF / 8] =
		(u64)RMCP_MTYPE_CC << RMCP_MTYPE_SHIFT;
	((rmcp_pte_fn3)fn)(&rmcp_selftest_adev, mapping, flags);
}

static void rmcp_call_5(unsigned long fn, u64 *flags)
{
	((rmcp_pte_fn5)fn)(&rmcp_selftest_adev, NULL, NULL,
			   RMCP_VM_MTYPE_CC | RMCP_VM_PAGE_READABLE, flags);
}

static const struct rmcp_abi rmcp_abis[] = {
	{ KERNEL_VERSION(6, 1, 0),
	  "6.1-6.17 get_vm_pte(adev, mapping, flags): flags=arg3", 2,
	  rmcp_call_3 },
	/* upstream "rework how PTE flags are generated v3" */
	{ KERNEL_VERSION(6, 18, 0),
	  "6.18+ get_vm_pte(adev, vm, bo, vm_flags, flags): flags=arg5", 4,
	  rmcp_call_5 },
};

/*
 * The row for the kernel built against: RMCP_KVER is LINUX_VERSION_CODE
 * without the sublevel, from the kernel Makefile's VERSION and PATCHLEVEL
 * (see Kbuild).
 */
#define RMCP_KVER	KERNEL_VERSION(RMCP_KVER_MAJOR, RMCP_KVER_MINOR, 0)

#if KERNEL_VERSION(6, 18, 0) <= RMCP_KVER
static const struct rmcp_abi *const rmcp_abi = &rmcp_abis[1];
#elif KERNEL_VERSION(6, 1, 0) <= RMCP_KVER
static const struct rmcp_abi *const rmcp_abi = &rmcp_abis[0];
#else
static const struct rmcp_abi *const rmcp_abi;	/* refuses to arm */
#endif

/* The kernels the rows were verified on: 6.1, 6.12, 7.2. */
static bool rmcp_kernel_tested(void)
{
	switch (RMCP_KVER) {
	case KERNEL_VERSION(6, 1, 0):
	case KERNEL_VERSION(6, 12, 0):
	case KERNEL_VERSION(7, 2, 0):
		return true;
	default:
		return false;
	}
}

struct rmcp_call {
	void *adev;
	u64 *flags;
};

static struct kretprobe rmcp_rp;
static bool rmcp_armed;
static unsigned long rmcp_nmissed_before;	/* of earlier arms */
static const char *rmcp_selftest_result = RMCP_SELFTEST_NOT_RUN;
atomic64_t rmcp_rejected = ATOMIC64_INIT(0);

/* Self-test observation, written by the return handler. */
static bool rmcp_st_seen;
static u64 rmcp_st_before;

static int rmcp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct rmcp_call *c = (struct rmcp_call *)ri->data;

	c->adev = (void *)regs_get_kernel_argument(regs, 0);
	c->flags = (u64 *)regs_get_kernel_argument(regs, rmcp_abi->flags_arg);
	return 0;
}

/* Every caller passes a local: anything else is not written. */
static bool rmcp_on_stack(const u64 *p)
{
	return object_is_on_stack(p) && object_is_on_stack((const u8 *)p + 7);
}

static int rmcp_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct rmcp_call *c = (struct rmcp_call *)ri->data;
	struct rmcp_adev_head head;
	struct rmcp_dev *d;
	bool cc;
	u64 pte;

	if (c->adev == &rmcp_selftest_adev) {
		if (!rmcp_on_stack(c->flags))
			return 0;
		WRITE_ONCE(rmcp_st_before, *c->flags);
		WRITE_ONCE(rmcp_st_seen, true);
		*c->flags = rmcp_rewrite_pte(*c->flags);
		return 0;
	}

	rcu_read_lock();
	d = NULL;
	if (!rmcp_adev_read(c->adev, &head))
		d = rmcp_devices_find(head.pdev);
	if (!d || !rmcp_adev_is(&head, d->pdev)) {
		if (d)
			atomic64_inc(&d->rejected);
		goto rejected;
	}
	atomic64_inc(&d->calls);
	if (!rmcp_on_stack(c->flags))
		goto rejected_dev;
	pte = *c->flags;
	cc = rmcp_pte_mtype(pte) == RMCP_MTYPE_CC;
	if (cc)
		atomic64_inc(&d->cc_seen);
	if (!d->matched)
		goto rejected_dev;
	if (cc && READ_ONCE(rmcp_param.enable)) {
		*c->flags = rmcp_rewrite_pte(pte);
		atomic64_inc(&d->cc_rewritten);
	}
	goto out;

rejected_dev:
	atomic64_inc(&d->rejected);
rejected:
	atomic64_inc(&rmcp_rejected);
out:
	rcu_read_unlock();
	return 0;
}

/* The start of the probed function: kp.addr minus its offset (+4 on IBT). */
static unsigned long rmcp_func_start(unsigned long addr, char *sym,
				     size_t size)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off;
	char *plus, *slash;

	sprint_symbol(buf, addr);
	strscpy(sym, buf, size);
	if (strncmp(buf, RMCP_HOOK_SYMBOL "+", sizeof(RMCP_HOOK_SYMBOL)) ||
	    !strstr(buf, "[amdgpu]"))
		return 0;
	plus = buf + sizeof(RMCP_HOOK_SYMBOL) - 1;
	slash = strchr(plus, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	if (kstrtoul(plus + 1, 0, &off) || off > 16)
		return 0;
	return addr - off;
}

static int rmcp_selftest(char *reason, size_t size)
{
	char sym[KSYM_SYMBOL_LEN];
	unsigned long fn;
	u64 flags = RMCP_SELFTEST_PTE_IN, want;

	fn = rmcp_func_start((unsigned long)rmcp_rp.kp.addr, sym, sizeof(sym));
	if (!fn) {
		snprintf(reason, size, "self-test failed: probe is at %s", sym);
		return -EINVAL;
	}
	WRITE_ONCE(rmcp_st_seen, false);
	rmcp_abi->selftest_call(fn, &flags);
	if (!READ_ONCE(rmcp_st_seen)) {
		snprintf(reason, size,
			 "self-test failed: the probe did not see the call (got 0x%016llx)",
			 flags);
		return -EINVAL;
	}
	want = rmcp_st_before & ~RMCP_MTYPE_MASK;
	if (rmcp_pte_mtype(rmcp_st_before) != RMCP_MTYPE_CC || flags != want) {
		snprintf(reason, size,
			 "self-test failed: CC request gave 0x%016llx (MTYPE %u) before and 0x%016llx (MTYPE %u) after the rule, expected MTYPE 2 then 0x%016llx",
			 rmcp_st_before, rmcp_pte_mtype(rmcp_st_before), flags,
			 rmcp_pte_mtype(flags), want);
		return -EINVAL;
	}
	pr_info("self-test passed at %s: CC request 0x%016llx -> 0x%016llx\n",
		sym, rmcp_st_before, flags);
	return 0;
}

/**
 * rmcp_hook_arm() - register the kretprobe and prove it with the self-test
 * @reason: why not, or a note on success
 * @size: size of @reason
 *
 * Return: 0 when armed; -ENOENT if amdgpu is not loaded; other -errno when
 * rmcp refuses (@reason says why). Caller holds the state mutex.
 */
int rmcp_hook_arm(char *reason, size_t size)
{
	int ret;

	if (rmcp_armed)
		return 0;
	if (!rmcp_abi) {
		snprintf(reason, size,
			 "kernel %u.%u older than the oldest known get_vm_pte layout (6.1)",
			 RMCP_KVER_MAJOR, RMCP_KVER_MINOR);
		return -EOPNOTSUPP;
	}
	memset(&rmcp_rp, 0, sizeof(rmcp_rp));
	rmcp_rp.kp.symbol_name = RMCP_HOOK_SYMBOL;
	rmcp_rp.entry_handler = rmcp_entry;
	rmcp_rp.handler = rmcp_return;
	rmcp_rp.data_size = sizeof(struct rmcp_call);
	/* every CPU can be in amdgpu_vm_bo_update() at once, some nested */
	rmcp_rp.maxactive = max_t(int, 64, 8 * num_possible_cpus());
	ret = register_kretprobe(&rmcp_rp);
	if (ret == -ENOENT || ret == -EINVAL) {
		snprintf(reason, size, "amdgpu is not loaded");
		return -ENOENT;
	}
	if (ret) {
		snprintf(reason, size, "register_kretprobe(%s) failed: %d",
			 RMCP_HOOK_SYMBOL, ret);
		return ret;
	}
	ret = rmcp_selftest(reason, size);
	if (ret) {
		rmcp_selftest_result = RMCP_SELFTEST_FAIL;
		unregister_kretprobe(&rmcp_rp);
		pr_err("%s\n", reason);
		return ret;
	}
	rmcp_selftest_result = RMCP_SELFTEST_PASS;
	rmcp_armed = true;
	if (!rmcp_kernel_tested())
		snprintf(reason, size, "untested kernel, self-test passed");
	else
		snprintf(reason, size, "self-test passed");
	return 0;
}

void rmcp_hook_disarm(void)
{
	if (!rmcp_armed)
		return;
	unregister_kretprobe(&rmcp_rp);
	rmcp_nmissed_before += rmcp_rp.nmissed + rmcp_rp.kp.nmissed;
	rmcp_armed = false;
}

bool rmcp_hook_armed(void)
{
	return READ_ONCE(rmcp_armed);
}

unsigned long rmcp_hook_nmissed(void)
{
	unsigned long n = rmcp_nmissed_before;

	if (READ_ONCE(rmcp_armed))
		n += READ_ONCE(rmcp_rp.nmissed) + READ_ONCE(rmcp_rp.kp.nmissed);
	return n;
}

const char *rmcp_hook_abi(void)
{
	return rmcp_abi ? rmcp_abi->name : "none (kernel older than 6.1)";
}

const char *rmcp_hook_selftest(void)
{
	return rmcp_selftest_result;
}
