// SPDX-License-Identifier: GPL-2.0
/* rmcp-probe: run the collectors and fill the model. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RMCP_PROBE_NO_LIBPCI
#include <pci/pci.h>
#endif

#include "collectors.h"
#include "probe.h"

static int cmp_gpu(const void *a, const void *b)
{
	return strcmp(((const struct gpu *)a)->bdf, ((const struct gpu *)b)->bdf);
}

struct slot {
	int domain, bus, dev, func;	/* -1: any */
};

/* --device: what lspci -s takes ([[domain:]bus:][dev][.func]), through libpci. */
static int parse_slot(const char *s, struct slot *out, char *err, size_t errlen)
{
	char buf[64];
#ifndef RMCP_PROBE_NO_LIBPCI
	struct pci_filter f;
	char *e;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	pci_filter_init(NULL, &f);
	e = pci_filter_parse_slot(&f, buf);
	if (e) {
		snprintf(err, errlen, "--device %s: %s", s, e);
		return -EINVAL;
	}
	out->domain = f.domain;
	out->bus = f.bus;
	out->dev = f.slot;
	out->func = f.func;
	return 0;
bad:
#else
	unsigned int d, b, v, fn;
	char tail;

	if (strlen(s) < sizeof(buf) && sscanf(s, "%x:%x:%x.%u%c", &d, &b, &v, &fn, &tail) == 4) {
		*out = (struct slot){ (int)d, (int)b, (int)v, (int)fn };
		return 0;
	}
	if (strlen(s) < sizeof(buf) && sscanf(s, "%x:%x.%u%c", &b, &v, &fn, &tail) == 3) {
		*out = (struct slot){ -1, (int)b, (int)v, (int)fn };
		return 0;
	}
#endif
	snprintf(err, errlen, "--device %s: not a PCI address ([[domain:]bus:]device.function)", s);
	return -EINVAL;
}

static bool slot_match(const struct slot *s, const char *bdf)
{
	unsigned int d, b, v, f;

	if (sscanf(bdf, "%x:%x:%x.%x", &d, &b, &v, &f) != 4)
		return false;
	/* like lspci -s (libpci's pci_filter_match): a part not given matches any */
	return (s->domain < 0 || (unsigned int)s->domain == d) &&
	       (s->bus < 0 || (unsigned int)s->bus == b) &&
	       (s->dev < 0 || (unsigned int)s->dev == v) &&
	       (s->func < 0 || (unsigned int)s->func == f);
}

int collect(struct backend *be, struct model *m, const char *only_bdf,
	    char *err, size_t errlen)
{
	struct slot slot = { -1, -1, -1, -1 };
	size_t i;
	int r;

	if (only_bdf) {
		r = parse_slot(only_bdf, &slot, err, errlen);
		if (r)
			return r;
	}
	collect_system(be, m);
	collect_environment(be, m);
	collect_amdgpu(be, m);
	collect_rmcp(be, m);
	r = collect_gpus(be, m, err, errlen);
	if (r)
		return r;
	if (m->ngpus)
		qsort(m->gpus, m->ngpus, sizeof(m->gpus[0]), cmp_gpu);

	if (only_bdf) {
		size_t k = 0;

		for (i = 0; i < m->ngpus; i++)
			if (slot_match(&slot, m->gpus[i].bdf))
				m->gpus[k++] = m->gpus[i];
		m->ngpus = k;
		if (!k) {
			snprintf(err, errlen, "--device %s: no AMD GPU at that address", only_bdf);
			return -ENODEV;
		}
	}
	collect_kfd(be, m);
	for (i = 0; i < m->ngpus; i++) {
		struct gpu *g = &m->gpus[i];

		collect_pci(be, m, g);
		collect_rmcp_device(be, m, g);
		/* ROCm opens the render node too; asking does not wake the GPU */
		if (*g->render_node) {
			r = be->ops->dev_access(be, g->render_node);
			g->render_access_known = r != -ENODATA;
			g->render_access = r;
		}
		if (!g->vendor_id && g->rmcp.present) {
			struct pci_id_list l;

			if (!parse_id_list(g->rmcp.pci_id, strlen(g->rmcp.pci_id), &l) &&
			    l.n == 1) {
				g->vendor_id = l.vendor[0];
				g->device_id = l.device[0];
			}
		}
		if (g->drm_device_id && g->drm_device_id != g->device_id)
			add_finding(m, "id-mismatch", SEV_WARNING, g->bdf, NULL,
				    "libdrm says 1002:%04x, sysfs says 1002:%04x",
				    g->drm_device_id, g->device_id);
	}
	classify_all(m);
	/* a gfx10 GPU amdgpu did not bind: the kernel log says why */
	for (i = 0; i < m->ngpus; i++)
		if (m->gpus[i].in_scope && m->gpus[i].binding == BIND_NONE && m->amdgpu_loaded) {
			collect_log(be, m);
			break;
		}
	/* pci.ids only where libdrm has no name: reading it costs milliseconds */
	for (i = 0; i < m->ngpus; i++)
		if (!*m->gpus[i].marketing_name)
			be_pci_name(be, m->gpus[i].vendor_id, m->gpus[i].device_id,
				    m->gpus[i].pci_name, sizeof(m->gpus[i].pci_name));
	if (be->pci_failed && *be->pci_error)
		add_finding(m, "pci-ids", SEV_WARNING, NULL, NULL,
			    "PCI names unavailable: %s", be->pci_error);
	if (m->oom) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

bool collect_log(struct backend *be, struct model *m)
{
	if (!m->log_tried) {
		m->log_tried = true;
		m->log_ok = !be->ops->read_log(be, &m->log, &m->log_len, m->log_why,
					       sizeof(m->log_why));
		if (!*m->faults_source)
			snprintf(m->faults_source, sizeof(m->faults_source), "%s",
				 *be->root ? "the recorded kernel log" : "/dev/kmsg");
	}
	if (m->log_ok && !m->faults) {
		size_t i, k;

		if (faults_parse(m->log, m->log_len, &m->faults))
			m->oom = true;
		/* ROCr's node-N is a KFD topology node */
		for (i = 0; m->faults && i < m->faults->nrocr; i++)
			for (k = 0; k < m->nkfd; k++)
				if (m->kfd[k].id == (unsigned int)m->faults->rocr[i].node)
					snprintf(m->faults->rocr[i].device,
						 sizeof(m->faults->rocr[i].device), "%s",
						 m->kfd[k].bdf);
		if (m->faults)
			faults_match_rocr(m->faults);
	}
	return m->log_ok;
}
