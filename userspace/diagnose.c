// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe: turn the model into findings and an exit code.
 *
 * Wording rule: say what rmcp does, never more. The MTYPE rewrite is a guard
 * that rarely fires on gfx10; it does not fix out-of-bounds accesses in
 * libraries, a wrong ISA override, or firmware and kernel regressions.
 */
#include <stdio.h>
#include <string.h>

#include <rmcp/sysfs.h>

#include "ids.h"
#include "probe.h"

#define FIX_ORDER "install packaging/modprobe.d/rmcp.conf as /etc/modprobe.d/rmcp.conf " \
	"(softdep amdgpu pre: rmcp), rebuild the initramfs (update-initramfs -u) and reboot"

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
			    "kernel %s is older than rmcp's oldest ABI row (6.1): rmcp loads "
			    "but refuses to arm", m->kernel_release);
	else if (m->kernel_range > 0)
		add_finding(m, "kernel-untested", m->rmcp_loaded &&
			    !strcmp(m->rmcp_selftest, RMCP_SELFTEST_PASS) ? SEV_INFO : SEV_WARNING,
			    NULL, NULL,
			    "kernel %s is outside the kernels rmcp was tested on (6.1, 6.12, "
			    "7.2): rmcp arms only if its arm-time self-test passes%s",
			    m->kernel_release, m->rmcp_loaded &&
			    !strcmp(m->rmcp_selftest, RMCP_SELFTEST_PASS) ?
			    "; here it passed" : "");
}

static void diagnose_rmcp(struct model *m, unsigned int matched)
{
	if (!m->rmcp_loaded) {
		if (m->in_scope)
			add_finding(m, "rmcp-not-loaded", SEV_PROBLEM, NULL,
				    "modprobe rmcp (for the parameter policy it must load before "
				    "amdgpu: " FIX_ORDER ")",
				    "rmcp is not loaded: no gfx10 GPU is covered");
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
			    "echo 1 > /sys/module/rmcp/parameters/enable",
			    "rmcp is loaded but disabled (enable=N)");
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

static void diagnose_gpu(struct model *m, struct gpu *g)
{
	const char *b = g->bdf;
	const struct rmcp_dev_state *d = &g->rmcp;
	char target[16];

	if (!g->in_scope)
		return;
	if (*g->driver && strcmp(g->driver, "amdgpu"))
		add_finding(m, "not-amdgpu", SEV_WARNING, b, NULL,
			    "bound to %s, not amdgpu: rmcp only acts on amdgpu", g->driver);
	if (*g->drm_error)
		add_finding(m, "drm-error", SEV_INFO, b,
			    "run as a member of the render group, or as root",
			    "%s; shown from sysfs and rmcp's table only", g->drm_error);

	/* matching */
	if (m->rmcp_loaded && !d->present && g->gfx10)
		add_finding(m, "rmcp-no-device", SEV_PROBLEM, b, g->extra_ids_line,
			    "rmcp does not list this GPU under %s/%s%s", RMCP_SYSFS_MODULE,
			    RMCP_SYSFS_DEVICES, g->in_table ? "" : " (it is not in rmcp's table)");
	else if (!d->present && *g->extra_ids_line)
		add_finding(m, "not-in-table", SEV_PROBLEM, b, g->extra_ids_line,
			    "gfx10 GPU 1002:%04x (GC %u.%u.%u) is not in rmcp's table", g->device_id,
			    g->gc.major, g->gc.minor, g->gc.rev);
	if (d->present) {
		if (!strcmp(d->matched, RMCP_MATCH_NONE))
			add_finding(m, "not-matched", SEV_PROBLEM, b, *g->extra_ids_line ?
				    g->extra_ids_line : NULL,
				    "rmcp did not match this GPU%s", g->in_table ? "" :
				    " (not in its table)");
		else if (!strcmp(d->matched, RMCP_MATCH_APU_OFF))
			add_finding(m, "apu-disabled", SEV_PROBLEM, b,
				    "options rmcp apu=1 in /etc/modprobe.d/rmcp.conf, then reload "
				    "rmcp (APUs are opt-in)",
				    "APU not covered: rmcp's apu parameter is off");
		else if (!strcmp(d->matched, RMCP_MATCH_EXCLUDED))
			add_finding(m, "excluded", SEV_INFO, b, NULL,
				    "excluded by exclude_ids=%s", m->p_exclude_ids);
		if (!strcmp(d->policy, RMCP_POLICY_TOO_LATE))
			add_finding(m, "policy-too-late", SEV_PROBLEM, b, FIX_ORDER,
				    "amdgpu initialised this GPU before rmcp loaded: the noretry / "
				    "vm_fragment_size policy did not apply (the MTYPE guard still "
				    "works)");
	}

	if (g->noretry_effective.known && g->noretry_effective.v == 0)
		add_finding(m, "noretry-0", SEV_WARNING, b,
			    "keep rmcp's default policy noretry=1 and load rmcp before amdgpu, "
			    "or set amdgpu.noretry=1",
			    "noretry=0 (%s): retry faults are ENABLED; on gfx10 a bad access can "
			    "then loop in hardware until a ~10 s hang instead of a clean fault",
			    g->noretry_basis);

	switch (hsa_compare(m->hsa_set ? m->hsa_override : NULL, g->gfx_target, target,
			    sizeof(target))) {
	case HSA_UNSET:
		break;
	case HSA_INVALID:
		add_finding(m, "hsa-override-invalid", SEV_WARNING, b,
			    "unset HSA_OVERRIDE_GFX_VERSION",
			    "HSA_OVERRIDE_GFX_VERSION=%s is not a major.minor.step version",
			    m->hsa_override);
		break;
	case HSA_SAME:
		add_finding(m, "hsa-override-same", SEV_INFO, b, NULL,
			    "HSA_OVERRIDE_GFX_VERSION=%s names this GPU's own target %s: not needed",
			    m->hsa_override, g->gfx_target);
		break;
	case HSA_UNKNOWN_TARGET:
		add_finding(m, "hsa-override-unchecked", SEV_WARNING, b, NULL,
			    "HSA_OVERRIDE_GFX_VERSION=%s (%s) is set; this GPU's own target is "
			    "not known, so it cannot be compared", m->hsa_override, target);
		break;
	case HSA_MISMATCH:
		add_finding(m, "hsa-override-mismatch", SEV_PROBLEM, b,
			    "unset HSA_OVERRIDE_GFX_VERSION and use a ROCm/PyTorch build that "
			    "ships code for this GPU's target",
			    "HSA_OVERRIDE_GFX_VERSION=%s makes ROCm run %s code on this %s GPU: "
			    "the most common cause of \"Memory access fault ... Page not "
			    "present\" on these cards; rmcp cannot fix that",
			    m->hsa_override, target, g->gfx_target);
		break;
	}

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
	for (i = 0; i < m->ngpus; i++)
		diagnose_gpu(m, &m->gpus[i]);
	if (!m->in_scope)
		add_finding(m, "no-gfx10-gpu", SEV_INFO, NULL, NULL,
			    "no gfx10 (RDNA1/RDNA2) GPU found: rmcp has nothing to do here");

	m->problems = m->warnings = 0;
	for (i = 0; i < m->nfindings; i++) {
		m->problems += m->findings[i].sev == SEV_PROBLEM;
		m->warnings += m->findings[i].sev == SEV_WARNING;
	}
	if (check_error)
		m->exit_code = 2;
	else if (!m->in_scope)
		m->exit_code = 3;
	else
		m->exit_code = m->problems ? 1 : 0;
}
