// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp's module parameters. At load time every value is kept as text and
 * checked by rmcp_params_parse() in module init, so a malformed value gives
 * exactly one log line (naming the parameter and its legal form) and
 * -EINVAL, and the module is not loaded. After load only enable is
 * writable; it is checked on every write.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <rmcp/sysfs.h>

#include "params.h"
#include "policy.h"

#define RMCP_PARAM_LEN	256
#define RMCP_BOOL_FORM	"0, 1, n, y, N or Y"

struct rmcp_param_text {
	const char *name;
	char text[RMCP_PARAM_LEN];
	bool too_long;
};

struct rmcp_params rmcp_param = {
	.enable = true,
	.noretry = 1,
	.vm_fragment_size = 9,
};

static bool rmcp_live;

static struct rmcp_param_text rmcp_enable_text = { RMCP_P_ENABLE, "1" };
static struct rmcp_param_text rmcp_apu_text = { RMCP_P_APU, "0" };
static struct rmcp_param_text rmcp_noretry_text = { RMCP_P_NORETRY, "1" };
static struct rmcp_param_text rmcp_vmfs_text = { RMCP_P_VM_FRAGMENT_SIZE, "9" };
static struct rmcp_param_text rmcp_extra_text = { RMCP_P_EXTRA_IDS, "" };
static struct rmcp_param_text rmcp_exclude_text = { RMCP_P_EXCLUDE_IDS, "" };

/* Strict: one of 0 1 n y N Y, and a trailing newline from a sysfs write. */
static int rmcp_parse_bool(const char *s, bool *val)
{
	size_t len = strlen(s);

	if (len == 2 && s[1] == '\n')
		len = 1;
	if (len != 1)
		return -EINVAL;
	switch (s[0]) {
	case '1': case 'y': case 'Y':
		*val = true;
		return 0;
	case '0': case 'n': case 'N':
		*val = false;
		return 0;
	}
	return -EINVAL;
}

static void rmcp_param_reject(const struct rmcp_param_text *p,
			      const char *why, const char *form)
{
	pr_err("%s: '%.64s%s' rejected (%s); legal: %s\n", p->name, p->text,
	       strlen(p->text) > 64 ? "..." : "", why, form);
}

static int rmcp_text_set(const char *val, const struct kernel_param *kp)
{
	struct rmcp_param_text *p = kp->arg;

	if (rmcp_live)
		return -EPERM;
	p->too_long = strscpy(p->text, val ? val : "", sizeof(p->text)) < 0;
	return 0;
}

static int rmcp_enable_set(const char *val, const struct kernel_param *kp)
{
	bool v;

	if (!rmcp_live)
		return rmcp_text_set(val, kp);
	if (!val || rmcp_parse_bool(val, &v)) {
		pr_err("%s: rejected; legal: %s\n", RMCP_P_ENABLE,
		       RMCP_BOOL_FORM);
		return -EINVAL;
	}
	WRITE_ONCE(rmcp_param.enable, v);
	pr_info("%s=%d: CC requests are %s\n", RMCP_P_ENABLE, v,
		v ? "rewritten" : "counted, not rewritten");
	return 0;
}

static int rmcp_param_get(char *buf, const struct kernel_param *kp)
{
	const struct rmcp_param_text *p = kp->arg;
	int n;

	if (p == &rmcp_enable_text)
		return sysfs_emit(buf, "%c\n", READ_ONCE(rmcp_param.enable) ? 'Y' : 'N');
	if (p == &rmcp_apu_text)
		return sysfs_emit(buf, "%c\n", rmcp_param.apu ? 'Y' : 'N');
	if (p == &rmcp_noretry_text)
		return sysfs_emit(buf, "%d\n", rmcp_param.noretry);
	if (p == &rmcp_vmfs_text)
		return sysfs_emit(buf, "%d\n", rmcp_param.vm_fragment_size);
	n = rmcp_id_list_print(p == &rmcp_extra_text ? &rmcp_param.extra_ids :
			       &rmcp_param.exclude_ids, buf, PAGE_SIZE - 1);
	buf[n++] = '\n';
	return n;
}

static const struct kernel_param_ops rmcp_text_ops = {
	.set = rmcp_text_set,
	.get = rmcp_param_get,
};

static const struct kernel_param_ops rmcp_enable_ops = {
	.set = rmcp_enable_set,
	.get = rmcp_param_get,
};

module_param_cb(enable, &rmcp_enable_ops, &rmcp_enable_text, 0644);
MODULE_PARM_DESC(enable, "Rewrite MTYPE_CC to MTYPE_NC on matched GPUs (default: 1)");
module_param_cb(noretry, &rmcp_text_ops, &rmcp_noretry_text, 0444);
MODULE_PARM_DESC(noretry, "amdgpu noretry for matched GPUs: -1 leave alone, 0, 1 (default: 1)");
module_param_cb(vm_fragment_size, &rmcp_text_ops, &rmcp_vmfs_text, 0444);
MODULE_PARM_DESC(vm_fragment_size, "amdgpu vm_fragment_size for matched GPUs: -1 leave alone, 4..9 (default: 9)");
module_param_cb(extra_ids, &rmcp_text_ops, &rmcp_extra_text, 0444);
MODULE_PARM_DESC(extra_ids, "More GPUs to match: vvvv:dddd[,vvvv:dddd...]");
module_param_cb(exclude_ids, &rmcp_text_ops, &rmcp_exclude_text, 0444);
MODULE_PARM_DESC(exclude_ids, "GPUs never to match: vvvv:dddd[,vvvv:dddd...]");
module_param_cb(apu, &rmcp_text_ops, &rmcp_apu_text, 0444);
MODULE_PARM_DESC(apu, "Match the gfx10 APUs of the table too (default: 0)");

static int rmcp_parse_list(struct rmcp_param_text *p, struct rmcp_id_list *l)
{
	const char *why = "too long";

	if (p->too_long || rmcp_id_list_parse(p->text, l, &why)) {
		rmcp_param_reject(p, why, RMCP_ID_LIST_FORM);
		return -EINVAL;
	}
	return 0;
}

/**
 * rmcp_params_parse() - check and convert the parameters given at load
 *
 * Return: 0, or -EINVAL after one log line about the first bad parameter.
 */
int rmcp_params_parse(void)
{
	struct rmcp_params v = { 0 };

	if (rmcp_enable_text.too_long ||
	    rmcp_parse_bool(rmcp_enable_text.text, &v.enable)) {
		rmcp_param_reject(&rmcp_enable_text, "not a boolean", RMCP_BOOL_FORM);
		return -EINVAL;
	}
	if (rmcp_apu_text.too_long ||
	    rmcp_parse_bool(rmcp_apu_text.text, &v.apu)) {
		rmcp_param_reject(&rmcp_apu_text, "not a boolean", RMCP_BOOL_FORM);
		return -EINVAL;
	}
	if (rmcp_noretry_text.too_long ||
	    rmcp_policy_parse_noretry(rmcp_noretry_text.text, &v.noretry)) {
		rmcp_param_reject(&rmcp_noretry_text, "out of range or not a number",
				  RMCP_NORETRY_FORM);
		return -EINVAL;
	}
	if (rmcp_vmfs_text.too_long ||
	    rmcp_policy_parse_vm_fragment_size(rmcp_vmfs_text.text,
					       &v.vm_fragment_size)) {
		rmcp_param_reject(&rmcp_vmfs_text, "out of range or not a number",
				  RMCP_VM_FRAGMENT_SIZE_FORM);
		return -EINVAL;
	}
	if (rmcp_parse_list(&rmcp_extra_text, &v.extra_ids) ||
	    rmcp_parse_list(&rmcp_exclude_text, &v.exclude_ids))
		return -EINVAL;
	rmcp_param = v;
	return 0;
}

/* From now on, writes to enable take effect at once. */
void rmcp_params_live(void)
{
	rmcp_live = true;
}
