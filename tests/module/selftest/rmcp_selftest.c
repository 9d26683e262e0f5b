// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp_selftest: a tests-only module for the QEMU scenarios. It makes the
 * loaded amdgpu's (real or fixture) gfx10 mapping calls with synthetic
 * arguments and a fake adev whose dev/pdev are QEMU's ati-vga device, the
 * way amdgpu_vm_bo_update() does: on the map_mtype layout (the amdgpu has
 * gmc_v10_0_map_mtype) map_mtype(adev, request) and then
 * gmc_v10_0_get_vm_pte(adev, mapping, &flags) with mapping->flags built from
 * its result; on the vm_flags layout gmc_v10_0_get_vm_pte(adev, vm, bo,
 * request, &flags). It hammers them from kthreads, and watches amdgpu's
 * noretry / vm_fragment_size inside amdgpu_pci_probe().
 *
 * /sys/kernel/debug/rmcp_selftest/ctl, write one command, read the answer:
 *   resolve                        find the functions (after amdgpu loaded);
 *                                  answer: get_vm_pte's address and the
 *                                  layout, "map_mtype" or "vm_flags"
 *   call ADEV MTYPE BITS [heap]    one mapping; answer: the PTE flags
 *     ADEV  good | other | null | baddev | garbage
 *     MTYPE def | nc | wc | cc | uc
 *     BITS  0 | exec | prt | noalloc | all
 *   hammer N                       start N kthreads calling (good, cc)
 *   time ADEV MTYPE N              N calls of the function that takes the
 *                                  request (map_mtype or get_vm_pte) on
 *                                  this CPU; answer: ns nc cc other
 *   timecall ADEV MTYPE N          the same for N whole mappings (call)
 *   stop                           stop them; answer: calls nc cc other
 *   policy                         answer: what amdgpu_pci_probe() saw
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#define ST_PTE_IN	(0x0003000000000067ULL | BIT_ULL(53))
#define ST_MTYPE(m)	((u64)(m) << 48)
#define ST_PTE_EXEC	BIT_ULL(4)
#define ST_PTE_PRT	BIT_ULL(51)
#define ST_PTE_NOALLOC	BIT_ULL(58)
#define ST_VM_READABLE	BIT(1)
#define ST_VM_EXEC	BIT(3)
#define ST_VM_PRT	BIT(4)
#define ST_VM_NOALLOC	BIT(9)
#define ST_MAX_THREADS	4

struct st_adev {
	void *dev;
	void *pdev;
	u64 pad[6];
};

static DEFINE_MUTEX(st_lock);
static char st_answer[128];
static unsigned long st_fn;		/* gmc_v10_0_get_vm_pte */
static unsigned long st_mtype_fn;	/* gmc_v10_0_map_mtype, or 0 */
static struct pci_dev *st_vga, *st_other;
static struct task_struct *st_threads[ST_MAX_THREADS];
static atomic64_t st_calls, st_nc, st_cc, st_other_res;

/* policy observation */
static struct kprobe st_probe_kp;
static bool st_probe_armed;
static int *st_noretry, *st_vmfs;
static int st_seen[2][3];	/* [vga, other][hits, noretry, vmfs] */

static unsigned long st_probe_offset(const char *sym, unsigned long *start)
{
	struct kprobe kp = { .symbol_name = sym };
	char buf[KSYM_SYMBOL_LEN], *plus, *slash;
	unsigned long off;

	if (register_kprobe(&kp))
		return ULONG_MAX;
	sprint_symbol(buf, (unsigned long)kp.addr);
	*start = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	plus = strchr(buf, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash)
		return ULONG_MAX;
	*slash = '\0';
	if (kstrtoul(plus + 1, 0, &off))
		return ULONG_MAX;
	*start -= off;
	return off;
}

static void st_adev_fill(struct st_adev *adev, void **a, int adev_kind)
{
	memset(adev, 0, sizeof(*adev));
	*a = adev;
	switch (adev_kind) {
	case 0:
		adev->dev = &st_vga->dev;
		adev->pdev = st_vga;
		break;
	case 1:
		adev->dev = &st_other->dev;
		adev->pdev = st_other;
		break;
	case 2:
		*a = NULL;
		break;
	case 3:
		adev->dev = NULL;
		adev->pdev = st_vga;
		break;
	default:
		adev->dev = (void *)0xdead000000000100UL;
		adev->pdev = (void *)0xdead000000000000UL;
		break;
	}
}

/* The function that takes the request; its result's MTYPE field. */
static unsigned int st_request(void *a, unsigned int mtype)
{
	u64 flags = ST_PTE_IN;

	if (st_mtype_fn)
		return (((u64 (*)(void *, u32))st_mtype_fn)(a, mtype << 5) >>
			48) & 7;
	((void (*)(void *, void *, void *, u32, u64 *))st_fn)(a, NULL, NULL,
							      ST_VM_READABLE |
							      mtype << 5,
							      &flags);
	return (flags >> 48) & 7;
}

static u64 st_call(int adev_kind, unsigned int mtype, unsigned int bits,
		   bool heap)
{
	struct st_adev adev;
	u64 bo_va[4] = { 0 }, mapping[16] = { 0 }, bo[80] = { 0 };
	u64 flags = ST_PTE_IN, *fp = &flags, r;
	unsigned int vm_flags = ST_VM_READABLE;
	void *a;

	st_adev_fill(&adev, &a, adev_kind);
	if (heap) {
		fp = kmalloc(sizeof(*fp), GFP_KERNEL);
		if (!fp)
			return 0;
		*fp = ST_PTE_IN;
	}
	mapping[0] = (unsigned long)bo_va;
	if (!st_mtype_fn) {
		/* uapi AMDGPU_VM_MTYPE_*: def 0, nc 1, wc 2, cc 3, uc 4 (<< 5) */
		vm_flags |= mtype << 5;
		vm_flags |= (bits & 1 ? ST_VM_EXEC : 0) |
			    (bits & 2 ? ST_VM_PRT : 0) |
			    (bits & 4 ? ST_VM_NOALLOC : 0);
		((void (*)(void *, void *, void *, u32, u64 *))st_fn)(a, NULL,
								      bo,
								      vm_flags,
								      fp);
	} else {
		/*
		 * amdgpu_gem_va_map_flags(): hardware bits in mapping->flags
		 * (0x50), the MTYPE from map_mtype(adev, request)
		 */
		mapping[10] = ((u64 (*)(void *, u32))st_mtype_fn)(a, mtype << 5) |
			      (bits & 1 ? ST_PTE_EXEC : 0) |
			      (bits & 2 ? ST_PTE_PRT : 0) |
			      (bits & 4 ? ST_PTE_NOALLOC : 0);
		((void (*)(void *, void *, u64 *))st_fn)(a, mapping, fp);
	}
	r = *fp;
	if (heap)
		kfree(fp);
	return r;
}

static int st_hammer(void *unused)
{
	u64 r;

	while (!kthread_should_stop()) {
		r = st_call(0, 3, 0, false);	/* good adev, CC */
		atomic64_inc(&st_calls);
		if (((r >> 48) & 7) == 0)
			atomic64_inc(&st_nc);
		else if (((r >> 48) & 7) == 2)
			atomic64_inc(&st_cc);
		else
			atomic64_inc(&st_other_res);
		cond_resched();
	}
	return 0;
}

static int st_probe_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct pci_dev *pdev = (struct pci_dev *)regs->di;
	int i = pdev == st_vga ? 0 : pdev == st_other ? 1 : -1;

	if (i < 0 || !st_noretry || !st_vmfs)
		return 0;
	st_seen[i][0]++;
	st_seen[i][1] = READ_ONCE(*st_noretry);
	st_seen[i][2] = READ_ONCE(*st_vmfs);
	return 0;
}

static int *st_param(struct module *mod, const char *name)
{
	unsigned int i;

	for (i = 0; i < mod->num_kp; i++)
		if (!strcmp(mod->kp[i].name, name) &&
		    mod->kp[i].ops == &param_ops_int)
			return mod->kp[i].arg;
	return NULL;
}

/* A kprobe inside amdgpu_pci_probe(), after the ftrace site rmcp uses. */
static void st_probe_arm(void)
{
	unsigned long start, off;
	unsigned int i;

	off = st_probe_offset("amdgpu_pci_probe", &start);
	if (off == ULONG_MAX)
		return;
	for (i = 5; i < 24; i++) {
		memset(&st_probe_kp, 0, sizeof(st_probe_kp));
		st_probe_kp.addr = (kprobe_opcode_t *)(start + off + i);
		st_probe_kp.pre_handler = st_probe_pre;
		if (!register_kprobe(&st_probe_kp)) {
			st_probe_armed = true;
			pr_info("probe at amdgpu_pci_probe+%lu\n", off + i);
			return;
		}
	}
	pr_warn("no probe point in amdgpu_pci_probe\n");
}

static int st_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "amdgpu"))
		return NOTIFY_DONE;
	mutex_lock(&st_lock);
	if (action == MODULE_STATE_COMING) {
		st_noretry = st_param(mod, "noretry");
		st_vmfs = st_param(mod, "vm_fragment_size");
		memset(st_seen, 0, sizeof(st_seen));
		st_probe_arm();
	} else if (action == MODULE_STATE_GOING) {
		if (st_probe_armed)
			unregister_kprobe(&st_probe_kp);
		st_probe_armed = false;
		st_noretry = NULL;
		st_vmfs = NULL;
		st_fn = 0;
		st_mtype_fn = 0;
	}
	mutex_unlock(&st_lock);
	return NOTIFY_OK;
}

static struct notifier_block st_nb = { .notifier_call = st_module_notify };

static int st_index(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static int st_command(char *cmd)
{
	static const char *const adevs[] = {
		"good", "other", "null", "baddev", "garbage" };
	static const char *const mtypes[] = { "def", "nc", "wc", "cc", "uc" };
	static const char *const bitss[] = {
		"0", "exec", "prt", "x3", "noalloc", "x5", "x6", "all" };
	char *w[5] = { NULL };
	unsigned long start, n;
	int nw = 0, a, m, b, i;

	while (nw < 5 && (w[nw] = strsep(&cmd, "\t\n ")))
		if (*w[nw])
			nw++;
	if (!nw)
		return -EINVAL;
	if (!strcmp(w[0], "resolve")) {
		if (st_probe_offset("amdgpu:gmc_v10_0_get_vm_pte", &start) ==
		    ULONG_MAX)
			return -ENOENT;
		st_fn = start;
		st_mtype_fn = 0;
		if (st_probe_offset("amdgpu:gmc_v10_0_map_mtype", &start) !=
		    ULONG_MAX)
			st_mtype_fn = start;
		snprintf(st_answer, sizeof(st_answer), "%pS %s\n", (void *)st_fn,
			 st_mtype_fn ? "map_mtype" : "vm_flags");
		return 0;
	}
	if (!strcmp(w[0], "call") && nw >= 4) {
		a = st_index(w[1], adevs, ARRAY_SIZE(adevs));
		m = st_index(w[2], mtypes, ARRAY_SIZE(mtypes));
		b = st_index(w[3], bitss, ARRAY_SIZE(bitss));
		if (a < 0 || m < 0 || b < 0 || !st_fn ||
		    (a == 1 && !st_other))
			return -EINVAL;
		snprintf(st_answer, sizeof(st_answer), "0x%016llx\n",
			 st_call(a, m, b, nw == 5 && !strcmp(w[4], "heap")));
		return 0;
	}
	if ((!strcmp(w[0], "time") || !strcmp(w[0], "timecall")) && nw == 4 &&
	    !kstrtoul(w[3], 0, &n) && n > 0 && n <= 10000000) {
		bool whole = w[0][4] == 'c';
		u64 t0, r, res[3] = { 0 };
		struct st_adev adev;
		unsigned long k;
		void *ap;

		a = st_index(w[1], adevs, ARRAY_SIZE(adevs));
		m = st_index(w[2], mtypes, ARRAY_SIZE(mtypes));
		if (a < 0 || a > 1 || m < 0 || !st_fn || (a == 1 && !st_other))
			return -EINVAL;
		st_adev_fill(&adev, &ap, a);
		t0 = ktime_get_ns();
		for (k = 0; k < n; k++) {
			if (whole)
				r = (st_call(a, m, 0, false) >> 48) & 7;
			else
				r = st_request(ap, m);
			res[r == 0 ? 0 : r == 2 ? 1 : 2]++;
			if (!(k & 4095))
				cond_resched();
		}
		snprintf(st_answer, sizeof(st_answer), "%llu %llu %llu %llu\n",
			 ktime_get_ns() - t0, res[0], res[1], res[2]);
		return 0;
	}
	if (!strcmp(w[0], "hammer") && nw == 2 && !kstrtoul(w[1], 0, &n) &&
	    n <= ST_MAX_THREADS && st_fn) {
		atomic64_set(&st_calls, 0);
		atomic64_set(&st_nc, 0);
		atomic64_set(&st_cc, 0);
		atomic64_set(&st_other_res, 0);
		for (i = 0; i < n; i++)
			st_threads[i] = kthread_run(st_hammer, NULL, "rmcp_st%d", i);
		return 0;
	}
	if (!strcmp(w[0], "stop")) {
		for (i = 0; i < ST_MAX_THREADS; i++) {
			if (!IS_ERR_OR_NULL(st_threads[i]))
				kthread_stop(st_threads[i]);
			st_threads[i] = NULL;
		}
		snprintf(st_answer, sizeof(st_answer), "%lld %lld %lld %lld\n",
			 (long long)atomic64_read(&st_calls),
			 (long long)atomic64_read(&st_nc),
			 (long long)atomic64_read(&st_cc),
			 (long long)atomic64_read(&st_other_res));
		return 0;
	}
	if (!strcmp(w[0], "policy")) {
		snprintf(st_answer, sizeof(st_answer), "%d %d %d %d %d %d\n",
			 st_seen[0][0], st_seen[0][1], st_seen[0][2],
			 st_seen[1][0], st_seen[1][1], st_seen[1][2]);
		return 0;
	}
	return -EINVAL;
}

static ssize_t st_write(struct file *f, const char __user *ubuf, size_t len,
			loff_t *pos)
{
	char buf[96];
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&st_lock);
	st_answer[0] = '\0';
	ret = st_command(buf);
	mutex_unlock(&st_lock);
	return ret ? ret : len;
}

static ssize_t st_read(struct file *f, char __user *ubuf, size_t len,
		       loff_t *pos)
{
	char buf[sizeof(st_answer)];

	mutex_lock(&st_lock);
	strscpy(buf, st_answer, sizeof(buf));
	mutex_unlock(&st_lock);
	return simple_read_from_buffer(ubuf, len, pos, buf, strlen(buf));
}

static const struct file_operations st_fops = {
	.owner = THIS_MODULE,
	.read = st_read,
	.write = st_write,
};

static struct dentry *st_dir;

static int __init st_init(void)
{
	st_vga = pci_get_device(0x1002, 0x5046, NULL);
	if (!st_vga)
		return -ENODEV;
	st_other = pci_get_device(0x1002, 0x5159, NULL);
	if (!st_other)
		st_other = pci_get_device(0x8086, 0x1237, NULL);
	st_dir = debugfs_create_dir("rmcp_selftest", NULL);
	debugfs_create_file("ctl", 0600, st_dir, NULL, &st_fops);
	return register_module_notifier(&st_nb);
}

static void __exit st_exit(void)
{
	char stop[] = "stop";

	unregister_module_notifier(&st_nb);
	mutex_lock(&st_lock);
	st_command(stop);
	if (st_probe_armed)
		unregister_kprobe(&st_probe_kp);
	mutex_unlock(&st_lock);
	debugfs_remove_recursive(st_dir);
	pci_dev_put(st_other);
	pci_dev_put(st_vga);
}

module_init(st_init);
module_exit(st_exit);
MODULE_DESCRIPTION("rmcp tests only: calls gmc_v10_0_get_vm_pte with synthetic arguments");
MODULE_LICENSE("GPL");
