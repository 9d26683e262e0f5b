// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: rmcp's state, parameters, per-device files and module file. */
#include <stdio.h>
#include <string.h>

#include <rmcp/sysfs.h>

#include "collectors.h"
#include "modinfo.h"
#include "probe.h"
#include "reader.h"
#include "text.h"

/*
 * Is the rmcp.ko that modprobe would load signed? modules.dep names it;
 * without one, the directories dkms and make install use. libkmod reads
 * compressed modules (.ko.xz, .ko.zst) as dkms installs them.
 */
static void module_signature(struct backend *be, struct model *m)
{
	static const char *const dirs[] = { "updates/dkms", "extra", "updates", "misc" };
	static const char *const z[] = { "", ".xz", ".zst", ".gz" };
	char moddir[BE_PATH_MAX], path[BE_PATH_MAX], full[BE_PATH_MAX + 16];
	const char *shown;
	struct modinfo info;
	size_t i, k, rl = strlen(be->root);

	m->module_signed = -1;
	if (!m->kernel_known)
		return;
	snprintf(path, sizeof(path), "/lib/modules/%s", m->kernel_release);
	if (be_path(be, path, moddir, sizeof(moddir)))
		return;
	full[0] = '\0';
	for (i = 0; !*full && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		for (k = 0; !*full && k < sizeof(z) / sizeof(z[0]); k++) {
			snprintf(path, sizeof(path), "/lib/modules/%s/%s/rmcp.ko%s",
				 m->kernel_release, dirs[i], z[k]);
			if (be_exists(be, path))
				be_path(be, path, full, sizeof(full));
		}
	if (!*full) {
		snprintf(m->module_sig_basis, sizeof(m->module_sig_basis),
			 "no rmcp.ko under /lib/modules/%s", m->kernel_release);
		return;
	}
	/* there is one: the one modprobe would load is what modules.dep says */
	modinfo_lookup(moddir, "rmcp", full, sizeof(full));
	shown = rl && !strncmp(full, be->root, rl) ? full + rl : full;
	if (modinfo_read(full, &info)) {
		snprintf(m->module_sig_basis, sizeof(m->module_sig_basis), "%s",
			 rl && !strncmp(info.error, be->root, rl) ? info.error + rl : info.error);
		return;
	}
	m->module_signed = info.sig;
	snprintf(m->module_sig_basis, sizeof(m->module_sig_basis), "%s", shown);
	if (info.sig == 1)
		text_printable(info.signer, strlen(info.signer), m->module_signer,
			       sizeof(m->module_signer));
}

void collect_rmcp(struct backend *be, struct model *m)
{
	static const char *const states[] = { RMCP_STATE_IDLE, RMCP_STATE_ARMED,
		RMCP_STATE_DEGRADED, RMCP_STATE_REFUSED, RMCP_STATE_DISABLED, NULL };
	static const char *const selftests[] = { RMCP_SELFTEST_NOT_RUN,
		RMCP_SELFTEST_PASS, RMCP_SELFTEST_FAIL, NULL };
	const char *P = RMCP_SYSFS_MODULE "/" RMCP_SYSFS_PARAMS "/";
	const char *S = RMCP_SYSFS_MODULE "/" RMCP_SYSFS_STATUS "/";
	char path[BE_PATH_MAX], taint[32];
	enum parse_err e;
	ssize_t n;

#define PATH(dir, name) (snprintf(path, sizeof(path), "%s%s", dir, name), path)
	m->rmcp_loaded = be_exists(be, RMCP_SYSFS_MODULE "/" RMCP_SYSFS_STATUS);
	if (!m->rmcp_loaded) {
		if (be_exists(be, RMCP_SYSFS_MODULE))
			add_finding(m, "rmcp-no-status", SEV_WARNING, NULL, NULL,
				    "%s exists but has no %s/ directory: not the rmcp this "
				    "rmcp-probe knows", RMCP_SYSFS_MODULE, RMCP_SYSFS_STATUS);
		module_signature(be, m);
		return;
	}
	read_str(be, m, PATH(S, RMCP_S_VERSION), m->rmcp_version, sizeof(m->rmcp_version), true);
	read_word(be, m, PATH(S, RMCP_S_STATE), states, m->rmcp_state,
		  sizeof(m->rmcp_state), true);
	read_str(be, m, PATH(S, RMCP_S_REASON), m->rmcp_reason, sizeof(m->rmcp_reason), true);
	read_str(be, m, PATH(S, RMCP_S_KERNEL_ABI), m->rmcp_kernel_abi,
		 sizeof(m->rmcp_kernel_abi), true);
	read_word(be, m, PATH(S, RMCP_S_SELFTEST), selftests, m->rmcp_selftest,
		  sizeof(m->rmcp_selftest), true);
	read_u64(be, m, PATH(S, RMCP_S_NMISSED), &m->rmcp_nmissed, true);

	read_bool(be, m, PATH(P, RMCP_P_ENABLE), &m->p_enable, true);
	read_int(be, m, PATH(P, RMCP_P_NORETRY), -1, 1, false, &m->p_noretry, true);
	read_int(be, m, PATH(P, RMCP_P_VM_FRAGMENT_SIZE), -1, 9, false,
		 &m->p_vm_fragment_size, true);
	read_bool(be, m, PATH(P, RMCP_P_APU), &m->p_apu, true);
	read_str(be, m, PATH(P, RMCP_P_EXTRA_IDS), m->p_extra_ids, sizeof(m->p_extra_ids), true);
	e = parse_id_list(m->p_extra_ids, strlen(m->p_extra_ids), &m->extra_ids);
	if (e)
		bad_value(m, PATH(P, RMCP_P_EXTRA_IDS), e, m->p_extra_ids,
			  (int)strlen(m->p_extra_ids));
	read_str(be, m, PATH(P, RMCP_P_EXCLUDE_IDS), m->p_exclude_ids,
		 sizeof(m->p_exclude_ids), true);
	e = parse_id_list(m->p_exclude_ids, strlen(m->p_exclude_ids), &m->exclude_ids);
	if (e)
		bad_value(m, PATH(P, RMCP_P_EXCLUDE_IDS), e, m->p_exclude_ids,
			  (int)strlen(m->p_exclude_ids));

	/* taint flag E: loaded without a valid signature */
	m->module_signed = -1;
	n = be_read(be, RMCP_SYSFS_MODULE "/taint", taint, sizeof(taint) - 1);
	if (n >= 0) {
		taint[n] = '\0';
		m->module_signed = !strchr(taint, 'E');
		snprintf(m->module_sig_basis, sizeof(m->module_sig_basis),
			 RMCP_SYSFS_MODULE "/taint");
	}
#undef PATH
}

void collect_rmcp_device(struct backend *be, struct model *m, struct gpu *g)
{
	static const char *const matched[] = { RMCP_MATCH_TABLE, RMCP_MATCH_EXTRA,
		RMCP_MATCH_EXCLUDED, RMCP_MATCH_APU_OFF, RMCP_MATCH_NONE, NULL };
	static const char *const policies[] = { RMCP_POLICY_APPLIED,
		RMCP_POLICY_TOO_LATE, RMCP_POLICY_SKIPPED, RMCP_POLICY_PENDING, NULL };
	struct rmcp_dev_state *d = &g->rmcp;
	char dir[BE_PATH_MAX], path[BE_PATH_MAX + 32];

	snprintf(dir, sizeof(dir), RMCP_SYSFS_MODULE "/" RMCP_SYSFS_DEVICES "/%s/", g->bdf);
	if (!m->rmcp_loaded || !be_exists(be, dir))
		return;
	d->present = true;
#define PATH(name) (snprintf(path, sizeof(path), "%s%s", dir, name), path)
	read_str(be, m, PATH(RMCP_D_PCI_ID), d->pci_id, sizeof(d->pci_id), true);
	read_str(be, m, PATH(RMCP_D_FAMILY), d->family, sizeof(d->family), true);
	read_str(be, m, PATH(RMCP_D_GFX), d->gfx, sizeof(d->gfx), true);
	read_word(be, m, PATH(RMCP_D_MATCHED), matched, d->matched, sizeof(d->matched), true);
	read_word(be, m, PATH(RMCP_D_POLICY), policies, d->policy, sizeof(d->policy), true);
	read_int_or_unknown(be, m, PATH(RMCP_D_NORETRY), -1, 1, &d->noretry, true);
	read_int_or_unknown(be, m, PATH(RMCP_D_VM_FRAGMENT_SIZE), -1, 9, &d->vm_fragment_size,
			    true);
	read_u64(be, m, PATH(RMCP_D_CALLS), &d->calls, true);
	read_u64(be, m, PATH(RMCP_D_CC_SEEN), &d->cc_seen, true);
	read_u64(be, m, PATH(RMCP_D_CC_REWRITTEN), &d->cc_rewritten, true);
	read_u64(be, m, PATH(RMCP_D_REJECTED), &d->rejected, true);
#undef PATH
}

