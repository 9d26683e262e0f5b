// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: the model as text for people. */
#include <stdio.h>
#include <string.h>

#include <rmcp/sysfs.h>

#include "probe.h"

#ifndef RMCP_VERSION
#define RMCP_VERSION "unknown"
#endif

static const char *or_unknown(const char *s)
{
	return *s ? s : "unknown";
}

static void opt_int(FILE *f, const struct opt_int *v)
{
	if (v->known)
		fprintf(f, "%lld", (long long)v->v);
	else
		fputs("?", f);
}

static void opt_u64(FILE *f, const char *name, const struct opt_u64 *v, const char *sep)
{
	if (v->known)
		fprintf(f, "%s %llu%s", name, (unsigned long long)v->v, sep);
	else
		fprintf(f, "%s ?%s", name, sep);
}

static const char *noretry_meaning(const struct opt_int *v)
{
	if (!v->known)
		return "unknown";
	return v->v == 0 ? "retry faults ENABLED" : v->v == 1 ? "retry faults disabled" :
	       "auto: amdgpu's default";
}

static const char *frag_meaning(const struct opt_int *v)
{
	if (!v->known)
		return "unknown";
	return v->v < 0 ? "auto: 9 on gfx10" : v->v == 9 ? "2 MiB fragments" : "";
}

static void text_gpu(FILE *f, const struct model *m, const struct gpu *g)
{
	const struct rmcp_dev_state *d = &g->rmcp;

	fprintf(f, "GPU %s  %04x:%04x rev %02x", g->bdf, g->vendor_id, g->device_id,
		g->revision);
	if (*g->marketing_name)
		fprintf(f, "  %s", g->marketing_name);
	fputc('\n', f);
	if (*g->pci_name)
		fprintf(f, "  PCI name:  %s\n", g->pci_name);
	fprintf(f, "  Driver:    %s", *g->driver ? g->driver : "none");
	if (g->binding == BIND_PASSTHROUGH)
		fputs(" (passed through to a VM)", f);
	if (*g->render_node)
		fprintf(f, ", %s", g->render_node);
	if (g->suspended)
		fputs(" (runtime-suspended, not woken)", f);
	if (g->kfd_node >= 0)
		fprintf(f, ", KFD node %d", g->kfd_node);
	fputc('\n', f);
	if (g->nfw) {
		size_t i;

		fputs("  Firmware: ", f);
		for (i = 0; i < g->nfw; i++)
			fprintf(f, "%s %s 0x%08x", i ? "," : "", g->fw[i].name, g->fw[i].v);
		fputc('\n', f);
	}
	if (g->gc_source != GC_NONE) {
		fprintf(f, "  GC:        %u.%u.%u (from %s)", g->gc.major, g->gc.minor, g->gc.rev,
			g->gc_source == GC_HW_IP ? "libdrm HW IP info" :
			g->gc_source == GC_SYSFS ? "sysfs ip_discovery" : "rmcp's PCI-ID table");
		if (g->gfx10)
			fprintf(f, ": gfx10, RDNA%u", g->rdna);
		else if (g->rdna)
			fprintf(f, ": not gfx10 (RDNA%u)", g->rdna);
		else
			fputs(": not gfx10", f);
		if (*g->gfx_target)
			fprintf(f, ", %s", g->gfx_target);
		if (g->kind_known)
			fprintf(f, ", %s", g->apu ? "APU" : "dGPU");
		fputc('\n', f);
	} else {
		fprintf(f, "  GC:        unknown (not in rmcp's table, no IP discovery data)%s\n",
			g->in_scope ? "; in scope because extra_ids lists it" : "");
	}
	fprintf(f, "  Table:     %s%s%s\n", g->in_table ? "in rmcp's table (" : "not in rmcp's table",
		g->in_table ? g->chip : "", g->in_table ? ")" : "");
	if (d->present) {
		fprintf(f, "  rmcp:      matched=%s, policy=%s", or_unknown(d->matched),
			or_unknown(d->policy));
		if (!strcmp(d->policy, RMCP_POLICY_APPLIED)) {
			fputs(" (noretry=", f);
			opt_int(f, &d->noretry);
			fputs(", vm_fragment_size=", f);
			opt_int(f, &d->vm_fragment_size);
			fputc(')', f);
		}
		fputc('\n', f);
		fputs("  Counters:  ", f);
		opt_u64(f, "calls", &d->calls, ", ");
		opt_u64(f, "cc_seen", &d->cc_seen, ", ");
		opt_u64(f, "cc_rewritten", &d->cc_rewritten, ", ");
		opt_u64(f, "rejected", &d->rejected, "\n");
	} else if (m->rmcp_loaded) {
		fputs("  rmcp:      does not list this GPU\n", f);
	}
	if (g->noretry_effective.known)
		fprintf(f, "  noretry:   %lld, %s (%s)\n", (long long)g->noretry_effective.v,
			noretry_meaning(&g->noretry_effective), g->noretry_basis);
	if (*g->hsa_var)
		fprintf(f, "  Override:  %s=%s -> %s\n", g->hsa_var, g->hsa_value,
			*g->hsa_target ? g->hsa_target : "rejected by the runtime");
	if (g->check.result != CHECK_NOT_RUN)
		fprintf(f, "  Check:     %s: %s\n", check_result_name(g->check.result),
			g->check.detail);
	if (g->igpu_trap)
		fputs("  Covered:   no, an APU next to a dGPU (see igpu-visible)\n", f);
	else if (g->in_scope)
		fprintf(f, "  Covered:   %s\n", g->covered ? "yes" : "NO");
	else if (g->gfx10)
		fprintf(f, "  Covered:   not on this host (%s drives it)\n", g->driver);
	else
		fputs("  Covered:   not a gfx10 GPU, out of rmcp's scope\n", f);
	fputc('\n', f);
}

static void text_faults(FILE *f, const struct model *m)
{
	const struct fault_report *r = m->faults;
	size_t i;

	fprintf(f, "\nFaults (%s", m->faults_source);
	if (!m->log_ok) {
		fprintf(f, "): not readable: %s\n", m->log_why);
		return;
	}
	fprintf(f, ", %zu lines):\n", r ? r->lines : 0);
	if (!r || (!r->nfaults && !r->nevents && !r->nrocr)) {
		fputs("  no amdgpu GPU fault, reset, ring timeout or firmware failure\n", f);
		return;
	}
	for (i = 0; i < r->nfaults; i++) {
		const struct fault *x = &r->faults[i];

		fprintf(f, "  %s [%s] %ux %spage fault", *x->device ? x->device : "(no device)",
			x->hub, x->count, x->retry == 1 ? "retry " : x->retry == 0 ? "no-retry " : "");
		if (*x->process)
			fprintf(f, ", %s pid %lld", x->process, x->pid);
		fprintf(f, ", address 0x%016llx", (unsigned long long)x->address);
		if (*x->client)
			fprintf(f, ", client %s", x->client);
		if (x->has_status)
			fprintf(f, ", status 0x%08x", x->status.raw);
		if (x->has_status && !x->gpu_lost)
			fprintf(f, " (%s, mapping_error %u, permission_faults 0x%x, walker_error %u)",
				x->status.rw ? "write" : "read", x->status.mapping_error,
				x->status.permission_faults, x->status.walker_error);
		if (*x->first_seen)
			fprintf(f, ", %s%s%s", x->first_seen, x->count > 1 ? " .. " : "",
				x->count > 1 ? x->last_seen : "");
		fprintf(f, "\n      %s\n", x->explanation);
	}
	for (i = 0; i < r->nevents; i++) {
		const struct log_event *e = &r->events[i];

		fprintf(f, "  %s %s %ux: %s\n", *e->device ? e->device : "(no device)",
			log_event_name(e->kind), e->count, e->text);
	}
	for (i = 0; i < r->nrocr; i++) {
		const struct rocr_fault *x = &r->rocr[i];

		fprintf(f, "  ROCr: memory access fault by GPU node-%d (%s) on address 0x%llx%s%s",
			x->node, *x->device ? x->device : "no KFD node of that number here",
			(unsigned long long)x->address, *x->reason ? ": " : "", x->reason);
		if (x->fault >= 0 && *r->faults[x->fault].client)
			fprintf(f, "; the kernel's fault at that page is the %s one above",
				r->faults[x->fault].client);
		else if (x->fault >= 0)
			fprintf(f, "; the kernel's fault at that page is the one of %s at 0x%016llx above",
				*r->faults[x->fault].device ? r->faults[x->fault].device :
				"(no device)", (unsigned long long)(x->address & ~0xfffull));
		fputc('\n', f);
	}
}

void render_text(FILE *f, const struct model *m, bool quiet)
{
	size_t i;

	if (quiet) {
		for (i = 0; i < m->nfindings; i++) {
			const struct finding *x = &m->findings[i];

			if (x->sev != SEV_PROBLEM)
				continue;
			fprintf(f, "rmcp-probe: %s%s%s\n", x->gpu, *x->gpu ? ": " : "", x->message);
		}
		return;
	}
	fprintf(f, "rmcp-probe %s\n", RMCP_VERSION);
	fprintf(f, "Kernel:      %s", or_unknown(m->kernel_release));
	if (m->kernel_known)
		fprintf(f, " (%s)", m->kernel_range == 0 ? "a series rmcp was tested on" :
			m->kernel_range < 0 ? "older than rmcp supports" :
			"not tested with rmcp");
	fputc('\n', f);
	fprintf(f, "Secure Boot: %s", !m->efi.known || !m->efi.v ? "no (not booted via EFI)" :
		!m->secure_boot.known ? "unknown" : m->secure_boot.v ? "on" : "off");
	fprintf(f, ", lockdown %s",
		m->lockdown.known ? lockdown_name((int)m->lockdown.v) : "unknown");
	fprintf(f, ", module signatures %s\n", !m->sig_enforce.known ? "enforcement unknown" :
		m->sig_enforce.v ? "enforced" : "not enforced");
	fprintf(f, "HSA_OVERRIDE_GFX_VERSION: %s", m->hsa_set ? m->hsa_override : "not set");
	if (m->nhsa_nodes)
		fprintf(f, " (+%zu per-node)", m->nhsa_nodes);
	if (m->rocr_visible_set || m->hip_visible_set)
		fprintf(f, "; ROCR_VISIBLE_DEVICES=%s HIP_VISIBLE_DEVICES=%s",
			m->rocr_visible_set ? m->rocr_visible : "(unset)",
			m->hip_visible_set ? m->hip_visible : "(unset)");
	if (m->env_source == ENV_SUDO_USER)
		fprintf(f, " (environment of sudo user %s)", m->sudo_user);
	else if (m->env_source == ENV_SUDO_ROOT)
		fprintf(f, " (root's environment under sudo: %s's unknown)", m->sudo_user);
	fputc('\n', f);
	if (m->kfd_access_known)
		fprintf(f, "/dev/kfd:    %s%s\n", m->kfd_access ? strerror(-m->kfd_access) :
			"read-write for ", m->kfd_access ? "" :
			m->env_source != ENV_PROCESS ? "root (under sudo)" : "this user");
	fputc('\n', f);

	if (!m->ngpus)
		fputs("No AMD GPU found.\n\n", f);
	for (i = 0; i < m->ngpus; i++)
		text_gpu(f, m, &m->gpus[i]);

	if (m->amdgpu_loaded) {
		fputs("amdgpu:      noretry=", f);
		opt_int(f, &m->amdgpu_noretry);
		fprintf(f, " (%s), vm_fragment_size=", noretry_meaning(&m->amdgpu_noretry));
		opt_int(f, &m->amdgpu_vm_fragment_size);
		fprintf(f, " (%s)\n", frag_meaning(&m->amdgpu_vm_fragment_size));
		if (m->amdgpu_out_of_tree.known)
			fprintf(f, "  module:     %s%s%s%s%s%s%s\n", m->amdgpu_out_of_tree.v ?
				"out-of-tree (taint O: amdgpu-dkms or another build)" : "in-tree",
				*m->amdgpu_version ? ", version " : "", m->amdgpu_version,
				*m->amdgpu_srcversion ? ", srcversion " : "", m->amdgpu_srcversion,
				*m->amdgpu_module ? ", modprobe loads " : "", m->amdgpu_module);
		if (*m->noretry_origin)
			fprintf(f, "  noretry set in %s\n", m->noretry_origin);
	} else {
		fputs("amdgpu:      not loaded\n", f);
	}
	if (!m->rmcp_loaded) {
		fputs("rmcp:        not loaded", f);
		if (m->module_signed >= 0)
			fprintf(f, " (%s: %s%s%s)", m->module_sig_basis,
				m->module_signed ? "signed" : "not signed",
				*m->module_signer ? " by " : "", m->module_signer);
		else if (*m->module_sig_basis)
			fprintf(f, " (%s)", m->module_sig_basis);
		fputc('\n', f);
	} else {
		fprintf(f, "rmcp:        %s, state %s", or_unknown(m->rmcp_version),
			or_unknown(m->rmcp_state));
		if (*m->rmcp_reason)
			fprintf(f, " (%s)", m->rmcp_reason);
		fprintf(f, "\n  kernel ABI: %s, self-test: %s, ", or_unknown(m->rmcp_kernel_abi),
			or_unknown(m->rmcp_selftest));
		opt_u64(f, "nmissed", &m->rmcp_nmissed, "\n");
		fprintf(f, "  policy:     enable=%s noretry=",
			!m->p_enable.known ? "?" : m->p_enable.v ? "Y" : "N");
		opt_int(f, &m->p_noretry);
		fputs(" vm_fragment_size=", f);
		opt_int(f, &m->p_vm_fragment_size);
		fprintf(f, " apu=%s extra_ids=%s exclude_ids=%s\n",
			!m->p_apu.known ? "?" : m->p_apu.v ? "Y" : "N",
			*m->p_extra_ids ? m->p_extra_ids : "(none)",
			*m->p_exclude_ids ? m->p_exclude_ids : "(none)");
	}

	if (m->faults_requested)
		text_faults(f, m);
	fputs("\nFindings:\n", f);
	if (!m->nfindings)
		fputs("  none\n", f);
	for (i = 0; i < m->nfindings; i++) {
		const struct finding *x = &m->findings[i];

		fprintf(f, "  [%s] %s%s%s\n", severity_name(x->sev), x->gpu,
			*x->gpu ? ": " : "", x->message);
		if (*x->fix)
			fprintf(f, "      fix: %s\n", x->fix);
	}
	fprintf(f, "\nResult: %u gfx10 GPU%s in scope, %u covered, %u problem%s, %u warning%s: exit %d\n",
		m->in_scope, m->in_scope == 1 ? "" : "s", m->covered, m->problems,
		m->problems == 1 ? "" : "s", m->warnings, m->warnings == 1 ? "" : "s",
		m->exit_code);
}
