// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: the model's storage, names and findings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

struct model *model_new(void)
{
	return calloc(1, sizeof(struct model));
}

void model_free(struct model *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->ngpus; i++)
		free(m->gpus[i].fw);
	free(m->gpus);
	free(m->findings);
	free(m->hsa_nodes);
	free(m->kfd);
	free(m->log);
	faults_free(m->faults);
	free(m);
}

struct gpu *model_gpu(struct model *m, const char *bdf)
{
	struct gpu *g;
	size_t i;

	for (i = 0; i < m->ngpus; i++)
		if (!strcmp(m->gpus[i].bdf, bdf))
			return &m->gpus[i];
	if (m->ngpus == m->gpus_cap) {
		size_t cap = m->gpus_cap ? m->gpus_cap * 2 : 8;
		struct gpu *v = realloc(m->gpus, cap * sizeof(*v));

		if (!v) {
			m->oom = true;
			return NULL;
		}
		m->gpus = v;
		m->gpus_cap = cap;
	}
	g = &m->gpus[m->ngpus++];
	memset(g, 0, sizeof(*g));
	snprintf(g->bdf, sizeof(g->bdf), "%s", bdf);
	g->kfd_node = -1;
	return g;
}

const char *gc_source_name(enum gc_source s)
{
	static const char *const n[] = { "none", "hw_ip", "ip_discovery", "pci_id" };

	return s <= GC_TABLE ? n[s] : "none";
}

const char *binding_name(enum binding b)
{
	static const char *const n[] = { "none", "amdgpu", "passthrough", "other" };

	return b <= BIND_OTHER ? n[b] : "other";
}

const char *severity_name(enum severity s)
{
	return s == SEV_PROBLEM ? "problem" : s == SEV_WARNING ? "warning" : "info";
}

const char *check_result_name(enum check_result r)
{
	static const char *const n[] = { "not-run", "pass", "fail", "cannot-prove", "error" };

	return r <= CHECK_ERROR ? n[r] : "error";
}

const char *lockdown_name(int l)
{
	static const char *const n[] = { "none", "integrity", "confidentiality" };

	return l >= 0 && l <= 2 ? n[l] : "unknown";
}

/* Nothing is dropped: the list grows; only running out of memory stops it. */
void add_finding(struct model *m, const char *id, enum severity sev,
		 const char *gpu, const char *fix, const char *fmt, ...)
{
	struct finding *f;
	va_list ap;

	if (m->nfindings == m->findings_cap) {
		size_t cap = m->findings_cap ? m->findings_cap * 2 : 16;
		struct finding *v = realloc(m->findings, cap * sizeof(*v));

		if (!v) {
			m->oom = true;
			return;
		}
		m->findings = v;
		m->findings_cap = cap;
	}
	f = &m->findings[m->nfindings++];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->sev = sev;
	snprintf(f->gpu, sizeof(f->gpu), "%s", gpu ? gpu : "");
	snprintf(f->fix, sizeof(f->fix), "%s", fix ? fix : "");
	va_start(ap, fmt);
	vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);
}

bool gpu_has_problem(const struct model *m, const struct gpu *g)
{
	size_t i;

	for (i = 0; i < m->nfindings; i++)
		if (m->findings[i].sev == SEV_PROBLEM && !strcmp(m->findings[i].gpu, g->bdf))
			return true;
	return false;
}
