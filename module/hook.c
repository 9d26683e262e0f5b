// SPDX-License-Identifier: GPL-2.0
/*
 * The hook: an entry-only kprobe on the function of the loaded amdgpu that
 * receives the uapi MTYPE request (module/layout.h says which), turning a
 * CC request into NC in the argument register, for matched devices only.
 * It writes no memory, has no return trampoline, and changes a register
 * only when it holds a CC request.
 *
 * The layout comes from evidence in the loaded amdgpu (module/evidence.c),
 * never from the kernel headers. Before reporting "armed", a self-test
 * calls the real function through the armed probe; every pointer argument
 * of that call, under any layout rmcp knows, points into rmcp's zeroed
 * scratch, so a wrong guess comes back as "self-test failed" with what the
 * call did, not as a write elsewhere. The self-test runs again on every
 * status read (rmcp_hook_reprove()), so "armed" stays true or says it is
 * not: kprobes can be disabled globally, ftrace can shut itself down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <rmcp/sysfs.h>

#include "adev.h"
#include "devices.h"
#include "evidence.h"
#include "hook.h"
#include "params.h"
#include "rewrite.h"

#ifndef CONFIG_X86_64
#error "rmcp edits x86-64 argument registers: x86-64 only"
#endif

/* A PTE as amdgpu_vm_bo_update() hands it in, but WC: V|S|SN|R|W, bit 53 */
#define RMCP_ST_PTE_IN		(0x0001000000000067ULL | BIT_ULL(53))
#define RMCP_ST_VM_READABLE	BIT(1)
#define RMCP_ST_WORDS		512
/*
 * Word 0 of a3: what a 6.17-style get_vm_pte would take as its *flags; any
 * write of its would clear the MTYPE or EXECUTABLE/NOALLOC bits set here.
 * Nothing that reads a3 as a bo (6.18+) looks at word 0.
 */
#define RMCP_ST_CANARY		(0x0417000000000010ULL)

/*
 * Everything the self-test call may touch, zeroed before each call. The
 * arguments are (adev, a2, a3, a4, out) with
 *   map_mtype(adev, flags):		a2 = the request
 *   get_vm_pte(adev, vm, bo, vm_flags, flags):	a2 = vm, a3 = bo,
 *					a4 = the request, out = &flags
 *   get_vm_pte(adev, mapping, flags) (6.17 and older, if the evidence
 *	lied):				a2 = mapping whose bo_va (word 0)
 *					points at zeroed bo_va, a3 = &flags
 *					(word 0 a canary)
 * Each page is larger than any field offset these functions read.
 */
struct rmcp_scratch {
	u64 adev[RMCP_ST_WORDS];
	u64 a2[RMCP_ST_WORDS];
	u64 a3[RMCP_ST_WORDS];
	u64 bo_va[RMCP_ST_WORDS];
	u64 out[RMCP_ST_WORDS];
};

typedef u64 (*rmcp_st_fn)(void *adev, unsigned long a2, void *a3,
			  unsigned long a4, u64 *out);

static struct rmcp_scratch rmcp_st __aligned(PAGE_SIZE);
static char rmcp_symbol[64];
static struct kprobe rmcp_kp;
static const struct rmcp_layout_desc *rmcp_layout;
static unsigned int rmcp_req_arg;	/* what rmcp_pre() reads */
static unsigned long rmcp_fn;		/* start of the hooked function */
static bool rmcp_armed;
static bool rmcp_degraded;
static unsigned long rmcp_nmissed_before;	/* of earlier arms */
static const char *rmcp_selftest_result = RMCP_SELFTEST_NOT_RUN;
atomic64_t rmcp_rejected = ATOMIC64_INIT(0);

/* Self-test observation, written by rmcp_pre() for the scratch adev only. */
static bool rmcp_st_seen;
static u32 rmcp_st_req;

/* x86-64: the argument registers rmcp may edit (layout.h arg values). */
static __always_inline unsigned long *rmcp_arg_reg(struct pt_regs *regs,
						   unsigned int n)
{
	return n == 1 ? &regs->si : &regs->cx;
}

static int rmcp_pre(struct kprobe *p, struct pt_regs *regs)
{
	unsigned long *reg = rmcp_arg_reg(regs, READ_ONCE(rmcp_req_arg));
	void *adev = (void *)regs->di;
	u32 req = (u32)*reg;
	struct rmcp_adev_head head;
	struct rmcp_dev *d;
	bool cc = rmcp_request_is_cc(req);

	if (adev == (void *)rmcp_st.adev) {
		WRITE_ONCE(rmcp_st_req, req);
		WRITE_ONCE(rmcp_st_seen, true);
		if (cc)
			*reg = rmcp_rewrite_request(req);
		return 0;
	}

	/*
	 * The sched flavour: inline (rcu_read_lock() is a call on preemptible
	 * RCU), and synchronize_rcu() waits for it as for any reader.
	 */
	rcu_read_lock_sched_notrace();
	d = NULL;
	if (!rmcp_adev_read(adev, &head))
		d = rmcp_devices_find(head.pdev);
	if (!d || !rmcp_adev_is(&head, d->pdev)) {
		if (d)
			atomic64_inc(&d->rejected);
		atomic64_inc(&rmcp_rejected);
		goto out;
	}
	atomic64_inc(&d->calls);
	if (cc)
		atomic64_inc(&d->cc_seen);
	if (d->matched && cc && READ_ONCE(rmcp_param.enable)) {
		*reg = rmcp_rewrite_request(req);
		atomic64_inc(&d->cc_rewritten);
	}
out:
	rcu_read_unlock_sched_notrace();
	return 0;
}

NOKPROBE_SYMBOL(rmcp_pre);

/* The start of the probed function: kp.addr minus its offset (+4 on IBT). */
static unsigned long rmcp_func_start(unsigned long addr, char *sym,
				     size_t size)
{
	const char *want = rmcp_layout->symbol;
	size_t len = strlen(want);
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off;
	char *slash;

	sprint_symbol(buf, addr);
	strscpy(sym, buf, size);
	if (strncmp(buf, want, len) || buf[len] != '+' ||
	    !strstr(buf, " [amdgpu]"))
		return 0;
	slash = strchr(buf + len, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	if (kstrtoul(buf + len + 1, 0, &off) || off > 16)
		return 0;
	return addr - off;
}

/* The first scratch page the call wrote that it had no business writing. */
static const char *rmcp_st_stray(void)
{
	static const char *const names[] = { "adev", "a2", "a3", "bo_va", "out" };
	const u64 *w = (const u64 *)&rmcp_st;
	unsigned int i;

	for (i = 0; i < sizeof(rmcp_st) / sizeof(u64); i++) {
		if (&w[i] == &rmcp_st.a2[0] || &w[i] == &rmcp_st.out[0])
			continue;
		if (&w[i] == &rmcp_st.a3[0] ? w[i] != RMCP_ST_CANARY : w[i])
			return names[i / RMCP_ST_WORDS];
	}
	return NULL;
}

/*
 * One call of the real function with request @req (a uapi MTYPE value);
 * @want_mtype is the PTE MTYPE the call must produce. 0 or -EINVAL with
 * @reason saying what came back.
 */
static int rmcp_st_call(u32 req, unsigned int want_mtype, bool log,
			char *reason, size_t size)
{
	bool old = rmcp_layout->layout == RMCP_LAYOUT_MAP_MTYPE;
	const char *stray;
	u64 ret, got, want;
	u32 seen_req;
	bool seen;

	memset(&rmcp_st, 0, sizeof(rmcp_st));
	rmcp_st.a2[0] = (unsigned long)rmcp_st.bo_va;
	rmcp_st.a3[0] = RMCP_ST_CANARY;
	rmcp_st.out[0] = RMCP_ST_PTE_IN;
	WRITE_ONCE(rmcp_st_seen, false);
	WRITE_ONCE(rmcp_st_req, 0);
	if (!old)
		req |= RMCP_ST_VM_READABLE;	/* as amdgpu_vm_bo_update() has it */
	barrier();
	ret = ((rmcp_st_fn)rmcp_fn)(rmcp_st.adev,
				    old ? req : (unsigned long)rmcp_st.a2,
				    rmcp_st.a3, req, rmcp_st.out);
	barrier();
	seen = READ_ONCE(rmcp_st_seen);
	seen_req = READ_ONCE(rmcp_st_req);
	got = old ? ret : rmcp_st.out[0];
	want = old ? (u64)want_mtype << RMCP_MTYPE_SHIFT :
		(RMCP_ST_PTE_IN & ~RMCP_MTYPE_MASK) |
		((u64)want_mtype << RMCP_MTYPE_SHIFT);
	stray = rmcp_st_stray();
	if (old && rmcp_st.out[0] != RMCP_ST_PTE_IN)
		stray = "out";
	if (!seen) {
		snprintf(reason, size,
			 "self-test failed: the probe did not see the call (request 0x%x gave 0x%016llx)",
			 req, got);
		return -EINVAL;
	}
	if (stray || got != want) {
		snprintf(reason, size,
			 "self-test failed: request 0x%x (probe saw 0x%x) gave 0x%016llx (MTYPE %u), expected 0x%016llx%s%s",
			 req, seen_req, got, rmcp_pte_mtype(got), want,
			 stray ? "; the call wrote scratch " : "",
			 stray ? stray : "");
		return -EINVAL;
	}
	if (log)
		pr_info("self-test passed at %s: request 0x%x -> 0x%016llx\n",
			rmcp_layout->symbol, req, got);
	return 0;
}

/* CC must come back NC (rewritten), UC must stay UC (not touched). */
static int rmcp_selftest(bool log, char *reason, size_t size)
{
	int ret;

	ret = rmcp_st_call(RMCP_VM_MTYPE_CC, RMCP_MTYPE_NC, log, reason, size);
	if (!ret)
		ret = rmcp_st_call(RMCP_VM_MTYPE_UC, RMCP_MTYPE_UC, log,
				   reason, size);
	return ret;
}

/* The reason of an armed hook. */
static void rmcp_hook_armed_note(char *reason, size_t size)
{
	snprintf(reason, size, "layout %s from the loaded amdgpu; self-test passed",
		 rmcp_layout->layout == RMCP_LAYOUT_MAP_MTYPE ?
		 "map_mtype" : "vm_flags");
}

/**
 * rmcp_hook_arm() - pick the layout from evidence, register, self-test
 * @reason: why not, or a note on success
 * @size: size of @reason
 *
 * Return: 0 when armed (also if it was already), -errno when rmcp refuses;
 * @reason is written either way. Caller holds the state mutex.
 */
int rmcp_hook_arm(char *reason, size_t size)
{
	struct rmcp_evidence ev;
	char sym[KSYM_SYMBOL_LEN];
	const char *why = "";
	int ret;

	if (rmcp_armed) {
		rmcp_hook_armed_note(reason, size);
		return 0;
	}
	ret = rmcp_evidence_read(&ev, &why);
	if (ret) {
		snprintf(reason, size,
			 "no evidence: looking up %s in amdgpu failed (%d)",
			 why, ret);
		return ret;
	}
	rmcp_layout = rmcp_layout_decide(&ev, &why);
	if (!rmcp_layout) {
		snprintf(reason, size, "%s", why);
		return -EOPNOTSUPP;
	}
	snprintf(rmcp_symbol, sizeof(rmcp_symbol), "amdgpu:%s",
		 rmcp_layout->symbol);
	memset(&rmcp_kp, 0, sizeof(rmcp_kp));
	rmcp_kp.symbol_name = rmcp_symbol;
	rmcp_kp.pre_handler = rmcp_pre;
	WRITE_ONCE(rmcp_req_arg, rmcp_layout->arg);
	ret = register_kprobe(&rmcp_kp);
	if (ret) {
		snprintf(reason, size, "register_kprobe(%s) failed: %d",
			 rmcp_symbol, ret);
		return ret;
	}
	rmcp_fn = rmcp_func_start((unsigned long)rmcp_kp.addr, sym,
				  sizeof(sym));
	if (!rmcp_fn) {
		snprintf(reason, size, "self-test failed: probe is at %s", sym);
		ret = -EINVAL;
	} else {
		ret = rmcp_selftest(true, reason, size);
	}
	if (ret) {
		rmcp_selftest_result = RMCP_SELFTEST_FAIL;
		unregister_kprobe(&rmcp_kp);
		pr_err("%s\n", reason);
		return ret;
	}
	rmcp_selftest_result = RMCP_SELFTEST_PASS;
	rmcp_degraded = false;
	WRITE_ONCE(rmcp_armed, true);
	rmcp_hook_armed_note(reason, size);
	return 0;
}

/**
 * rmcp_hook_reprove() - is the armed hook still working?
 * @reason: on failure, what the self-test saw
 * @size: size of @reason
 *
 * Runs the self-test again. Caller holds the state mutex, so amdgpu cannot
 * finish going away meanwhile (its GOING notification waits for it).
 *
 * Return: true if armed and working; false sets the degraded state.
 */
bool rmcp_hook_reprove(char *reason, size_t size)
{
	bool was = rmcp_degraded;

	if (!rmcp_armed)
		return false;
	if (kprobe_disabled(&rmcp_kp)) {
		snprintf(reason, size, "the kprobe on %s is disabled",
			 rmcp_symbol);
		rmcp_degraded = true;
	} else {
		rmcp_degraded = rmcp_selftest(false, reason, size) != 0;
	}
	if (rmcp_degraded != was)
		pr_warn("hook %s: %s\n", rmcp_degraded ? "degraded" : "works again",
			rmcp_degraded ? reason : rmcp_symbol);
	return !rmcp_degraded;
}

void rmcp_hook_disarm(void)
{
	if (!rmcp_armed)
		return;
	unregister_kprobe(&rmcp_kp);
	rmcp_nmissed_before += rmcp_kp.nmissed;
	WRITE_ONCE(rmcp_armed, false);
	rmcp_degraded = false;
}

bool rmcp_hook_armed(void)
{
	return READ_ONCE(rmcp_armed);
}

bool rmcp_hook_degraded(void)
{
	return READ_ONCE(rmcp_armed) && READ_ONCE(rmcp_degraded);
}

unsigned long rmcp_hook_nmissed(void)
{
	unsigned long n = rmcp_nmissed_before;

	if (READ_ONCE(rmcp_armed))
		n += READ_ONCE(rmcp_kp.nmissed);
	return n;
}

const char *rmcp_hook_abi(void)
{
	return rmcp_layout ? rmcp_layout->name : "none (no amdgpu seen yet)";
}

const char *rmcp_hook_selftest(void)
{
	return rmcp_selftest_result;
}
