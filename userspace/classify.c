// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: classification: scope, coverage, effective parameters, ISA override. */
#include <stdio.h>
#include <string.h>

#include <rmcp/ids.h>
#include <rmcp/sysfs.h>

#include "collectors.h"
#include "ids.h"
#include "probe.h"
#include "text.h"

/* The KFD node of this GPU and the target KFD gives it. */
static void kfd_of(const struct model *m, struct gpu *g)
{
	size_t i;

	for (i = 0; i < m->nkfd; i++)
		if (!strcmp(m->kfd[i].bdf, g->bdf)) {
			g->kfd_node = (int)m->kfd[i].id;
			gfx_target_of_version(m->kfd[i].gfx_target_version, g->kfd_gfx_target,
					      sizeof(g->kfd_gfx_target));
			return;
		}
}

/* HSA_OVERRIDE_GFX_VERSION_<node> first, then HSA_OVERRIDE_GFX_VERSION (libhsakmt). */
static void hsa_of(struct model *m, struct gpu *g)
{
	const char *raw = NULL, *real;
	size_t i;

	for (i = 0; g->kfd_node >= 0 && i < m->nhsa_nodes; i++)
		if (m->hsa_nodes[i].node == (unsigned int)g->kfd_node) {
			m->hsa_nodes[i].mapped = true;
			raw = m->hsa_nodes[i].value;
			snprintf(g->hsa_var, sizeof(g->hsa_var),
				 "HSA_OVERRIDE_GFX_VERSION_%u", m->hsa_nodes[i].node);
			break;
		}
	if (!raw && m->hsa_set) {
		raw = m->hsa_raw_truncated ? "" : m->hsa_raw;
		snprintf(g->hsa_var, sizeof(g->hsa_var), "HSA_OVERRIDE_GFX_VERSION");
	}
	if (!raw) {
		g->hsa_verdict = HSA_UNSET;
		return;
	}
	text_printable(raw, strlen(raw), g->hsa_value, sizeof(g->hsa_value));
	real = *g->kfd_gfx_target ? g->kfd_gfx_target : g->gfx_target;
	g->hsa_verdict = hsa_compare(raw, real, g->hsa_target, sizeof(g->hsa_target));
}

void classify(struct model *m, struct gpu *g)
{
	const struct rmcp_gpu_id *id = rmcp_id_lookup(g->vendor_id, g->device_id);

	g->in_table = id != NULL;
	if (id) {
		snprintf(g->chip, sizeof(g->chip), "%s", id->chip);
		g->apu = id->kind == RMCP_KIND_APU;
		g->kind_known = true;
		if (g->gc_source == GC_NONE) {
			g->gc.major = id->gc_major;
			g->gc.minor = id->gc_minor;
			g->gc.rev = id->gc_rev;
			g->gc_source = GC_TABLE;
		}
	}
	if (g->apu_flag.known) {
		g->apu = g->apu_flag.v;
		g->kind_known = true;
	}
	if (g->gc_source != GC_NONE) {
		g->gfx10 = gc_is_gfx10(&g->gc);
		g->rdna = gc_rdna(&g->gc);
		gc_gfx_target(&g->gc, g->gfx_target, sizeof(g->gfx_target));
	}
	/* a GPU handed to a VM (vfio-pci) or another driver is not this host's to cover */
	g->in_scope = (g->gfx10 ||
		       (g->rmcp.present && !strcmp(g->rmcp.matched, RMCP_MATCH_EXTRA)) ||
		       id_list_has(&m->extra_ids, g->vendor_id, g->device_id)) &&
		      (g->binding == BIND_AMDGPU || g->binding == BIND_NONE);
	g->covered = m->rmcp_loaded && !strcmp(m->rmcp_state, RMCP_STATE_ARMED) &&
		     g->rmcp.present && (!strcmp(g->rmcp.matched, RMCP_MATCH_TABLE) ||
					 !strcmp(g->rmcp.matched, RMCP_MATCH_EXTRA));
	if (g->gfx10 && !g->in_table && g->vendor_id == RMCP_PCI_VENDOR_AMD &&
	    !id_list_has(&m->extra_ids, g->vendor_id, g->device_id))
		snprintf(g->extra_ids_line, sizeof(g->extra_ids_line),
			 "options rmcp extra_ids=%s%s1002:%04x", m->p_extra_ids,
			 *m->p_extra_ids ? "," : "", g->device_id);

	/* noretry in force for this GPU: only amdgpu's parameters apply, and only where it drives it */
	if (g->binding != BIND_AMDGPU)
		return;
	if (g->rmcp.present && !strcmp(g->rmcp.policy, RMCP_POLICY_APPLIED) &&
	    g->rmcp.noretry.known && g->rmcp.noretry.v >= 0) {
		g->noretry_effective = g->rmcp.noretry;
		snprintf(g->noretry_basis, sizeof(g->noretry_basis), "rmcp policy");
	} else if (m->amdgpu_noretry.known && m->amdgpu_noretry.v >= 0) {
		g->noretry_effective = m->amdgpu_noretry;
		snprintf(g->noretry_basis, sizeof(g->noretry_basis), "amdgpu.noretry");
	} else if (m->amdgpu_noretry.known && g->gfx10 && m->kernel_known) {
		/*
		 * -1: amdgpu's default (amdgpu_gmc_noretry_set). 0 for all of
		 * gfx10 until GC >= 10.3 became 1 in 5.18 ("drm/amdgpu: add more
		 * cases to noretry=1"); all of gfx10 is 1 from 7.2. An
		 * out-of-tree amdgpu (amdgpu-dkms) brings its own, newer code.
		 */
		bool oot = m->amdgpu_out_of_tree.known && m->amdgpu_out_of_tree.v;

		g->noretry_effective.known = true;
		g->noretry_effective.v =
			(g->gc.minor == 3 &&
			 (oot || kernel_cmp(m->kernel_major, m->kernel_minor, 5, 18) >= 0)) ||
			kernel_cmp(m->kernel_major, m->kernel_minor, 7, 2) >= 0;
		snprintf(g->noretry_basis, sizeof(g->noretry_basis), "amdgpu default");
	}
}

void classify_all(struct model *m)
{
	bool dgpu = false;
	size_t i;

	for (i = 0; i < m->ngpus; i++) {
		kfd_of(m, &m->gpus[i]);
		classify(m, &m->gpus[i]);
		hsa_of(m, &m->gpus[i]);
		dgpu |= m->gpus[i].in_scope && m->gpus[i].kind_known && !m->gpus[i].apu;
	}
	/*
	 * The iGPU trap: a gfx10.3 APU (Rembrandt, Raphael) next to a dGPU is a
	 * second ROCm device. rmcp leaves APUs alone by default (apu=0); the
	 * answer is to hide it from ROCm, not an rmcp problem.
	 */
	for (i = 0; dgpu && i < m->ngpus; i++) {
		struct gpu *g = &m->gpus[i];

		if (g->in_scope && g->apu && !g->covered) {
			g->in_scope = false;
			g->igpu_trap = true;
		}
	}
}
