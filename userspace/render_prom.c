// SPDX-License-Identifier: GPL-2.0
/*
 * rmcp-probe --format=prometheus: the model as metrics in the text format
 * node_exporter's textfile collector reads (docs/rmcp-probe-json.md).
 * Values that could not be read are left out, never guessed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rmcp/sysfs.h>

#include "probe.h"

#ifndef RMCP_VERSION
#define RMCP_VERSION "unknown"
#endif

/* A label value: backslash, double quote and newline escaped. */
static void label(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void gpu_labels(FILE *f, const struct gpu *g)
{
	char id[16];

	snprintf(id, sizeof(id), "%04x:%04x", g->vendor_id, g->device_id);
	fputs("{device=", f);
	label(f, g->bdf);
	fputs(",pci_id=", f);
	label(f, id);
	fputs(",gfx=", f);
	label(f, g->gfx_target);
	fputc('}', f);
}

static unsigned int gpu_count(const struct model *m, const struct gpu *g, enum severity s)
{
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < m->nfindings; i++)
		n += m->findings[i].sev == s && !strcmp(m->findings[i].gpu, g->bdf);
	return n;
}

static void gpu_counter(FILE *f, const struct model *m, const char *name, const char *help,
			size_t off)
{
	bool any = false;
	size_t i;

	for (i = 0; i < m->ngpus; i++) {
		const struct gpu *g = &m->gpus[i];
		const struct opt_u64 *v = (const void *)((const char *)&g->rmcp + off);

		if (!g->rmcp.present || !v->known)
			continue;
		if (!any)
			head(f, name, "counter", help);
		any = true;
		fputs(name, f);
		gpu_labels(f, g);
		fprintf(f, " %llu\n", (unsigned long long)v->v);
	}
}

/* What the kernel log says of the GPU at @bdf (--faults). */
static unsigned long long log_faults(const struct model *m, const char *bdf)
{
	unsigned long long n = 0;
	size_t k;

	for (k = 0; k < m->faults->nfaults; k++)
		if (!strcmp(m->faults->faults[k].device, bdf))
			n += m->faults->faults[k].count;
	return n;
}

static unsigned long long log_lost(const struct model *m, const char *bdf)
{
	size_t k;

	for (k = 0; k < m->faults->nfaults; k++)
		if (m->faults->faults[k].gpu_lost && !strcmp(m->faults->faults[k].device, bdf))
			return 1;
	return 0;
}

static unsigned long long log_resets(const struct model *m, const char *bdf)
{
	unsigned long long n = 0;
	size_t k;

	for (k = 0; k < m->faults->nevents; k++)
		if (m->faults->events[k].kind == EV_GPU_RESET &&
		    !strcmp(m->faults->events[k].device, bdf))
			n += m->faults->events[k].count;
	return n;
}

static bool listed(const struct model *m, const char *bdf)
{
	size_t i;

	for (i = 0; i < m->ngpus; i++)
		if (!strcmp(m->gpus[i].bdf, bdf))
			return true;
	return false;
}

/* @bdf's first appearance in the log's faults and events (k: its index there). */
static bool first_in_log(const struct fault_report *r, size_t k, const char *bdf)
{
	size_t i;

	for (i = 0; i < k && i < r->nfaults; i++)
		if (!strcmp(r->faults[i].device, bdf))
			return false;
	for (i = r->nfaults; i < k; i++)
		if (!strcmp(r->events[i - r->nfaults].device, bdf))
			return false;
	return true;
}

/*
 * One gauge per GPU, its value from the kernel log; also for a card the log
 * names that is not listed (gone from the bus, or --device left it out), with
 * empty pci_id and gfx labels, as in JSON's faults[].
 */
static void gpu_gauge(FILE *f, const struct model *m, const char *name, const char *help,
		      unsigned long long (*value)(const struct model *, const char *))
{
	const struct fault_report *r = m->faults;
	size_t i;

	head(f, name, "gauge", help);
	for (i = 0; i < m->ngpus; i++) {
		fputs(name, f);
		gpu_labels(f, &m->gpus[i]);
		fprintf(f, " %llu\n", value(m, m->gpus[i].bdf));
	}
	for (i = 0; i < r->nfaults + r->nevents; i++) {
		const char *bdf = i < r->nfaults ? r->faults[i].device :
				  r->events[i - r->nfaults].device;

		if (!*bdf || listed(m, bdf) || !first_in_log(r, i, bdf))
			continue;
		fputs(name, f);
		fputs("{device=", f);
		label(f, bdf);
		fprintf(f, ",pci_id=\"\",gfx=\"\"} %llu\n", value(m, bdf));
	}
}

void render_prometheus(FILE *f, const struct model *m)
{
	static const char *const states[] = { RMCP_STATE_IDLE, RMCP_STATE_ARMED,
		RMCP_STATE_DEGRADED, RMCP_STATE_REFUSED, RMCP_STATE_DISABLED };
	size_t i, k;

	head(f, "rmcp_probe_info", "gauge", "rmcp-probe's version and JSON schema.");
	fprintf(f, "rmcp_probe_info{version=");
	label(f, RMCP_VERSION);
	fprintf(f, ",schema=\"%d\"} 1\n", RMCP_PROBE_SCHEMA);
	head(f, "rmcp_probe_exit_code", "gauge",
	     "0 ok, 1 problem found, 3 no gfx10 GPU (as rmcp-probe exits).");
	fprintf(f, "rmcp_probe_exit_code %d\n", m->exit_code);
	head(f, "rmcp_probe_problems", "gauge", "Findings of severity problem.");
	fprintf(f, "rmcp_probe_problems %u\n", m->problems);
	head(f, "rmcp_probe_warnings", "gauge", "Findings of severity warning.");
	fprintf(f, "rmcp_probe_warnings %u\n", m->warnings);
	head(f, "rmcp_gpus_in_scope", "gauge", "gfx10 GPUs, or GPUs rmcp matched by extra_ids.");
	fprintf(f, "rmcp_gpus_in_scope %u\n", m->in_scope);
	head(f, "rmcp_gpus_covered", "gauge", "In-scope GPUs rmcp matched while armed.");
	fprintf(f, "rmcp_gpus_covered %u\n", m->covered);

	head(f, "rmcp_loaded", "gauge", "1 when the rmcp module is loaded.");
	fprintf(f, "rmcp_loaded %d\n", m->rmcp_loaded);
	if (m->rmcp_loaded && *m->rmcp_state) {
		head(f, "rmcp_state", "gauge", "rmcp's state (/sys/module/rmcp/status/state): "
		     "1 for the current one.");
		for (k = 0; k < sizeof(states) / sizeof(states[0]); k++)
			fprintf(f, "rmcp_state{state=\"%s\"} %d\n", states[k],
				!strcmp(m->rmcp_state, states[k]));
	}
	if (m->rmcp_nmissed.known) {
		head(f, "rmcp_nmissed_total", "counter", "Calls rmcp's probe missed.");
		fprintf(f, "rmcp_nmissed_total %llu\n", (unsigned long long)m->rmcp_nmissed.v);
	}

	if (m->ngpus) {
		head(f, "rmcp_gpu_in_scope", "gauge", "1 when the GPU is gfx10 or matched by "
		     "extra_ids.");
		for (i = 0; i < m->ngpus; i++) {
			fputs("rmcp_gpu_in_scope", f);
			gpu_labels(f, &m->gpus[i]);
			fprintf(f, " %d\n", m->gpus[i].in_scope);
		}
		head(f, "rmcp_gpu_covered", "gauge", "1 when rmcp matched the GPU and is armed.");
		for (i = 0; i < m->ngpus; i++) {
			fputs("rmcp_gpu_covered", f);
			gpu_labels(f, &m->gpus[i]);
			fprintf(f, " %d\n", m->gpus[i].covered);
		}
		head(f, "rmcp_gpu_problems", "gauge", "Findings of severity problem for the GPU.");
		for (i = 0; i < m->ngpus; i++) {
			fputs("rmcp_gpu_problems", f);
			gpu_labels(f, &m->gpus[i]);
			fprintf(f, " %u\n", gpu_count(m, &m->gpus[i], SEV_PROBLEM));
		}
	}
	gpu_counter(f, m, "rmcp_gpu_calls_total", "Calls of the hooked function.",
		    offsetof(struct rmcp_dev_state, calls));
	gpu_counter(f, m, "rmcp_gpu_cc_seen_total", "CC requests rmcp saw.",
		    offsetof(struct rmcp_dev_state, cc_seen));
	gpu_counter(f, m, "rmcp_gpu_cc_rewritten_total", "CC requests rmcp turned into NC.",
		    offsetof(struct rmcp_dev_state, cc_rewritten));
	gpu_counter(f, m, "rmcp_gpu_rejected_total", "Calls rmcp left alone.",
		    offsetof(struct rmcp_dev_state, rejected));

	if (!m->faults_requested)
		return;
	head(f, "rmcp_probe_log_readable", "gauge", "1 when the kernel log could be read "
	     "(--faults).");
	fprintf(f, "rmcp_probe_log_readable %d\n", m->log_ok);
	if (!m->log_ok || !m->faults)
		return;
	gpu_gauge(f, m, "rmcp_gpu_faults", "GPU VM faults of the GPU in the kernel log as it "
		  "is now (it rotates: not a counter).", log_faults);
	gpu_gauge(f, m, "rmcp_gpu_lost", "1 when a fault status in the kernel log says the GPU "
		  "no longer answers (0xffffffff).", log_lost);
	gpu_gauge(f, m, "rmcp_gpu_resets", "GPU resets of the GPU in the kernel log as it is "
		  "now.", log_resets);
	{
		unsigned long long n = 0;

		for (k = 0; k < m->faults->nfaults; k++)
			if (!*m->faults->faults[k].device)
				n += m->faults->faults[k].count;
		head(f, "rmcp_faults_unattributed", "gauge", "GPU VM faults in the kernel log "
		     "that name no PCI device.");
		fprintf(f, "rmcp_faults_unattributed %llu\n", n);
	}
}
