// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe: turn the model into findings and an exit code.
 *
 * Wording rule: say what rmcp does, never more. The MTYPE rewrite is a guard
 * that rarely fires on gfx10; it does not fix out-of-bounds accesses in
 * libraries, a wrong ISA override, or firmware and kernel regressions.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rmcp/sysfs.h>

#include "ids.h"
#include "probe.h"
#include "text.h"

static char fix_order[STR_LONG * 2];

/* Load rmcp before amdgpu on every boot: the softdep, the initramfs, the reboot. */
static const char *order_fix(const struct model *m)
{
	snprintf(fix_order, sizeof(fix_order),
		 "add \"softdep amdgpu pre: rmcp\" to /etc/modprobe.d/rmcp.conf (the "
		 "package's packaging/modprobe.d/rmcp.conf), run %s, and reboot",
		 m->initramfs_cmd);
	return fix_order;
}

static void diagnose_security(struct model *m)
{
	bool enforcing = (m->secure_boot.known && m->secure_boot.v) ||
			 (m->lockdown.known && m->lockdown.v != LOCKDOWN_NONE) ||
			 (m->sig_enforce.known && m->sig_enforce.v);

	if (m->rmcp_loaded) {
		if (m->module_signed == 0)
			add_finding(m, "rmcp-unsigned", SEV_INFO, NULL, NULL,
				    "rmcp is loaded without a valid signature (taint flag E); "
				    "with Secure Boot on, this kernel would refuse it");
		return;
	}
	if (!enforcing)
		return;
	if (m->module_signed == 0)
		add_finding(m, "module-unsigned", SEV_PROBLEM, NULL,
			    "sign rmcp.ko with a key enrolled as a Machine Owner Key: DKMS signs "
			    "with /var/lib/dkms/mok.pub; enroll it (mokutil --import "
			    "/var/lib/dkms/mok.pub), reboot, confirm the enrollment, then "
			    "rebuild the module",
			    "module signatures are enforced (Secure Boot/lockdown) and %s is not "
			    "signed: loading it fails with \"Key was rejected by service\"",
			    m->module_sig_basis);
	else if (m->module_signed == 1)
		add_finding(m, "module-key", SEV_INFO, NULL,
			    "enroll the key that signed rmcp.ko (DKMS: /var/lib/dkms/mok.pub, "
			    "mokutil --import) and reboot",
			    "module signatures are enforced and %s is signed; if modprobe says "
			    "\"Key was rejected by service\", its key is not enrolled",
			    m->module_sig_basis);
}

static void diagnose_kernel(struct model *m)
{
	if (!m->kernel_known)
		return;
	if (m->kernel_range < 0)
		add_finding(m, "kernel-too-old", SEV_PROBLEM, NULL, NULL,
			    "kernel %s is older than the oldest kernel rmcp supports (5.10): rmcp "
			    "does not build or load there", m->kernel_release);
	else if (m->kernel_range > 0)
		add_finding(m, "kernel-untested", m->rmcp_loaded &&
			    !strcmp(m->rmcp_selftest, RMCP_SELFTEST_PASS) ? SEV_INFO : SEV_WARNING,
			    NULL, NULL,
			    "kernel %s is outside the kernels rmcp was tested on (5.10, 6.1, 6.12, "
			    "7.2): rmcp arms only if its arm-time self-test passes%s",
			    m->kernel_release, m->rmcp_loaded &&
			    !strcmp(m->rmcp_selftest, RMCP_SELFTEST_PASS) ?
			    "; here it passed" : "");
}

static void diagnose_rmcp(struct model *m, unsigned int matched)
{
	if (!m->rmcp_loaded) {
		if (m->in_scope)
		{
			char fix[STR_LONG * 3];

			snprintf(fix, sizeof(fix), "modprobe rmcp now (the MTYPE guard arms at "
				 "once); for the noretry/vm_fragment_size policy too it must load "
				 "before amdgpu: %s", order_fix(m));
			add_finding(m, "rmcp-not-loaded", SEV_PROBLEM, NULL, fix,
				    "rmcp is not loaded: no gfx10 GPU is covered");
		}
		return;
	}
	if (!strcmp(m->rmcp_state, RMCP_STATE_REFUSED))
		add_finding(m, "rmcp-refused", SEV_PROBLEM, NULL, NULL,
			    "rmcp refused to arm: %s", *m->rmcp_reason ? m->rmcp_reason :
			    "no reason given");
	else if (!strcmp(m->rmcp_state, RMCP_STATE_DEGRADED))
		add_finding(m, "rmcp-degraded", SEV_PROBLEM, NULL,
			    "reload rmcp (modprobe -r rmcp && modprobe rmcp) and report the "
			    "kernel and workload if it recurs",
			    "rmcp is degraded: %s%s%llu mapping(s) escaped the guard (kretprobe "
			    "nmissed)", m->rmcp_reason, *m->rmcp_reason ? "; " : "",
			    (unsigned long long)(m->rmcp_nmissed.known ? m->rmcp_nmissed.v : 0));
	else if (!strcmp(m->rmcp_state, RMCP_STATE_DISABLED))
		add_finding(m, "rmcp-disabled", SEV_WARNING, NULL,
			    "echo Y > /sys/module/rmcp/parameters/enable (and remove enable=0 "
			    "from /etc/modprobe.d)",
			    "rmcp is loaded but disabled (enable=N): it guards nothing, so no "
			    "GPU is covered");
	else if (!strcmp(m->rmcp_state, RMCP_STATE_IDLE) && matched)
		add_finding(m, "rmcp-idle", SEV_PROBLEM, NULL, NULL,
			    "rmcp matched %u GPU(s) but is idle, not armed%s%s", matched,
			    *m->rmcp_reason ? ": " : "", m->rmcp_reason);
	else if (!*m->rmcp_state)
		add_finding(m, "rmcp-state-unknown", SEV_PROBLEM, NULL, NULL,
			    "rmcp's state could not be read");
	if (!strcmp(m->rmcp_selftest, RMCP_SELFTEST_FAIL))
		add_finding(m, "rmcp-selftest-failed", SEV_PROBLEM, NULL, NULL,
			    "rmcp's arm-time self-test failed: the hook did not turn a CC "
			    "request into NC on this kernel, so rmcp does not rewrite anything");
	if (m->rmcp_nmissed.known && m->rmcp_nmissed.v &&
	    strcmp(m->rmcp_state, RMCP_STATE_DEGRADED))
		add_finding(m, "rmcp-nmissed", SEV_WARNING, NULL, NULL,
			    "the kretprobe missed %llu call(s)",
			    (unsigned long long)m->rmcp_nmissed.v);
}

/* Why a GPU has no driver, from the kernel log when it says. */
static void diagnose_unbound(struct model *m, struct gpu *g)
{
	const char *b = g->bdf;
	char fw_fix[STR_LONG * 2];
	bool firmware = false;
	size_t i;

	/* amdgpu often loads from the initramfs: the firmware must be in it too */
	snprintf(fw_fix, sizeof(fw_fix), "install the GPU firmware package (Debian: "
		 "firmware-amd-graphics; Ubuntu, Fedora: linux-firmware; with amdgpu-dkms: "
		 "amdgpu-dkms-firmware), run %s (when amdgpu loads from the initramfs, the "
		 "firmware must be in it too), and reboot", m->initramfs_cmd);
	if (!m->amdgpu_loaded) {
		add_finding(m, "amdgpu-not-loaded", SEV_PROBLEM, b,
			    "modprobe amdgpu; if it is blacklisted or the kernel command line "
			    "has nomodeset or modprobe.blacklist=amdgpu (see /proc/cmdline), "
			    "remove that and reboot",
			    "no driver drives this GPU: amdgpu is not loaded (not rmcp's table: "
			    "nothing can cover a GPU no driver runs)");
		return;
	}
	if (m->log_ok && m->faults)
		for (i = 0; i < m->faults->nevents; i++) {
			const struct log_event *e = &m->faults->events[i];

			if (strcmp(e->device, b) ||
			    (e->kind != EV_FIRMWARE && e->kind != EV_PROBE_FAILED))
				continue;
			firmware |= e->kind == EV_FIRMWARE;
			if (!*g->probe_failure || e->kind == EV_FIRMWARE)
				snprintf(g->probe_failure, sizeof(g->probe_failure), "%s", e->text);
		}
	if (*g->probe_failure)
		add_finding(m, "amdgpu-probe-failed", SEV_PROBLEM, b,
			    firmware ? fw_fix : "read the kernel log around it (dmesg | grep "
			    "-i amdgpu) and report it to your distribution or AMD",
			    "amdgpu is loaded but did not bind this GPU; the kernel log says: %s",
			    g->probe_failure);
	else
		add_finding(m, "amdgpu-not-bound", SEV_PROBLEM, b,
			    "look for this GPU's address in the kernel log (sudo dmesg | grep "
			    "-i amdgpu): a missing firmware file is the usual cause",
			    "amdgpu is loaded but did not bind this GPU (no driver)%s%s",
			    m->log_tried && !m->log_ok ? "; the kernel log could not be read: " : "",
			    m->log_tried && !m->log_ok ? m->log_why : "");
}

static void diagnose_policy_too_late(struct model *m, struct gpu *g)
{
	int64_t frag = m->amdgpu_vm_fragment_size.known ? m->amdgpu_vm_fragment_size.v : -2;
	bool nr_ok, frag_ok;

	/* what amdgpu applied by itself: its parameters, or its gfx10 defaults */
	if (frag == -1 || (frag >= 0 && (frag < 4 || frag > 9)))
		frag = 9;
	nr_ok = !m->p_noretry.known || m->p_noretry.v < 0 ||
		(g->noretry_effective.known && g->noretry_effective.v == m->p_noretry.v);
	frag_ok = !m->p_vm_fragment_size.known || m->p_vm_fragment_size.v < 0 ||
		  frag == m->p_vm_fragment_size.v;
	if (m->p_noretry.known && m->p_vm_fragment_size.known && nr_ok && frag_ok)
		add_finding(m, "policy-too-late", SEV_INFO, g->bdf, NULL,
			    "amdgpu initialised this GPU before rmcp loaded, but what it runs "
			    "with already equals rmcp's policy (noretry=%lld, vm_fragment_size=%lld): "
			    "nothing to fix", (long long)(g->noretry_effective.known ?
			    g->noretry_effective.v : m->p_noretry.v), (long long)frag);
	else
		add_finding(m, "policy-too-late", SEV_PROBLEM, g->bdf, order_fix(m),
			    "amdgpu initialised this GPU before rmcp loaded and runs with %s%s%s "
			    "instead of rmcp's policy (the MTYPE guard still works)",
			    nr_ok ? "" : "another noretry", !nr_ok && !frag_ok ? " and " : "",
			    frag_ok ? "" : "another vm_fragment_size");
}

/* Where the noretry=0 this GPU runs with comes from, and how to undo it for good. */
static const char *noretry_fix(const struct model *m, const struct gpu *g, char *fix,
			       size_t len)
{
	const struct rmcp_dev_state *d = &g->rmcp;
	/* rmcp applies its policy to the GPUs it matches, once armed */
	bool matched = d->present && !strcmp(m->rmcp_state, RMCP_STATE_ARMED) &&
		       (!strcmp(d->matched, RMCP_MATCH_TABLE) ||
			!strcmp(d->matched, RMCP_MATCH_EXTRA));

	if (!strcmp(g->noretry_basis, "rmcp policy"))
		snprintf(fix, len, "remove noretry=0 from the \"options rmcp\" line of "
			 "/etc/modprobe.d/rmcp.conf (rmcp's default is noretry=1), run %s, and "
			 "reboot", m->initramfs_cmd);
	else if (strcmp(g->noretry_basis, "amdgpu.noretry"))
		/* amdgpu's own default: rmcp's policy, or amdgpu's parameter */
		snprintf(fix, len, matched ? "%s (rmcp's policy noretry=1 then applies to "
			 "this GPU)" : "add \"options amdgpu noretry=1\" to "
			 "/etc/modprobe.d/amdgpu.conf, run %s, and reboot",
			 matched ? order_fix(m) : m->initramfs_cmd);
	else if (strstr(m->noretry_origin, "/proc/cmdline"))
		snprintf(fix, len, "remove amdgpu.noretry=0 from the kernel command line (the "
			 "boot loader's configuration) and reboot");
	else if (*m->noretry_origin)
		snprintf(fix, len, "remove noretry=0 from the \"options amdgpu\" line of %s, "
			 "run %s, and reboot", m->noretry_origin, m->initramfs_cmd);
	else
		snprintf(fix, len, "remove amdgpu.noretry=0 where it is set (the kernel command "
			 "line, or an \"options amdgpu\" line under /etc/modprobe.d), run %s, "
			 "and reboot", m->initramfs_cmd);
	return fix;
}

static void diagnose_hsa(struct model *m, struct gpu *g)
{
	const char *b = g->bdf, *fam;
	char fix[STR_LONG];
	struct version3 v;

	switch (g->hsa_verdict) {
	case HSA_UNSET:
		break;
	case HSA_INVALID:
		/* the same value without the blanks, when that is one */
		if (!parse_version3(g->hsa_value, strlen(g->hsa_value), &v) &&
		    !strchr(g->hsa_value, '\\'))
			snprintf(fix, sizeof(fix), "export %s=%u.%u.%u (no blanks or other "
				 "characters around it), or unset it", g->hsa_var, v.major,
				 v.minor, v.rev);
		else
			snprintf(fix, sizeof(fix), "unset %s, or set it to exactly "
				 "major.minor.step", g->hsa_var);
		add_finding(m, "hsa-override-invalid", SEV_PROBLEM, b, fix,
			    "%s=\"%s\" is rejected by the ROCm runtime (it accepts exactly "
			    "major.minor.step and nothing after it): ROCm fails to start on this "
			    "machine", g->hsa_var, g->hsa_value);
		break;
	case HSA_SAME:
		add_finding(m, "hsa-override-same", SEV_INFO, b, NULL,
			    "%s=%s names this GPU's own target %s: not needed", g->hsa_var,
			    g->hsa_value, g->hsa_target);
		break;
	case HSA_COMPATIBLE:
		fam = gfx_family(g->hsa_target);
		add_finding(m, "hsa-override-compatible", SEV_INFO, b, NULL,
			    "%s=%s runs %s code on this %s GPU: the same ISA family (%s), "
			    "a setup ROCm runs; not a cause of memory faults by itself",
			    g->hsa_var, g->hsa_value, g->hsa_target,
			    *g->kfd_gfx_target ? g->kfd_gfx_target : g->gfx_target,
			    fam ? fam : "?");
		break;
	case HSA_UNKNOWN_TARGET:
		add_finding(m, "hsa-override-unchecked", SEV_WARNING, b, NULL,
			    "%s=%s (%s) is set; this GPU's own target is not known, so it "
			    "cannot be compared", g->hsa_var, g->hsa_value, g->hsa_target);
		break;
	case HSA_MISMATCH:
		snprintf(fix, sizeof(fix), "unset %s and use a ROCm/PyTorch build that "
			 "ships code for %s", g->hsa_var,
			 *g->kfd_gfx_target ? g->kfd_gfx_target : g->gfx_target);
		fam = gfx_family(g->hsa_target);
		add_finding(m, "hsa-override-mismatch", SEV_PROBLEM, b, fix,
			    "%s=%s makes ROCm run %s code on this %s GPU, %s: "
			    "the most common cause of \"Memory access fault ... Page not "
			    "present\" on these cards; rmcp cannot fix that",
			    g->hsa_var, g->hsa_value, g->hsa_target,
			    *g->kfd_gfx_target ? g->kfd_gfx_target : g->gfx_target,
			    fam && fam == gfx_family(*g->kfd_gfx_target ? g->kfd_gfx_target :
						     g->gfx_target) ?
			    "code that may use instructions this GPU lacks" :
			    "another ISA family");
		break;
	}
}

/* ROCm's device index of each in-scope dGPU: its rank among KFD's GPU nodes. */
static void dgpu_indexes(const struct model *m, char *out, size_t outlen)
{
	size_t i, k, len = 0;

	out[0] = '\0';
	for (i = 0; i < m->ngpus; i++) {
		const struct gpu *g = &m->gpus[i];
		unsigned int rank = 0;

		if (!g->in_scope || g->apu || g->kfd_node < 0)
			continue;
		for (k = 0; k < m->nkfd; k++)
			rank += *m->kfd[k].bdf && m->kfd[k].id < (unsigned int)g->kfd_node;
		len += (size_t)snprintf(out + len, outlen > len ? outlen - len : 0, "%s%u",
					len ? "," : "", rank);
	}
}

static void diagnose_igpu(struct model *m, struct gpu *g)
{
	char idx[64], fix[STR_LONG * 2];

	dgpu_indexes(m, idx, sizeof(idx));
	if (*idx && ((m->rocr_visible_set && !strcmp(m->rocr_visible, idx)) ||
		     (m->hip_visible_set && !strcmp(m->hip_visible, idx)))) {
		add_finding(m, "igpu-hidden", SEV_INFO, g->bdf, NULL,
			    "an APU (%s) next to a discrete GPU, hidden from ROCm: %s=%s "
			    "names only the discrete GPU", *g->gfx_target ? g->gfx_target : "gfx10",
			    m->rocr_visible_set && !strcmp(m->rocr_visible, idx) ?
			    "ROCR_VISIBLE_DEVICES" : "HIP_VISIBLE_DEVICES", idx);
		return;
	}
	snprintf(fix, sizeof(fix), "to keep ROCm jobs on the discrete GPU, export "
		 "ROCR_VISIBLE_DEVICES=%s (or HIP_VISIBLE_DEVICES=%s), or disable the iGPU in "
		 "the firmware setup%s%s", *idx ? idx : "<the dGPU's ROCm index>",
		 *idx ? idx : "<index>", m->rocr_visible_set ? "; ROCR_VISIBLE_DEVICES is now " : "",
		 m->rocr_visible_set ? m->rocr_visible : "");
	add_finding(m, "igpu-visible", SEV_INFO, g->bdf, fix,
		    "an APU (%s) next to a discrete GPU: ROCm sees it as a device of its own and "
		    "may run on it; rmcp leaves APUs alone unless apu=1, which is not a problem "
		    "of rmcp's", *g->gfx_target ? g->gfx_target : "gfx10");
}

static void diagnose_gpu(struct model *m, struct gpu *g)
{
	const char *b = g->bdf;
	const struct rmcp_dev_state *d = &g->rmcp;
	char fix[STR_LONG * 3];

	if (g->gfx10 && g->binding == BIND_PASSTHROUGH) {
		add_finding(m, "passthrough", SEV_INFO, b, NULL,
			    "bound to %s: handed to a virtual machine; amdgpu and rmcp on this "
			    "host do not drive it (run rmcp-probe inside the guest)", g->driver);
		return;
	}
	if (g->gfx10 && g->binding == BIND_OTHER) {
		add_finding(m, "not-amdgpu", SEV_WARNING, b, NULL,
			    "bound to %s, not amdgpu: rmcp only acts on amdgpu", g->driver);
		return;
	}
	if (g->igpu_trap) {
		diagnose_igpu(m, g);
		return;
	}
	if (!g->in_scope)
		return;
	if (g->suspended)
		add_finding(m, "runtime-suspended", SEV_INFO, b, NULL,
			    "runtime-suspended: not woken up to ask libdrm; shown from sysfs");
	if (g->binding == BIND_AMDGPU && g->render_access_known &&
	    (g->render_access == -EACCES || g->render_access == -EPERM)) {
		snprintf(fix, sizeof(fix), "add the user to the group that owns it (ls -l %s; "
			 "render on current distributions, video on older ones), e.g. sudo "
			 "usermod -aG render,video $USER, then log in again: a new group applies "
			 "to new sessions only (id shows this session's groups)", g->render_node);
		add_finding(m, "render-access", SEV_WARNING, b, fix,
			    "%s: %s: ROCm cannot use this GPU as %s (checked with this process's "
			    "own groups, which are its login session's, not /etc/group's)",
			    g->render_node, strerror(-g->render_access),
			    m->env_source != ENV_PROCESS ? "root" : "this user");
	}
	if (*g->drm_error)
		add_finding(m, "drm-error", SEV_INFO, b,
			    "run as a member of the render group, or as root",
			    "%s; shown from sysfs and rmcp's table only", g->drm_error);

	/* the table's gap is true whoever drives the GPU */
	if (*g->extra_ids_line)
		snprintf(fix, sizeof(fix), "add \"%s\" to /etc/modprobe.d/rmcp.conf, "
			 "run %s, and reboot (extra_ids is read when rmcp loads%s)",
			 g->extra_ids_line, m->initramfs_cmd, m->rmcp_loaded ?
			 "; the loaded rmcp cannot take it" : "");
	else
		fix[0] = '\0';
	if (!d->present && *g->extra_ids_line)
		add_finding(m, "not-in-table", SEV_PROBLEM, b, fix,
			    "gfx10 GPU 1002:%04x (GC %u.%u.%u) is not in rmcp's table",
			    g->device_id, g->gc.major, g->gc.minor, g->gc.rev);
	if (g->binding == BIND_NONE) {
		/* a gfx10 GPU nothing drives; extra_ids test devices (ati-vga) have no driver */
		if (g->gfx10)
			diagnose_unbound(m, g);
	} else {
		/* matching: rmcp saw amdgpu probe it */
		if (m->rmcp_loaded && !d->present && g->gfx10 && g->in_table)
			add_finding(m, "rmcp-no-device", SEV_PROBLEM, b,
				    "reload rmcp (modprobe -r rmcp && modprobe rmcp) and report "
				    "the kernel and rmcp version if it stays absent",
				    "amdgpu drives this GPU and it is in rmcp's table, but rmcp does "
				    "not list it under %s/%s", RMCP_SYSFS_MODULE, RMCP_SYSFS_DEVICES);
		if (d->present) {
			if (!strcmp(d->matched, RMCP_MATCH_NONE))
				add_finding(m, "not-matched", SEV_PROBLEM, b, *fix ? fix : NULL,
					    "rmcp did not match this GPU%s", g->in_table ? "" :
					    " (not in its table)");
			else if (!strcmp(d->matched, RMCP_MATCH_APU_OFF)) {
				snprintf(fix, sizeof(fix), "add \"options rmcp apu=1\" to "
					 "/etc/modprobe.d/rmcp.conf, run %s, and reboot (APUs "
					 "are opt-in)", m->initramfs_cmd);
				add_finding(m, "apu-disabled", SEV_PROBLEM, b, fix,
					    "APU not covered: rmcp's apu parameter is off");
			} else if (!strcmp(d->matched, RMCP_MATCH_EXCLUDED))
				add_finding(m, "excluded", SEV_INFO, b, NULL,
					    "excluded by exclude_ids=%s", m->p_exclude_ids);
			if (!strcmp(d->policy, RMCP_POLICY_TOO_LATE))
				diagnose_policy_too_late(m, g);
		}
		if (g->noretry_effective.known && g->noretry_effective.v == 0)
			add_finding(m, "noretry-0", SEV_WARNING, b, noretry_fix(m, g, fix, sizeof(fix)),
				    "noretry=0 (%s%s%s): retry faults are ENABLED; on gfx10 a bad "
				    "access can then loop in hardware until a ~10 s hang instead "
				    "of a clean fault", g->noretry_basis,
				    *m->noretry_origin ? ", set in " : "", m->noretry_origin);
	}
	diagnose_hsa(m, g);

	switch (g->check.result) {
	case CHECK_NOT_RUN:
	case CHECK_PASS:
		break;
	case CHECK_CANNOT_PROVE:
		add_finding(m, "check-cannot-prove", SEV_PROBLEM, b, NULL, "--check: %s",
			    g->check.detail);
		break;
	case CHECK_FAIL:
		add_finding(m, "check-failed", SEV_PROBLEM, b, NULL, "--check: %s",
			    g->check.detail);
		break;
	case CHECK_ERROR:
		add_finding(m, "check-error", SEV_PROBLEM, b, NULL, "--check: %s",
			    g->check.detail);
		break;
	}
	/* never an all-clear for a GPU that is not covered */
	if (!g->covered && !gpu_has_problem(m, g)) {
		bool excluded = d->present && !strcmp(d->matched, RMCP_MATCH_EXCLUDED);

		if (excluded)
			snprintf(fix, sizeof(fix), "if it is not excluded on purpose: remove "
				 "%04x:%04x from exclude_ids in the \"options rmcp\" line of "
				 "/etc/modprobe.d/rmcp.conf, run %s, and reboot (exclude_ids is "
				 "read when rmcp loads)", g->vendor_id, g->device_id,
				 m->initramfs_cmd);
		add_finding(m, "not-covered", SEV_PROBLEM, b, excluded ? fix : NULL,
			    "not covered: rmcp is %s and %s", m->rmcp_loaded ?
			    (*m->rmcp_state ? m->rmcp_state : "in an unknown state") : "not loaded",
			    !d->present ? "does not list this GPU" : !*d->matched ?
			    "its matched file for this GPU is unreadable" : excluded ?
			    "excluded it (exclude_ids)" : "matched it");
	}
}

static void diagnose_environment(struct model *m)
{
	size_t i;

	if (m->env_source == ENV_SUDO_USER)
		add_finding(m, "sudo-environment", SEV_INFO, NULL, NULL,
			    "running under sudo: ROCm's variables are read from the environment "
			    "%s passed to sudo, not root's", m->sudo_user);
	else if (m->env_source == ENV_SUDO_ROOT)
		add_finding(m, "sudo-environment", SEV_WARNING, NULL,
			    "run rmcp-probe without sudo (or with sudo --preserve-env) to check "
			    "the variables your ROCm jobs see",
			    "running under sudo: root's environment is not what %s's ROCm jobs "
			    "see, and theirs could not be read (%s): HSA_OVERRIDE_GFX_VERSION "
			    "was not checked", m->sudo_user, m->env_why);
	for (i = 0; i < m->nhsa_nodes; i++)
		if (!m->hsa_nodes[i].mapped)
			add_finding(m, "hsa-override-node", SEV_WARNING, NULL, NULL,
				    "HSA_OVERRIDE_GFX_VERSION_%u is set, but %s", m->hsa_nodes[i].node,
				    m->kfd_present ? "no GPU here is that KFD node" :
				    "there is no KFD topology (/sys/class/kfd) to say which GPU "
				    "that node is");
}

static void diagnose_faults(struct model *m)
{
	const struct fault_report *r = m->faults;
	unsigned int total = 0, lost = 0;
	size_t i;

	if (!m->faults_requested || !r)
		return;
	for (i = 0; i < r->nfaults; i++) {
		total += r->faults[i].count;
		lost += r->faults[i].gpu_lost;
	}
	if (total)
		add_finding(m, "gpu-faults", SEV_WARNING, NULL, NULL,
			    "%u GPU VM fault(s) in %s, %zu kind(s): see Faults", total,
			    m->faults_source, r->nfaults);
	if (lost)
		add_finding(m, "gpu-lost", SEV_WARNING, NULL,
			    "a GPU that reads as 0xFFFFFFFF fell off the bus or hung: check "
			    "power, the riser/slot, and the kernel log for a reset",
			    "a fault status of 0xFFFFFFFF: the GPU no longer answered register "
			    "reads when it faulted");
}

/* /dev/kfd: ROCm's device. Asked with this process's own groups. */
static void diagnose_kfd_access(struct model *m)
{
	bool amdgpu_gpu = false, sudo = m->env_source != ENV_PROCESS;
	size_t i;

	for (i = 0; i < m->ngpus; i++)
		amdgpu_gpu |= m->gpus[i].in_scope && m->gpus[i].binding == BIND_AMDGPU;
	/* root opens anything: under sudo the answer says nothing of the user */
	if (amdgpu_gpu && sudo && m->kfd_access_known && !m->kfd_access)
		add_finding(m, "sudo-device-access", SEV_INFO, NULL,
			    "run rmcp-probe as that user, without sudo, to check their access",
			    "running under sudo: /dev/kfd and the render nodes were checked as "
			    "root, not as %s, whose ROCm jobs must open them with their own "
			    "session's groups", m->sudo_user);
	if (!amdgpu_gpu || !m->kfd_access_known || !m->kfd_access)
		return;
	if (m->kfd_access == -EACCES || m->kfd_access == -EPERM)
		add_finding(m, "kfd-access", SEV_WARNING, NULL,
			    "add the user to the group that owns /dev/kfd (ls -l /dev/kfd; "
			    "render on current distributions, video on older ones), e.g. sudo "
			    "usermod -aG render,video $USER, then log in again: a new group "
			    "applies to new sessions only (id shows this session's groups)",
			    "/dev/kfd: %s: ROCm cannot use the GPU as %s (checked with this "
			    "process's own groups, which are its login session's, not /etc/group's)",
			    strerror(-m->kfd_access), sudo ? "root" : "this user");
	else if (m->kfd_access == -ENOENT)
		add_finding(m, "kfd-missing", SEV_WARNING, NULL,
			    "in a container, pass /dev/kfd and /dev/dri through; otherwise use a "
			    "kernel built with CONFIG_HSA_AMD=y (distribution kernels usually are)",
			    "no /dev/kfd: ROCm cannot run here although amdgpu drives a gfx10 GPU");
	else
		add_finding(m, "kfd-access", SEV_WARNING, NULL, NULL,
			    "/dev/kfd: %s: ROCm may not be able to open it",
			    strerror(-m->kfd_access));
}

void diagnose(struct model *m)
{
	unsigned int matched = 0;
	bool check_error = false;
	size_t i;

	m->in_scope = m->covered = 0;
	for (i = 0; i < m->ngpus; i++) {
		struct gpu *g = &m->gpus[i];

		m->in_scope += g->in_scope;
		m->covered += g->in_scope && g->covered;
		matched += g->rmcp.present && (!strcmp(g->rmcp.matched, RMCP_MATCH_TABLE) ||
					       !strcmp(g->rmcp.matched, RMCP_MATCH_EXTRA));
		check_error |= g->check.result == CHECK_ERROR;
	}
	if (m->in_scope || m->rmcp_loaded) {
		diagnose_kernel(m);
		diagnose_security(m);
	}
	diagnose_rmcp(m, matched);
	diagnose_environment(m);
	diagnose_kfd_access(m);
	for (i = 0; i < m->ngpus; i++)
		diagnose_gpu(m, &m->gpus[i]);
	diagnose_faults(m);
	if (!m->in_scope) {
		bool any = false;

		for (i = 0; i < m->ngpus; i++)
			any |= m->gpus[i].gfx10;
		add_finding(m, "no-gfx10-gpu", SEV_INFO, NULL, NULL, any ?
			    "no gfx10 (RDNA1/RDNA2) GPU that this host's amdgpu drives: rmcp "
			    "has nothing to do here" :
			    "no gfx10 (RDNA1/RDNA2) GPU found: rmcp has nothing to do here");
	}

	m->problems = m->warnings = 0;
	for (i = 0; i < m->nfindings; i++) {
		m->problems += m->findings[i].sev == SEV_PROBLEM;
		m->warnings += m->findings[i].sev == SEV_WARNING;
	}
	if (check_error || m->oom)
		m->exit_code = 2;
	else if (!m->in_scope)
		m->exit_code = 3;
	else
		m->exit_code = m->problems ? 1 : 0;
}
