// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe --json: the model as JSON, schema in docs/rmcp-probe-json.md. */
#include <stdio.h>
#include <string.h>

#include "probe.h"

#ifndef RMCP_VERSION
#define RMCP_VERSION "unknown"
#endif

static void jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* "" is null */
static void jstr_or_null(FILE *f, const char *s)
{
	if (*s)
		jstr(f, s);
	else
		fputs("null", f);
}

static void jint(FILE *f, const struct opt_int *v)
{
	if (v->known)
		fprintf(f, "%lld", (long long)v->v);
	else
		fputs("null", f);
}

static void ju64(FILE *f, const struct opt_u64 *v)
{
	if (v->known)
		fprintf(f, "%llu", (unsigned long long)v->v);
	else
		fputs("null", f);
}

static void jbool(FILE *f, const struct opt_bool *v)
{
	fputs(!v->known ? "null" : v->v ? "true" : "false", f);
}

#define KEY(ind, k) fprintf(f, "%*s\"%s\": ", (ind), "", (k))

static void json_gpu(FILE *f, const struct model *m, const struct gpu *g)
{
	const struct rmcp_dev_state *d = &g->rmcp;
	char v[32];

	(void)m;
	fputs("    {\n", f);
	KEY(6, "bdf"); jstr(f, g->bdf); fputs(",\n", f);
	snprintf(v, sizeof(v), "%04x:%04x", g->vendor_id, g->device_id);
	KEY(6, "pci_id"); jstr(f, v); fputs(",\n", f);
	if (g->has_subsys)
		snprintf(v, sizeof(v), "%04x:%04x", g->subvendor_id, g->subdevice_id);
	else
		v[0] = '\0';
	KEY(6, "subsystem"); jstr_or_null(f, v); fputs(",\n", f);
	KEY(6, "revision"); fprintf(f, "%u,\n", g->revision);
	KEY(6, "pci_name"); jstr_or_null(f, g->pci_name); fputs(",\n", f);
	KEY(6, "marketing_name"); jstr_or_null(f, g->marketing_name); fputs(",\n", f);
	KEY(6, "driver"); jstr_or_null(f, g->driver); fputs(",\n", f);
	KEY(6, "render_node"); jstr_or_null(f, g->render_node); fputs(",\n", f);
	KEY(6, "drm_error"); jstr_or_null(f, g->drm_error); fputs(",\n", f);
	KEY(6, "family_id"); jint(f, &g->family_id); fputs(",\n", f);
	if (g->gc_source != GC_NONE)
		snprintf(v, sizeof(v), "%u.%u.%u", g->gc.major, g->gc.minor, g->gc.rev);
	else
		v[0] = '\0';
	KEY(6, "gc_version"); jstr_or_null(f, v); fputs(",\n", f);
	KEY(6, "gc_source"); jstr(f, gc_source_name(g->gc_source)); fputs(",\n", f);
	KEY(6, "gfx10"); fputs(g->gfx10 ? "true,\n" : "false,\n", f);
	KEY(6, "rdna");
	if (g->rdna)
		fprintf(f, "%u,\n", g->rdna);
	else
		fputs("null,\n", f);
	KEY(6, "gfx_target"); jstr_or_null(f, g->gfx_target); fputs(",\n", f);
	KEY(6, "chip"); jstr_or_null(f, g->chip); fputs(",\n", f);
	KEY(6, "kind"); fputs(!g->kind_known ? "null" : g->apu ? "\"APU\"" : "\"dGPU\"", f);
	fputs(",\n", f);
	KEY(6, "in_table"); fputs(g->in_table ? "true,\n" : "false,\n", f);
	KEY(6, "in_scope"); fputs(g->in_scope ? "true,\n" : "false,\n", f);
	KEY(6, "covered"); fputs(g->covered ? "true,\n" : "false,\n", f);
	KEY(6, "extra_ids_line"); jstr_or_null(f, g->extra_ids_line); fputs(",\n", f);
	KEY(6, "noretry_effective"); jint(f, &g->noretry_effective); fputs(",\n", f);
	KEY(6, "noretry_basis"); jstr_or_null(f, g->noretry_basis); fputs(",\n", f);
	KEY(6, "rmcp");
	if (!d->present) {
		fputs("null,\n", f);
	} else {
		fputs("{\n", f);
		KEY(8, "pci_id"); jstr_or_null(f, d->pci_id); fputs(",\n", f);
		KEY(8, "family"); jstr_or_null(f, d->family); fputs(",\n", f);
		KEY(8, "gfx"); jstr_or_null(f, d->gfx); fputs(",\n", f);
		KEY(8, "matched"); jstr_or_null(f, d->matched); fputs(",\n", f);
		KEY(8, "policy"); jstr_or_null(f, d->policy); fputs(",\n", f);
		KEY(8, "noretry"); jint(f, &d->noretry); fputs(",\n", f);
		KEY(8, "vm_fragment_size"); jint(f, &d->vm_fragment_size); fputs(",\n", f);
		KEY(8, "calls"); ju64(f, &d->calls); fputs(",\n", f);
		KEY(8, "cc_seen"); ju64(f, &d->cc_seen); fputs(",\n", f);
		KEY(8, "cc_rewritten"); ju64(f, &d->cc_rewritten); fputs(",\n", f);
		KEY(8, "rejected"); ju64(f, &d->rejected); fputs("\n", f);
		fputs("      },\n", f);
	}
	KEY(6, "check");
	if (g->check.result == CHECK_NOT_RUN) {
		fputs("null\n", f);
	} else {
		fputs("{\n", f);
		KEY(8, "result"); jstr(f, check_result_name(g->check.result)); fputs(",\n", f);
		KEY(8, "cc_seen_delta");
		fprintf(f, "%llu,\n", (unsigned long long)g->check.cc_seen_delta);
		KEY(8, "cc_rewritten_delta");
		fprintf(f, "%llu,\n", (unsigned long long)g->check.cc_rewritten_delta);
		KEY(8, "detail"); jstr(f, g->check.detail); fputs("\n", f);
		fputs("      }\n", f);
	}
	fputs("    }", f);
}

void render_json(FILE *f, const struct model *m)
{
	static const char *const range[] = { "older", "tested", "untested", "newer" };
	struct opt_int sig = { m->module_signed >= 0, m->module_signed };
	size_t i;

	fputs("{\n", f);
	KEY(2, "schema"); fprintf(f, "%d,\n", RMCP_PROBE_SCHEMA);
	KEY(2, "tool"); fputs("{ \"name\": \"rmcp-probe\", \"version\": ", f);
	jstr(f, RMCP_VERSION); fputs(" },\n", f);

	KEY(2, "kernel"); fputs("{\n", f);
	KEY(4, "release"); jstr_or_null(f, m->kernel_release); fputs(",\n", f);
	KEY(4, "rmcp_range");
	if (m->kernel_known)
		jstr(f, range[m->kernel_range + 1]);
	else
		fputs("null", f);
	fputs("\n  },\n", f);

	KEY(2, "security"); fputs("{\n", f);
	KEY(4, "efi"); jbool(f, &m->efi); fputs(",\n", f);
	KEY(4, "secure_boot"); jbool(f, &m->secure_boot); fputs(",\n", f);
	KEY(4, "lockdown");
	if (m->lockdown.known)
		jstr(f, lockdown_name((int)m->lockdown.v));
	else
		fputs("null", f);
	fputs(",\n", f);
	KEY(4, "sig_enforce"); jbool(f, &m->sig_enforce); fputs("\n  },\n", f);

	KEY(2, "environment"); fputs("{\n", f);
	KEY(4, "HSA_OVERRIDE_GFX_VERSION");
	if (m->hsa_set)
		jstr(f, m->hsa_override);
	else
		fputs("null", f);
	fputs("\n  },\n", f);

	KEY(2, "amdgpu"); fputs("{\n", f);
	KEY(4, "loaded"); fputs(m->amdgpu_loaded ? "true,\n" : "false,\n", f);
	KEY(4, "noretry"); jint(f, &m->amdgpu_noretry); fputs(",\n", f);
	KEY(4, "vm_fragment_size"); jint(f, &m->amdgpu_vm_fragment_size); fputs("\n  },\n", f);

	KEY(2, "rmcp"); fputs("{\n", f);
	KEY(4, "loaded"); fputs(m->rmcp_loaded ? "true,\n" : "false,\n", f);
	KEY(4, "version"); jstr_or_null(f, m->rmcp_version); fputs(",\n", f);
	KEY(4, "state"); jstr_or_null(f, m->rmcp_state); fputs(",\n", f);
	KEY(4, "reason"); jstr_or_null(f, m->rmcp_reason); fputs(",\n", f);
	KEY(4, "kernel_abi"); jstr_or_null(f, m->rmcp_kernel_abi); fputs(",\n", f);
	KEY(4, "selftest"); jstr_or_null(f, m->rmcp_selftest); fputs(",\n", f);
	KEY(4, "nmissed"); ju64(f, &m->rmcp_nmissed); fputs(",\n", f);
	KEY(4, "module_signed");
	fputs(!sig.known ? "null" : sig.v ? "true" : "false", f);
	fputs(",\n", f);
	KEY(4, "module_signature_source"); jstr_or_null(f, m->module_sig_basis); fputs(",\n", f);
	KEY(4, "parameters");
	if (!m->rmcp_loaded) {
		fputs("null\n", f);
	} else {
		fputs("{\n", f);
		KEY(6, "enable"); jbool(f, &m->p_enable); fputs(",\n", f);
		KEY(6, "noretry"); jint(f, &m->p_noretry); fputs(",\n", f);
		KEY(6, "vm_fragment_size"); jint(f, &m->p_vm_fragment_size); fputs(",\n", f);
		KEY(6, "extra_ids"); jstr(f, m->p_extra_ids); fputs(",\n", f);
		KEY(6, "exclude_ids"); jstr(f, m->p_exclude_ids); fputs(",\n", f);
		KEY(6, "apu"); jbool(f, &m->p_apu); fputs("\n    }\n", f);
	}
	fputs("  },\n", f);

	KEY(2, "gpus"); fputs("[", f);
	for (i = 0; i < m->ngpus; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_gpu(f, m, &m->gpus[i]);
	}
	fputs(m->ngpus ? "\n  ],\n" : "],\n", f);

	KEY(2, "findings"); fputs("[", f);
	for (i = 0; i < m->nfindings; i++) {
		const struct finding *x = &m->findings[i];

		fputs(i ? ",\n    { " : "\n    { ", f);
		fputs("\"id\": ", f); jstr(f, x->id);
		fputs(", \"severity\": ", f); jstr(f, severity_name(x->sev));
		fputs(", \"gpu\": ", f); jstr_or_null(f, x->gpu);
		fputs(", \"message\": ", f); jstr(f, x->message);
		fputs(", \"fix\": ", f); jstr_or_null(f, x->fix);
		fputs(" }", f);
	}
	fputs(m->nfindings ? "\n  ],\n" : "],\n", f);

	KEY(2, "summary");
	fprintf(f, "{ \"gpus\": %zu, \"gfx10_gpus\": %u, \"covered\": %u, \"problems\": %u, "
		"\"warnings\": %u, \"check\": %s, \"exit\": %d }\n",
		m->ngpus, m->in_scope, m->covered, m->problems, m->warnings,
		m->check_requested ? "true" : "false", m->exit_code);
	fputs("}\n", f);
}
